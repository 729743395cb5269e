/**
 * Plain range files, for users of frameworks that write no AIMET file:
 *
 *     # ranges from my calibration        (comments and blank lines are skipped)
 *     name,min,max,bitwidth               (header optional; bitwidth column optional)
 *     conv1/Relu:0,0,6.0,8
 *     "name, with comma",-1.5,1.5         (RFC 4180 quoting, "" inside quotes)
 *
 * and the JSON form `{"conv1/Relu:0": {"min": 0, "max": 6, "bitwidth": 8}, …}`.
 *
 * Neither form says whether a name is an activation or a parameter. An entry is a `param` when
 * its name looks like one (`….weight`, `…/kernel:0`, `…/weights/read:0`, `….bias`), otherwise an
 * `activation`: range files are mostly activation ranges from calibration, and the verifier
 * matches by name either way.
 */
import type { SourceEntry, SourceSet } from '../../model.js';
import { JsonObject, type JsonValue } from '../wire/json.js';
import { FieldReader, grid, looksLikeParam, SourceBuilder } from './common.js';

const RANGE_KEYS: ReadonlySet<string> = new Set(['min', 'max', 'bitwidth', 'dtype', 'is_symmetric']);

const HEADER_ALIASES: ReadonlyMap<string, 'name' | 'min' | 'max' | 'bitwidth'> = new Map([
  ['name', 'name'],
  ['tensor', 'name'],
  ['tensor_name', 'name'],
  ['min', 'min'],
  ['max', 'max'],
  ['bitwidth', 'bitwidth'],
  ['bw', 'bitwidth'],
  ['bits', 'bitwidth'],
]);

export function sectionOfRangeName(name: string): 'activation' | 'param' {
  return looksLikeParam(name) ? 'param' : 'activation';
}

/** True when a top-level member looks like a range entry: an object with numeric min and max. */
export function isRangeObject(value: JsonValue): value is JsonObject {
  return value instanceof JsonObject && typeof value.get('min') === 'number' && typeof value.get('max') === 'number';
}

export function readRangeJsonEntry(builder: SourceBuilder, name: string, value: JsonObject, line: number): void {
  const f = new FieldReader(builder, value, [name], `"${name}"`);
  f.reportDuplicateKeys();
  f.unknownKeys(RANGE_KEYS, '/*');
  const min = f.number('min');
  const max = f.number('max');
  const bitwidth = f.integer('bitwidth', 1, 64);
  const dt = f.string('dtype');
  const isSymmetric = f.boolean('is_symmetric');
  const dtype = dt !== undefined && dt.toLowerCase() === 'float' ? 'float' : 'int';
  const entry: SourceEntry = {
    name,
    section: sectionOfRangeName(name),
    dtype,
    ...(bitwidth !== undefined ? { bitwidth } : {}),
    layout: 'per-tensor',
    grids: min === undefined && max === undefined ? [] : [grid(undefined, min, max)],
    ...(isSymmetric !== undefined ? { isSymmetric } : {}),
    at: builder.at([name], line),
  };
  builder.add(entry, 'the range file');
}

/**
 * Splits one CSV line into fields (RFC 4180 quotes). Linear, no regex. Returns a string (the
 * problem) when a quote is not closed.
 */
export function splitCsvLine(line: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return 'a quoted field is not closed';
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
      fields.push(value);
      if (i >= n) return fields;
      if (line[i] !== ',') return `unexpected text after a quoted field: "${line.slice(i, i + 20)}"`;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      fields.push(line.slice(i, end).trim());
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

/** A decimal number as CSV cells hold it (`6`, `-0.5`, `1e-3`, `.5`), or undefined. */
function csvNumber(text: string): number | undefined {
  // `-1.25e-3`: digits, optional point and exponent; each part is entered by a distinct
  // character, so the match is linear (no backtracking between `\d+` and `\d*`).
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

export function readRangeCsvLines(lines: Iterable<string>, file: string): SourceSet {
  const builder = new SourceBuilder(file);
  let lineNo = 0;
  let sawData = false;
  let columns = { name: 0, min: 1, max: 2, bitwidth: 3 };
  let namedColumns = false;
  for (let raw of lines) {
    lineNo++;
    if (lineNo === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const at = { file, line: lineNo };
    const fields = splitCsvLine(line);
    if (typeof fields === 'string') {
      builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: ${fields}: row skipped`, at);
      continue;
    }
    // A header (`name,min,max,bitwidth`, any order; `tensor` and `bw` accepted), only as the first
    // row: a first row whose min/max cells are not numbers.
    if (!sawData) {
      sawData = true;
      if (csvNumber(fields[1] ?? '') === undefined && csvNumber(fields[2] ?? '') === undefined) {
        const header = fields.map((f) => HEADER_ALIASES.get(f.toLowerCase()));
        const name = header.indexOf('name');
        const min = header.indexOf('min');
        const max = header.indexOf('max');
        if (name === -1 || min === -1 || max === -1) {
          builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: a header without name, min and max columns (${fields.join(', ')}): read as name,min,max,bitwidth`, at);
        } else {
          columns = { name, min, max, bitwidth: header.indexOf('bitwidth') };
          namedColumns = true;
          const extra = fields.filter((_, i) => header[i] === undefined);
          for (const column of extra) builder.unknownKey(`column "${column}"`, at);
        }
        continue;
      }
    }
    const name = fields[columns.name];
    const minText = fields[columns.min];
    const maxText = fields[columns.max];
    const bitwidthText = columns.bitwidth === -1 ? undefined : fields[columns.bitwidth];
    if (name === undefined || name === '' || minText === undefined || maxText === undefined) {
      builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: expected name,min,max[,bitwidth], got ${fields.length} field(s): row skipped`, at);
      continue;
    }
    const min = csvNumber(minText);
    const max = csvNumber(maxText);
    if (min === undefined || max === undefined) {
      builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: "${name}": min "${minText}" / max "${maxText}" is not a finite number: row skipped`, at);
      continue;
    }
    let bitwidth: number | undefined;
    if (bitwidthText !== undefined && bitwidthText !== '') {
      const bw = csvNumber(bitwidthText);
      if (bw === undefined || !Number.isInteger(bw) || bw < 1 || bw > 64) {
        builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: "${name}": bitwidth "${bitwidthText}" is not an integer from 1 to 64: ignored`, at);
      } else bitwidth = bw;
    }
    if (fields.length > 4 && !namedColumns) builder.unknownKey('column 5 and beyond', at);
    if (min > max) builder.report('SOURCE_BAD_VALUE', `line ${lineNo}: "${name}": min ${min} is greater than max ${max}`, at);
    builder.add(
      {
        name,
        section: sectionOfRangeName(name),
        dtype: 'int',
        ...(bitwidth !== undefined ? { bitwidth } : {}),
        layout: 'per-tensor',
        grids: [grid(undefined, min, max)],
        at,
      },
      'the range file',
    );
  }
  return builder.finish('range-csv', undefined);
}
