/**
 * io.ts reads files in 64 KiB chunks cut at their last `\n`: lines must come out exactly as a
 * whole-text split gives them, whatever falls on a chunk boundary (constructed files, written to
 * the OS temp directory).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInput, writeTextFile } from '../src/io.js';
import { splitLines } from '../src/parse/input.js';

const dir = mkdtempSync(join(tmpdir(), 'dlcverify-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIB = 1024 * 1024;
/** io.ts's chunk size. */
const CHUNK = 64 * 1024;

function linesOfFile(name: string, bytes: Uint8Array): string[] {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return [...openInput(path).lines()];
}

describe('openInput().lines()', () => {
  it.each([
    ['empty', ''],
    ['one line, no newline', 'DLC info of: /a.dlc'],
    ['trailing newline', 'a\nb\n'],
    ['CRLF kept', 'a\r\nb\r\n\r\n'],
    ['blank lines', '\n\n\nx'],
    ['a newline exactly at the chunk end', `${'x'.repeat(CHUNK - 1)}\nnext`],
    ['a newline just after the chunk end', `${'x'.repeat(CHUNK)}\nnext\n`],
    ['a line of 3 MiB (the buffer grows)', `head\n${'y'.repeat(3 * MIB)}\ntail`],
    ['a 3 MiB line with no newline at all', 'z'.repeat(3 * MIB)],
    ['UTF-8 characters across the chunk boundary', `${'a'.repeat(CHUNK - 2)}é€😀 end\n${'b'.repeat(10)}ü`],
    ['many lines over many chunks', Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`).join('\n')],
  ])('%s', (name, text) => {
    expect(linesOfFile(`${name.replaceAll(' ', '-')}.txt`, new TextEncoder().encode(text))).toEqual([...splitLines(text)]);
  });

  it('decodes broken UTF-8 as replacement characters, like TextDecoder, on a boundary and at the end', () => {
    const bytes = new Uint8Array(CHUNK + 10).fill(0x61);
    bytes[CHUNK - 1] = 0xe2; // a 3-byte sequence cut by a newline
    bytes[CHUNK] = 0x0a;
    bytes[CHUNK + 8] = 0xf0; // a 4-byte sequence cut by the end of the file
    bytes[CHUNK + 9] = 0x9f;
    expect(linesOfFile('broken-utf8.txt', bytes)).toEqual([...splitLines(new TextDecoder().decode(bytes))]);
  });
});

describe('writeTextFile', () => {
  it('writes a string, or chunks one after the other (reports too big for one string), creating folders', () => {
    const one = join(dir, 'out', 'a.txt');
    writeTextFile(one, 'héllo\n');
    expect(readFileSync(one, 'utf8')).toBe('héllo\n');
    const many = join(dir, 'out', 'deeper', 'b.json');
    function* chunks(): Generator<string> {
      yield '{"results": [';
      for (let i = 0; i < 1000; i++) yield `${i === 0 ? '' : ','}{"i": ${i}, "name": "ü${i}"}`;
      yield ']}';
    }
    writeTextFile(many, chunks());
    const parsed = JSON.parse(readFileSync(many, 'utf8')) as { results: { i: number; name: string }[] };
    expect(parsed.results).toHaveLength(1000);
    expect(parsed.results[999]).toEqual({ i: 999, name: 'ü999' });
  });
});
