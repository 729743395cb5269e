/**
 * One waiver model for verify and diff. A waiver accepts the findings whose subject (a tensor, op
 * or graph name, a metadata label) matches its glob, optionally only one code and one graph; a
 * waived finding keeps its code and kind, shows the waiver's `label`, and no longer fails the run.
 *
 * Written `GLOB[:CODE]` with `--waive` (verify, diff, check) and in `dlcverify.config.json` (verify, check),
 * or as entries of a diff baseline file (parse/baseline.ts reads those). Pure.
 */
import { CHECKS, DIFF, PIPELINE, VERDICTS } from '../findings.js';
import { InputError, type Waiver } from '../model.js';

function has(table: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** The codes a `GLOB[:CODE]` may name, per command. */
const CODES = {
  verify: (code: string) => has(VERDICTS, code) || has(PIPELINE, code),
  diff: (code: string) => has(DIFF, code),
  check: (code: string) => has(CHECKS, code),
} as const;

/**
 * `GLOB[:CODE]`. Tensor names contain `:` (`conv/Relu:0`), so the text after the last `:` is a code
 * only when it is one of the command's codes; otherwise the whole value is the glob. Verify and
 * check label a waiver with its text (it may come from the config file), diff with `--waive TEXT`.
 */
export function parseWaiver(text: string, command: keyof typeof CODES = 'verify'): Waiver {
  if (text.length === 0) throw new InputError('USAGE', '--waive: expected GLOB[:CODE], got an empty string');
  const label = command === 'diff' ? `--waive ${text}` : text;
  const colon = text.lastIndexOf(':');
  if (colon > 0) {
    const code = text.slice(colon + 1);
    if (CODES[command](code)) return { subject: text.slice(0, colon), code, label };
  }
  return { subject: text, label };
}

/**
 * Glob on names: `*` any run, `?` one character, everything else literal. Iterative with one
 * backtrack point, so linear-ish and never catastrophic on long names.
 */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let starG = -1;
  let starT = 0;
  while (t < text.length) {
    const c = glob[g];
    if (c === '*') {
      starG = g++;
      starT = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      g++;
      t++;
    } else if (starG >= 0) {
      g = starG + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/** What a waiver looks at in a finding. */
export interface Waivable {
  readonly subject: string;
  readonly code: string;
  readonly graph?: string | undefined;
}

/** The first waiver that accepts the finding, if any. */
export function waiverFor(waivers: readonly Waiver[], finding: Waivable): Waiver | undefined {
  return waivers.find(
    (w) =>
      (w.code === undefined || w.code === finding.code) &&
      (w.graph === undefined || globMatch(w.graph, finding.graph ?? '')) &&
      globMatch(w.subject, finding.subject),
  );
}

/**
 * Marks every change a waiver matches (the first matching waiver names itself in `waivedBy`).
 * Returns the waivers that matched nothing: a stale baseline entry is worth a note.
 */
export function applyWaivers<T extends Waivable & { readonly waivedBy?: string }>(
  changes: readonly T[],
  waivers: readonly Waiver[],
): { changes: T[]; unused: Waiver[] } {
  const used = new Set<Waiver>();
  const out = changes.map((c) => {
    const w = waiverFor(waivers, c);
    if (!w) return c;
    used.add(w);
    return { ...c, waivedBy: w.label };
  });
  return { changes: out, unused: waivers.filter((w) => !used.has(w)) };
}
