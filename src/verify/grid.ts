/**
 * The judgement of one DLC grid (a tensor, or one channel) against one source grid: the fast path
 * for a grid stored as given, the converter stage (scale not computed yet), then the explanations
 * of rules.ts in order (first that fits wins; PRINT_PRECISION_LIMITED when only a coarse print lets
 * EXACT/FLOAT32_ROUNDING fit), else REAL_MISMATCH with the closest explanation and its distance.
 */
import { VERDICTS, verdictSentence } from '../findings.js';
import type { Deviation, Encoding, GridNumbers, Tensor, Verdict, VerdictTag } from '../model.js';
import { printQuantum, roundHalfAway } from '../numeric.js';
import { fmt, fmtRatio, fmtSteps, gridWords, toGridNumbers } from '../words.js';
import { fieldMatches, levels, stepDeviation, worstSteps, type StepDeviation } from './math.js';
import type { GridJudgement, JudgedGrid } from './result.js';
import {
  candidatesOf,
  EXACT_BECAUSE,
  factsOf,
  FLOAT32_BECAUSE,
  inconsistent,
  type Candidate,
  type ClassifyContext,
  type SourceSide,
} from './rules.js';

/** The verdicts the grid judgement itself gives (the others come from the rules). */
export const GRID_VERDICTS = ['SCALE_NOT_COMPUTED', 'PRINT_PRECISION_LIMITED', 'REAL_MISMATCH'] as const satisfies readonly Verdict[];

export function toDeviation(d: StepDeviation): Deviation {
  return { minSteps: d.minSteps, maxSteps: d.maxSteps, scaleRatio: d.scaleRatio, offsetDelta: d.offsetDelta };
}

function candidateNumbers(c: Candidate, bitwidth: number): GridNumbers {
  return {
    bitwidth,
    ...(c.min ? { min: c.min.value } : {}),
    ...(c.max ? { max: c.max.value } : {}),
    ...(c.scale ? { scale: c.scale.value } : {}),
    ...(c.offsets.length > 0 ? { offset: c.offsets[0]! } : {}),
  };
}

function fits(c: Candidate, d: Encoding, extra: number): boolean {
  if (c.min && !fieldMatches(d.min, c.min.value, c.min.mode, extra)) return false;
  if (c.max && !fieldMatches(d.max, c.max.value, c.max.mode, extra)) return false;
  if (c.scale && !fieldMatches(d.scale, c.scale.value, c.scale.mode, extra)) return false;
  if (c.offsets.length > 0) {
    const o = d.offset.value;
    if (!Number.isFinite(o)) return false;
    const rounded = Math.sign(o) * Math.round(Math.abs(o));
    // Offsets are integers on both sides (a source may write `-128.0`): compare rounded values.
    if (!c.offsets.some((x) => roundHalfAway(x) === rounded)) return false;
  }
  return true;
}

/** True when a match held only because the dump prints too few digits to tell a nudge apart. */
function coarse(d: Encoding): boolean {
  const step = Math.abs(d.scale.value);
  if (step === 0) return printQuantum(d.scale) > 0;
  // 0.1% of a step on min/max, 1e-4 relative on the scale: beyond that the print cannot tell
  // float32 storage apart from a small real deviation (1.x `%.4g`, `%f` with small scales).
  return printQuantum(d.min) > 1e-3 * step || printQuantum(d.max) > 1e-3 * step || printQuantum(d.scale) > 1e-4 * step;
}

/**
 * EXACT or FLOAT32_ROUNDING without building every candidate: the common case of a full source
 * grid (min, max, scale, offset) stored as given. Returns undefined whenever the full judgement
 * could say something else (a field off, a coarse print, a DLC scale of 0), so the verdict is
 * always the one `judgeGrid` gives: these are its first two candidates, tried in the same order.
 */
function judgeAsGiven(src: SourceSide, d: Encoding, extra: number, tags: readonly VerdictTag[]): JudgedGrid | undefined {
  const g = src.grid;
  if (g.min === undefined || g.max === undefined || g.scale === undefined || g.offset === undefined) return undefined;
  if (d.scale.value === 0 || !Number.isFinite(d.offset.value)) return undefined;
  const o = d.offset.value;
  if (Math.sign(o) * Math.round(Math.abs(o)) !== roundHalfAway(g.offset)) return undefined;
  const f = Math.fround;
  const representable = f(g.min) === g.min && f(g.max) === g.max && f(g.scale) === g.scale;
  let verdict: 'EXACT' | 'FLOAT32_ROUNDING';
  if (
    representable &&
    fieldMatches(d.min, g.min, 'as-given', extra) &&
    fieldMatches(d.max, g.max, 'as-given', extra) &&
    fieldMatches(d.scale, g.scale, 'as-given', extra)
  ) {
    verdict = 'EXACT';
  } else if (fieldMatches(d.min, g.min, 'float32', extra) && fieldMatches(d.max, g.max, 'float32', extra) && fieldMatches(d.scale, g.scale, 'float32', extra)) {
    verdict = 'FLOAT32_ROUNDING';
  } else {
    return undefined;
  }
  if (coarse(d)) return undefined;
  return { judgement: tags.length === 0 ? asGivenJudgement(verdict, src.bitwidth) : asGivenWords(verdict, src.bitwidth, tags), expected: g };
}

function asGivenWords(verdict: 'EXACT' | 'FLOAT32_ROUNDING', bitwidth: number, tags: readonly VerdictTag[]): GridJudgement {
  return { verdict, kind: VERDICTS[verdict].kind, tags, bitwidth, because: verdict === 'EXACT' ? EXACT_BECAUSE : FLOAT32_BECAUSE };
}

/** One judgement per (verdict, bitwidth), shared by every channel stored as given. */
const AS_GIVEN = { EXACT: new Map<number, GridJudgement>(), FLOAT32_ROUNDING: new Map<number, GridJudgement>() };
function asGivenJudgement(verdict: 'EXACT' | 'FLOAT32_ROUNDING', bitwidth: number): GridJudgement {
  const byBitwidth = AS_GIVEN[verdict];
  let judgement = byBitwidth.get(bitwidth);
  if (!judgement) byBitwidth.set(bitwidth, (judgement = asGivenWords(verdict, bitwidth, NO_TAGS)));
  return judgement;
}

const NO_TAGS: readonly VerdictTag[] = [];

/** Judges one DLC grid (a tensor or one channel) against one source grid. */
export function judgeGrid(src: SourceSide, d: Encoding, tensor: Tensor, ctx: ClassifyContext, extra = ctx.extraTolerance(tensor.name)): JudgedGrid {
  const g = src.grid;
  const bw = src.bitwidth;
  const tags: readonly VerdictTag[] = inconsistent(src) ? ['JSON_INCONSISTENT'] : NO_TAGS;
  const fast = judgeAsGiven(src, d, extra, tags);
  if (fast) return fast;

  const actual = toGridNumbers(d);
  const givenNumbers: GridNumbers = {
    bitwidth: bw,
    ...(g.min !== undefined ? { min: g.min } : {}),
    ...(g.max !== undefined ? { max: g.max } : {}),
    ...(g.scale !== undefined ? { scale: g.scale } : {}),
    ...(g.offset !== undefined ? { offset: g.offset } : {}),
  };

  // Converter stage: min/max stored, scale 0 (not computed yet): judge what was given.
  const range = d.max.value - d.min.value;
  const scaleNotComputed =
    d.scale.value === 0 && Number.isFinite(range) && (ctx.converterStage || range / levels(d.bitwidth) > 2 * printQuantum(d.scale));
  if (scaleNotComputed && d.bitwidth === bw && g.min !== undefined && g.max !== undefined) {
    const offsetOk = [0, ...(src.entry.isSymmetric ? [-(2 ** (bw - 1))] : [])].some((o) => Math.round(d.offset.value) === o);
    const stored =
      fieldMatches(d.min, g.min, 'float32', extra) && fieldMatches(d.max, g.max, 'float32', extra) && offsetOk;
    if (stored) {
      const deviation = toDeviation(stepDeviation(actual, { ...givenNumbers, scale: (g.max - g.min) / levels(bw) }));
      const judgement: GridJudgement = {
        verdict: 'SCALE_NOT_COMPUTED',
        kind: VERDICTS.SCALE_NOT_COMPUTED.kind,
        tags,
        bitwidth: bw,
        deviation,
        sentence:
          verdictSentence('SCALE_NOT_COMPUTED', `min ${fmt(d.min.value)} and max ${fmt(d.max.value)} are float32 of the source; ` +
          `scale 0 and offset ${fmt(d.offset.value)} mean the quantizer has not run yet, so the grid is not computed yet.`),
      };
      return { judgement, expected: givenNumbers };
    }
  }

  const candidates = candidatesOf(factsOf(src, d, tensor, ctx));
  const winner = candidates.find((c) => fits(c, d, extra));
  if (winner) {
    let verdict = winner.verdict;
    let because = winner.because;
    if ((verdict === 'EXACT' || verdict === 'FLOAT32_ROUNDING') && coarse(d)) {
      verdict = 'PRINT_PRECISION_LIMITED';
      because = `equal within the print precision (±${fmt(printQuantum(d.min))} on min/max, ±${fmt(printQuantum(d.scale))} on scale), which is too coarse to rule out a sub-step nudge`;
    }
    return { judgement: { verdict, kind: winner.kind ?? VERDICTS[verdict].kind, tags, bitwidth: bw, because }, expected: candidateNumbers(winner, bw) };
  }

  // Nothing fits: the closest explanation and how far it still is.
  let best: { c: Candidate; d: StepDeviation; w: number } | undefined;
  for (const c of candidates) {
    const dev = stepDeviation(actual, candidateNumbers(c, bw));
    const w = worstSteps(dev);
    if (best === undefined || w < best.w) best = { c, d: dev, w };
  }
  const reference = candidates.find((c) => c.verdict === 'FLOAT32_ROUNDING') ?? candidates[0];
  const expected = reference ? candidateNumbers(reference, bw) : givenNumbers;
  const dev = stepDeviation(actual, expected);
  const closest =
    best && best.c !== reference
      ? `; closest explanation ${best.c.verdict} (${best.c.because}) is still ${fmtSteps(best.w)} step away`
      : '';
  const scaleWords = Number.isNaN(dev.scaleRatio) ? '' : `, scale ratio ${fmtRatio(dev.scaleRatio)}`;
  const offsetWords = Number.isNaN(dev.offsetDelta) || dev.offsetDelta === 0 ? '' : `, offset ${fmt(actual.offset)} instead of ${fmt(expected.offset)}`;
  const scaleZero = d.scale.value === 0 ? ' (the DLC scale is 0: not computed)' : '';
  const judgement: GridJudgement = {
    verdict: 'REAL_MISMATCH',
    kind: VERDICTS.REAL_MISMATCH.kind,
    tags,
    bitwidth: bw,
    deviation: toDeviation(dev),
    ...(best ? { hypothesis: { verdict: best.c.verdict, deviation: toDeviation(best.d) } } : {}),
    sentence:
      verdictSentence('REAL_MISMATCH', `min is ${fmtSteps(dev.minSteps)} step and max ${fmtSteps(dev.maxSteps)} step from the source` +
      `${scaleWords}${offsetWords}${scaleZero} (DLC ${gridWords(actual)}; source ${gridWords(givenNumbers)})${closest}.`),
  };
  return { judgement, expected };
}
