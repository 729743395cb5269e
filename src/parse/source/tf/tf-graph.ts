/**
 * The part of a TensorFlow graph the FakeQuant reader needs, whichever encoding it came from
 * (binary GraphDef in `graphdef.ts`, text GraphDef in `pbtxt.ts`).
 *
 * Field numbers and enum values were read from TensorFlow's public `.proto` files
 * (`tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape,types}.proto`); only
 * the subset used here is named. Tensors are decoded lazily: a frozen graph's weight `Const`s are
 * most of its bytes, and only the small min/max `Const`s of FakeQuant nodes are ever turned into
 * numbers.
 */
import type { Location } from '../../../model.js';

/** `types.proto` DataType values that can hold a range (the `_REF` variants add 100). */
export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DT_INT32 = 3;
export const DT_BFLOAT16 = 14;
export const DT_HALF = 19;

/** DataType names as the text format writes them (`dtype: DT_FLOAT`), for the ones we may meet. */
export const DATA_TYPE_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['DT_INVALID', 0],
  ['DT_FLOAT', DT_FLOAT],
  ['DT_DOUBLE', DT_DOUBLE],
  ['DT_INT32', DT_INT32],
  ['DT_UINT8', 4],
  ['DT_INT16', 5],
  ['DT_INT8', 6],
  ['DT_STRING', 7],
  ['DT_COMPLEX64', 8],
  ['DT_INT64', 9],
  ['DT_BOOL', 10],
  ['DT_QINT8', 11],
  ['DT_QUINT8', 12],
  ['DT_QINT32', 13],
  ['DT_BFLOAT16', DT_BFLOAT16],
  ['DT_QINT16', 15],
  ['DT_QUINT16', 16],
  ['DT_UINT16', 17],
  ['DT_COMPLEX128', 18],
  ['DT_HALF', DT_HALF],
  ['DT_RESOURCE', 20],
  ['DT_VARIANT', 21],
  ['DT_UINT32', 22],
  ['DT_UINT64', 23],
]);

export function dataTypeName(code: number): string {
  const base = code > 100 ? code - 100 : code;
  for (const [name, value] of DATA_TYPE_BY_NAME) {
    if (value === base) return code > 100 ? `${name}_REF` : name;
  }
  return `DataType ${code}`;
}

/** A `TensorProto`, with its payload fields as read (nothing expanded yet). */
export interface TfTensor {
  readonly dtype: number;
  /** Dimension sizes; absent for `unknown_rank`. A scalar has `[]`. */
  readonly shape?: readonly number[];
  readonly content?: Uint8Array;
  readonly floatVal: readonly number[];
  readonly doubleVal: readonly number[];
  readonly intVal: readonly number[];
  /** `half_val`: IEEE half or bfloat16 bit patterns in int32s. */
  readonly halfVal: readonly number[];
}

export type TfAttrValue =
  | { readonly kind: 'i'; readonly value: number }
  | { readonly kind: 'f'; readonly value: number }
  | { readonly kind: 'b'; readonly value: boolean }
  | { readonly kind: 's'; readonly value: string }
  | { readonly kind: 'type'; readonly value: number }
  /** Decoded on demand (weights are big): the tensor, or a sentence saying why it is unreadable. */
  | { readonly kind: 'tensor'; readonly tensor: () => TfTensor | string }
  /** `list`, `shape`, `func`, `placeholder`, or an empty AttrValue: not needed here. */
  | { readonly kind: 'other'; readonly what: string };

export interface TfNode {
  readonly name: string;
  readonly op: string;
  /** As written: `x`, `x:1`, `^ctrl`. */
  readonly inputs: readonly string[];
  readonly attrs: ReadonlyMap<string, TfAttrValue>;
  readonly at: Location;
}

export interface TfGraph {
  readonly nodes: readonly TfNode[];
  /** `versions.producer` (the GraphDef version of the TF that wrote it), when present. */
  readonly producer?: number;
  /** How many functions the `library` holds (FakeQuant nodes inside functions are not read). */
  readonly functionCount: number;
}

/** One input of a node: `name:2` → {node: name, output: 2}; `^name` is a control input. */
export interface TfInputRef {
  readonly node: string;
  readonly output: number;
  readonly control: boolean;
}

/** TF node names cannot contain `:` (`[A-Za-z0-9.][A-Za-z0-9_.\-/>]*`), so the last `:` splits. */
export function parseInputRef(text: string): TfInputRef {
  const control = text.startsWith('^');
  const body = control ? text.slice(1) : text;
  const colon = body.lastIndexOf(':');
  if (colon > 0) {
    const suffix = body.slice(colon + 1);
    if (/^\d{1,9}$/.test(suffix)) return { node: body.slice(0, colon), output: Number(suffix), control };
  }
  return { node: body, output: 0, control };
}

/** The tensor name TF and the SNPE TF converter use: `<node>:<output>` (`add_1:0`). */
export function tensorName(ref: TfInputRef): string {
  return `${ref.node}:${ref.output}`;
}

/** Most elements a range tensor may expand to (a per-channel min/max vector is small). */
const MAX_RANGE_ELEMENTS = 1 << 20;

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function bfloat16(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

/**
 * The tensor's values as numbers, expanded to its shape the way TF does (a repeated `*_val`
 * shorter than the shape repeats its last element; none at all means zeros), or a sentence saying
 * why not.
 */
export function tensorNumbers(t: TfTensor): number[] | string {
  const dtype = t.dtype > 100 ? t.dtype - 100 : t.dtype;
  let count: number | undefined = 1;
  if (t.shape === undefined) count = undefined;
  else {
    for (const d of t.shape) {
      if (d < 0) {
        count = undefined;
        break;
      }
      count *= d;
    }
  }
  if (count !== undefined && count > MAX_RANGE_ELEMENTS) return `the tensor has ${count} elements, more than a range can have`;
  let values: number[];
  if (t.content && t.content.length > 0) {
    const view = new DataView(t.content.buffer, t.content.byteOffset, t.content.length);
    const width = dtype === DT_FLOAT || dtype === DT_INT32 ? 4 : dtype === DT_DOUBLE ? 8 : dtype === DT_HALF || dtype === DT_BFLOAT16 ? 2 : 0;
    if (width === 0) return `tensor_content of type ${dataTypeName(t.dtype)} cannot hold a range`;
    if (t.content.length % width !== 0) return `tensor_content has ${t.content.length} bytes, not a multiple of ${width}`;
    const n = t.content.length / width;
    if (n > MAX_RANGE_ELEMENTS) return `the tensor has ${n} elements, more than a range can have`;
    values = [];
    for (let i = 0; i < n; i++) {
      const at = i * width;
      if (dtype === DT_FLOAT) values.push(view.getFloat32(at, true));
      else if (dtype === DT_INT32) values.push(view.getInt32(at, true));
      else if (dtype === DT_DOUBLE) values.push(view.getFloat64(at, true));
      else if (dtype === DT_HALF) values.push(half(view.getUint16(at, true)));
      else values.push(bfloat16(view.getUint16(at, true)));
    }
    if (count !== undefined && n !== count) return `tensor_content holds ${n} values but the shape says ${count}`;
    return values;
  }
  if (dtype === DT_FLOAT) values = t.floatVal.map(Math.fround);
  else if (dtype === DT_DOUBLE) values = [...t.doubleVal];
  else if (dtype === DT_INT32) values = [...t.intVal];
  else if (dtype === DT_HALF) values = t.halfVal.map(half);
  else if (dtype === DT_BFLOAT16) values = t.halfVal.map(bfloat16);
  else return `a tensor of type ${dataTypeName(t.dtype)} cannot hold a range`;
  if (count === undefined) return values;
  if (values.length > count) return `the tensor holds ${values.length} values but the shape says ${count}`;
  // TF's Tensor::FromProto: no values at all means zero-filled; fewer values repeat the last one.
  if (values.length === 0) return new Array<number>(count).fill(0);
  const last = values[values.length - 1]!;
  while (values.length < count) values.push(last);
  return values;
}
