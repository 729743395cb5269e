/**
 * The quantization arithmetic of ENCODINGS.md §2–§3 and the tolerances of §4.
 *
 * Grids are plain numbers in QNN convention: `offset ≤ 0`, `min = offset·scale`,
 * `max = (offset + 2^bw − 1)·scale`. Everything here is pure and total: odd inputs (NaN, zero
 * ranges) give NaN fields, never a throw; a NaN never compares equal, so it ends as a mismatch.
 */
import type { GridNumbers, PrintedNumber } from '../model.js';
import { pow2, printQuantum, roundHalfAway, ulp32 } from '../numeric.js';

export interface Grid {
  readonly bitwidth: number;
  readonly min: number;
  readonly max: number;
  readonly scale: number;
  readonly offset: number;
}

/** AIMET's MIN_RANGE (SNPE documentation) and the QNN documentation's smaller one. */
export const MIN_RANGES = [0.01, 0.0001] as const;

export function levels(bitwidth: number): number {
  return pow2(bitwidth) - 1;
}

/** The grid a scale and an offset describe (the SDK derives min/max this way). */
export function gridFromScaleOffset(scale: number, offset: number, bitwidth: number): Grid {
  return { bitwidth, scale, offset, min: offset * scale, max: (offset + levels(bitwidth)) * scale };
}

/**
 * MinAndMaxToFxpFormat (AIMET `TfQuantizer.cpp`), in double: widen to include 0, enforce the minimum
 * range, then move the zero point onto the grid (round half away from zero).
 */
export function fxpNudge(min: number, max: number, bitwidth: number, minRange: number = MIN_RANGES[0]): Grid {
  const n = levels(bitwidth);
  const newMin = Math.min(0, min);
  let newMax = Math.max(0, max);
  newMax = Math.max(newMax, newMin + minRange);
  const scale = (newMax - newMin) / n;
  let offset: number;
  if (newMin < 0 && newMax > 0) offset = -clamp(roundHalfAway(-newMin / scale), 0, n);
  else offset = roundHalfAway(newMin / scale);
  const nudgedMin = scale * offset;
  return { bitwidth, scale, offset: offset === 0 ? 0 : offset, min: nudgedMin, max: newMax - newMin + nudgedMin };
}

/** TensorFlow's FakeQuant Nudge, in float32 as TF computes it. Returned in QNN convention (offset = −zp). */
export function tfNudge(min: number, max: number, bitwidth: number, narrowRange: boolean): Grid {
  const f = Math.fround;
  const qmin = narrowRange ? 1 : 0;
  const qmax = levels(bitwidth);
  const scale = f(f(f(max) - f(min)) / (qmax - qmin));
  const zpFromMin = f(qmin - f(f(min) / scale));
  const zp = clamp(Math.round(zpFromMin), qmin, qmax);
  return {
    bitwidth,
    scale,
    offset: zp === 0 ? 0 : -zp,
    min: f((qmin - zp) * scale),
    max: f((qmax - zp) * scale),
  };
}

/** AIMET signed symmetric (the default for params): offset −2^(bw−1), max = (2^(bw−1)−1)·scale. */
export function signedSymmetric(absMax: number, bitwidth: number): Grid {
  const half = pow2(bitwidth - 1);
  const scale = absMax / (half - 1);
  return { bitwidth, scale, offset: -half, min: -half * scale, max: (half - 1) * scale };
}

/** AIMET strict symmetric: offset −(2^(bw−1)−1), so min = −max. */
export function strictSymmetric(absMax: number, bitwidth: number): Grid {
  const half = pow2(bitwidth - 1);
  const scale = absMax / (half - 1);
  return { bitwidth, scale, offset: -(half - 1), min: -(half - 1) * scale, max: (half - 1) * scale };
}

/** An op rule of §2: the backend imposes this grid on the op's output whatever the overrides say. */
export interface OpFixedRule {
  readonly op: 'Sigmoid' | 'Tanh';
  readonly bitwidth: number;
  readonly signed: boolean;
  readonly grid: Grid;
  /** The rule in words, for the sentence ("16-bit Sigmoid: scale 2^-16, offset 0"). */
  readonly words: string;
}

function rule(op: 'Sigmoid' | 'Tanh', bitwidth: number, signed: boolean, scale: number, offset: number, words: string): OpFixedRule {
  // A signed grid is printed with offset 0 but spans −2^(bw−1)..2^(bw−1)−1 steps.
  const grid = signed
    ? { bitwidth, scale, offset: 0, min: -(2 ** (bitwidth - 1)) * scale, max: (2 ** (bitwidth - 1) - 1) * scale }
    : gridFromScaleOffset(scale, offset, bitwidth);
  return { op, bitwidth, signed, grid, words };
}

export const OP_FIXED_RULES: readonly OpFixedRule[] = [
  rule('Sigmoid', 16, false, 2 ** -16, 0, '16-bit Sigmoid: scale 2^-16, offset 0'),
  rule('Sigmoid', 16, true, 2 ** -15, 0, '16-bit signed Sigmoid: scale 2^-15, offset 0'),
  rule('Tanh', 16, false, 2 ** -15, -32768, '16-bit Tanh: scale 2^-15, offset -32768'),
  rule('Tanh', 16, true, 2 ** -15, 0, '16-bit signed Tanh: scale 2^-15, offset 0'),
  rule('Sigmoid', 8, false, 1 / 255, 0, '8-bit Sigmoid: range [0, 1], scale 1/255, offset 0'),
];

/**
 * The 8↔16-bit relation of a `_converted_UFIXED_POINT_16` tensor to its 8-bit source: min/max
 * copied, scale divided by 256 (or 257), offset multiplied by 256. `from` is the source tensor.
 */
export function convertedGrids(from: Grid, toBitwidth: number): Grid[] {
  const factor = 2 ** (toBitwidth - from.bitwidth);
  if (factor === 1) return [];
  if (factor > 1) {
    const alt = levels(toBitwidth) / levels(from.bitwidth); // 257 for 8 -> 16 (256 is `factor`)
    return [factor, alt].map((f) => ({ bitwidth: toBitwidth, min: from.min, max: from.max, scale: from.scale / f, offset: from.offset * factor }));
  }
  const down = 1 / factor;
  const alt = levels(from.bitwidth) / levels(toBitwidth);
  return [down, alt].map((f) => ({ bitwidth: toBitwidth, min: from.min, max: from.max, scale: from.scale * f, offset: Math.round(from.offset / down) }));
}

// ---------------------------------------------------------------------------------------------
// Tolerances (ENCODINGS.md §4)
// ---------------------------------------------------------------------------------------------

/** How an expected value came to be, which decides its tolerance. */
export type FieldMode = 'as-given' | 'float32' | 'recomputed';

/**
 * Does the printed DLC value `p` hold the expected value `e`?
 * - as-given: `|p − e| ≤ q(p) + 1e−15·max(1, |p|)` (EXACT);
 * - float32:  `|p − fround(e)| ≤ q(p) + 1e−15·max(1, |p|)` (direct storage);
 * - recomputed: `|p − fround(e)| ≤ q(p) + 4·ulp32(e)` (the SDK computed it in float32).
 * `extraAbsolute` is a user tolerance override (config file), 0 by default.
 */
export function fieldMatches(p: PrintedNumber, e: number, mode: FieldMode, extraAbsolute = 0): boolean {
  return Math.abs(p.value - target(e, mode)) <= fieldTolerance(p, e, mode) + extraAbsolute;
}

export function fieldTolerance(p: PrintedNumber, e: number, mode: FieldMode): number {
  const q = printQuantum(p);
  return mode === 'recomputed' ? q + 4 * ulp32(e) : q + 1e-15 * Math.max(1, Math.abs(p.value));
}

function target(e: number, mode: FieldMode): number {
  return mode === 'as-given' ? e : Math.fround(e);
}

// ---------------------------------------------------------------------------------------------
// Deviations
// ---------------------------------------------------------------------------------------------

export interface StepDeviation {
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly scaleRatio: number;
  readonly offsetDelta: number;
}

/**
 * How far the DLC grid is from an expected one, in steps of the DLC grid (or of the expected
 * grid when the DLC scale is 0: a converter-stage DLC has no scale yet).
 */
export function stepDeviation(actual: GridNumbers, expected: GridNumbers): StepDeviation {
  const step = actual.scale !== undefined && actual.scale !== 0 ? Math.abs(actual.scale) : Math.abs(expected.scale ?? Number.NaN);
  const steps = (a: number | undefined, e: number | undefined): number =>
    a === undefined || e === undefined ? Number.NaN : step === 0 ? (a === e ? 0 : Number.POSITIVE_INFINITY) : Math.abs(a - e) / step;
  return {
    minSteps: steps(actual.min, expected.min),
    maxSteps: steps(actual.max, expected.max),
    scaleRatio: actual.scale !== undefined && expected.scale !== undefined && expected.scale !== 0 ? actual.scale / expected.scale : Number.NaN,
    offsetDelta: actual.offset !== undefined && expected.offset !== undefined ? actual.offset - expected.offset : Number.NaN,
  };
}

/** The worst of the min/max step deviations (NaN-aware: NaN counts as infinitely far). */
export function worstSteps(d: StepDeviation): number {
  const values = [d.minSteps, d.maxSteps].filter((v) => !Number.isNaN(v));
  if (values.length === 0) return Number.POSITIVE_INFINITY;
  return Math.max(...values);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Whether a source grid disagrees with itself (ENCODINGS.md §4 `JSON_INCONSISTENT`):
 * offset·scale ≠ min or (max − min)/n ≠ scale by more than 0.01 step.
 */
export function isSelfInconsistent(grid: { min?: number; max?: number; scale?: number; offset?: number }, bitwidth: number): boolean {
  const { min, max, scale, offset } = grid;
  if (min === undefined || max === undefined || scale === undefined || offset === undefined || scale === 0) return false;
  const o = -Math.abs(offset);
  const step = Math.abs(scale);
  const minOff = Math.abs(o * scale - min) / step;
  const scaleOff = (Math.abs((max - min) / levels(bitwidth) - scale) * levels(bitwidth)) / step;
  return minOff > 0.01 || scaleOff > 0.01;
}
