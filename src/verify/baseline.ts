/**
 * Accepted changes for `dlcverify diff`: a baseline file (`--baseline FILE`) and `--waive GLOB[:CODE]`.
 *
 * A baseline is a JSON document (documented in the README, section "dlcverify diff"):
 *
 * ```json
 * {
 *   "maxEncodingSteps": 1,
 *   "accept": [
 *     { "subject": "/model.22/*", "code": "ENCODING_CHANGED", "graph": "yolov8*", "reason": "head recalibrated, PR 42" }
 *   ]
 * }
 * ```
 *
 * `subject` and `graph` are globs (`*` any run of characters, `?` one character; `/` is not
 * special: tensor names are not paths). `code` is a DiffCode; absent means any code. `reason` is
 * required: an accepted change says why. A waived change keeps its code and kind; it no longer
 * fails the run. Parsing the text is pure; the command reads the file.
 */
import { DIFF } from '../findings.js';
import { InputError, type DiffCode } from '../model.js';
import type { Waiver } from './waivers.js';

export interface Baseline {
  readonly waivers: readonly Waiver[];
  readonly maxEncodingSteps?: number;
}

function isDiffCode(name: string): name is DiffCode {
  return Object.prototype.hasOwnProperty.call(DIFF, name);
}

const TOP_KEYS = new Set(['$schema', 'version', 'maxEncodingSteps', 'accept']);
const ENTRY_KEYS = new Set(['subject', 'code', 'graph', 'reason']);

function bad(file: string, pointer: string, message: string): InputError {
  return new InputError('BAD_CONFIG', `${file}: ${message} (at ${pointer || '/'})`, { file, pointer });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a baseline file's text. Any mistake is an InputError (exit 2): a typo in a baseline must
 * not silently accept nothing, or everything.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError('BAD_CONFIG', `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); expected a diff baseline {"accept": [...]}`, { file });
  }
  if (!isRecord(doc)) throw bad(file, '', 'expected a JSON object {"accept": [...]}');
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key)) throw bad(file, `/${key}`, `unknown key "${key}"; expected ${[...TOP_KEYS].join(', ')}`);
  }
  let maxEncodingSteps: number | undefined;
  if (doc['maxEncodingSteps'] !== undefined) {
    const v = doc['maxEncodingSteps'];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(file, '/maxEncodingSteps', 'expected a number of steps >= 0');
    maxEncodingSteps = v;
  }
  const accept = doc['accept'] ?? [];
  if (!Array.isArray(accept)) throw bad(file, '/accept', 'expected an array of {subject, code?, graph?, reason}');
  const waivers = accept.map((entry: unknown, i): Waiver => {
    const at = `/accept/${i}`;
    if (!isRecord(entry)) throw bad(file, at, 'expected an object {subject, code?, graph?, reason}');
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) throw bad(file, `${at}/${key}`, `unknown key "${key}"; expected ${[...ENTRY_KEYS].join(', ')}`);
    }
    const { subject, code, graph, reason } = entry;
    if (typeof subject !== 'string' || subject.length === 0) throw bad(file, `${at}/subject`, 'expected a non-empty glob string');
    if (code !== undefined && (typeof code !== 'string' || !isDiffCode(code))) {
      throw bad(file, `${at}/code`, `expected one of ${Object.keys(DIFF).join(', ')}`);
    }
    if (graph !== undefined && (typeof graph !== 'string' || graph.length === 0)) throw bad(file, `${at}/graph`, 'expected a glob string');
    if (typeof reason !== 'string' || reason.trim().length === 0) throw bad(file, `${at}/reason`, 'expected a reason: say why this change is accepted');
    return {
      subject,
      ...(code !== undefined ? { code: code as DiffCode } : {}),
      ...(graph !== undefined ? { graph } : {}),
      label: `${file}#${at}: ${reason}`,
    };
  });
  return { waivers, ...(maxEncodingSteps !== undefined ? { maxEncodingSteps } : {}) };
}
