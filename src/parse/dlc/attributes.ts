/**
 * v3 (`NETD`/`NETP`) attributes: a tagged value in a FlatBuffer table (DLC-BINARY.md "v3").
 * Attribute: slot 0 name, slot 1 type (ubyte); the value sits in the slot chosen by the type:
 * 1 bool→2, 2 int32→3, 3 uint32→4, 4 float32→5, 5 string→6, 7 bytes→8, 8 int32[]→9,
 * 9 float32[]→10, 11 nested [Attribute]→12.
 */
import type { Table } from '../wire/flatbuffer.js';

export type AttrValue =
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int' | 'uint' | 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  /** Raw bytes are never read: only their length. */
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'ints' | 'floats'; readonly values: readonly number[] }
  | { readonly kind: 'nested'; readonly children: readonly Attr[] }
  | { readonly kind: 'unknown'; readonly type: number };

export interface Attr {
  readonly name: string;
  readonly value: AttrValue;
}

/** Nesting deeper than this is refused (a crafted file could nest without end). */
const MAX_DEPTH = 16;

export function readAttr(t: Table, depth = 0): Attr {
  const name = t.string(0) ?? '';
  const type = t.u8(1);
  let value: AttrValue;
  switch (type) {
    case 1:
      value = { kind: 'bool', value: t.bool(2) };
      break;
    case 2:
      value = { kind: 'int', value: t.i32(3) };
      break;
    case 3:
      value = { kind: 'uint', value: t.u32(4) };
      break;
    case 4:
      value = { kind: 'float', value: t.f32(5) };
      break;
    case 5:
      value = { kind: 'string', value: t.string(6) ?? '' };
      break;
    case 7:
      value = { kind: 'bytes', length: t.vectorLength(8) };
      break;
    case 8:
      value = { kind: 'ints', values: t.scalars(9, 'i32') };
      break;
    case 9:
      value = { kind: 'floats', values: t.scalars(10, 'f32') };
      break;
    case 11:
      value = depth >= MAX_DEPTH ? { kind: 'nested', children: [] } : { kind: 'nested', children: readAttrs(t, 12, depth + 1) };
      break;
    default:
      value = { kind: 'unknown', type };
  }
  return { name, value };
}

export function readAttrs(t: Table, slot: number, depth = 0): Attr[] {
  return t.tables(slot).map((a) => readAttr(a, depth));
}

export function findAttr(attrs: readonly Attr[], name: string): Attr | undefined {
  return attrs.find((a) => a.name === name);
}

export function children(a: Attr | undefined): readonly Attr[] {
  return a?.value.kind === 'nested' ? a.value.children : [];
}

/** A number from an int/uint/float attribute; `fallback` (FlatBuffers default 0) when absent. */
export function numberOf(a: Attr | undefined, fallback = 0): number {
  if (!a) return fallback;
  const v = a.value;
  return v.kind === 'int' || v.kind === 'uint' || v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : fallback;
}

/** Short text of an attribute value for op parameter lists. */
export function attrText(v: AttrValue): string {
  switch (v.kind) {
    case 'bool':
      return String(v.value);
    case 'int':
    case 'uint':
    case 'float':
      return String(v.value);
    case 'string':
      return v.value;
    case 'bytes':
      return `<${v.length} bytes>`;
    case 'ints':
    case 'floats':
      return v.values.length > 16 ? `[${v.values.slice(0, 16).join(', ')}, … (${v.values.length})]` : `[${v.values.join(', ')}]`;
    case 'nested': {
      const isArray = v.children.every((c, i) => c.name === String(i));
      const inner = v.children.slice(0, 16).map((c) => (isArray ? attrText(c.value) : `${c.name}: ${attrText(c.value)}`));
      if (v.children.length > 16) inner.push(`… (${v.children.length})`);
      return isArray ? `[${inner.join(', ')}]` : `{${inner.join(', ')}}`;
    }
    case 'unknown':
      return `<type ${v.type}>`;
  }
}
