/**
 * AIMET 2.0.0 / 2.1.0 entries (for qairt-converter): one `encodings` list of
 *
 *     {"name": "conv.weight", "output_dtype": "int8", "y_scale": [0.01, 0.02], "y_zero_point": [0, 0], "axis": 0}
 *
 * in the ONNX convention q = round(x/scale) + zp. The QNN offset is −zp for unsigned dtypes and
 * −zp − 2^(bw−1) for signed ones; an omitted zero point is 0; the bitwidth comes from
 * `output_dtype`. fp16 tensors are simply absent from these files. `y_scale` is a number
 * (per-tensor), a list (per-channel along `axis`), or a nested list (per-block, read row-major);
 * 2.1.0 writes LPBQ as `{"x": [[int…]…], "x_scale": [float…], "axis": n}`.
 *
 * No real 2.x export has been found (PROVENANCE.md): this follows ENCODINGS.md §1 and is pinned
 * by constructed fixtures only.
 */
import type { EncodingLayout, SourceEntry, SourceGrid } from '../../model.js';
import { JsonArray, JsonObject, jsonTypeOf, type JsonValue } from '../wire/json.js';
import { FieldReader, grid, looksLikeParam, type SourceBuilder } from './common.js';

const V2_KEYS: ReadonlySet<string> = new Set(['name', 'output_dtype', 'y_scale', 'y_zero_point', 'axis', 'block_size']);

/** `int8` → signed 8 bits; `uint16` → unsigned 16; `float16` → float. */
function parseDtype(text: string): { dtype: 'int' | 'float'; signed: boolean; bitwidth: number } | undefined {
  const m = /^(u?)int(\d{1,2})$/i.exec(text.trim());
  if (m) return { dtype: 'int', signed: m[1] === '', bitwidth: Number(m[2]) };
  const f = /^float(\d{2})$/i.exec(text.trim());
  if (f) return { dtype: 'float', signed: true, bitwidth: Number(f[1]) };
  return undefined;
}

/** A number, a list of numbers, or a list of lists, flattened row-major with its shape. */
function flatten(value: JsonValue | undefined): { values: number[]; rows: number; cols: number } | string {
  if (typeof value === 'number') return Number.isFinite(value) ? { values: [value], rows: 0, cols: 0 } : `${value} is not finite`;
  if (!(value instanceof JsonArray)) return `got ${jsonTypeOf(value)}`;
  const values: number[] = [];
  let cols = 0;
  let nested = false;
  for (let i = 0; i < value.items.length; i++) {
    const item = value.items[i];
    if (typeof item === 'number') {
      if (nested) return 'mixes numbers and lists';
      if (!Number.isFinite(item)) return `element ${i} is ${item}`;
      values.push(item);
    } else if (item instanceof JsonArray) {
      if (i > 0 && !nested) return 'mixes numbers and lists';
      nested = true;
      if (i === 0) cols = item.items.length;
      else if (item.items.length !== cols) return `row ${i} has ${item.items.length} values, row 0 has ${cols}`;
      for (const x of item.items) {
        if (typeof x !== 'number' || !Number.isFinite(x)) return `row ${i} holds ${typeof x === 'number' ? x : jsonTypeOf(x)}`;
        values.push(x);
      }
    } else {
      return `element ${i} is ${jsonTypeOf(item)}`;
    }
  }
  return nested ? { values, rows: value.items.length, cols } : { values, rows: values.length, cols: 0 };
}

export function readV2Entry(
  builder: SourceBuilder,
  item: JsonValue,
  segments: readonly (string | number)[],
  line: number,
): { lpbqObject: boolean } {
  const index = String(segments.at(-1));
  if (!(item instanceof JsonObject)) {
    builder.report('SOURCE_BAD_VALUE', `encodings element ${index}: expected an encoding object, got ${jsonTypeOf(item)}: skipped`, builder.at(segments, line));
    return { lpbqObject: false };
  }
  const anonymous = new FieldReader(builder, item, segments, `encodings[${index}]`);
  const name = anonymous.string('name');
  if (name === undefined) {
    builder.report('SOURCE_BAD_VALUE', `encodings element ${index} has no "name": skipped`, anonymous.at());
    return { lpbqObject: false };
  }
  const f = new FieldReader(builder, item, segments, `"${name}"`);
  f.reportDuplicateKeys();
  f.unknownKeys(V2_KEYS, '/encodings/*');
  const dtypeText = f.string('output_dtype');
  const parsed = dtypeText === undefined ? undefined : parseDtype(dtypeText);
  if (dtypeText === undefined) f.bad('output_dtype', 'is missing: bitwidth unknown, read as unsigned');
  else if (parsed === undefined) f.bad('output_dtype', `is "${dtypeText}", expected int4/uint8/int8/uint16/int16/int32/…: bitwidth unknown`);
  const bitwidth = parsed?.bitwidth;
  const signed = parsed?.signed ?? false;
  const axis = f.integer('axis', -8, 8);
  const blockSize = f.integer('block_size', 1, 2 ** 31);
  const scaleValue = f.raw('y_scale');
  const at = builder.at(segments, item.line);

  let layout: EncodingLayout = 'per-tensor';
  let scales: number[] = [];
  let layoutInfo: Map<string, number> | undefined;
  let channelsOf = 0;
  if (scaleValue instanceof JsonObject) {
    // 2.1.0 LPBQ: per-channel float scales `x_scale` times integer per-block scales `x`.
    layout = 'lpbq';
    const lf = new FieldReader(builder, scaleValue, [...segments, 'y_scale'], `"${name}" y_scale`);
    const xs = flatten(lf.raw('x_scale'));
    const x = flatten(lf.raw('x'));
    if (typeof xs === 'string') lf.bad('x_scale', `should be a list of numbers: ${xs}`);
    else scales = xs.values;
    layoutInfo = new Map();
    if (typeof x !== 'string') {
      layoutInfo.set('blocks', x.cols > 0 ? x.cols : x.values.length);
      layoutInfo.set('x.length', x.values.length);
    } else lf.bad('x', `should be a nested list of integers: ${x}`);
    const lpbqAxis = lf.integer('axis', -8, 8);
    if (lpbqAxis !== undefined) layoutInfo.set('scale_axis', lpbqAxis);
    if (blockSize !== undefined) layoutInfo.set('block_size', blockSize);
  } else if (scaleValue !== undefined) {
    const flat = flatten(scaleValue);
    if (typeof flat === 'string') {
      f.bad('y_scale', `should be a number, a list or a nested list of numbers: ${flat}: entry skipped`);
      return { lpbqObject: false };
    }
    scales = flat.values;
    if (flat.cols > 0) {
      layout = 'per-block';
      channelsOf = flat.cols;
      layoutInfo = new Map([
        ['channels', flat.rows],
        ['blocks', flat.cols],
      ]);
      if (blockSize !== undefined) layoutInfo.set('block_size', blockSize);
    } else if (scaleValue instanceof JsonArray) {
      layout = scales.length === 1 && axis === undefined ? 'per-tensor' : 'per-channel';
    }
  }

  // Zero points: same shape as the scales, or omitted (0).
  let zeroPoints: number[] | undefined;
  const zpValue = f.raw('y_zero_point');
  if (zpValue !== undefined && zpValue !== null) {
    const flat = flatten(zpValue);
    if (typeof flat === 'string') f.bad('y_zero_point', `should be a number or list of numbers: ${flat}: read as 0`);
    else if (flat.values.length !== scales.length && !(flat.values.length === 1 && layout === 'lpbq')) {
      f.bad('y_zero_point', `has ${flat.values.length} values but y_scale has ${scales.length}: read as 0`);
    } else zeroPoints = flat.values;
  }
  const signedShift = signed && bitwidth !== undefined ? 2 ** (bitwidth - 1) : 0;
  const grids: SourceGrid[] = scales.map((scale, i) => {
    const zp = zeroPoints?.[zeroPoints.length === 1 ? 0 : i] ?? 0;
    // -0 would print as "-0": a zero offset is 0.
    const offset = -zp - signedShift || 0;
    return grid(layout === 'per-tensor' ? undefined : i, undefined, undefined, scale, offset);
  });
  if (layout === 'per-block' || layout === 'lpbq') {
    builder.report(
      'SOURCE_EXPERIMENTAL',
      `"${name}" is ${layout === 'lpbq' ? 'LPBQ' : 'per-block'}: read and carried (${grids.length} scale(s)${channelsOf ? `, ${channelsOf} per row` : ''}) but not compared`,
      at,
    );
  }
  const entry: SourceEntry = {
    name,
    // 2.x does not say; params are named initializers, activations everything else.
    section: guessSection(name),
    dtype: parsed?.dtype ?? 'int',
    ...(bitwidth !== undefined ? { bitwidth } : {}),
    layout,
    ...(axis !== undefined ? { axis } : {}),
    grids,
    ...(layoutInfo !== undefined ? { layoutInfo } : {}),
    at,
  };
  builder.add(entry, 'encodings');
  return { lpbqObject: scaleValue instanceof JsonObject };
}

function guessSection(name: string): 'activation' | 'param' {
  return looksLikeParam(name) ? 'param' : 'activation';
}
