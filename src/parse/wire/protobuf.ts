/**
 * A minimal, bounds-checked protobuf wire-format reader (no schema): enough for TensorFlow
 * GraphDefs and SNPE v2 DLC bodies. Every read checks the buffer end and throws WireError, which
 * callers turn into a clear InputError ("truncated protobuf at byte N").
 */

export class WireError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireError';
    this.offset = offset;
  }
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Varint value (wire type 0), as a number (exact up to 2^53; larger values lose precision). */
  readonly varint?: number;
  /**
   * The same varint read as a two's-complement int64, as `int32`, `int64` and enum fields write
   * negative values (-1 arrives as a 10-byte varint). Exact for |value| < 2^53.
   */
  readonly int64?: number;
  /** Raw bytes for LEN (2), I32 (5), I64 (1). */
  readonly bytes?: Uint8Array;
  /** Offset of the field's tag in the outermost buffer (for messages). */
  readonly offset: number;
}

function readVarint(buf: Uint8Array, pos: number, base: number): [number, number] {
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint', base + pos);
    const b = buf[pos++]!;
    result += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) return [result, pos];
    multiplier *= 128;
  }
  throw new WireError('varint longer than 10 bytes', base + pos);
}

/**
 * The fields of one message, in order. `base` is the message's offset in the outer buffer (for
 * error positions). Throws WireError on truncation or an invalid wire type.
 */
export function* readFields(buf: Uint8Array, base = 0): Generator<WireField> {
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos, base);
    pos = afterTag;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new WireError('field number 0', base + start);
    switch (wireType) {
      case WIRE_VARINT: {
        const [value, next] = readVarint(buf, pos, base);
        const int64 = next - pos === 10 ? signedVarint(buf, pos, next) : value;
        pos = next;
        yield { field, wireType, varint: value, int64, offset: base + start };
        break;
      }
      case WIRE_I64:
      case WIRE_I32: {
        const size = wireType === WIRE_I64 ? 8 : 4;
        if (pos + size > buf.length) throw new WireError('truncated fixed-width field', base + pos);
        yield { field, wireType, bytes: buf.subarray(pos, pos + size), offset: base + start };
        pos += size;
        break;
      }
      case WIRE_LEN: {
        const [length, next] = readVarint(buf, pos, base);
        pos = next;
        if (pos + length > buf.length) throw new WireError(`length ${length} runs past the end`, base + pos);
        yield { field, wireType, bytes: buf.subarray(pos, pos + length), offset: base + pos };
        pos += length;
        break;
      }
      default:
        throw new WireError(`invalid wire type ${wireType}`, base + start);
    }
  }
}

export function fieldFloat32(f: WireField): number {
  if (f.wireType !== WIRE_I32 || !f.bytes) throw new WireError('expected a 32-bit field', f.offset);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
}

export function fieldFloat64(f: WireField): number {
  if (f.wireType !== WIRE_I64 || !f.bytes) throw new WireError('expected a 64-bit field', f.offset);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 8).getFloat64(0, true);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function fieldString(f: WireField): string {
  if (f.wireType !== WIRE_LEN || !f.bytes) throw new WireError('expected a length-delimited field', f.offset);
  return utf8.decode(f.bytes);
}

/** Packed repeated float32 (`repeated float x = N [packed]`). */
export function packedFloat32(f: WireField): number[] {
  if (!f.bytes) return [];
  if (f.bytes.length % 4 !== 0) throw new WireError('packed float32 length not a multiple of 4', f.offset);
  const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length);
  const out: number[] = [];
  for (let i = 0; i < f.bytes.length; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

/** Packed repeated varints. */
export function packedVarints(f: WireField): number[] {
  if (!f.bytes) return [];
  const out: number[] = [];
  let pos = 0;
  while (pos < f.bytes.length) {
    const [v, next] = readVarint(f.bytes, pos, f.offset);
    out.push(v);
    pos = next;
  }
  return out;
}

/** A 10-byte varint (only negative int64s are that long) as an exact two's-complement number. */
function signedVarint(buf: Uint8Array, from: number, to: number): number {
  let value = 0n;
  for (let i = to - 1; i >= from; i--) value = (value << 7n) | BigInt(buf[i]! & 0x7f);
  return Number(BigInt.asIntN(64, value));
}

/** Packed repeated `int32` / `int64` / enum values, negative ones read as two's complement. */
export function packedInt64(f: WireField): number[] {
  if (!f.bytes) return [];
  const out: number[] = [];
  let pos = 0;
  while (pos < f.bytes.length) {
    const [v, next] = readVarint(f.bytes, pos, f.offset);
    out.push(next - pos === 10 ? signedVarint(f.bytes, pos, next) : v);
    pos = next;
  }
  return out;
}

/** Packed repeated float64 (`repeated double x = N [packed]`). */
export function packedFloat64(f: WireField): number[] {
  if (!f.bytes) return [];
  if (f.bytes.length % 8 !== 0) throw new WireError('packed float64 length not a multiple of 8', f.offset);
  const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length);
  const out: number[] = [];
  for (let i = 0; i < f.bytes.length; i += 8) out.push(view.getFloat64(i, true));
  return out;
}
