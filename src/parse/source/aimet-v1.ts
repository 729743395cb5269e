/**
 * AIMET 1.0.0 entries (AIMET 2.x's default export): the two sections are lists of
 *
 *     {"name": "fc2.weight", "dtype": "INT", "enc_type": "PER_CHANNEL", "bw": 8, "is_sym": true,
 *      "scale": [0.0011, …], "offset": [-128, …]}
 *
 * with no min/max (the verifier derives them; absent stays absent). PER_BLOCK, LPBQ and VECTOR
 * are carried with their extra numbers in `layoutInfo` and a SOURCE_EXPERIMENTAL note: no real
 * file with them has been seen, and a dump cannot show them.
 */
import type { EncodingLayout, SourceEntry, SourceGrid } from '../../model.js';
import { JsonArray, JsonObject, jsonTypeOf, type JsonValue } from '../wire/json.js';
import { FieldReader, grid, type Section, type SourceBuilder } from './common.js';

const V1_KEYS: ReadonlySet<string> = new Set([
  'name',
  'dtype',
  'enc_type',
  'bw',
  'is_sym',
  'scale',
  'offset',
  'block_size',
  'compressed_bw',
  'per_block_int_scale',
  'axis',
  'rows_per_block',
  'cols_per_block',
  'vector_dim',
  'vector_stride',
  'index_bw',
]);

const LAYOUTS: ReadonlyMap<string, EncodingLayout> = new Map([
  ['PER_TENSOR', 'per-tensor'],
  ['PER_CHANNEL', 'per-channel'],
  ['PER_BLOCK', 'per-block'],
  ['LPBQ', 'lpbq'],
  ['VECTOR', 'vector'],
]);

/** A list of numbers, or undefined with a diagnostic. A lone number is read as a list of one. */
function numberList(f: FieldReader, key: string): number[] | undefined {
  const v = f.raw(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return [v];
  if (!(v instanceof JsonArray)) {
    f.bad(key, `should be a list of numbers, got ${jsonTypeOf(v)}: ignored`);
    return undefined;
  }
  const out: number[] = [];
  for (let i = 0; i < v.items.length; i++) {
    const item = v.items[i];
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      f.bad(key, `element ${i} is ${typeof item === 'number' ? item : jsonTypeOf(item)}, not a finite number: list ignored`);
      return undefined;
    }
    out.push(item);
  }
  return out;
}

export function readV1Entry(
  builder: SourceBuilder,
  item: JsonValue,
  section: Section,
  segments: readonly (string | number)[],
  line: number,
  sectionLabel: string,
  pattern: string,
): void {
  if (!(item instanceof JsonObject)) {
    builder.report('SOURCE_BAD_VALUE', `${sectionLabel} element ${String(segments.at(-1))}: expected an encoding object, got ${jsonTypeOf(item)}: skipped`, builder.at(segments, line));
    return;
  }
  const f = new FieldReader(builder, item, segments, `${sectionLabel}[${String(segments.at(-1))}]`);
  const name = f.string('name');
  if (name === undefined) {
    builder.report('SOURCE_BAD_VALUE', `${sectionLabel} element ${String(segments.at(-1))} has no "name": skipped`, f.at());
    return;
  }
  const named = new FieldReader(builder, item, segments, `"${name}"`);
  named.reportDuplicateKeys();
  named.unknownKeys(V1_KEYS, pattern);
  const dt = named.string('dtype');
  let dtype: 'int' | 'float' = 'int';
  if (dt !== undefined) {
    if (dt.toUpperCase() === 'FLOAT') dtype = 'float';
    else if (dt.toUpperCase() !== 'INT') named.bad('dtype', `is "${dt}", expected "INT" or "FLOAT": read as INT`);
  }
  const encType = named.string('enc_type');
  let layout: EncodingLayout = 'per-tensor';
  if (encType !== undefined) {
    const known = LAYOUTS.get(encType.toUpperCase());
    if (known) layout = known;
    else named.bad('enc_type', `is "${encType}", expected PER_TENSOR, PER_CHANNEL, PER_BLOCK, LPBQ or VECTOR: read as PER_TENSOR`);
  }
  const bitwidth = named.integer('bw', 1, 64);
  const isSymmetric = named.boolean('is_sym');
  const axis = named.integer('axis', -8, 8);
  const scales = numberList(named, 'scale');
  const offsets = numberList(named, 'offset');
  const grids: SourceGrid[] = [];
  const count = Math.max(scales?.length ?? 0, offsets?.length ?? 0);
  if (scales && offsets && scales.length !== offsets.length) {
    named.bad('offset', `has ${offsets.length} values but scale has ${scales.length}: the missing ones are absent`);
  }
  if (layout === 'per-tensor' && count > 1) {
    named.bad('scale', `has ${count} values for a PER_TENSOR encoding: read as one per channel`);
    layout = 'per-channel';
  }
  const indexed = layout !== 'per-tensor';
  for (let i = 0; i < count; i++) grids.push(grid(indexed ? i : undefined, undefined, undefined, scales?.[i], offsets?.[i]));

  let layoutInfo: Map<string, number> | undefined;
  if (layout === 'per-block' || layout === 'lpbq' || layout === 'vector') {
    layoutInfo = new Map();
    for (let i = 0; i < item.keys.length; i++) {
      const key = item.keys[i]!;
      const value = item.values[i];
      if (typeof value === 'number' && key !== 'bw' && key !== 'axis') layoutInfo.set(key, value);
      else if (value instanceof JsonArray && key === 'per_block_int_scale') layoutInfo.set('per_block_int_scale.length', value.items.length);
    }
    builder.report(
      'SOURCE_EXPERIMENTAL',
      `"${name}" is ${encType}: read and carried (${grids.length} scale(s)${layoutInfo.size > 0 ? `, ${[...layoutInfo].map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}) but not compared`,
      named.at(),
    );
  }
  const entry: SourceEntry = {
    name,
    section,
    dtype,
    ...(bitwidth !== undefined ? { bitwidth } : {}),
    layout,
    ...(axis !== undefined ? { axis } : {}),
    grids,
    ...(isSymmetric !== undefined ? { isSymmetric } : {}),
    ...(layoutInfo !== undefined ? { layoutInfo } : {}),
    at: builder.at(segments, item.line),
  };
  builder.add(entry, sectionLabel);
}
