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
import { InputError, type DiffChange, type DiffCode } from '../model.js';

export interface Waiver {
  readonly subject: string;
  readonly code?: DiffCode;
  readonly graph?: string;
  /** What `waivedBy` says on a change it matched: the reason, and where the waiver came from. */
  readonly label: string;
}

export interface Baseline {
  readonly waivers: readonly Waiver[];
  readonly maxEncodingSteps?: number;
}

/** Glob match without regular expressions (linear in practice, no backtracking blow-up). */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let starG = -1;
  let starT = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      starG = g++;
      starT = t;
    } else if (starG >= 0) {
      g = starG + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

export function isDiffCode(name: string): name is DiffCode {
  return Object.prototype.hasOwnProperty.call(DIFF, name);
}

/**
 * `--waive GLOB[:CODE]`. Tensor names contain colons (`conv1/Relu:0`), so the text after the last
 * colon is a code only when it is one of the DiffCodes; otherwise the whole value is the glob.
 */
export function parseWaive(value: string): Waiver {
  const colon = value.lastIndexOf(':');
  const tail = colon >= 0 ? value.slice(colon + 1) : '';
  if (colon > 0 && isDiffCode(tail)) {
    return { subject: value.slice(0, colon), code: tail, label: `--waive ${value}` };
  }
  if (value.length === 0) throw new InputError('USAGE', '--waive needs GLOB[:CODE], got an empty value');
  return { subject: value, label: `--waive ${value}` };
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

function matches(w: Waiver, c: DiffChange): boolean {
  if (w.code !== undefined && w.code !== c.code) return false;
  if (w.graph !== undefined && !globMatch(w.graph, c.graph ?? '')) return false;
  return globMatch(w.subject, c.subject);
}

/**
 * Marks every change a waiver matches (the first matching waiver names itself in `waivedBy`).
 * Returns the waivers that matched nothing: a stale baseline entry is worth a note.
 */
export function applyWaivers(
  changes: readonly DiffChange[],
  waivers: readonly Waiver[],
): { changes: DiffChange[]; unused: Waiver[] } {
  const used = new Set<Waiver>();
  const out = changes.map((c) => {
    const w = waivers.find((x) => matches(x, c));
    if (!w) return c;
    used.add(w);
    return { ...c, waivedBy: w.label };
  });
  return { changes: out, unused: waivers.filter((w) => !used.has(w)) };
}
