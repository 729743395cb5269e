/**
 * The file system and process streams. With cli.ts, the only module that touches them.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { InputError, type InputFile } from './model.js';

const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

function readRange(fd: number, offset: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/** Opens a file for the parsers. Throws InputError (exit 2) for a missing or unreadable path. */
export function openInput(path: string): InputFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('NOT_FOUND', `${path}: no such file`, { file: path });
    if (code === 'EISDIR') throw new InputError('UNREADABLE', `${path}: is a directory, expected a file`, { file: path });
    throw new InputError('UNREADABLE', `${path}: cannot open (${code ?? String(err)})`, { file: path });
  }
  let size: number;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError('UNREADABLE', `${path}: is a directory, expected a file`, { file: path });
    size = stat.size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  closeSync(fd);
  const withFd = <T>(f: (fd: number) => T): T => {
    const handle = openSync(path, 'r');
    try {
      return f(handle);
    } finally {
      closeSync(handle);
    }
  };
  const head = withFd((h) => readRange(h, 0, Math.min(size, HEAD_BYTES)));
  return {
    name: path,
    size,
    head,
    lines: () => linesOf(path),
    bytes: () => withFd((h) => readRange(h, 0, size)),
    read: (offset, length) => withFd((h) => readRange(h, offset, Math.max(0, Math.min(length, size - offset)))),
  };
}

/** Streams a file's lines (split on `\n`, `\r` kept) in 1 MiB chunks: never the whole file as one string. */
function* linesOf(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = carry + decoder.write(n === CHUNK_BYTES ? buf : buf.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        yield text.slice(start, nl);
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    carry += decoder.end();
    if (carry.length > 0) yield carry;
  } finally {
    closeSync(fd);
  }
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

export function writeTextFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
