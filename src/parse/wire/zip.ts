/**
 * A small ZIP central-directory reader for .dlc containers.
 *
 * Why our own: DLCs written by the QAIRT IR backend (2.42) have CRC-32 = 0 on every entry, which
 * most zip libraries reject; every DLC uses ZIP64 extra fields; and we want entries read lazily
 * through `InputFile.read` so that `model.params(.bin)` (the weights, up to gigabytes) is never
 * read. Stored and deflated entries are supported (deflate through node:zlib). CRCs are not
 * checked: the FlatBuffer reader checks every offset instead.
 *
 * Every offset and length is checked against the file size; problems throw ZipError, which the
 * caller turns into InputError('BAD_DLC').
 */
import { inflateRawSync } from 'node:zlib';
import type { InputFile } from '../../model.js';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
/** EOCD record (22 bytes) + the longest comment (65535). */
const EOCD_SEARCH = 22 + 0xffff;
/** A `model` larger than this is refused (a FlatBuffer cannot exceed 2 GiB anyway). */
const MAX_ENTRY_BYTES = 0x7fffffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads exactly `length` bytes at `offset`, or throws: the file ends too early. */
function readExact(input: InputFile, offset: number, length: number, what: string): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > input.size) {
    throw new ZipError(`${what} (bytes ${offset}..${offset + length}) lies past the end of the file (${input.size} bytes): the file is truncated`);
  }
  const bytes = input.read(offset, length);
  if (bytes.length !== length) throw new ZipError(`${what} could not be read in full: the file is truncated`);
  return bytes;
}

function u64(dv: DataView, at: number): number {
  const lo = dv.getUint32(at, true);
  const hi = dv.getUint32(at + 4, true);
  if (hi > 0x1fffff) throw new ZipError('a ZIP64 size or offset exceeds 2^53');
  return hi * 0x1_0000_0000 + lo;
}

interface Directory {
  readonly offset: number;
  readonly size: number;
  readonly count: number;
}

function findDirectory(input: InputFile): Directory {
  if (input.size < 22) throw new ZipError('the file is too short to be a zip archive');
  const tailStart = Math.max(0, input.size - EOCD_SEARCH);
  const tail = readExact(input, tailStart, input.size - tailStart, 'the end of the archive');
  const tv = view(tail);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end-of-central-directory record: not a complete zip archive (truncated?)');
  let count = tv.getUint16(eocd + 10, true);
  let size = tv.getUint32(eocd + 12, true);
  let offset = tv.getUint32(eocd + 16, true);
  // ZIP64: a locator sits right before the EOCD; it points at the ZIP64 EOCD record.
  const locatorAt = tailStart + eocd - 20;
  if (locatorAt >= 0) {
    const locator = readExact(input, locatorAt, 20, 'the ZIP64 locator');
    const lv = view(locator);
    if (lv.getUint32(0, true) === SIG_ZIP64_LOCATOR) {
      const recordAt = u64(lv, 8);
      const record = readExact(input, recordAt, 56, 'the ZIP64 end-of-central-directory record');
      const rv = view(record);
      if (rv.getUint32(0, true) !== SIG_ZIP64_EOCD) throw new ZipError('the ZIP64 locator points at no ZIP64 record');
      count = u64(rv, 32);
      size = u64(rv, 40);
      offset = u64(rv, 48);
    }
  }
  if (offset + size > input.size) throw new ZipError('the central directory lies past the end of the file: the file is truncated');
  return { offset, size, count };
}

/** The entries listed in the central directory, in order. */
export function listEntries(input: InputFile): ZipEntry[] {
  const dir = findDirectory(input);
  const bytes = readExact(input, dir.offset, dir.size, 'the central directory');
  const dv = view(bytes);
  const entries: ZipEntry[] = [];
  let pos = 0;
  for (let i = 0; i < dir.count; i++) {
    if (pos + 46 > bytes.length) throw new ZipError(`central directory entry ${i} runs past the directory`);
    if (dv.getUint32(pos, true) !== SIG_CENTRAL) throw new ZipError(`central directory entry ${i} has a bad signature`);
    const method = dv.getUint16(pos + 10, true);
    const crc32 = dv.getUint32(pos + 16, true);
    let compressedSize = dv.getUint32(pos + 20, true);
    let size = dv.getUint32(pos + 24, true);
    const nameLength = dv.getUint16(pos + 28, true);
    const extraLength = dv.getUint16(pos + 30, true);
    const commentLength = dv.getUint16(pos + 32, true);
    let localHeaderOffset = dv.getUint32(pos + 42, true);
    const end = pos + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw new ZipError(`central directory entry ${i} runs past the directory`);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(pos + 46, pos + 46 + nameLength));
    // ZIP64 extended information (header 0x0001): only the fields saturated above are present, in order.
    let extra = pos + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = dv.getUint16(extra, true);
      const length = dv.getUint16(extra + 2, true);
      const dataEnd = extra + 4 + length;
      if (dataEnd > extraEnd) break;
      if (id === 0x0001) {
        let at = extra + 4;
        const take = (): number => {
          if (at + 8 > dataEnd) throw new ZipError(`the ZIP64 extra field of "${name}" is too short`);
          const value = u64(dv, at);
          at += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      extra = dataEnd;
    }
    entries.push({ name, method, compressedSize, size, crc32, localHeaderOffset });
    pos = end;
  }
  return entries;
}

/** The uncompressed bytes of one entry. CRC-32 is not checked (QAIRT 2.42 writes 0). */
export function readEntry(input: InputFile, entry: ZipEntry): Uint8Array {
  const local = readExact(input, entry.localHeaderOffset, 30, `the local header of "${entry.name}"`);
  const lv = view(local);
  if (lv.getUint32(0, true) !== SIG_LOCAL) throw new ZipError(`the local header of "${entry.name}" has a bad signature`);
  const dataAt = entry.localHeaderOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
  if (entry.compressedSize > MAX_ENTRY_BYTES || entry.size > MAX_ENTRY_BYTES) {
    throw new ZipError(`entry "${entry.name}" is larger than 2 GiB`);
  }
  const data = readExact(input, dataAt, entry.compressedSize, `the data of "${entry.name}"`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new ZipError(`stored entry "${entry.name}" has different compressed and uncompressed sizes`);
    return data;
  }
  if (entry.method === 8) {
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (err) {
      throw new ZipError(`deflated entry "${entry.name}" cannot be inflated (${(err as Error).message})`);
    }
    if (out.length !== entry.size) throw new ZipError(`deflated entry "${entry.name}" inflates to ${out.length} bytes, the directory says ${entry.size}`);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }
  throw new ZipError(`entry "${entry.name}" uses compression method ${entry.method} (only stored and deflated are supported)`);
}

/** Random access to part of an entry, read on demand (see flatbuffer.ts `ByteSource`). */
export interface EntrySource {
  readonly length: number;
  read(offset: number, length: number): Uint8Array;
}

/**
 * A stored entry as random access, from `skip` bytes in (nothing is read yet); a deflated entry
 * cannot be read in pieces and is inflated whole. Used for v3 `model.params`, which is mostly
 * weight bytes the reader never touches.
 */
export function openEntry(input: InputFile, entry: ZipEntry, skip: number): EntrySource | Uint8Array {
  if (entry.method !== 0) return readEntry(input, entry).subarray(skip);
  const local = readExact(input, entry.localHeaderOffset, 30, `the local header of "${entry.name}"`);
  const lv = view(local);
  if (lv.getUint32(0, true) !== SIG_LOCAL) throw new ZipError(`the local header of "${entry.name}" has a bad signature`);
  if (entry.compressedSize !== entry.size) throw new ZipError(`stored entry "${entry.name}" has different compressed and uncompressed sizes`);
  const dataAt = entry.localHeaderOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
  if (dataAt + entry.size > input.size) {
    throw new ZipError(`the data of "${entry.name}" (bytes ${dataAt}..${dataAt + entry.size}) lies past the end of the file (${input.size} bytes): the file is truncated`);
  }
  const start = dataAt + Math.min(skip, entry.size);
  const length = entry.size - Math.min(skip, entry.size);
  return { length, read: (offset, size) => readExact(input, start + offset, size, `part of "${entry.name}"`) };
}

/** The first `n` bytes of an entry (its DLC header). */
export function entryHead(input: InputFile, entry: ZipEntry, n: number): Uint8Array {
  const src = openEntry(input, entry, 0);
  return src instanceof Uint8Array ? src.subarray(0, n) : src.read(0, Math.min(n, src.length));
}
