/**
 * The source side's JSON and CSV readers: recognise the format by the file's shape (ENCODINGS.md
 * §1), read it into one normalised SourceSet, and refuse files that are something else with a
 * sentence saying what to pass instead.
 *
 * One pass over the bytes: the big outer levels (`activation_encodings`, the 1.0.0 lists, the
 * AdaRound top level) are walked with the pull reader and only one entry at a time is built as a
 * tree, so a 100 MB per-channel file costs its bytes plus the entries, not a full DOM. The format
 * is settled at the end, because `version` comes last in AIMET's files (keys are sorted).
 */
import { InputError, type InputFile, type Location, type SourceFormat, type SourceSet } from '../../model.js';
import { JsonArray, JsonObject, JsonReader, jsonPointer, jsonTypeOf, type JsonByteSource, type JsonKind, type JsonValue } from '../wire/json.js';
import { readLegacyEntry } from './aimet-legacy.js';
import { readV1Entry } from './aimet-v1.js';
import { readV2Entry } from './aimet-v2.js';
import { SourceBuilder } from './common.js';
import { isRangeObject, readRangeCsvLines, readRangeJsonEntry } from './ranges.js';

/**
 * Above this size the run could not stay within its memory budget, so it stops with a sentence
 * instead of a crash. JSON sources now stream through a window (JsonReader), so the file itself is
 * no longer held; what remains is the SourceSet, about 0.45 × the file for per-channel overrides
 * (45 MB for the 106 MB bench file). The limit and its message (which still says "read whole")
 * are kept as they were: raising them is a separate decision.
 */
export const MAX_JSON_SOURCE_BYTES = 256 * 1024 * 1024;

/** Top-level keys AIMET writes beside the encodings: accepted, listed in `ignoredKeys`. */
const ACCEPTED_TOP_KEYS: ReadonlySet<string> = new Set(['quantizer_args', 'excluded_layers', 'producer']);
/** Top-level keys of a QNN `<model>_net.json` (qnn-onnx-converter output). */
const NET_JSON_KEYS: ReadonlySet<string> = new Set(['converter_command', 'model.cpp', 'model.bin', 'op_types', 'copyright_str']);
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(['0.4.0', '0.5.0', '0.6.1']);

const ENCODING_KEYS = ['bitwidth', 'dtype', 'is_symmetric', 'min', 'max', 'scale', 'offset'];

/** `[{"bitwidth": 8, …}, …]`: a legacy encoding list (AdaRound's top level, the QNN doc extracts). */
function looksLikeEncodingList(value: JsonValue): boolean {
  if (!(value instanceof JsonArray)) return false;
  const first = value.items[0];
  return first instanceof JsonObject && ENCODING_KEYS.some((k) => first.has(k));
}

/** Reads a list when its first element looks like an encoding; otherwise skips it (undefined). */
function readListIfEncodings(reader: JsonReader): JsonArray | undefined {
  const list = new JsonArray(reader.line, reader.column);
  reader.beginArray();
  if (!reader.nextItem()) return list;
  const first = reader.readValue();
  list.items.push(first);
  if (looksLikeEncodingList(list)) {
    while (reader.nextItem()) list.items.push(reader.readValue());
    return list;
  }
  while (reader.nextItem()) reader.skipValue();
  return undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

export function readJsonSource(input: InputFile): SourceSet {
  if (input.size > MAX_JSON_SOURCE_BYTES) {
    throw new InputError(
      'UNREADABLE',
      `${input.name}: ${megabytes(input.size)} is too large for an encodings JSON (read whole; the limit is ${megabytes(MAX_JSON_SOURCE_BYTES)}): is this really an overrides file? Split it, or verify a subset`,
      { file: input.name },
    );
  }
  // Streamed through a window of the file (JsonReader): never the whole file in memory.
  return readJsonSourceFrom(input, input.name);
}

export function readRangeCsv(input: InputFile): SourceSet {
  return readRangeCsvLines(input.lines(), input.name);
}

function wrongShape(file: string, key: string, line: number, kind: JsonKind, expected: string): never {
  throw new InputError(
    'BAD_SOURCE',
    `${file}:${line}: ${jsonPointer([key])} should be ${expected}, got ${kind === 'array' ? 'a list' : kind === 'object' ? 'an object' : `a ${kind}`}`,
    { file, line, pointer: jsonPointer([key]) },
  );
}

/** Reads an encodings/overrides/range JSON from its bytes. */
export function readJsonSourceBytes(bytes: Uint8Array, file: string): SourceSet {
  return readJsonSourceFrom(bytes, file);
}

function readJsonSourceFrom(input: Uint8Array | JsonByteSource, file: string): SourceSet {
  const reader = new JsonReader(input, file, { nonFinite: 'accept' });
  const top = reader.peek();
  if (top === 'end') throw new InputError('EMPTY_INPUT', `${file}: the file is empty: expected an encodings JSON`, { file });
  if (top !== 'object') {
    const line = reader.line;
    // Validate first: a syntax error is the better message.
    reader.skipValue();
    reader.expectEnd();
    throw new InputError(
      'BAD_SOURCE',
      `${file}:${line}: the top level is ${top === 'array' ? 'a list' : `a ${top}`}: expected an object with activation_encodings/param_encodings (AIMET) or encodings (AIMET 2.x)`,
      { file, line, pointer: '' },
    );
  }

  const main = new SourceBuilder(file);
  // Keys outside the AIMET sections: AdaRound `{param: [enc]}` or range `{name: {min, max}}`.
  const adaround = new SourceBuilder(file);
  const ranges = new SourceBuilder(file);
  const others: { key: string; at: Location; type: string }[] = [];
  const shapes = new Set<'legacy' | '1.0.0'>();
  let sawEncodingsList = false;
  let sawSection = false;
  const lpbqObjects: Location[] = [];
  let version: string | undefined;
  let versionAt: Location | undefined;

  reader.beginObject();
  for (let key = reader.nextMember(); key !== undefined; key = reader.nextMember()) {
    const keyLine = reader.keyLine;
    if (key === 'schemaVersion') {
      throw new InputError(
        'WRONG_FILE',
        `${file}: this is a saved dlcverify result (it has "schemaVersion"), not an encodings file: pass the overrides JSON that was given to the converter (to compare two results, use dlcverify diff)`,
        { file, line: keyLine },
      );
    }
    if (NET_JSON_KEYS.has(key)) {
      throw new InputError(
        'WRONG_FILE',
        `${file}: this is a QNN converter output (<model>_net.json, it has "${key}"), not an encodings file: pass it as the first argument (the model side)`,
        { file, line: keyLine },
      );
    }
    if (key === 'activation_encodings' || key === 'param_encodings') {
      const section = key === 'activation_encodings' ? 'activation' : 'param';
      const kind = reader.peek();
      sawSection = true;
      if (kind === 'object') {
        reader.beginObject();
        for (let name = reader.nextMember(); name !== undefined; name = reader.nextMember()) {
          // Only a non-empty section tells the shape: `"param_encodings": []` beside a legacy
          // object (or `{}` beside 1.0.0 lists) says nothing.
          shapes.add('legacy');
          const line = reader.keyLine;
          const value = reader.readValue();
          if (value instanceof JsonObject && (value.has('output') || value.has('input')) && !value.has('bitwidth')) {
            throw new InputError(
              'WRONG_FILE',
              `${file}:${line}: this is an AIMET *_torch.encodings file (encodings per module, "${name}": {"${value.has('output') ? 'output' : 'input'}": {"0": …}}), which the converter does not read: pass the .encodings file exported next to it`,
              { file, line, pointer: jsonPointer([key, name]) },
            );
          }
          readLegacyEntry(main, name, section, value, [key, name], line, key, `/${key}/*/*`);
        }
      } else if (kind === 'array') {
        reader.beginArray();
        for (let i = 0; reader.nextItem(); i++) {
          shapes.add('1.0.0');
          const line = reader.line;
          readV1Entry(main, reader.readValue(), section, [key, i], line, key, `/${key}/*`);
        }
      } else if (kind === 'null') {
        reader.skipValue();
      } else {
        wrongShape(file, key, keyLine, kind, 'an object of tensor names (legacy) or a list of encodings (1.0.0)');
      }
      continue;
    }
    if (key === 'encodings') {
      const kind = reader.peek();
      if (kind !== 'array') wrongShape(file, key, keyLine, kind, 'a list of encodings (AIMET 2.x)');
      sawEncodingsList = true;
      reader.beginArray();
      for (let i = 0; reader.nextItem(); i++) {
        const line = reader.line;
        const item = reader.readValue();
        const { lpbqObject } = readV2Entry(main, item, ['encodings', i], line);
        if (lpbqObject) lpbqObjects.push(main.at(['encodings', i], line));
      }
      continue;
    }
    if (key === 'version') {
      const value = reader.readValue();
      versionAt = { file, line: keyLine, pointer: '/version' };
      if (typeof value === 'string' || typeof value === 'number') version = String(value);
      else main.report('SOURCE_BAD_VALUE', `"version" should be a string such as "0.6.1", got ${jsonTypeOf(value)}: ignored`, versionAt);
      continue;
    }
    if (ACCEPTED_TOP_KEYS.has(key)) {
      reader.skipValue();
      main.ignoreKey(key);
      adaround.ignoreKey(key);
      ranges.ignoreKey(key);
      continue;
    }
    // Anything else: an AdaRound param entry, a range entry, or an unknown key. A list is built
    // only when its first element looks like an encoding (a big unrelated list is skipped).
    const at = { file, line: keyLine, pointer: jsonPointer([key]) };
    const kind = reader.peek();
    if (kind !== 'array' && kind !== 'object') {
      reader.skipValue();
      others.push({ key, at, type: kind === 'end' ? 'nothing' : `a ${kind}` });
      continue;
    }
    const value = kind === 'array' ? readListIfEncodings(reader) : reader.readValue();
    if (value === undefined) {
      others.push({ key, at, type: 'a list' });
    } else if (looksLikeEncodingList(value)) {
      readLegacyEntry(adaround, key, 'param', value, [key], keyLine, 'the top level (AdaRound param-only)', '/*/*');
      others.push({ key, at, type: 'adaround' });
    } else if (isRangeObject(value)) {
      readRangeJsonEntry(ranges, key, value, keyLine);
      others.push({ key, at, type: 'range' });
    } else {
      others.push({ key, at, type: jsonTypeOf(value) });
    }
  }
  reader.expectEnd();

  const unknownOthers = (builder: SourceBuilder, except: string | undefined): void => {
    for (const o of others) if (o.type !== except) builder.unknownKey(jsonPointer([o.key]), o.at);
  };

  // Both sections empty: the version decides (1.0.0, or legacy).
  if (sawSection && shapes.size === 0) shapes.add(version === '1.0.0' ? '1.0.0' : 'legacy');
  if (shapes.size > 0 || sawEncodingsList) {
    unknownOthers(main, undefined);
    let format: SourceFormat;
    if (sawEncodingsList) {
      format = version === '2.1.0' ? 'aimet-2.1.0' : 'aimet-2.0.0';
      if (version !== '2.0.0' && version !== '2.1.0') {
        main.report(
          'SOURCE_UNKNOWN_VERSION',
          version === undefined ? 'an "encodings" list without "version": read as 2.0.0' : `version "${version}" with an "encodings" list: read as 2.0.0`,
          versionAt ?? { file },
        );
      }
      if (version !== '2.1.0') {
        for (const at of lpbqObjects) main.report('SOURCE_BAD_VALUE', `y_scale is an LPBQ object, a 2.1.0 form, in a ${version ?? 'version-less'} file: read anyway`, at);
      }
    } else if (shapes.has('1.0.0')) {
      format = 'aimet-1.0.0';
      if (shapes.has('legacy')) {
        main.report('SOURCE_BAD_VALUE', 'one section is a list (1.0.0) and the other an object (legacy): each was read by its shape', { file });
      }
      if (version !== '1.0.0') {
        main.report('SOURCE_UNKNOWN_VERSION', `sections are lists (the 1.0.0 shape) but version is ${version === undefined ? 'missing' : `"${version}"`}: read as 1.0.0`, versionAt ?? { file });
      }
    } else {
      format = 'aimet-legacy';
      if (version !== undefined && !LEGACY_VERSIONS.has(version)) {
        main.report('SOURCE_UNKNOWN_VERSION', `version "${version}" with object sections: read as legacy (0.6.1 and earlier)`, versionAt ?? { file });
      }
    }
    return main.finish(format, version);
  }
  const adaroundCount = others.filter((o) => o.type === 'adaround').length;
  const rangeCount = others.filter((o) => o.type === 'range').length;
  if (adaroundCount > 0 && adaroundCount >= rangeCount) {
    unknownOthers(adaround, 'adaround');
    return adaround.finish('adaround-params', version);
  }
  if (rangeCount > 0) {
    unknownOthers(ranges, 'range');
    return ranges.finish('range-json', version);
  }
  const keys = others.map((o) => o.key);
  if (version !== undefined) keys.push('version');
  throw new InputError(
    'BAD_SOURCE',
    `${file}: no encodings found: expected activation_encodings/param_encodings (AIMET), encodings (AIMET 2.x), {"tensor": [encoding]} (AdaRound) or {"tensor": {"min", "max"}} (range file); the top-level keys are ${keys.length === 0 ? 'none' : keys.slice(0, 8).map((k) => `"${k}"`).join(', ') + (keys.length > 8 ? ', …' : '')}`,
    { file },
  );
}
