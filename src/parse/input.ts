/**
 * InputFile from bytes in memory (library users and tests). io.ts makes them from paths.
 */
import type { InputFile } from '../model.js';

const HEAD_BYTES = 64 * 1024;

export function inputFromBytes(name: string, bytes: Uint8Array): InputFile {
  return {
    name,
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    lines: () => splitLines(new TextDecoder().decode(bytes)),
    bytes: () => bytes,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    readInto: (target, targetOffset, length, offset) => {
      const part = bytes.subarray(offset, Math.min(bytes.length, offset + length));
      target.set(part, targetOffset);
      return part.length;
    },
  };
}

export function inputFromText(name: string, text: string): InputFile {
  return inputFromBytes(name, new TextEncoder().encode(text));
}

/** Lines split on `\n` with `\r` kept, as io.ts streams them. */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    yield text.slice(start, nl);
    start = nl + 1;
  }
  if (start < text.length) yield text.slice(start);
}
