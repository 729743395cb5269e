/**
 * Policy, applied after every finding was collected and before anything is written (STYLE.md
 * habit 3): `--fail-on`, waivers, `--strict` and the config file. `decide` is the one function that
 * says what fails and with which exit code; verify, diff and show all go through it.
 */
import { CHECKS, PIPELINE, VERDICTS } from '../findings.js';
import {
  InputError,
  type Diagnostic,
  type PipelineCode,
  type PipelineFinding,
  type ResultKind,
  type Summary,
  type Verdict,
  type VerifyResult,
  type Waiver,
} from '../model.js';
import { withFields } from './result.js';
import { waiverFor } from './waivers.js';

const KINDS: readonly ResultKind[] = ['ok', 'info', 'warn', 'fail'];

function isVerdict(code: string): code is Verdict {
  return Object.prototype.hasOwnProperty.call(VERDICTS, code);
}

function isPipelineCode(code: string): code is PipelineCode {
  return Object.prototype.hasOwnProperty.call(PIPELINE, code);
}

/** `dlcverify check` codes: waived and failed on like verdicts. */
function isCheckCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CHECKS, code);
}

function isKind(code: string): code is ResultKind {
  return (KINDS as readonly string[]).includes(code);
}

export interface FailOn {
  readonly verdicts: ReadonlySet<string>;
  readonly kinds: ReadonlySet<ResultKind>;
  readonly isDefault: boolean;
}

/** `--fail-on` entries: verdict codes, pipeline codes, or kinds. Default: every fail-kind finding. */
export function parseFailOn(values: readonly string[] | undefined): FailOn {
  if (!values || values.length === 0) return { verdicts: new Set(), kinds: new Set(['fail']), isDefault: true };
  const verdicts = new Set<string>();
  const kinds = new Set<ResultKind>();
  for (const raw of values) {
    const v = raw.trim();
    if (v === 'none') continue;
    if (isKind(v)) kinds.add(v);
    else if (isVerdict(v) || isPipelineCode(v) || isCheckCode(v)) verdicts.add(v);
    else {
      throw new InputError(
        'USAGE',
        `--fail-on ${v}: expected a verdict (${Object.keys(VERDICTS).join(', ')}), a pipeline or check code, a kind (${KINDS.join(', ')}) or none`,
      );
    }
  }
  return { verdicts, kinds, isDefault: false };
}

/** What the policy reads of a finding (a verify result, a pipeline finding, a diff change). */
export interface Judged {
  readonly code: string;
  /** The kind after the finding's own rules (a diff regression is `fail`, a change `warn`). */
  readonly kind: ResultKind;
  /** Set when a waiver or baseline entry accepted it: it no longer fails the run. */
  readonly waivedBy?: string | undefined;
}

export interface Policy {
  /** Default: every fail-kind finding fails the run. */
  readonly failOn?: FailOn;
  /** Parser diagnostics other than info make the run exit 2 (could not verify). */
  readonly strict?: boolean;
}

/** What the run comes to: the findings that fail it and the exit code, or (exit 2) why it could not verify. */
export type Outcome =
  | { readonly exitCode: 0 | 1; readonly failing: readonly Judged[] }
  | { readonly exitCode: 2; readonly error: InputError };

/**
 * The policy, pure: `--strict` first (a parser warning means the input was not read as meant, so
 * nothing is judged: exit 2), then every finding no waiver accepted that `--fail-on` names fails
 * the run (exit 1). Called before any report is written, so a run writes either its reports or one
 * error, never both.
 */
export function decide(findings: Iterable<Judged>, diagnostics: readonly Diagnostic[], policy: Policy = {}): Outcome {
  if (policy.strict) {
    const serious = diagnostics.filter((d) => d.severity !== 'info');
    if (serious.length > 0) return { exitCode: 2, error: strictError(serious) };
  }
  const failOn = policy.failOn ?? parseFailOn(undefined);
  const failing: Judged[] = [];
  for (const f of findings) if (f.waivedBy === undefined && (failOn.kinds.has(f.kind) || failOn.verdicts.has(f.code))) failing.push(f);
  return { exitCode: failing.length > 0 ? 1 : 0, failing };
}

/** The one `--strict` message: how many, and the first with its place. */
function strictError(serious: readonly Diagnostic[]): InputError {
  const first = serious[0]!;
  const where = first.at.file !== undefined ? `${first.at.file}${first.at.line !== undefined ? `:${first.at.line}` : ''}: ` : '';
  return new InputError(
    'STRICT_DIAGNOSTICS',
    `--strict: ${serious.length} parser diagnostic(s), first: ${where}${first.code} ${first.detail}`,
    first.at,
  );
}

/** The report of a run that `decide` let through; throws the reason it could not verify. */
export function passedOrThrow(outcome: Outcome): { readonly exitCode: 0 | 1; readonly failing: readonly Judged[] } {
  if (outcome.exitCode === 2) throw outcome.error;
  return outcome;
}

export interface PolicyOutcome {
  readonly results: VerifyResult[];
  readonly pipeline: PipelineFinding[];
  readonly summary: Summary;
}

/**
 * Applies waivers, then `decide` (`--strict`, `--fail-on`) to collected findings; computes the
 * summary. Throws the InputError of `--strict` (exit 2) instead of returning a report.
 */
export function applyPolicy(
  results: readonly VerifyResult[],
  pipeline: readonly PipelineFinding[],
  diagnostics: readonly Diagnostic[],
  options: { readonly waivers?: readonly Waiver[]; readonly failOn?: FailOn; readonly strict?: boolean },
): PolicyOutcome {
  const waivers = options.waivers ?? [];
  const failOn = options.failOn ?? parseFailOn(undefined);
  const finalResults = results.map((r) => {
    const w = waiverFor(waivers, { subject: r.tensor, code: r.verdict });
    return w ? withFields(r, { waivedBy: w.label }) : r;
  });
  const finalPipeline = pipeline.map((p) => {
    // A pipeline finding is waived by its code (`*:OVERRIDE_PARAMS_FALSE` or `OVERRIDE_PARAMS_FALSE`),
    // never by a tensor glob (`*` waives every tensor, not the pipeline).
    const w = waivers.find((x) => x.code === p.code || (x.code === undefined && x.subject === p.code));
    return w ? { ...p, waivedBy: w.label } : p;
  });

  const byVerdict = new Map<string, number>();
  const byKind = new Map<ResultKind, number>();
  for (const k of KINDS) byKind.set(k, 0);
  for (const r of finalResults) {
    byVerdict.set(r.verdict, (byVerdict.get(r.verdict) ?? 0) + 1);
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  }
  const judged = function* (): Generator<Judged> {
    for (const r of finalResults) yield { code: r.verdict, kind: r.kind, waivedBy: r.waivedBy };
    for (const p of finalPipeline) yield p;
  };
  const { exitCode, failing: failingFindings } = passedOrThrow(decide(judged(), diagnostics, { failOn, strict: options.strict ?? false }));
  const pipelineFailing = failingFindings.filter((f) => isPipelineCode(f.code)).length;
  const failing = failingFindings.length - pipelineFailing;

  const waived = finalResults.filter((r) => r.waivedBy !== undefined).length;
  const headline =
    exitCode === 0
      ? `verified: no failing finding${waived > 0 ? ` (${waived} waived)` : ''}`
      : `verification failed: ${failing} tensor finding(s)${pipelineFailing > 0 ? ` and ${pipelineFailing} pipeline finding(s)` : ''} fail the run${waived > 0 ? ` (${waived} waived)` : ''}`;
  return { results: finalResults, pipeline: finalPipeline, summary: { byVerdict, byKind, exitCode, headline } };
}
