/**
 * The file system and process streams. With cli.ts, the only module that touches them.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAscii } from 'node:buffer';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, type InputFile, type SourceSet } from './model.js';
import type { PendingSource } from './commands/context.js';
import type { AsideAnswer, AsideRequest } from './io-worker.js';
import { unpackSourceSet } from './parse/source/transfer.js';

const HEAD_BYTES = 64 * 1024;
/**
 * Lines are read in chunks of this size. Small enough that a chunk's string is an ordinary young
 * object (V8 puts strings over 128 KiB in the large-object space, which only a full collection
 * frees): 1 MiB chunks left ~70 MB of dead chunk strings behind when parsing a 200 MB dump.
 */
const CHUNK_BYTES = 64 * 1024;

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
    readInto: (target, targetOffset, length, offset) => withFd((h) => readSync(h, target, targetOffset, Math.max(0, Math.min(length, size - offset)), offset)),
  };
}

/**
 * Streams a file's lines (split on `\n`, `\r` kept) in 64 KiB chunks: never the whole file as one
 * string. Each chunk is cut after its last `\n` and the tail bytes move to the front of the buffer
 * for the next read, so a chunk is decoded once, whole lines only (a UTF-8 character never straddles
 * a `\n`): no decoder state, no `carry + text` concatenation to flatten again. ASCII chunks (every
 * dump seen) are decoded as latin1, a plain copy. A line longer than the buffer doubles it.
 */
function* linesOf(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      const end = filled + n;
      if (n === 0) {
        if (end > 0) yield buf.toString('utf8', 0, end);
        return;
      }
      const lastNewline = buf.lastIndexOf(10, end - 1);
      if (lastNewline === -1) {
        if (end === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, end);
          buf = bigger;
        }
        filled = end;
        continue;
      }
      const text = isAscii(buf.subarray(0, lastNewline)) ? buf.toString('latin1', 0, lastNewline) : buf.toString('utf8', 0, lastNewline);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        yield text.slice(start, nl);
        start = nl + 1;
      }
      yield text.slice(start);
      filled = end - lastNewline - 1;
      buf.copy(buf, 0, lastNewline + 1, end);
    }
  } finally {
    closeSync(fd);
  }
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

/** Writes a report file; chunks are written as they come (a 200 MB model's JSON is over V8's string limit). */
export function writeTextFile(path: string, content: string | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  if (typeof content === 'string') {
    writeFileSync(path, content);
    return;
  }
  const fd = openSync(path, 'w');
  try {
    for (const chunk of content) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const WORKER_SCRIPT = new URL('./io-worker.js', import.meta.url);

/**
 * Starts reading a source file on a worker thread (io-worker.ts) and returns at once; undefined
 * where the compiled worker script is not beside this module (running from the TypeScript sources
 * under a test runner): the caller then reads the source itself.
 */
export function readSourceAside(path: string): PendingSource | undefined {
  if (WORKER_SCRIPT.protocol !== 'file:' || !existsSync(fileURLToPath(WORKER_SCRIPT))) return undefined;
  const kibRead = new SharedArrayBuffer(4);
  const request: AsideRequest = { path, kibRead };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SCRIPT, { workerData: request });
  } catch {
    return undefined; // no thread to be had (resource limits): the caller reads it itself
  }
  let cancelled = false;
  const result = new Promise<SourceSet>((resolve, reject) => {
    let answered = false;
    worker.once('message', (answer: AsideAnswer) => {
      answered = true;
      // The worker's heap (the file's parse garbage) goes as soon as the answer is here.
      void worker.terminate();
      if ('source' in answer) resolve(unpackSourceSet(answer.source));
      else if ('inputError' in answer) reject(new InputError(answer.inputError.code, answer.inputError.message, answer.inputError.at));
      else reject(new Error(`reading ${path} on a worker thread failed: ${answer.bug}`));
    });
    worker.once('error', (err) => {
      if (!cancelled) reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered && !cancelled) reject(new Error(`the worker thread reading ${path} stopped (exit code ${code}) without an answer`));
    });
  });
  // Handled from the start: a failure that arrives while nobody waits (the model failed first and
  // the read was cancelled after its answer was sent) must not become an unhandled rejection.
  result.catch(() => undefined);
  const counter = new Int32Array(kibRead);
  return {
    result,
    bytesRead: () => Atomics.load(counter, 0) * 1024,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}
