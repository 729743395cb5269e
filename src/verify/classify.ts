/**
 * Judging one tensor (ENCODINGS.md §4): compare the DLC encoding with what the source meant, try
 * the explanations in order (first that fits wins), and say it in one sentence with the numbers.
 *
 * Every explanation is a `Candidate`: an expected grid, how each field was obtained (as given,
 * float32 of what was given, or recomputed by the SDK in float32) and which offsets are accepted.
 * When none fits, the closest one is reported with its distance (REAL_MISMATCH).
 */
import { VERDICTS, verdictSentence } from '../findings.js';
import type {
  Deviation,
  DlcModel,
  Encoding,
  GridNumbers,
  Op,
  ResultKind,
  SourceEntry,
  SourceGrid,
  Tensor,
  TensorMatch,
  Verdict,
  VerdictTag,
  VerifyResult,
} from '../model.js';
import { pow2, printQuantum, roundHalfAway } from '../numeric.js';
import {
  convertedGrids,
  fieldMatches,
  fxpNudge,
  gridFromScaleOffset,
  isSelfInconsistent,
  levels,
  MIN_RANGES,
  OP_FIXED_RULES,
  signedSymmetric,
  stepDeviation,
  strictSymmetric,
  tfNudge,
  worstSteps,
  type FieldMode,
  type Grid,
  type StepDeviation,
} from './math.js';
import type { DlcHit, DlcIndex, MatchOutcome } from './match.js';
import { GridResult, withFields, type GridJudgement, type JudgedGrid, type TensorSide } from './result.js';
import { fmt, fmtRatio, fmtSteps, gridWords, quote, toGridNumbers } from './words.js';

export { fmt, fmtRatio, fmtSteps } from './words.js';

export interface ClassifyContext {
  readonly model: DlcModel;
  readonly index: DlcIndex;
  /** `Quantizer command: N/A`: a converter-stage DLC (scales not computed yet). */
  readonly converterStage: boolean;
  /** `use_symmetric_quantize_weights=true` in the quantizer command. */
  readonly symmetricWeightsFlag: boolean;
  /** Extra absolute tolerance for a tensor (config `tolerances`), 0 by default. */
  readonly extraTolerance: (tensor: string) => number;
  /** `<base>` -> its `<base>_converted_*` tensors. */
  readonly convertedByBase: ReadonlyMap<string, readonly DlcHit[]>;
  /** `graph \0 op name` -> op. */
  readonly opsByName: ReadonlyMap<string, Op>;
}

export function buildConvertedIndex(all: readonly DlcHit[]): Map<string, DlcHit[]> {
  const map = new Map<string, DlcHit[]>();
  for (const hit of all) {
    const at = hit.tensor.name.lastIndexOf('_converted_');
    if (at <= 0) continue;
    const base = hit.tensor.name.slice(0, at);
    const list = map.get(base);
    if (list) list.push(hit);
    else map.set(base, [hit]);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------------

function toDeviation(d: StepDeviation): Deviation {
  return { minSteps: d.minSteps, maxSteps: d.maxSteps, scaleRatio: d.scaleRatio, offsetDelta: d.offsetDelta };
}

// ---------------------------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------------------------

interface ExpectedField {
  readonly value: number;
  readonly mode: FieldMode;
}

interface Candidate {
  readonly verdict: Verdict;
  readonly min?: ExpectedField;
  readonly max?: ExpectedField;
  readonly scale?: ExpectedField;
  /** Accepted offsets (integers); empty = not checked. */
  readonly offsets: readonly number[];
  /** The explanation, for the sentence. */
  readonly because: string;
  readonly kind?: ResultKind;
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

function recomputed(g: Grid): Pick<Candidate, 'min' | 'max' | 'scale' | 'offsets'> {
  return {
    min: { value: g.min, mode: 'recomputed' },
    max: { value: g.max, mode: 'recomputed' },
    scale: { value: g.scale, mode: 'recomputed' },
    offsets: [g.offset],
  };
}

/** What a source channel says, plus what the verifier knows around it. */
export interface SourceSide {
  readonly entry: SourceEntry;
  readonly grid: SourceGrid;
  readonly bitwidth: number;
  readonly perChannel: boolean;
}

/** JSON_INCONSISTENT, reading a symmetric entry's offset 0 as the forced −2^(bw−1). */
function inconsistent(src: SourceSide): boolean {
  const g = src.grid;
  const forced = src.entry.isSymmetric === true && (g.offset === undefined || g.offset === 0);
  return isSelfInconsistent(forced ? { ...g, offset: -(2 ** (src.bitwidth - 1)) } : g, src.bitwidth);
}

function isReluType(type: string | undefined): boolean {
  return type !== undefined && /^relu/i.test(type);
}

/** Producer op → op rule name. 2.x: `ElementWiseNeuron` with `operation: 6` (Sigmoid) / 8 (Tanh), or
 * `Neuron`/`Sigmoid`/`Tanh`; 1.x: `neuron` with `func: logistic` / `func: tanh`. */
export function producerOpKind(ctx: ClassifyContext, graph: string, tensor: Tensor): 'Sigmoid' | 'Tanh' | undefined {
  const producer = tensor.producer;
  if (!producer) return undefined;
  const type = producer.type.toLowerCase();
  if (type === 'sigmoid' || type === 'logistic' || type === 'elementwisesigmoid') return 'Sigmoid';
  if (type === 'tanh' || type === 'elementwisetanh') return 'Tanh';
  if (type !== 'elementwiseneuron' && type !== 'neuron' && type !== 'elementwise_neuron') return undefined;
  const op = ctx.opsByName.get(`${graph}\0${producer.op}`);
  if (!op) return undefined;
  for (const param of op.params) {
    const name = param.name.toLowerCase();
    const value = param.value.trim().toLowerCase();
    // 2.x `operation: 6` (QNN ElementWiseNeuron: 6 SIGMOID, 8 TANH); 1.x `func: logistic` / `func: tanh`.
    if (name === 'operation' || name === 'neuron_type') {
      if (value === '6' || value.includes('sigmoid')) return 'Sigmoid';
      if (value === '8' || value.includes('tanh')) return 'Tanh';
    }
    if (name === 'func' || name === 'neuron type') {
      if (value.includes('logistic') || value.includes('sigmoid')) return 'Sigmoid';
      if (value.includes('tanh')) return 'Tanh';
    }
  }
  return undefined;
}

/** Ops by `graph \0 name`, built once (producer look-ups stay O(1)). */
export function buildOpIndex(model: DlcModel): Map<string, Op> {
  const map = new Map<string, Op>();
  for (const graph of model.graphs) for (const op of graph.ops) map.set(`${graph.name}\0${op.name}`, op);
  return map;
}

const EXACT_BECAUSE = 'every field equals the source at the printed precision';
const FLOAT32_BECAUSE = 'every field equals float32 of the source';

function buildCandidates(src: SourceSide, d: Encoding, tensor: Tensor, ctx: ClassifyContext): Candidate[] {
  const g = src.grid;
  const bw = src.bitwidth;
  const n = levels(bw);
  const half = pow2(bw - 1);
  const out: Candidate[] = [];
  const hasMinMax = g.min !== undefined && g.max !== undefined;
  const fq = src.entry.fakeQuant;

  // The grid as given, completed where the SDK derives fields itself.
  const asGiven = (mode: 'as-given' | 'float32', offsetOverride?: number): Omit<Candidate, 'verdict' | 'because'> | undefined => {
    if (g.scale !== undefined) {
      const o = offsetOverride ?? g.offset ?? 0;
      const derived = gridFromScaleOffset(g.scale, o, bw);
      return {
        min: g.min !== undefined ? { value: g.min, mode } : { value: derived.min, mode: 'recomputed' },
        max: g.max !== undefined ? { value: g.max, mode } : { value: derived.max, mode: 'recomputed' },
        scale: { value: g.scale, mode },
        offsets: [o],
      };
    }
    if (hasMinMax) {
      // min/max only: the quantizer computes scale and offset (MinAndMaxToFxpFormat).
      const nudged = fxpNudge(g.min!, g.max!, bw);
      return {
        min: { value: g.min!, mode },
        max: { value: g.max!, mode },
        scale: { value: nudged.scale, mode: 'recomputed' },
        offsets: [nudged.offset],
      };
    }
    return undefined;
  };

  // EXACT needs the source to give the grid (scale); from min/max alone the SDK computes it in float32.
  // And a value can only be held exactly when float32 can represent it: otherwise equality at the
  // printed precision is float32 storage hidden by the print (FLOAT32_ROUNDING).
  const representable = [g.min, g.max, g.scale].every((v) => v === undefined || Math.fround(v) === v);
  const exact = g.scale !== undefined && representable ? asGiven('as-given') : undefined;
  if (exact) out.push({ verdict: 'EXACT', ...exact, because: EXACT_BECAUSE });
  const f32 = asGiven('float32');
  if (f32) out.push({ verdict: 'FLOAT32_ROUNDING', ...f32, because: FLOAT32_BECAUSE });

  if (g.offset !== undefined && g.offset > 0) {
    const flipped = asGiven('float32', -g.offset);
    if (flipped) {
      out.push({
        verdict: 'OFFSET_SIGN_NORMALIZED',
        ...flipped,
        because: `the source offset ${fmt(g.offset)} (a zero point) is stored as ${fmt(-g.offset)}`,
      });
    }
  }

  if (src.entry.isSymmetric === true && (g.offset === undefined || g.offset === 0 || g.offset === -half)) {
    if (g.scale !== undefined) {
      const s = g.scale;
      out.push({
        verdict: 'SYMMETRIC_OFFSET_FORCED',
        min: g.min !== undefined ? { value: g.min, mode: 'float32' } : { value: -half * s, mode: 'recomputed' },
        max: g.max !== undefined ? { value: g.max, mode: 'float32' } : { value: (half - 1) * s, mode: 'recomputed' },
        scale: { value: s, mode: 'float32' },
        offsets: [-half, 0],
        because: `a symmetric encoding is stored with offset ${-half} (or 0 when stored signed)`,
      });
      // Converter stage [real, QAIRT 2.25]: {scale s, offset −2^(bw−1)} is stored as ±(2^(bw−1)−1)·s, offset 0.
      out.push({
        verdict: 'SYMMETRIC_OFFSET_FORCED',
        min: { value: -(half - 1) * s, mode: 'recomputed' },
        max: { value: (half - 1) * s, mode: 'recomputed' },
        scale: { value: s, mode: 'float32' },
        offsets: [0],
        because: `the converter stores a symmetric {scale, offset ${-half}} override as min −${half - 1}·scale, max ${half - 1}·scale, offset 0`,
      });
    } else if (hasMinMax) {
      out.push({
        verdict: 'SYMMETRIC_OFFSET_FORCED',
        min: { value: g.min!, mode: 'float32' },
        max: { value: g.max!, mode: 'float32' },
        offsets: [-half, 0],
        because: `a symmetric encoding is stored with offset ${-half} (or 0 when stored signed)`,
      });
    }
  }

  // FakeQuant rules come before the generic nudge: they are the more specific explanation.
  if (fq && hasMinMax) {
    if (isReluType(fq.producerType) && g.min! < 0) {
      const clamped = fxpNudge(0, g.max!, bw);
      out.push({ verdict: 'RELU_MIN_CLAMPED', ...recomputed(clamped), because: `the converter forced min ${fmt(g.min)} to 0 after ${fq.producerType}` });
    }
    if (fq.narrowRange) {
      const snpe = fxpNudge(g.min!, g.max!, bw);
      const tf = tfNudge(g.min!, g.max!, bw, true);
      const moved = Math.abs(snpe.min - g.min!) / snpe.scale;
      out.push({
        verdict: 'TF_NARROW_RANGE_IGNORED',
        ...recomputed(snpe),
        because:
          `narrow_range is ignored: the grid has ${n} steps, not ${n - 1} (scale ratio to TF's ${fmt(tf.scale)}: ` +
          `${fmtRatio(snpe.scale / tf.scale)}, ${n - 1}/${n} = ${fmtRatio((n - 1) / n)}); min nudged by ${fmtSteps(moved)} step`,
      });
    }
  }

  // The quantizer computes the grid only when scale/offset are missing, or off-grid (inconsistent).
  const recomputes = g.scale === undefined || g.offset === undefined || inconsistent(src);
  if (hasMinMax && recomputes) {
    const range = Math.max(0, g.max!) - Math.min(0, g.min!);
    for (const minRange of MIN_RANGES) {
      if (range < minRange) continue;
      const nudged = fxpNudge(g.min!, g.max!, bw, minRange);
      const minMoved = Math.abs(nudged.min - g.min!) / nudged.scale;
      const maxMoved = Math.abs(nudged.max - g.max!) / nudged.scale;
      out.push({
        verdict: 'ZERO_POINT_NUDGED',
        ...recomputed(nudged),
        because: `the quantizer moved the grid so that 0 is representable: min by ${fmtSteps(minMoved)} step, max by ${fmtSteps(maxMoved)} step, offset ${fmt(nudged.offset)}`,
      });
      break;
    }
    for (const minRange of MIN_RANGES) {
      if (range >= minRange) continue;
      const widened = fxpNudge(g.min!, g.max!, bw, minRange);
      out.push({
        verdict: 'MIN_RANGE_ENFORCED',
        ...recomputed(widened),
        because: `the range ${fmt(range)} is below the minimum ${minRange} and was widened to it`,
      });
    }
  }

  // Signed symmetric of the source range.
  const minV = g.min ?? (g.scale !== undefined ? (g.offset !== undefined ? -Math.abs(g.offset) : 0) * g.scale : undefined);
  const maxV = g.max ?? (g.scale !== undefined && minV !== undefined ? minV + n * g.scale : undefined);
  if (minV !== undefined && maxV !== undefined) {
    const sym = signedSymmetric(Math.max(Math.abs(minV), Math.abs(maxV)), bw);
    const isParam = tensor.role === 'param' || src.entry.section === 'param';
    const reasons: string[] = [];
    if (src.entry.isSymmetric === true) reasons.push('the source says is_symmetric');
    if (isParam && ctx.symmetricWeightsFlag) reasons.push('use_symmetric_quantize_weights is set');
    if (src.perChannel) reasons.push('per-channel encodings are symmetric');
    if (isParam && bw === 16) reasons.push('16-bit weights are symmetric');
    out.push({
      verdict: 'SYMMETRIC_FORCED',
      ...recomputed(sym),
      offsets: [-half, 0],
      kind: reasons.length > 0 ? 'ok' : 'warn',
      because:
        reasons.length > 0
          ? `the SDK made it signed symmetric (absmax ${fmt(Math.max(Math.abs(minV), Math.abs(maxV)))}): ${reasons.join(', ')}`
          : `the SDK made it signed symmetric although the source is asymmetric and no flag asks for it`,
    });
  }

  if (minV !== undefined && maxV !== undefined) {
    // AIMET strict symmetric (offset −(2^(bw−1)−1), min = −max), e.g. older AIMET exports.
    const strict = strictSymmetric(Math.max(Math.abs(minV), Math.abs(maxV)), bw);
    out.push({
      verdict: 'SYMMETRIC_FORCED',
      ...recomputed(strict),
      kind: src.entry.isSymmetric === true || (ctx.symmetricWeightsFlag && tensor.role === 'param') ? 'ok' : 'warn',
      because: `the grid is strict symmetric (offset ${-(half - 1)}, min = −max = −${fmt(strict.max)})`,
    });
  }

  const opKind = producerOpKind(ctx, tensor.graph, tensor);
  if (opKind !== undefined) {
    for (const r of OP_FIXED_RULES) {
      if (r.op !== opKind || r.bitwidth !== d.bitwidth) continue;
      out.push({ verdict: 'OP_FIXED_ENCODING', ...recomputed(r.grid), because: `the backend imposes the ${r.words} rule on ${opKind} outputs` });
    }
  }
  return out;
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

  const candidates = buildCandidates(src, d, tensor, ctx);
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

// ---------------------------------------------------------------------------------------------
// Whole tensors
// ---------------------------------------------------------------------------------------------

function isFloatDtype(dtype: string | undefined): boolean {
  return dtype === undefined || /^float/i.test(dtype);
}

function baseResult(hit: DlcHit, outcome: MatchOutcome | undefined): Omit<VerifyResult, 'verdict' | 'kind' | 'tags' | 'sentence'> {
  const match: TensorMatch | undefined =
    outcome && outcome.rule
      ? {
          rule: outcome.rule,
          sourceName: outcome.entry.name,
          dlcName: hit.tensor.name,
          ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
        }
      : undefined;
  return {
    tensor: hit.tensor.name,
    graph: hit.graph.name,
    role: hit.tensor.role,
    ...(match ? { match } : {}),
    dlcAt: hit.tensor.at,
    ...(outcome ? { sourceAt: outcome.entry.at } : {}),
  };
}

const OVERRIDDEN_NOTE = "the DLC does not mark it as overridden, but the values are the source's";
const SYMMETRIC_NOTE = 'the DLC says is_symmetric false although the source says true; the values agree';

/** The note on a result whose values agree although the DLC's flags say otherwise. */
function flagNote(overridden: boolean, symmetric: boolean): string | undefined {
  if (overridden && symmetric) return `${OVERRIDDEN_NOTE}; ${SYMMETRIC_NOTE}`;
  return overridden ? OVERRIDDEN_NOTE : symmetric ? SYMMETRIC_NOTE : undefined;
}

function flagTags(tensor: Tensor): VerdictTag[] {
  const flag = tensor.encoding?.isOverridden;
  return flag === undefined ? [] : [flag ? 'OVERRIDE_FLAG_SET' : 'OVERRIDE_FLAG_CLEAR'];
}

function simple(base: Omit<VerifyResult, 'verdict' | 'kind' | 'tags' | 'sentence'>, verdict: Verdict, sentence: string, extra: Partial<VerifyResult> = {}): VerifyResult {
  return { ...base, verdict, kind: VERDICTS[verdict].kind, tags: [], sentence: verdictSentence(verdict, sentence), ...extra };
}

/** A source entry matched to one DLC tensor: one result, or one per channel. */
export function classifyMatched(outcome: MatchOutcome, hit: DlcHit, ctx: ClassifyContext): VerifyResult[] {
  const entry = outcome.entry;
  const tensor = hit.tensor;
  const base = baseResult(hit, outcome);
  const enc = tensor.encoding;
  const flags = flagTags(tensor);

  if (entry.layout !== 'per-tensor' && entry.layout !== 'per-channel') {
    return [simple(base, 'NOT_COMPARED', `the source gives a ${entry.layout} encoding, which is read but not compared yet.`)];
  }
  if (enc && (enc.experimental || (enc.layout !== 'per-tensor' && enc.layout !== 'per-channel'))) {
    return [simple(base, 'NOT_COMPARED', `the DLC holds a ${enc.layout} encoding, which is read but not compared yet.`)];
  }
  if (entry.dtype === 'float') {
    if (!enc) return [simple(base, 'FLOAT_OVERRIDE_OK', `the DLC keeps ${quote(tensor.name)} as ${tensor.dtype ?? 'float'}, as the source asks.`)];
    const actual = enc.channels[0] ? toGridNumbers(enc.channels[0]) : undefined;
    return [
      simple(base, 'FLOAT_OVERRIDE_IGNORED', `the source asks for float (${entry.bitwidth ?? '?'}-bit) but the DLC quantized it (${actual ? gridWords(actual) : enc.layout}).`, {
        ...(actual ? { actual } : {}),
        tags: flags,
      }),
    ];
  }
  if (!enc) {
    if (isFloatDtype(tensor.dtype)) {
      return [
        simple(base, 'FLOAT_FALLBACK', `the source gives a ${entry.bitwidth ?? '?'}-bit integer encoding but the DLC tensor is ${tensor.dtype ?? 'float'} with no encoding.`, {
          ...(entry.grids[0] ? { expected: { ...(entry.bitwidth !== undefined ? { bitwidth: entry.bitwidth } : {}), ...entry.grids[0] } } : {}),
        }),
      ];
    }
    return [simple(base, 'NOT_COMPARED', `the DLC tensor is ${tensor.dtype} and carries no encoding to compare.`)];
  }

  const bitwidth = entry.bitwidth ?? entry.fakeQuant?.numBits ?? enc.channels[0]?.bitwidth ?? 8;
  const first = enc.channels[0];
  if (!first) return [simple(base, 'NOT_COMPARED', 'the DLC encoding has no grid.')];

  // dtype-only override ({bitwidth: 8, dtype: "int"}): "quantize at this bitwidth, calibrate the range".
  if (entry.grids.length === 0) {
    const actual = toGridNumbers(first);
    if (first.bitwidth === bitwidth) {
      return [simple(base, 'EXACT', `the source asks for ${bitwidth} bits and a calibrated range; the DLC has ${gridWords(actual)}.`, { actual, expected: { bitwidth }, tags: flags })];
    }
    return [simple(base, 'BITWIDTH_MISMATCH', `the source asks for ${bitwidth} bits, the DLC has ${first.bitwidth}.`, { actual, expected: { bitwidth }, tags: flags })];
  }

  if (first.bitwidth !== bitwidth) return [bitwidthDiffers(outcome, hit, bitwidth, ctx, base, flags)];

  const perChannel = entry.grids.length > 1 || entry.layout === 'per-channel';
  const results: VerifyResult[] = [];
  // Shared by every channel of the tensor: its names and locations, its tolerance, its flag tags.
  const side: TensorSide = {
    tensor: tensor.name,
    graph: hit.graph.name,
    role: tensor.role,
    ...(base.match ? { match: base.match } : {}),
    dlcAt: tensor.at,
    sourceAt: entry.at,
  };
  const extra = ctx.extraTolerance(tensor.name);
  const judge = (grid: SourceGrid, d: Encoding, channel: number | undefined, extraTags: readonly VerdictTag[]): void => {
    const judged = judgeGrid({ entry, grid, bitwidth, perChannel }, d, tensor, ctx, extra);
    const j = judged.judgement;
    const tags = j.tags.length === 0 && extraTags.length === 0 ? flags : [...j.tags, ...flags, ...extraTags];
    const overriddenNote = enc.isOverridden === false && j.kind === 'ok';
    const symmetricNote = d.isSymmetric === false && entry.isSymmetric === true && j.kind === 'ok';
    results.push(new GridResult(side, channel, d, judged, tags, flagNote(overriddenNote, symmetricNote)));
  };

  if (!perChannel) {
    if (enc.channels.length > 1) {
      // A per-tensor source against a per-channel DLC: every channel against the one grid.
      enc.channels.forEach((c, i) => judge(entry.grids[0]!, c, c.channel ?? i, []));
    } else {
      judge(entry.grids[0]!, first, undefined, []);
    }
    return results;
  }

  const sourceCount = entry.grids.length;
  const dlcCount = enc.channelCount ?? enc.channels.length;
  if (enc.layout === 'per-tensor' && enc.channels.length === 1 && sourceCount > 1) {
    return [
      simple(base, 'REAL_MISMATCH', `the source gives ${sourceCount} per-channel encodings but the DLC holds one per-tensor encoding (${gridWords(toGridNumbers(first))}).`, {
        actual: toGridNumbers(first),
        tags: flags,
      }),
    ];
  }
  if (dlcCount !== sourceCount) {
    return [
      simple(base, 'REAL_MISMATCH', `the source gives ${sourceCount} channels, the DLC has ${dlcCount}.`, { actual: toGridNumbers(first), tags: flags }),
    ];
  }
  if (!enc.allChannelsPresent && enc.channels.length === 1 && first.channel === undefined) {
    // SNPE 1.x prints one overall encoding for per-channel weights, never the channels: compare it
    // with the envelope of the source channels (and the count, above).
    const n = levels(bitwidth);
    const mins = entry.grids.map((g) => g.min ?? (g.scale !== undefined ? -Math.abs(g.offset ?? 0) * g.scale : Number.NaN));
    const maxs = entry.grids.map((g, i) => g.max ?? (g.scale !== undefined ? mins[i]! + n * g.scale : Number.NaN));
    judge({ min: Math.min(...mins), max: Math.max(...maxs) }, first, undefined, []);
    const r = results[results.length - 1]!;
    results[results.length - 1] = withFields(r, {
      sentence: `${r.sentence.replace(/\.$/, '')}; the dump prints one overall encoding for the ${dlcCount} channels, compared with the envelope of the source channels.`,
    });
    return results;
  }
  if (!enc.allChannelsPresent) {
    const c0 = enc.channels.find((c) => (c.channel ?? 0) === 0) ?? first;
    judge(entry.grids[0]!, c0, 0, ['CHANNEL_0_ONLY']);
    return results;
  }
  enc.channels.forEach((c, i) => {
    const channel = c.channel ?? i;
    const grid = entry.grids[channel] ?? entry.grids[i]!;
    judge(grid, c, channel, []);
  });
  return results;
}

function bitwidthDiffers(
  outcome: MatchOutcome,
  hit: DlcHit,
  bitwidth: number,
  ctx: ClassifyContext,
  base: Omit<VerifyResult, 'verdict' | 'kind' | 'tags' | 'sentence'>,
  flags: VerdictTag[],
): VerifyResult {
  const enc = hit.tensor.encoding!;
  const d = enc.channels[0]!;
  const actual = toGridNumbers(d);
  const g = outcome.entry.grids[0];
  const expected: GridNumbers = { bitwidth, ...(g ?? {}) };
  // The DLC keeps the tensor at its region's bitwidth and converts it for the consumers that want `bitwidth`.
  for (const conv of ctx.convertedByBase.get(hit.tensor.name) ?? []) {
    const c = conv.tensor.encoding?.channels[0];
    if (!c || c.bitwidth !== bitwidth) continue;
    if (relatesAsConverted(d, c)) {
      return {
        ...base,
        verdict: 'BITWIDTH_CONVERTED',
        kind: VERDICTS.BITWIDTH_CONVERTED.kind,
        tags: flags,
        expected,
        actual,
        sentence:
          verdictSentence('BITWIDTH_CONVERTED', `the DLC keeps ${quote(hit.tensor.name)} at ${d.bitwidth} bits and converts it to ` +
          `${bitwidth} bits in ${quote(conv.tensor.name)} (scale ${fmt(c.scale.value)}, offset ${fmt(c.offset.value)}: the same range on the ${bitwidth}-bit grid).`),
      };
    }
  }
  const dev = g ? stepDeviation(actual, expected) : undefined;
  return {
    ...base,
    verdict: 'BITWIDTH_MISMATCH',
    kind: VERDICTS.BITWIDTH_MISMATCH.kind,
    tags: flags,
    expected,
    actual,
    ...(dev ? { deviation: toDeviation(dev) } : {}),
    sentence:
      verdictSentence('BITWIDTH_MISMATCH', `the source asks for ${bitwidth} bits, the DLC has ${d.bitwidth} bits ` +
      `(${gridWords(actual)}${dev && !Number.isNaN(dev.scaleRatio) ? `; scale ratio ${fmtRatio(dev.scaleRatio)}` : ''}).`),
  };
}

/** `to` re-expresses `from` on another bitwidth: min/max copied, scale /256 (or /257), offset ×256. */
export function relatesAsConverted(from: Encoding, to: Encoding): boolean {
  const fromGrid: Grid = {
    bitwidth: from.bitwidth,
    min: from.min.value,
    max: from.max.value,
    scale: from.scale.value,
    offset: Math.round(from.offset.value),
  };
  return convertedGrids(fromGrid, to.bitwidth).some(
    (g) =>
      fieldMatches(to.min, g.min, 'float32') &&
      fieldMatches(to.max, g.max, 'float32') &&
      fieldMatches(to.scale, g.scale, 'recomputed') &&
      Math.abs(Math.round(to.offset.value) - g.offset) <= Math.abs(g.offset / 256) + 1,
  );
}

/** A DLC tensor with an encoding that the source does not name: calibrated by the quantizer. */
export function classifyDlcOnly(hit: DlcHit, ctx: ClassifyContext, matchedEncodingOf: (name: string) => DlcHit | undefined): VerifyResult {
  const tensor = hit.tensor;
  const enc = tensor.encoding!;
  const first = enc.channels[0];
  const actual = first ? toGridNumbers(first) : undefined;
  const base = baseResult(hit, undefined);
  let why = 'the source does not name it, so the quantizer calibrated it';
  const tags: VerdictTag[] = [...flagTags(tensor)];
  // A Convert op's output: by name (`<base>_converted_UFIXED_POINT_16`) or by its producer op type.
  const at = tensor.name.lastIndexOf('_converted_');
  const producerOp = tensor.producer ? ctx.opsByName.get(`${hit.graph.name}\0${tensor.producer.op}`) : undefined;
  const convertBase =
    at > 0 ? tensor.name.slice(0, at) : tensor.producer?.type.toLowerCase() === 'convert' ? producerOp?.inputs[0] : undefined;
  if (convertBase !== undefined && first) {
    const from = ctx.index.byName.get(convertBase)?.find((h) => h.graph === hit.graph)?.tensor.encoding?.channels[0];
    if (from) {
      why = relatesAsConverted(from, first)
        ? `a Convert op re-expresses ${quote(convertBase)} on the ${first.bitwidth}-bit grid ` +
          `(scale ${fmt(from.scale.value)} → ${fmt(first.scale.value)}, offset ${fmt(from.offset.value)} → ${fmt(first.offset.value)}, min/max copied): consistent`
        : `a Convert op output whose encoding does not follow the ${from.bitwidth}↔${first.bitwidth}-bit relation to ${quote(convertBase)}`;
    }
  } else if (first) {
    const inherited = inheritedFrom(tensor.name, hit, matchedEncodingOf);
    if (inherited) why = `a converter-made copy (layout transpose/permute) that inherits the encoding of ${quote(inherited)}`;
  }
  const shown = actual ? ` (${gridWords(actual)}${enc.channels.length > 1 || enc.layout === 'per-channel' ? `, per-channel, ${enc.channelCount ?? enc.channels.length} channels` : ''})` : '';
  return {
    ...base,
    verdict: 'NOT_IN_SOURCE',
    kind: VERDICTS.NOT_IN_SOURCE.kind,
    tags,
    ...(actual ? { actual } : {}),
    sentence: verdictSentence('NOT_IN_SOURCE', `${why}${shown}.`),
  };
}

function inheritedFrom(name: string, hit: DlcHit, lookup: (name: string) => DlcHit | undefined): string | undefined {
  let base: string | undefined = name;
  for (let i = 0; i < 3; i++) {
    const slash = Math.max(base.lastIndexOf('.'), base.lastIndexOf('_'));
    if (slash <= 0) return undefined;
    base = base.slice(0, slash);
    const found = lookup(base);
    if (found && found.graph === hit.graph) {
      const a = found.tensor.encoding?.channels[0];
      const b = hit.tensor.encoding?.channels[0];
      if (a && b && a.bitwidth === b.bitwidth && a.min.value === b.min.value && a.max.value === b.max.value && a.scale.value === b.scale.value) {
        return base;
      }
      return undefined;
    }
  }
  return undefined;
}

export function classifyMissing(outcome: MatchOutcome): VerifyResult {
  const entry = outcome.entry;
  const g = entry.grids[0];
  return {
    tensor: entry.name,
    verdict: 'MISSING_IN_DLC',
    kind: VERDICTS.MISSING_IN_DLC.kind,
    tags: [],
    ...(g ? { expected: { ...(entry.bitwidth !== undefined ? { bitwidth: entry.bitwidth } : {}), ...g } } : {}),
    sourceAt: entry.at,
    sentence:
      verdictSentence('MISSING_IN_DLC', `no DLC tensor matches ${quote(entry.name)} (${entry.section}) by any rule ` +
      `(exact, :0, TF read suffix, converter suffix, sanitised, user renames${entry.section === 'param' ? ', TF scope' : ''}).`),
  };
}

export function classifyAmbiguous(outcome: MatchOutcome): VerifyResult {
  const names = [...new Set((outcome.ambiguous ?? []).map((h) => h.tensor.name))];
  return {
    tensor: outcome.entry.name,
    verdict: 'AMBIGUOUS_MATCH',
    kind: VERDICTS.AMBIGUOUS_MATCH.kind,
    tags: [],
    ...(outcome.rule ? { match: { rule: outcome.rule, sourceName: outcome.entry.name, dlcName: names.join(', ') } } : {}),
    sourceAt: outcome.entry.at,
    sentence:
      verdictSentence('AMBIGUOUS_MATCH', `rule ${outcome.rule ?? '?'} finds ${names.length} DLC tensors for ${quote(outcome.entry.name)} ` +
      `(${names.slice(0, 5).map(quote).join(', ')}${names.length > 5 ? ', …' : ''}); none was picked.`),
  };
}
