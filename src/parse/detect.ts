/**
 * Recognise an input by its content, never by its extension alone: users rename files, and CI
 * artifacts lose their names. The extension only breaks ties between binary formats that have no
 * magic number (a TensorFlow GraphDef is a bare protobuf).
 */
import type { InputFile } from '../model.js';

export type InputKind =
  /** `snpe-dlc-info` / `qairt-dlc-info` output, text or `-s` CSV (the dump parser tells which). */
  | 'dump'
  /** A zip archive: a .dlc. */
  | 'dlc'
  /** Any JSON document: overrides, range file, QNN `_net.json`, a saved dlcverify result. */
  | 'json'
  /** A TensorFlow GraphDef in protobuf text format. */
  | 'graphdef-text'
  /** Binary that is not a zip: a TensorFlow GraphDef is the only such format we read. */
  | 'graphdef'
  /** Plain `name,min,max[,bitwidth]` lines. */
  | 'range-csv'
  | 'empty'
  | 'unknown';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_MAGIC = [0x50, 0x4b, 0x05, 0x06];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** True when the head looks like text (UTF-8, no NUL, few control characters). */
function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control <= n / 100;
}

export function detectInput(input: Pick<InputFile, 'head' | 'size' | 'name'>): InputKind {
  const { head } = input;
  if (input.size === 0) return 'empty';
  if (startsWith(head, ZIP_MAGIC) || startsWith(head, ZIP_EMPTY_MAGIC)) return 'dlc';
  if (!looksLikeText(head)) {
    return /\.pb$/i.test(input.name) || head[0] === 0x0a ? 'graphdef' : 'unknown';
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.length === 0) return 'empty';
  // `DLC info for: /path`, `DLC info for /path` (1.17), `DLC info of: /path` (2.2x+), at the start
  // of a line (possibly after shell prompt or `[INFO]` lines, possibly inside CSV quotes): a README
  // that mentions `DLC info for:` in a sentence is not a dump.
  if (/^[ \t]*"?DLC info (?:for|of)\b/m.test(text)) return 'dump';
  // A pasted fragment without the header: an op table header row (`| Id  | Name  | Type …`), an
  // I/O table (`| Input Name  | Dimensions …`) or a graph block (`Info of graph: name`).
  if (/^\|\s*(?:Id\s*\|\s*Name\s*\||(?:Input|Output) Name\s*\|)|^Info of graph:/m.test(text)) return 'dump';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  // pbtxt: `node {` at the top level (`node {\n  name: "input"`), or `versions {`/`library {`.
  if (/^\s*(?:#[^\n]*\n\s*)*(?:node|versions|library)\s*\{/.test(text)) return 'graphdef-text';
  // A range CSV: first non-comment line is `name,min,max` or `<name>,<number>,<number>`.
  // (`#` comment lines before it are allowed: range files often start with a note.)
  const firstLine = trimmed.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))?.trim() ?? '';
  if (/^"?name"?\s*,\s*"?min"?\s*,\s*"?max"?/i.test(firstLine)) return 'range-csv';
  if (/^[^,]+,\s*-?[\d.]+(?:e[-+]?\d+)?\s*,\s*-?[\d.]+(?:e[-+]?\d+)?\s*(?:,\s*\d+\s*)?$/i.test(firstLine)) return 'range-csv';
  return 'unknown';
}

/** What each kind is, for "expected X, got Y" messages. */
export const EXPECTED_DLC_SIDE = 'a snpe-dlc-info/qairt-dlc-info dump (text or -s CSV), a .dlc file, or a QNN <model>_net.json';
export const EXPECTED_SOURCE_SIDE =
  'an encodings/overrides JSON (AIMET legacy, 1.0.0, 2.x), a frozen TensorFlow GraphDef (.pb/.pbtxt), or a name,min,max range file';
