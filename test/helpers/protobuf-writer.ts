/**
 * A tiny protobuf wire-format writer for tests, plus TensorFlow GraphDef builders on top of it
 * (same field numbers as `src/parse/source/tf/graphdef.ts`). Tests build the graphs they need instead
 * of shipping binary fixtures.
 */

export type Bytes = Uint8Array;

export function concat(...parts: readonly Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A varint; negative numbers as 10-byte two's complement, as protobuf writes int64/int32. */
export function varint(value: number | bigint): Bytes {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

const tag = (field: number, wireType: number): Bytes => varint(field * 8 + wireType);

export const pb = {
  varint: (field: number, value: number | bigint | boolean): Bytes =>
    concat(tag(field, 0), varint(typeof value === 'boolean' ? (value ? 1 : 0) : value)),
  bytes: (field: number, bytes: Bytes): Bytes => concat(tag(field, 2), varint(bytes.length), bytes),
  string: (field: number, text: string): Bytes => pb.bytes(field, new TextEncoder().encode(text)),
  message: (field: number, ...parts: Bytes[]): Bytes => pb.bytes(field, concat(...parts)),
  float: (field: number, value: number): Bytes => concat(tag(field, 5), float32Bytes([value])),
  double: (field: number, value: number): Bytes => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return concat(tag(field, 1), b);
  },
  packedFloats: (field: number, values: readonly number[]): Bytes => pb.bytes(field, float32Bytes(values)),
};

export function float32Bytes(values: readonly number[]): Bytes {
  const b = new Uint8Array(values.length * 4);
  const view = new DataView(b.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return b;
}

// ---------------------------------------------------------------------------------------------
// TensorFlow GraphDef builders
// ---------------------------------------------------------------------------------------------

export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;

/** How a float tensor stores its values: all three are what real TF writers produce. */
export type FloatStorage = 'tensor_content' | 'float_val' | 'float_val_unpacked';

/** A TensorProto (float32 unless `dtype` says otherwise). */
export function floatTensor(values: readonly number[], shape: readonly number[], storage: FloatStorage = 'float_val'): Bytes {
  const dims = shape.map((size) => pb.message(2, pb.varint(1, size)));
  const payload =
    storage === 'tensor_content'
      ? pb.bytes(4, float32Bytes(values))
      : storage === 'float_val'
        ? pb.packedFloats(5, values)
        : concat(...values.map((v) => pb.float(5, v)));
  return concat(pb.varint(1, DT_FLOAT), pb.message(2, ...dims), payload);
}

/** AttrValue messages. */
export const attr = {
  i: (value: number): Bytes => pb.varint(3, value),
  f: (value: number): Bytes => pb.float(4, value),
  b: (value: boolean): Bytes => pb.varint(5, value),
  s: (value: string): Bytes => pb.string(2, value),
  type: (value: number): Bytes => pb.varint(6, value),
  tensor: (tensor: Bytes): Bytes => pb.message(8, tensor),
};

export interface NodeSpec {
  readonly name: string;
  readonly op: string;
  readonly inputs?: readonly string[];
  readonly attrs?: ReadonlyArray<readonly [string, Bytes]>;
}

/** A NodeDef as GraphDef field 1. */
export function node(spec: NodeSpec): Bytes {
  return pb.message(
    1,
    pb.string(1, spec.name),
    pb.string(2, spec.op),
    ...(spec.inputs ?? []).map((i) => pb.string(3, i)),
    ...(spec.attrs ?? []).map(([key, value]) => pb.message(5, pb.string(1, key), pb.bytes(2, value))),
  );
}

/** A GraphDef from nodes (and a `versions { producer }` like every real TF writer adds). */
export function graphDef(...nodes: readonly NodeSpec[]): Bytes {
  return concat(...nodes.map(node), pb.message(4, pb.varint(1, 27)));
}

/** A scalar or vector float Const node. */
export function constNode(name: string, values: readonly number[], shape: readonly number[] = [], storage?: FloatStorage): NodeSpec {
  return {
    name,
    op: 'Const',
    attrs: [
      ['dtype', attr.type(DT_FLOAT)],
      ['value', attr.tensor(floatTensor(values, shape, storage))],
    ],
  };
}

export function identity(name: string, input: string): NodeSpec {
  return { name, op: 'Identity', inputs: [input], attrs: [['T', attr.type(DT_FLOAT)]] };
}
