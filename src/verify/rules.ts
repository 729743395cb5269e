/**
 * The explanations of a DLC grid, in the order they are tried (ENCODINGS.md §4): one small rule per
 * verdict, each proposing the grid(s) the DLC would hold if its explanation were true. The first
 * proposal that fits the DLC wins (grid.ts); when none fits, the closest one is reported with its
 * distance (REAL_MISMATCH). `GRID_RULES` at the bottom is the order, in one list.
 *
 * A rule only proposes grids: its verdict is fixed by `defineRule`, so a rule cannot say another
 * verdict's name. Every field of a proposal says how it was obtained (as given, float32 of what was
 * given, or recomputed by the SDK in float32), which sets its tolerance.
 */
import type { DlcModel, Encoding, Op, ResultKind, SourceEntry, SourceGrid, Tensor, Verdict } from '../model.js';
import { pow2 } from '../numeric.js';
import { fmt, fmtRatio, fmtSteps } from '../words.js';
import {
  fxpNudge,
  gridFromScaleOffset,
  isSelfInconsistent,
  levels,
  MIN_RANGES,
  OP_FIXED_RULES,
  signedSymmetric,
  strictSymmetric,
  tfNudge,
  type FieldMode,
  type Grid,
} from './math.js';
import type { DlcHit, DlcIndex } from './match.js';

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

/** What a source channel says, plus what the verifier knows around it. */
export interface SourceSide {
  readonly entry: SourceEntry;
  readonly grid: SourceGrid;
  readonly bitwidth: number;
  readonly perChannel: boolean;
}

interface ExpectedField {
  readonly value: number;
  readonly mode: FieldMode;
}

/** A grid an explanation expects, without its verdict (the rule gives that). */
export interface Proposal {
  readonly min?: ExpectedField;
  readonly max?: ExpectedField;
  readonly scale?: ExpectedField;
  /** Accepted offsets (integers); empty = not checked. */
  readonly offsets: readonly number[];
  /** The explanation, for the sentence. */
  readonly because: string;
  /** When the explanation is only a warning (SYMMETRIC_FORCED with nothing asking for it). */
  readonly kind?: ResultKind;
}

export interface Candidate extends Proposal {
  readonly verdict: Verdict;
}

/** What every rule reads: the source grid, the DLC grid, and what is derived from them once. */
export interface GridFacts {
  readonly src: SourceSide;
  readonly dlc: Encoding;
  readonly tensor: Tensor;
  readonly ctx: ClassifyContext;
  readonly g: SourceGrid;
  readonly bw: number;
  /** 2^bw − 1 steps. */
  readonly n: number;
  /** 2^(bw−1). */
  readonly half: number;
  readonly hasMinMax: boolean;
  /** The source range, from min/max or from scale/offset. */
  readonly minV: number | undefined;
  readonly maxV: number | undefined;
  /** The quantizer computes the grid only when scale/offset are missing, or off-grid (inconsistent). */
  readonly recomputes: boolean;
}

export interface GridRule {
  readonly verdict: Verdict;
  /** The grids this explanation expects for these facts; none when it does not apply. */
  readonly propose: (facts: GridFacts) => Candidate[];
}

/** One explanation: its verdict, and the grids it expects (none, one or several). */
export function defineRule(verdict: Verdict, propose: (facts: GridFacts) => Proposal | readonly Proposal[] | undefined): GridRule {
  return {
    verdict,
    propose: (facts) => {
      const p = propose(facts);
      if (p === undefined) return [];
      return (Array.isArray(p) ? (p as readonly Proposal[]) : [p as Proposal]).map((x) => ({ verdict, ...x }));
    },
  };
}

export function factsOf(src: SourceSide, dlc: Encoding, tensor: Tensor, ctx: ClassifyContext): GridFacts {
  const g = src.grid;
  const bw = src.bitwidth;
  const n = levels(bw);
  const minV = g.min ?? (g.scale !== undefined ? (g.offset !== undefined ? -Math.abs(g.offset) : 0) * g.scale : undefined);
  const maxV = g.max ?? (g.scale !== undefined && minV !== undefined ? minV + n * g.scale : undefined);
  return {
    src,
    dlc,
    tensor,
    ctx,
    g,
    bw,
    n,
    half: pow2(bw - 1),
    hasMinMax: g.min !== undefined && g.max !== undefined,
    minV,
    maxV,
    recomputes: g.scale === undefined || g.offset === undefined || inconsistent(src),
  };
}

/** JSON_INCONSISTENT, reading a symmetric entry's offset 0 as the forced −2^(bw−1). */
export function inconsistent(src: SourceSide): boolean {
  const g = src.grid;
  const forced = src.entry.isSymmetric === true && (g.offset === undefined || g.offset === 0);
  return isSelfInconsistent(forced ? { ...g, offset: -(2 ** (src.bitwidth - 1)) } : g, src.bitwidth);
}

function recomputed(g: Grid): Pick<Proposal, 'min' | 'max' | 'scale' | 'offsets'> {
  return {
    min: { value: g.min, mode: 'recomputed' },
    max: { value: g.max, mode: 'recomputed' },
    scale: { value: g.scale, mode: 'recomputed' },
    offsets: [g.offset],
  };
}

/** The grid as given, completed where the SDK derives fields itself. */
function asGiven(f: GridFacts, mode: 'as-given' | 'float32', offsetOverride?: number): Omit<Proposal, 'because'> | undefined {
  const g = f.g;
  if (g.scale !== undefined) {
    const o = offsetOverride ?? g.offset ?? 0;
    const derived = gridFromScaleOffset(g.scale, o, f.bw);
    return {
      min: g.min !== undefined ? { value: g.min, mode } : { value: derived.min, mode: 'recomputed' },
      max: g.max !== undefined ? { value: g.max, mode } : { value: derived.max, mode: 'recomputed' },
      scale: { value: g.scale, mode },
      offsets: [o],
    };
  }
  if (f.hasMinMax) {
    // min/max only: the quantizer computes scale and offset (MinAndMaxToFxpFormat).
    const nudged = fxpNudge(g.min!, g.max!, f.bw);
    return {
      min: { value: g.min!, mode },
      max: { value: g.max!, mode },
      scale: { value: nudged.scale, mode: 'recomputed' },
      offsets: [nudged.offset],
    };
  }
  return undefined;
}

export const EXACT_BECAUSE = 'every field equals the source at the printed precision';
export const FLOAT32_BECAUSE = 'every field equals float32 of the source';

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

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

/**
 * EXACT needs the source to give the grid (scale); from min/max alone the SDK computes it in
 * float32. And a value can only be held exactly when float32 can represent it: otherwise equality
 * at the printed precision is float32 storage hidden by the print (FLOAT32_ROUNDING).
 */
const exact = defineRule('EXACT', (f) => {
  const representable = [f.g.min, f.g.max, f.g.scale].every((v) => v === undefined || Math.fround(v) === v);
  const grid = f.g.scale !== undefined && representable ? asGiven(f, 'as-given') : undefined;
  return grid && { ...grid, because: EXACT_BECAUSE };
});

const float32Rounding = defineRule('FLOAT32_ROUNDING', (f) => {
  const grid = asGiven(f, 'float32');
  return grid && { ...grid, because: FLOAT32_BECAUSE };
});

const offsetSignNormalized = defineRule('OFFSET_SIGN_NORMALIZED', (f) => {
  const o = f.g.offset;
  if (o === undefined || o <= 0) return undefined;
  const grid = asGiven(f, 'float32', -o);
  return grid && { ...grid, because: `the source offset ${fmt(o)} (a zero point) is stored as ${fmt(-o)}` };
});

const symmetricOffsetForced = defineRule('SYMMETRIC_OFFSET_FORCED', (f) => {
  const { g, half } = f;
  if (f.src.entry.isSymmetric !== true || !(g.offset === undefined || g.offset === 0 || g.offset === -half)) return undefined;
  const because = `a symmetric encoding is stored with offset ${-half} (or 0 when stored signed)`;
  if (g.scale !== undefined) {
    const s = g.scale;
    return [
      {
        min: g.min !== undefined ? { value: g.min, mode: 'float32' } : { value: -half * s, mode: 'recomputed' },
        max: g.max !== undefined ? { value: g.max, mode: 'float32' } : { value: (half - 1) * s, mode: 'recomputed' },
        scale: { value: s, mode: 'float32' },
        offsets: [-half, 0],
        because,
      },
      // Converter stage [real, QAIRT 2.25]: {scale s, offset −2^(bw−1)} is stored as ±(2^(bw−1)−1)·s, offset 0.
      {
        min: { value: -(half - 1) * s, mode: 'recomputed' },
        max: { value: (half - 1) * s, mode: 'recomputed' },
        scale: { value: s, mode: 'float32' },
        offsets: [0],
        because: `the converter stores a symmetric {scale, offset ${-half}} override as min −${half - 1}·scale, max ${half - 1}·scale, offset 0`,
      },
    ];
  }
  if (!f.hasMinMax) return undefined;
  return { min: { value: g.min!, mode: 'float32' }, max: { value: g.max!, mode: 'float32' }, offsets: [-half, 0], because };
});

// FakeQuant rules come before the generic nudge: they are the more specific explanation.
const reluMinClamped = defineRule('RELU_MIN_CLAMPED', (f) => {
  const fq = f.src.entry.fakeQuant;
  if (!fq || !f.hasMinMax || !isReluType(fq.producerType) || f.g.min! >= 0) return undefined;
  return { ...recomputed(fxpNudge(0, f.g.max!, f.bw)), because: `the converter forced min ${fmt(f.g.min)} to 0 after ${fq.producerType}` };
});

const tfNarrowRangeIgnored = defineRule('TF_NARROW_RANGE_IGNORED', (f) => {
  const fq = f.src.entry.fakeQuant;
  if (!fq || !f.hasMinMax || !fq.narrowRange) return undefined;
  const { g, bw, n } = f;
  const snpe = fxpNudge(g.min!, g.max!, bw);
  const tf = tfNudge(g.min!, g.max!, bw, true);
  const moved = Math.abs(snpe.min - g.min!) / snpe.scale;
  return {
    ...recomputed(snpe),
    because:
      `narrow_range is ignored: the grid has ${n} steps, not ${n - 1} (scale ratio to TF's ${fmt(tf.scale)}: ` +
      `${fmtRatio(snpe.scale / tf.scale)}, ${n - 1}/${n} = ${fmtRatio((n - 1) / n)}); min nudged by ${fmtSteps(moved)} step`,
  };
});

/** The source range, counting 0 in (the grid always holds 0). */
function rangeWithZero(f: GridFacts): number {
  return Math.max(0, f.g.max!) - Math.min(0, f.g.min!);
}

const zeroPointNudged = defineRule('ZERO_POINT_NUDGED', (f) => {
  if (!f.hasMinMax || !f.recomputes) return undefined;
  const range = rangeWithZero(f);
  const minRange = MIN_RANGES.find((m) => range >= m);
  if (minRange === undefined) return undefined;
  const { g } = f;
  const nudged = fxpNudge(g.min!, g.max!, f.bw, minRange);
  const minMoved = Math.abs(nudged.min - g.min!) / nudged.scale;
  const maxMoved = Math.abs(nudged.max - g.max!) / nudged.scale;
  return {
    ...recomputed(nudged),
    because: `the quantizer moved the grid so that 0 is representable: min by ${fmtSteps(minMoved)} step, max by ${fmtSteps(maxMoved)} step, offset ${fmt(nudged.offset)}`,
  };
});

const minRangeEnforced = defineRule('MIN_RANGE_ENFORCED', (f) => {
  if (!f.hasMinMax || !f.recomputes) return undefined;
  const range = rangeWithZero(f);
  return MIN_RANGES.filter((m) => range < m).map((minRange) => ({
    ...recomputed(fxpNudge(f.g.min!, f.g.max!, f.bw, minRange)),
    because: `the range ${fmt(range)} is below the minimum ${minRange} and was widened to it`,
  }));
});

const symmetricForced = defineRule('SYMMETRIC_FORCED', (f) => {
  if (f.minV === undefined || f.maxV === undefined) return undefined;
  const { src, tensor, ctx, bw, half } = f;
  const absMax = Math.max(Math.abs(f.minV), Math.abs(f.maxV));
  const isParam = tensor.role === 'param' || src.entry.section === 'param';
  const reasons: string[] = [];
  if (src.entry.isSymmetric === true) reasons.push('the source says is_symmetric');
  if (isParam && ctx.symmetricWeightsFlag) reasons.push('use_symmetric_quantize_weights is set');
  if (src.perChannel) reasons.push('per-channel encodings are symmetric');
  if (isParam && bw === 16) reasons.push('16-bit weights are symmetric');
  // AIMET strict symmetric (offset −(2^(bw−1)−1), min = −max), e.g. older AIMET exports.
  const strict = strictSymmetric(absMax, bw);
  return [
    {
      ...recomputed(signedSymmetric(absMax, bw)),
      offsets: [-half, 0],
      kind: reasons.length > 0 ? 'ok' : 'warn',
      because:
        reasons.length > 0
          ? `the SDK made it signed symmetric (absmax ${fmt(absMax)}): ${reasons.join(', ')}`
          : `the SDK made it signed symmetric although the source is asymmetric and no flag asks for it`,
    },
    {
      ...recomputed(strict),
      kind: src.entry.isSymmetric === true || (ctx.symmetricWeightsFlag && tensor.role === 'param') ? 'ok' : 'warn',
      because: `the grid is strict symmetric (offset ${-(half - 1)}, min = −max = −${fmt(strict.max)})`,
    },
  ];
});

const opFixedEncoding = defineRule('OP_FIXED_ENCODING', (f) => {
  const opKind = producerOpKind(f.ctx, f.tensor.graph, f.tensor);
  if (opKind === undefined) return undefined;
  return OP_FIXED_RULES.filter((r) => r.op === opKind && r.bitwidth === f.dlc.bitwidth).map((r) => ({
    ...recomputed(r.grid),
    because: `the backend imposes the ${r.words} rule on ${opKind} outputs`,
  }));
});

/** The explanations of a grid, in the order they are tried: the first that fits wins. */
export const GRID_RULES: readonly GridRule[] = [
  exact,
  float32Rounding,
  offsetSignNormalized,
  symmetricOffsetForced,
  reluMinClamped,
  tfNarrowRangeIgnored,
  zeroPointNudged,
  minRangeEnforced,
  symmetricForced,
  opFixedEncoding,
];

/** Every rule's proposals for these facts, in rule order. */
export function candidatesOf(facts: GridFacts): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of GRID_RULES) for (const c of rule.propose(facts)) out.push(c);
  return out;
}
