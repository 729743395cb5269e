/**
 * AIMET legacy entries (no `version`, 0.4.0, 0.5.0, 0.6.1; also AdaRound's param-only files and
 * the hand-written files of MQBench, PPQ, Dipoorlet, mgeconvert and Qualcomm's docs):
 *
 *     "conv1.weight": [ {"bitwidth": 8, "dtype": "int", "is_symmetric": "True",
 *                        "max": 0.47, "min": -0.47, "offset": -128, "scale": 0.0037}, … ]
 *
 * A list of more than one encoding is per-channel (one per output channel; the converter puts
 * them on axis 3, which the file does not say, so no axis is recorded). Every field may be
 * missing; what is given is kept exactly, including float (`-128.0`) and positive offsets.
 */
import type { SourceEntry, SourceGrid } from '../../model.js';
import { JsonArray, JsonObject, jsonTypeOf, type JsonValue } from '../wire/json.js';
import { FieldReader, grid, type Section, type SourceBuilder } from './common.js';

const LEGACY_KEYS: ReadonlySet<string> = new Set(['bitwidth', 'dtype', 'is_symmetric', 'min', 'max', 'scale', 'offset']);

/**
 * Reads one `"name": [enc, …]` member into the builder. `segments` is the JSON pointer of the
 * member (`['param_encodings', 'conv1.weight']`); `pattern` names the place for unknown keys.
 */
export function readLegacyEntry(
  builder: SourceBuilder,
  name: string,
  section: Section,
  value: JsonValue,
  segments: readonly (string | number)[],
  line: number,
  sectionLabel: string,
  pattern: string,
): void {
  const at = builder.at(segments, line);
  let channels: readonly JsonValue[];
  if (value instanceof JsonArray) {
    channels = value.items;
  } else if (value instanceof JsonObject) {
    // Hand-written files sometimes drop the list around a single encoding; the SDK would not.
    builder.report('SOURCE_BAD_VALUE', `"${name}": expected a list of encodings, got one object: read as a one-element list`, at);
    channels = [value];
  } else {
    builder.report('SOURCE_BAD_VALUE', `"${name}": expected a list of encodings, got ${jsonTypeOf(value)}: entry skipped`, at);
    return;
  }
  if (channels.length === 0) {
    builder.report('SOURCE_BAD_VALUE', `"${name}": the list of encodings is empty: entry skipped`, at);
    return;
  }
  const perChannel = channels.length > 1;
  const grids: SourceGrid[] = [];
  let bitwidth: number | undefined;
  let dtype: 'int' | 'float' = 'int';
  let isSymmetric: boolean | undefined;
  let disagreement: string | undefined;
  let objects = 0;
  const label = (c: number | undefined): string => `"${name}"${perChannel ? ` channel ${c}` : ''}`;
  for (let c = 0; c < channels.length; c++) {
    const enc = channels[c];
    if (!(enc instanceof JsonObject)) {
      builder.report('SOURCE_BAD_VALUE', `"${name}" channel ${c}: expected an encoding object, got ${jsonTypeOf(enc)}: channel skipped`, builder.at([...segments, c], line));
      continue;
    }
    objects++;
    const f = new FieldReader(builder, enc, segments, label, c);
    f.reportDuplicateKeys();
    f.unknownKeys(LEGACY_KEYS, pattern);
    const bw = f.integer('bitwidth', 1, 64);
    const dt = f.string('dtype');
    let encDtype: 'int' | 'float' = 'int';
    if (dt !== undefined && dt !== 'int') {
      const lower = dt.toLowerCase();
      if (lower === 'float') encDtype = 'float';
      else if (lower !== 'int') f.bad('dtype', `is "${dt}", expected "int" or "float": read as int`);
    }
    const sym = f.boolean('is_symmetric');
    if (objects === 1) {
      bitwidth = bw;
      dtype = encDtype;
      isSymmetric = sym;
    } else if (disagreement === undefined && (bw !== bitwidth || encDtype !== dtype || sym !== isSymmetric)) {
      disagreement = `channel ${c} says bitwidth ${bw}, dtype ${encDtype}, is_symmetric ${sym} but the first channel says ${bitwidth}, ${dtype}, ${isSymmetric}`;
    }
    const min = f.number('min');
    const max = f.number('max');
    const scale = f.number('scale');
    const offset = f.number('offset');
    // `{bitwidth: 8, dtype: "int"}` alone: "quantize at 8 bits, calibrate it"; `{16, "float"}`: fp16.
    if (min === undefined && max === undefined && scale === undefined && offset === undefined) continue;
    grids.push(grid(perChannel ? c : undefined, min, max, scale, offset));
  }
  // Nothing usable (every channel was not an object): already reported channel by channel.
  if (objects === 0) return;
  if (disagreement !== undefined) {
    builder.report('SOURCE_BAD_VALUE', `"${name}": channels disagree (${disagreement}): the first channel is used for the entry`, at);
  }
  const entry: SourceEntry = {
    name,
    section,
    dtype,
    ...(bitwidth !== undefined ? { bitwidth } : {}),
    layout: perChannel ? 'per-channel' : 'per-tensor',
    grids,
    ...(isSymmetric !== undefined ? { isSymmetric } : {}),
    at,
  };
  builder.add(entry, sectionLabel);
}
