/**
 * Big sources are read on a worker thread while the model is parsed (issue 7: the 200 MB dump and
 * the 100 MB overrides file are read on two cores). The report must be the one a read in turn
 * gives, an unreadable source must fail the same way, and a model that fails first must not leave
 * the thread running.
 *
 * The worker runs from the compiled `dist/` (`npm test` builds it first): under vitest, src/io.ts
 * finds no compiled `io-worker.js` beside it and reads in turn, which the in-process runs here use
 * as the reference.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.js';
import { openInput } from '../src/io.js';
import { readSource } from '../src/parse/load.js';
import { ASIDE_MIN_BYTES } from '../src/commands/verify.js';
import { ProgressLine, ERASE_LINE } from '../src/progress.js';
import type { CliIo, PendingSource } from '../src/commands/context.js';
import type { SourceSet } from '../src/model.js';
import { cli, quietIo } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin', 'dlcverify.js');
const DUMP = join(REPO_ROOT, 'samples', 'qairt', 'tiny_qairt225_dlc_info.txt');
const TINY_SOURCE = join(REPO_ROOT, 'samples', 'qairt', 'tiny.encodings');

/** The sample's overrides plus one per-channel param nobody has, padded past ASIDE_MIN_BYTES. */
function bigSourceText(): string {
  const tiny = openInput(TINY_SOURCE);
  const text = new TextDecoder().decode(tiny.bytes());
  const channel = (c: number): string =>
    `{"bitwidth": 8, "dtype": "int", "is_symmetric": "True", "max": ${(c + 1) / 1024}, "min": ${-(c + 1) / 1024}, "offset": -128, "scale": ${(c + 1) / 130560}}`;
  const channels: string[] = [];
  let bytes = 0;
  for (let c = 0; bytes < ASIDE_MIN_BYTES + 1024; c++) {
    const s = channel(c);
    channels.push(s);
    bytes += s.length + 2;
  }
  // `"param_encodings": {` opens the second section of the sample file.
  const at = text.indexOf('"param_encodings": {') + '"param_encodings": {'.length;
  const rest = text.slice(at).trimStart();
  return `${text.slice(0, at)}\n        "padding.weight": [${channels.join(',\n')}]${rest.startsWith('}') ? '' : ','}\n        ${rest}`;
}

let dir = '';
let bigSource = '';
let brokenSource = '';
let garbageDump = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlcverify-aside-'));
  bigSource = join(dir, 'big.encodings');
  const text = bigSourceText();
  writeFileSync(bigSource, text);
  brokenSource = join(dir, 'broken.encodings');
  // Cut inside the last entry: a syntax error at the end of a big file.
  writeFileSync(brokenSource, text.slice(0, text.length - 40));
  garbageDump = join(dir, 'garbage.txt');
  writeFileSync(garbageDump, 'this is not a dlc-info dump\n'.repeat(10));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The compiled io module (the one whose worker script exists). */
async function distIo(): Promise<typeof import('../src/io.js')> {
  return (await import(pathToFileURL(join(REPO_ROOT, 'dist', 'io.js')).href)) as typeof import('../src/io.js');
}

describe('the source read on a worker thread', () => {
  it('the fixture is big enough to be read aside', () => {
    expect(openInput(bigSource).size).toBeGreaterThanOrEqual(ASIDE_MIN_BYTES);
    expect(readSource(openInput(bigSource)).entries.find((e) => e.name === 'padding.weight')?.grids.length).toBeGreaterThan(50_000);
  });

  it('gives the very source a read on this thread gives', async () => {
    const { readSourceAside } = await distIo();
    const pending = readSourceAside(bigSource);
    expect(pending).toBeDefined();
    const aside = await pending!.result;
    const here = readSource(openInput(bigSource));
    expect(aside).toEqual(here);
    expect(JSON.stringify(aside)).toBe(JSON.stringify(here)); // key order too
    expect(pending!.bytesRead()).toBe(Math.floor(openInput(bigSource).size / 1024) * 1024);
  });

  it('rejects with the same InputError as a read on this thread (syntax error, missing file)', async () => {
    const { readSourceAside } = await distIo();
    let here: unknown;
    try {
      readSource(openInput(brokenSource));
    } catch (err) {
      here = err;
    }
    expect(here).toMatchObject({ code: 'BAD_JSON' });
    await expect(readSourceAside(brokenSource)!.result).rejects.toMatchObject({ name: 'InputError', code: 'BAD_JSON', message: (here as Error).message });
    await expect(readSourceAside(join(dir, 'nope.json'))!.result).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a failure nobody waits for (answered, then cancelled) is not an unhandled rejection', async () => {
    const { readSourceAside } = await distIo();
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const pending = readSourceAside(join(dir, 'nope.json'))!;
      // Let the worker answer (NOT_FOUND) with nobody awaiting, then cancel, as verify does when
      // the model fails first.
      await new Promise((r) => setTimeout(r, 1500));
      pending.cancel();
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('bin: the report is byte for byte the one of a read in turn (in-process run)', async () => {
    const args = ['verify', DUMP, bigSource, '--format', 'json', '--verbose'];
    const spawned = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const inProcess = await cli(args);
    expect(spawned.stderr).toBe('');
    expect(spawned.status).toBe(inProcess.code);
    expect(spawned.stdout).toBe(inProcess.stdout);
    const report = JSON.parse(spawned.stdout) as { results: { verdict: string; tensor: string }[] };
    expect(report.results.find((r) => r.tensor === 'padding.weight')?.verdict).toBe('MISSING_IN_DLC');
  });

  it('bin: a model that fails first is the error reported, and the run ends (the thread is stopped)', () => {
    const spawned = spawnSync(process.execPath, [BIN, 'verify', garbageDump, bigSource], { encoding: 'utf8', timeout: 20_000 });
    expect(spawned.error).toBeUndefined(); // not killed by the timeout
    expect(spawned.status).toBe(2);
    expect(spawned.stderr).toContain(garbageDump);
    expect(spawned.stderr).not.toContain('big.encodings');
  });

  it('bin: an unreadable big source exits 2 with its line:column', () => {
    const spawned = spawnSync(process.execPath, [BIN, 'verify', DUMP, brokenSource], { encoding: 'utf8' });
    expect(spawned.status).toBe(2);
    expect(spawned.stderr).toMatch(/^dlcverify: error: .*broken\.encodings:\d+:\d+: /);
  });
});

describe('verify with an io that reads aside (in-process)', () => {
  function asideIo(make: (path: string) => PendingSource | undefined): { io: CliIo; out: string[]; err: string[]; asked: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const asked: string[] = [];
    const io = quietIo({
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      cwd: REPO_ROOT,
      readSourceAside: (input) => {
        asked.push(input.name);
        return make(input.name);
      },
    });
    return { io, out, err, asked };
  }

  const settled = (source: SourceSet): PendingSource => ({ result: Promise.resolve(source), bytesRead: () => 0, cancel: () => undefined });

  it('asks for big sources only', async () => {
    const small = asideIo(() => undefined);
    expect(await runCli(['verify', DUMP, TINY_SOURCE], small.io)).toBe(0);
    expect(small.asked).toEqual([]);
    const big = asideIo((path) => settled(readSource(openInput(path))));
    expect(await runCli(['verify', DUMP, bigSource, '--format', 'json'], big.io)).toBe(1);
    expect(big.asked).toEqual([bigSource]);
    const plain = await cli(['verify', DUMP, bigSource, '--format', 'json']);
    expect(big.out.join('')).toBe(plain.stdout);
  });

  it('an io that cannot read aside (undefined) reads in turn', async () => {
    const run = asideIo(() => undefined);
    expect(await runCli(['verify', DUMP, bigSource], run.io)).toBe(1);
    expect(run.asked).toEqual([bigSource]);
  });

  it('cancels the read when the model fails, and reports the model', async () => {
    const cancel = vi.fn();
    const run = asideIo(() => ({ result: new Promise<SourceSet>(() => undefined), bytesRead: () => 0, cancel }));
    expect(await runCli(['verify', garbageDump, bigSource], run.io)).toBe(2);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(run.err.join('')).toContain(garbageDump);
  });

  it('a thread that dies is an internal error (exit 2, stack), never a hang', async () => {
    const run = asideIo(() => ({ result: Promise.reject(new Error('the worker thread stopped')), bytesRead: () => 0, cancel: () => undefined }));
    expect(await runCli(['verify', DUMP, bigSource], run.io)).toBe(2);
    expect(run.err.join('')).toMatch(/internal error.*the worker thread stopped/s);
  });

  it('a missing source is reported after the model, as when read in turn', async () => {
    const run = asideIo(() => {
      throw new Error('not asked for a missing file');
    });
    expect(await runCli(['verify', DUMP, join(dir, 'missing.json')], run.io)).toBe(2);
    expect(run.err.join('')).toMatch(/missing\.json: no such file/);
  });
});

describe('progress of a read aside', () => {
  it('is drawn from the shared counter while the main thread waits, and stops when it settles', async () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      let t = 0;
      const line = new ProgressLine((s) => void writes.push(s), () => t, 1000, 100);
      let bytes = 0;
      let finish: (s: SourceSet) => void = () => undefined;
      const pending = line.trackAside({ name: 'big.json', size: 100e6 }, { result: new Promise<SourceSet>((r) => (finish = r)), bytesRead: () => bytes, cancel: () => undefined });
      t = 1500;
      bytes = 25e6;
      vi.advanceTimersByTime(100);
      expect(writes.at(-1)).toBe(`${ERASE_LINE}dlcverify: reading big.json  25% (25 of 100 MB)`);
      t = 1700;
      bytes = 50e6;
      vi.advanceTimersByTime(100);
      expect(writes.at(-1)).toContain(' 50% (50 of 100 MB)');
      finish({ format: 'aimet-legacy', file: 'big.json', entries: [], ignoredKeys: [], diagnostics: [] });
      await pending.result;
      const drawn = writes.length;
      t = 5000;
      bytes = 100e6;
      vi.advanceTimersByTime(1000);
      expect(writes.length).toBe(drawn);
    } finally {
      vi.useRealTimers();
    }
  });
});
