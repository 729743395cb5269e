/**
 * The other half of `readSourceAside` (io.ts): a worker thread that reads one source file while
 * the main thread parses the model, so a 200 MB dump and a 100 MB overrides file are read on two
 * cores. Part of the io shell: it opens the file itself, like io.ts.
 *
 * It answers exactly once: the source, the InputError's fields (thrown again as an InputError on
 * the main thread), or a bug's stack. `kibRead[0]` (shared memory) says how far the read has got,
 * for the progress line, which the main thread draws.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InputErrorCode, InputFile, Location } from './model.js';
import type { PackedSourceSet } from './parse/source/transfer.js';

export interface AsideRequest {
  readonly path: string;
  /** One Int32: KiB of the file read so far. */
  readonly kibRead: SharedArrayBuffer;
}

export type AsideAnswer =
  | { readonly source: PackedSourceSet }
  | { readonly inputError: { readonly code: InputErrorCode; readonly message: string; readonly at?: Location } }
  | { readonly bug: string };

/** The input, reporting in `kibRead` the furthest byte read. */
function counted(input: InputFile, kibRead: Int32Array): InputFile {
  const reached = (end: number): void => void Atomics.store(kibRead, 0, Math.floor(end / 1024));
  const readInto = input.readInto;
  return {
    ...input,
    read: (offset, length) => {
      const chunk = input.read(offset, length);
      reached(offset + chunk.length);
      return chunk;
    },
    bytes: () => {
      const bytes = input.bytes();
      reached(bytes.length);
      return bytes;
    },
    ...(readInto === undefined
      ? {}
      : {
          readInto: (target: Uint8Array, targetOffset: number, length: number, offset: number) => {
            const n = readInto(target, targetOffset, length, offset);
            reached(offset + n);
            return n;
          },
        }),
  };
}

async function answer(request: AsideRequest): Promise<{ message: AsideAnswer; transfer: ArrayBuffer[] }> {
  try {
    // Loaded here, not at the top: a failure to load is answered like any other bug.
    const [{ openInput }, { readSource }, { InputError }, { packSourceSet }] = await Promise.all([
      import('./io.js'),
      import('./parse/load.js'),
      import('./model.js'),
      import('./parse/source/transfer.js'),
    ]);
    try {
      const { packed, transfer } = packSourceSet(readSource(counted(openInput(request.path), new Int32Array(request.kibRead))));
      return { message: { source: packed }, transfer };
    } catch (err) {
      if (err instanceof InputError) return { message: { inputError: { code: err.code, message: err.message, ...(err.at === undefined ? {} : { at: err.at }) } }, transfer: [] };
      throw err;
    }
  } catch (err) {
    return { message: { bug: err instanceof Error ? (err.stack ?? err.message) : String(err) }, transfer: [] };
  }
}

const port = parentPort;
if (port !== null) void answer(workerData as AsideRequest).then(({ message, transfer }) => port.postMessage(message, transfer));
