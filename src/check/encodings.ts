/**
 * Encodings no one should ship: rules that need the model alone, one tensor at a time.
 *
 * Each rule emits at most one finding per (tensor, code): an LLM holds hundreds of thousands of
 * channels, and "37 of 4096 channels, worst channel 12" is what a user acts on. Thresholds are
 * named here and documented in README.md ("check"); nothing else in the module is a magic number.
 */
import type { CheckCode, CheckFinding, Encoding, Graph, GraphRef, Tensor, TensorEncoding } from '../model.js';
import { CHECKS } from '../findings.js';
import { printQuantum, roundHalfAway, ulp32 } from '../numeric.js';
import { sameValue, sameValueTolerance } from '../verify/diff-tensors.js';
import { levels } from '../verify/math.js';
import { fmt, toGridNumbers } from '../words.js';

export const THRESHOLDS = {
  /** |min| or |max| at or above this is not a range anyone calibrated (float32 max is 3.4e38). */
  absurdMagnitude: 1e30,
  /** A scale at or above this puts every real activation or weight within one or two steps of 0. */
  absurdScale: 1e10,
  /** A channel whose scale is below this fraction of the tensor's median channel scale has collapsed. */
  collapsedChannelRatio: 1e-6,
} as const;

interface EncodingRuleContext {
  readonly where: GraphRef;
  /** The DLC has not been through the quantizer (`Quantizer command: N/A`): scale 0 means "not computed yet". */
  readonly converterStage: boolean;
}

interface EncodingRuleOutcome {
  readonly findings: CheckFinding[];
  readonly encodings: number;
  readonly channels: number;
  readonly converted: number;
  /** Tensors whose layout is read but not checked (block, LPBQ, vector). */
  readonly notChecked: string[];
  /** `_converted_` tensors without a source of another bitwidth in the graph (not compared). */
  readonly convertedWithoutSource: string[];
}

/** Channel label for sentences: `channel 3 ` for per-channel encodings, nothing otherwise. */
function channelText(e: Encoding): string {
  return e.channel !== undefined ? `channel ${e.channel} ` : '';
}

interface Hit {
  readonly channel: Encoding;
  /** Smaller is worse when `worst` picks among hits (a ratio), else the first hit is kept. */
  readonly rank: number;
  readonly detail: string;
  readonly numbers?: ReadonlyMap<string, number>;
}

function finding(
  code: CheckCode,
  t: Tensor,
  enc: TensorEncoding,
  hits: readonly Hit[],
  ctx: EncodingRuleContext,
  action: string,
): CheckFinding {
  const worst = hits.reduce((w, h) => (h.rank < w.rank ? h : w));
  const perChannel = enc.layout === 'per-channel' && enc.channels.length > 1;
  const count = perChannel ? `${hits.length} of ${enc.channels.length} channels of ` : '';
  const worstLabel = perChannel ? ` (${hits.length > 1 ? 'worst: ' : ''}${channelText(worst.channel).trim()})` : '';
  return {
    code,
    kind: CHECKS[code].kind,
    tensor: t.name,
    ...(worst.channel.channel !== undefined ? { channel: worst.channel.channel } : {}),
    where: ctx.where,
    actual: toGridNumbers(worst.channel),
    ...(worst.numbers ? { numbers: worst.numbers } : {}),
    sentence: `${count}${t.role === 'param' ? 'weight' : 'tensor'} ${t.name}${worstLabel}: ${worst.detail}; ${action}`,
    at: worst.channel.at.file !== undefined ? worst.channel.at : t.at,
  };
}

function isFiniteEncoding(e: Encoding): boolean {
  return Number.isFinite(e.min.value) && Number.isFinite(e.max.value) && Number.isFinite(e.scale.value) && Number.isFinite(e.offset.value);
}

function nonFinite(e: Encoding): Hit | undefined {
  const fields = (['min', 'max', 'scale', 'offset'] as const).filter((f) => !Number.isFinite(e[f].value));
  if (fields.length === 0) return undefined;
  return { channel: e, rank: 0, detail: fields.map((f) => `${f} ${e[f].value}`).join(', ') };
}

function scaleNotPositive(e: Encoding, ctx: EncodingRuleContext): Hit | undefined {
  const scale = e.scale.value;
  if (!Number.isFinite(scale) || scale > 0) return undefined;
  // A converter-stage DLC stores min/max with scale 0: computed at quantization (SCALE_NOT_COMPUTED).
  if (scale === 0 && ctx.converterStage) return undefined;
  return { channel: e, rank: scale, detail: `scale ${fmt(scale)} (min ${fmt(e.min.value)}, max ${fmt(e.max.value)}, ${e.bitwidth}-bit)` };
}

function rangeAbsurd(e: Encoding): Hit | undefined {
  if (!isFiniteEncoding(e)) return undefined;
  const magnitude = Math.max(Math.abs(e.min.value), Math.abs(e.max.value));
  const scale = e.scale.value;
  if (magnitude < THRESHOLDS.absurdMagnitude && scale < THRESHOLDS.absurdScale) return undefined;
  const why =
    magnitude >= THRESHOLDS.absurdMagnitude
      ? `|min| or |max| ${fmt(magnitude)} >= ${fmt(THRESHOLDS.absurdMagnitude)}`
      : `scale ${fmt(scale)} >= ${fmt(THRESHOLDS.absurdScale)}`;
  return {
    channel: e,
    rank: -magnitude,
    detail: `min ${fmt(e.min.value)}, max ${fmt(e.max.value)}, scale ${fmt(scale)} (${why}): every value within ±${fmt(scale)} of 0 quantizes to one step`,
    numbers: new Map([
      ['rangeMagnitude', magnitude],
      ['thresholdMagnitude', THRESHOLDS.absurdMagnitude],
      ['thresholdScale', THRESHOLDS.absurdScale],
    ]),
  };
}

function offsetOutsideGrid(e: Encoding): Hit | undefined {
  const offset = e.offset.value;
  if (!Number.isFinite(offset)) return undefined;
  const rounded = roundHalfAway(offset);
  // Offsets are integers printed as floats (`-128.000000000000`); `%.4g` may print 5 digits as 1.234e+04.
  const slack = printQuantum(e.offset) + ulp32(offset);
  const integer = Math.abs(offset - rounded) <= slack;
  const lowest = -levels(e.bitwidth);
  const inside = offset <= slack && offset >= lowest - slack;
  if (integer && inside) return undefined;
  const why = !integer ? `not an integer` : offset > 0 ? `positive` : `below ${lowest}`;
  return {
    channel: e,
    rank: -Math.abs(offset),
    detail: `offset ${fmt(offset)} is ${why} (a ${e.bitwidth}-bit grid holds integer offsets in [${lowest}, 0])`,
    numbers: new Map([
      ['offset', offset],
      ['lowestOffset', lowest],
    ]),
  };
}

function minAboveMax(e: Encoding): Hit | undefined {
  if (!Number.isFinite(e.min.value) || !Number.isFinite(e.max.value)) return undefined;
  if (e.min.value - e.max.value <= sameValueTolerance(e.min, e.max)) return undefined;
  return { channel: e, rank: e.max.value - e.min.value, detail: `min ${fmt(e.min.value)} > max ${fmt(e.max.value)}` };
}

/**
 * Offsets a symmetric grid is stored with: 0 (signed storage, `sFxp`, QAIRT converter-stage QDQ
 * weights: min −128·s, max 127·s) or −2^(bw−1) (the same grid in unsigned storage).
 */
function symmetricOffsets(bitwidth: number): number[] {
  return [0, -(2 ** (bitwidth - 1))];
}

function symmetricOffsetWrong(e: Encoding): Hit | undefined {
  if (e.isSymmetric !== true || !Number.isFinite(e.offset.value)) return undefined;
  const offset = roundHalfAway(e.offset.value);
  const allowed = symmetricOffsets(e.bitwidth);
  if (allowed.includes(offset)) return undefined;
  return {
    channel: e,
    rank: -Math.abs(offset),
    detail: `is_symmetric is set but the offset is ${fmt(e.offset.value)}, not ${allowed.join(' or ')} (min ${fmt(e.min.value)}, max ${fmt(e.max.value)})`,
  };
}

/** Channels whose scale is below `collapsedChannelRatio` × the median of the tensor's channel scales. */
function collapsedChannels(enc: TensorEncoding): Hit[] {
  if (enc.layout !== 'per-channel') return [];
  const scales = enc.channels.map((c) => c.scale.value).filter((s) => Number.isFinite(s) && s > 0);
  if (scales.length < 2) return [];
  const sorted = [...scales].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const limit = THRESHOLDS.collapsedChannelRatio * median;
  const hits: Hit[] = [];
  for (const c of enc.channels) {
    const s = c.scale.value;
    if (!(Number.isFinite(s) && s > 0 && s < limit)) continue;
    const ratio = s / median;
    hits.push({
      channel: c,
      rank: ratio,
      detail: `scale ${fmt(s)} is ${ratio.toExponential(1)} of the median channel scale ${fmt(median)} (threshold ${THRESHOLDS.collapsedChannelRatio.toExponential(0)})`,
      numbers: new Map([
        ['channelScale', s],
        ['medianChannelScale', median],
        ['ratioToMedian', ratio],
        ['thresholdRatio', THRESHOLDS.collapsedChannelRatio],
      ]),
    });
  }
  return hits;
}

const CONVERTED = /_converted_/;

/** The tensor a `_converted_` tensor was made from: the Convert op's input, else the name before `_converted_`. */
function convertedSource(t: Tensor, graph: Graph, opsByName: ReadonlyMap<string, Graph['ops'][number]>): Tensor | undefined {
  const producer = t.producer !== undefined ? opsByName.get(t.producer.op) : undefined;
  const input = producer !== undefined && producer.inputs.length === 1 ? graph.tensors.get(producer.inputs[0]!) : undefined;
  if (input !== undefined && input.encoding !== undefined) return input;
  const base = t.name.slice(0, t.name.search(CONVERTED));
  return graph.tensors.get(base);
}

/**
 * A `_converted_UFIXED_POINT_16` tensor (PAIRS.md §A, qairt222_yolov8s_int8: `/model.22/Split_output_1`
 * 8-bit scale 0.269287139177 offset −179 -> converted 16-bit scale 0.001051902887 offset −45824) keeps
 * min/max, divides the scale by 2^Δbw (or by (2^16−1)/(2^8−1) = 257) and multiplies the offset by 2^Δbw.
 */
function checkConverted(t: Tensor, from: Tensor, ctx: EncodingRuleContext): CheckFinding | undefined {
  const to = t.encoding?.channels[0];
  const src = from.encoding?.channels[0];
  if (to === undefined || src === undefined || to.bitwidth === src.bitwidth) return undefined;
  if (!isFiniteEncoding(to) || !isFiniteEncoding(src)) return undefined; // ENCODING_NON_FINITE says it
  const up = to.bitwidth > src.bitwidth;
  const factor = 2 ** Math.abs(to.bitwidth - src.bitwidth);
  const levelRatio = up ? levels(to.bitwidth) / levels(src.bitwidth) : levels(src.bitwidth) / levels(to.bitwidth);
  const scaleFits = [factor, levelRatio].some((f) => {
    const expected = up ? src.scale.value / f : src.scale.value * f;
    const tolerance = printQuantum(to.scale) + (up ? printQuantum(src.scale) / f : printQuantum(src.scale) * f) + 2 * ulp32(expected);
    return Math.abs(to.scale.value - expected) <= tolerance;
  });
  const srcOffset = roundHalfAway(src.offset.value);
  const expectedOffset = up ? srcOffset * factor : Math.round(srcOffset / factor);
  const offsetFits = roundHalfAway(to.offset.value) === expectedOffset;
  const minFits = sameValue(src.min, to.min);
  const maxFits = sameValue(src.max, to.max);
  const expected = {
    bitwidth: to.bitwidth,
    min: src.min.value,
    max: src.max.value,
    scale: up ? src.scale.value / factor : src.scale.value * factor,
    offset: expectedOffset,
  };
  if (scaleFits && offsetFits && minFits && maxFits) {
    return {
      code: 'CONVERTED_CONSISTENT',
      kind: CHECKS.CONVERTED_CONSISTENT.kind,
      tensor: t.name,
      where: ctx.where,
      expected,
      actual: toGridNumbers(to),
      sentence: `${t.name} re-expresses ${from.name} (${src.bitwidth}-bit) at ${to.bitwidth} bits: min/max copied, scale ${up ? '/' : '×'} ${factor}, offset ${fmt(srcOffset)} -> ${fmt(expectedOffset)}`,
      at: to.at,
      relatedAt: src.at,
    };
  }
  const wrong: string[] = [];
  if (!minFits) wrong.push(`min ${fmt(to.min.value)} (source ${fmt(src.min.value)})`);
  if (!maxFits) wrong.push(`max ${fmt(to.max.value)} (source ${fmt(src.max.value)})`);
  if (!scaleFits) wrong.push(`scale ${fmt(to.scale.value)} (expected ${fmt(expected.scale)} = ${fmt(src.scale.value)} ${up ? '/' : '×'} ${factor})`);
  if (!offsetFits) wrong.push(`offset ${fmt(to.offset.value)} (expected ${fmt(expectedOffset)} = ${fmt(srcOffset)} ${up ? '×' : '/'} ${factor})`);
  return {
    code: 'CONVERTED_INCONSISTENT',
    kind: CHECKS.CONVERTED_INCONSISTENT.kind,
    tensor: t.name,
    where: ctx.where,
    expected,
    actual: toGridNumbers(to),
    deviation: {
      minSteps: Math.abs(to.min.value - src.min.value) / Math.abs(to.scale.value),
      maxSteps: Math.abs(to.max.value - src.max.value) / Math.abs(to.scale.value),
      scaleRatio: to.scale.value / expected.scale,
      offsetDelta: roundHalfAway(to.offset.value) - expectedOffset,
    },
    sentence: `${t.name} (${to.bitwidth}-bit) does not re-express ${from.name} (${src.bitwidth}-bit): ${wrong.join(', ')}; the Convert op changes values: requantize the model`,
    at: to.at,
    relatedAt: src.at,
  };
}

const ACTIONS: Readonly<Record<Exclude<CheckCode, `SEAM_${string}` | `SHARED_${string}` | `CONVERTED_${string}`>, string>> = {
  ENCODING_NON_FINITE: 'fix the calibration data or override this tensor with a finite range',
  SCALE_NOT_POSITIVE: 'recalibrate or override this tensor with a real range',
  RANGE_ABSURD: 'override this tensor with the range it really has, or keep it in float',
  CHANNEL_SCALE_COLLAPSED: 'harmless if these channels are dead (all-zero weights); otherwise recalibrate',
  OFFSET_OUTSIDE_GRID: 'recompute scale and offset from min/max, or override them',
  MIN_ABOVE_MAX: 'recalibrate or override this tensor',
  SYMMETRIC_OFFSET_WRONG: 'requantize with consistent symmetric settings',
};

/** Every shipping rule over every encoded tensor of one graph. */
export function checkGraphEncodings(graph: Graph, ctx: EncodingRuleContext): EncodingRuleOutcome {
  const findings: CheckFinding[] = [];
  const notChecked: string[] = [];
  const convertedWithoutSource: string[] = [];
  let encodings = 0;
  let channels = 0;
  let converted = 0;
  const opsByName = new Map(graph.ops.map((o) => [o.name, o] as const));
  for (const t of graph.tensors.values()) {
    const enc = t.encoding;
    if (enc === undefined || enc.channels.length === 0) continue;
    if (enc.experimental) {
      notChecked.push(`${t.name} (${enc.layout})`);
      continue;
    }
    encodings++;
    channels += enc.channels.length;
    const perChannelRule = (code: keyof typeof ACTIONS, rule: (e: Encoding) => Hit | undefined): void => {
      const hits = enc.channels.map(rule).filter((h): h is Hit => h !== undefined);
      if (hits.length > 0) findings.push(finding(code, t, enc, hits, ctx, ACTIONS[code]));
    };
    perChannelRule('ENCODING_NON_FINITE', nonFinite);
    perChannelRule('SCALE_NOT_POSITIVE', (e) => scaleNotPositive(e, ctx));
    perChannelRule('RANGE_ABSURD', rangeAbsurd);
    perChannelRule('OFFSET_OUTSIDE_GRID', offsetOutsideGrid);
    perChannelRule('MIN_ABOVE_MAX', minAboveMax);
    perChannelRule('SYMMETRIC_OFFSET_WRONG', symmetricOffsetWrong);
    const collapsed = collapsedChannels(enc);
    if (collapsed.length > 0) findings.push(finding('CHANNEL_SCALE_COLLAPSED', t, enc, collapsed, ctx, ACTIONS.CHANNEL_SCALE_COLLAPSED));
    if (CONVERTED.test(t.name)) {
      const from = convertedSource(t, graph, opsByName);
      const result = from !== undefined ? checkConverted(t, from, ctx) : undefined;
      if (result !== undefined) {
        converted++;
        findings.push(result);
      } else {
        // No source with an encoding, or one of the same bitwidth: nothing to re-express; said in a note.
        convertedWithoutSource.push(t.name);
      }
    }
  }
  return { findings, encodings, channels, converted, notChecked, convertedWithoutSource };
}
