/**
 * Route an input to its reader by content. Pure: the InputFile hides where bytes come from.
 */
import { InputError, type DlcModel, type InputFile, type SourceSet } from '../model.js';
import { detectInput, EXPECTED_DLC_SIDE, EXPECTED_SOURCE_SIDE, type InputKind } from './detect.js';
import { parseDump } from './dump/index.js';
import { readDlc } from './dlc/index.js';
import { readQnnNetJson } from './qnn/net-json.js';
import { readGraphDef, readGraphDefText } from './source/tf/graphdef.js';
import { readJsonSource, readRangeCsv } from './source/index.js';

function describe(kind: InputKind): string {
  switch (kind) {
    case 'empty':
      return 'the file is empty';
    case 'dump':
      return 'it is a dlc-info dump';
    case 'dlc':
      return 'it is a zip/.dlc file';
    case 'json':
      return 'it is a JSON document';
    case 'graphdef':
      return 'it is binary (read as a TensorFlow GraphDef)';
    case 'graphdef-text':
      return 'it is a TensorFlow text GraphDef';
    case 'range-csv':
      return 'it is a name,min,max range file';
    case 'unknown':
      return 'its content is not recognised';
  }
}

/** Reads the DLC side: a dump (text or CSV), a .dlc, or a QNN `_net.json`. */
export function readModel(input: InputFile): DlcModel {
  const kind = detectInput(input);
  switch (kind) {
    case 'dump':
      return parseDump(input.lines(), input.name);
    case 'dlc':
      return readDlc(input);
    case 'json':
      if (!looksLikeQnnNetJson(input.head)) {
        throw new InputError(
          'WRONG_FILE',
          `${input.name}: expected ${EXPECTED_DLC_SIDE} first, but this JSON is not a QNN net.json; if it is your encodings/overrides file, pass it second: dlcverify <dlc> <source>`,
          { file: input.name },
        );
      }
      return readQnnNetJson(input);
    case 'graphdef':
    case 'graphdef-text':
    case 'range-csv':
      throw new InputError(
        'WRONG_FILE',
        `${input.name}: expected ${EXPECTED_DLC_SIDE} first, but ${describe(kind)}, which is a source: pass it second: dlcverify <dlc> <source>`,
        { file: input.name },
      );
    default:
      throw new InputError(
        kind === 'empty' ? 'EMPTY_INPUT' : 'UNRECOGNISED_INPUT',
        `${input.name}: expected ${EXPECTED_DLC_SIDE}, but ${describe(kind)}`,
        { file: input.name },
      );
  }
}

/** Reads the source side: overrides JSON, range file, or TensorFlow FakeQuant graph. */
export function readSource(input: InputFile): SourceSet {
  const kind = detectInput(input);
  switch (kind) {
    case 'json':
      return readJsonSource(input);
    case 'range-csv':
      return readRangeCsv(input);
    case 'graphdef':
      return readGraphDef(input);
    case 'graphdef-text':
      return readGraphDefText(input);
    case 'dump':
    case 'dlc':
      throw new InputError(
        'WRONG_FILE',
        `${input.name}: expected ${EXPECTED_SOURCE_SIDE} second, but ${describe(kind)}, which is the DLC side: dlcverify <dlc> <source>`,
        { file: input.name },
      );
    default:
      throw new InputError(
        kind === 'empty' ? 'EMPTY_INPUT' : 'UNRECOGNISED_INPUT',
        `${input.name}: expected ${EXPECTED_SOURCE_SIDE}, but ${describe(kind)}`,
        { file: input.name },
      );
  }
}

/**
 * For `show`: which side does this file belong to? A JSON document is a QNN net.json (the model
 * side) when its head carries the converter's top-level keys; anything else is a source. Deciding
 * from the head keeps a 100 MB overrides file from being parsed twice.
 */
export function inputSide(input: InputFile): 'model' | 'source' {
  const kind = detectInput(input);
  if (kind === 'empty' || kind === 'unknown') {
    throw new InputError(
      kind === 'empty' ? 'EMPTY_INPUT' : 'UNRECOGNISED_INPUT',
      `${input.name}: expected ${EXPECTED_DLC_SIDE}, or ${EXPECTED_SOURCE_SIDE}, but ${describe(kind)}`,
      { file: input.name },
    );
  }
  if (kind === 'dump' || kind === 'dlc') return 'model';
  if (kind === 'json') return looksLikeQnnNetJson(input.head) ? 'model' : 'source';
  return 'source';
}

/** `"converter_command"` next to `"model.cpp"`/`"model.bin"`/`"graph"`: what qnn-*-converter writes. */
function looksLikeQnnNetJson(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 16384));
  return /"converter_command"\s*:/.test(text) && /"(?:model\.cpp|model\.bin|graph|op_types)"\s*:/.test(text);
}
