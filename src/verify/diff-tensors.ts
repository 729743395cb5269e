/**
 * Tensor by tensor: what changed in one graph's tensors between two models.
 *
 * Encodings are compared with the tolerance model of ENCODINGS.md §4 applied to two printed values:
 * both may be prints of one stored float32, so they may differ by the print quantum of each side
 * plus one float32 ulp (a float64 side, e.g. a QNN net.json, is up to half an ulp from the float32
 * the .dlc holds; the other side likewise). Within that, the encoding is the same (a .dlc against its
 * own dump reports nothing). Beyond it, the move is measured in steps of the BEFORE grid
 * (|Δmin| / scale_before, |Δmax| / scale_before): the unit in which a release gate can set a limit.
 */
import type { DiffChange, DumpFamily, Encoding, Graph, PrintedNumber, Tensor, TensorEncoding } from '../model.js';
import { printQuantum, ulp32 } from '../numeric.js';
import { fmt, fmtSteps, toGridNumbers } from '../words.js';

export interface TensorDiffOptions {
  /** An encoding whose min or max moved more than this many before-steps is a regression. */
  readonly maxEncodingSteps: number;
  /** What each side was read from: some dumps cannot print some tensors. */
  readonly beforeFamily?: DumpFamily;
  readonly afterFamily?: DumpFamily;
}

/**
 * Why a model read from `family` cannot hold this tensor even if the DLC has it, or undefined.
 * DLC-INFO-FORMAT.md §3: SNPE 1.17 prints no bias encodings and one output encoding per layer.
 */
export function unrecordedBy(family: DumpFamily | undefined, t: Tensor, graph: Graph): string | undefined {
  if (family !== 'snpe-1.17') return undefined;
  if (t.paramKind === 'bias') return 'SNPE 1.17 dumps print no bias encodings';
  if (t.producer) {
    const op = graph.ops.find((o) => o.name === t.producer!.op);
    if (op && op.outputs.indexOf(t.name) > 0) return 'SNPE 1.17 dumps print one output encoding per layer';
  }
  return undefined;
}

/** Which ops disappeared / appeared in this graph: their tensors are reported as consequences. */
export interface OpChanges {
  readonly removed: ReadonlySet<string>;
  readonly added: ReadonlySet<string>;
}

export interface TensorDiff {
  readonly changes: DiffChange[];
  /** Tensors present on both sides. */
  readonly compared: number;
  /** Tensors present on both sides with no change of any kind (not even ENCODING_SAME). */
  readonly unchanged: number;
  /** Per-channel tensors compared on channel 0 only, by which side printed only channel 0. */
  readonly channel0Only: { before: number; after: number };
  /** Encodings whose layout is read but not compared (block, LPBQ, vector). */
  readonly notCompared: string[];
  /** Tensors without encoding on one side that the other side (a saved list of encodings) cannot know. */
  readonly unknownOnOneSide: number;
  /** Tensors one side's format cannot print (reason -> count): not compared. */
  readonly unrecorded: ReadonlyMap<string, number>;
}

/** How far apart two printed numbers may be and still be prints of one stored float32. */
export function sameValueTolerance(a: PrintedNumber, b: PrintedNumber): number {
  return printQuantum(a) + printQuantum(b) + ulp32(Math.max(Math.abs(a.value), Math.abs(b.value)));
}

/** True when two printed numbers can be the same stored value (NaN equals NaN, inf equals inf). */
export function sameValue(a: PrintedNumber, b: PrintedNumber): boolean {
  if (Number.isNaN(a.value) || Number.isNaN(b.value)) return Number.isNaN(a.value) && Number.isNaN(b.value);
  if (!Number.isFinite(a.value) || !Number.isFinite(b.value)) return a.value === b.value;
  return Math.abs(a.value - b.value) <= sameValueTolerance(a, b);
}

const QUANTIZED_DTYPE = /^[us]Fxp_(\d+)$/;

function isFloatDtype(dtype: string | undefined): boolean {
  return dtype !== undefined && dtype.startsWith('Float_');
}

function isQuantized(t: Tensor): boolean {
  return t.encoding !== undefined || (t.dtype !== undefined && QUANTIZED_DTYPE.test(t.dtype));
}

function bitwidthOf(t: Tensor): number | undefined {
  const first = t.encoding?.channels[0];
  if (first) return first.bitwidth;
  const m = t.dtype !== undefined ? QUANTIZED_DTYPE.exec(t.dtype) : null;
  return m ? Number(m[1]) : undefined;
}

interface ChannelComparison {
  readonly channel: number | undefined;
  readonly before: Encoding;
  readonly after: Encoding;
  readonly same: boolean;
  /** Any field differs numerically at all (so a `same` pair is worth an ENCODING_SAME). */
  readonly differsAtAll: boolean;
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly scaleRatio: number;
  readonly offsetDelta: number;
}

function stepsOf(delta: number, scale: number): number {
  if (delta === 0) return 0;
  if (!(scale > 0) || !Number.isFinite(scale)) return Number.POSITIVE_INFINITY;
  return delta / scale;
}

function compareChannel(before: Encoding, after: Encoding): ChannelComparison {
  const scaleBefore = before.scale.value;
  const minSteps = stepsOf(Math.abs(after.min.value - before.min.value), scaleBefore);
  const maxSteps = stepsOf(Math.abs(after.max.value - before.max.value), scaleBefore);
  // Offsets are integers printed as floats (`-128.000000000000`): compare them rounded, exactly.
  const offsetDelta = Math.round(after.offset.value) - Math.round(before.offset.value);
  const same =
    sameValue(before.min, after.min) && sameValue(before.max, after.max) && sameValue(before.scale, after.scale) && offsetDelta === 0;
  const differsAtAll =
    before.min.value !== after.min.value ||
    before.max.value !== after.max.value ||
    before.scale.value !== after.scale.value ||
    before.offset.value !== after.offset.value;
  return {
    channel: before.channel,
    before,
    after,
    same,
    differsAtAll,
    minSteps,
    maxSteps,
    scaleRatio: scaleBefore !== 0 ? after.scale.value / scaleBefore : Number.NaN,
    offsetDelta,
  };
}

/** `scale 0.01234567 vs 0.012345670001 (tolerance 1e-12)` for every field that differs at all. */
function differingFields(c: ChannelComparison): string {
  const fields = ['min', 'max', 'scale', 'offset'] as const;
  return fields
    .filter((f) => c.before[f].value !== c.after[f].value)
    .map((f) => {
      const b = c.before[f];
      const a = c.after[f];
      return `${f} ${b.value} vs ${a.value} (tolerance ${sameValueTolerance(b, a).toExponential(1)})`;
    })
    .join(', ');
}

function worstSteps(c: ChannelComparison): number {
  return Math.max(c.minSteps, c.maxSteps);
}

/**
 * Steps beyond what printing can explain: the measured move less the tolerance, in before-steps.
 * A move of exactly N steps printed `%.12f` measures N ± 1e-12 steps; it is not beyond N.
 */
function provenSteps(c: ChannelComparison): number {
  const scale = c.before.scale.value;
  const slack = (a: PrintedNumber, b: PrintedNumber): number => (scale > 0 ? sameValueTolerance(a, b) / scale : 0);
  return Math.max(c.minSteps - slack(c.before.min, c.after.min), c.maxSteps - slack(c.before.max, c.after.max));
}

function layoutLabel(e: TensorEncoding): string {
  return e.layout === 'per-channel' ? `per-channel (${e.channelCount ?? e.channels.length} channels)` : e.layout;
}

function dimsLabel(dims: readonly number[]): string {
  return `[${dims.join(',')}]`;
}

function at(t: Tensor, side: 'before' | 'after'): Pick<DiffChange, 'beforeAt' | 'afterAt'> {
  return side === 'before' ? { beforeAt: t.at } : { afterAt: t.at };
}

/** A tensor is a consequence of an op change when the op that wrote it (or every op that read it) changed too. */
function followsOp(t: Tensor, ops: ReadonlySet<string>): string | undefined {
  if (t.producer && ops.has(t.producer.op)) return t.producer.op;
  if (!t.producer && t.consumers.length > 0 && t.consumers.every((c) => ops.has(c))) return t.consumers[0];
  return undefined;
}

function describeTensor(t: Tensor): string {
  const parts: string[] = [];
  if (t.dtype !== undefined) parts.push(t.dtype);
  if (t.encoding) {
    const e0 = t.encoding.channels[0];
    parts.push(
      e0
        ? `${layoutLabel(t.encoding)} ${e0.bitwidth}-bit min ${fmt(e0.min.value)} max ${fmt(e0.max.value)}`
        : layoutLabel(t.encoding),
    );
  }
  if (t.dims) parts.push(dimsLabel(t.dims));
  return parts.length > 0 ? parts.join(', ') : 'no type recorded';
}

export function diffTensors(before: Graph, after: Graph, ops: OpChanges, options: TensorDiffOptions): TensorDiff {
  const changes: DiffChange[] = [];
  const notCompared: string[] = [];
  const channel0Only = { before: 0, after: 0 };
  let compared = 0;
  let unchanged = 0;
  const skipped = { unknown: 0 };
  const unrecorded = new Map<string, number>();
  const graph = after.name === before.name ? before.name : `${before.name} -> ${after.name}`;

  for (const [name, b] of before.tensors) {
    const a = after.tensors.get(name);
    if (a === undefined && after.encodingsOnly) {
      // The after side lists encodings only: without one there, the tensor is float or gone.
      if (b.encoding) {
        changes.push({
          code: 'BECAME_FLOAT',
          kind: 'regression',
          graph,
          subject: name,
          before: toGridNumbers(b.encoding.channels[0]!),
          after: 'no encoding',
          sentence: `tensor ${name} had a ${b.encoding.channels[0]!.bitwidth}-bit encoding and the after side (a saved list of ${after.tensors.size} encodings) has none for it: float or removed`,
          beforeAt: b.encoding.channels[0]!.at,
        });
      } else {
        skipped.unknown++;
      }
      continue;
    }
    if (a === undefined && unrecordedBy(options.afterFamily, b, before) !== undefined) {
      const why = unrecordedBy(options.afterFamily, b, before)!;
      unrecorded.set(why, (unrecorded.get(why) ?? 0) + 1);
      continue;
    }
    if (a === undefined) {
      const op = followsOp(b, ops.removed);
      const io = b.role === 'graph-input' || b.role === 'graph-output';
      changes.push({
        code: 'TENSOR_REMOVED',
        kind: op !== undefined ? 'info' : io ? 'regression' : 'change',
        graph,
        subject: name,
        before: describeTensor(b),
        sentence:
          op !== undefined
            ? `tensor ${name} (${describeTensor(b)}) was removed with op ${op}`
            : io
              ? `${b.role === 'graph-input' ? 'graph input' : 'graph output'} ${name} (${describeTensor(b)}) is gone: the model interface changed`
              : `tensor ${name} (${describeTensor(b)}) is gone while the ops that ${b.producer ? `wrote it (${b.producer.op})` : 'used it'} remain: renamed?`,
        ...at(b, 'before'),
      });
      continue;
    }
    compared++;
    const found = compareTensor(graph, name, b, a, options, notCompared, channel0Only);
    if (found.length === 0) unchanged++;
    changes.push(...found);
  }
  for (const [name, a] of after.tensors) {
    if (before.tensors.has(name)) continue;
    const why = unrecordedBy(options.beforeFamily, a, after);
    if (why !== undefined) {
      unrecorded.set(why, (unrecorded.get(why) ?? 0) + 1);
      continue;
    }
    if (before.encodingsOnly) {
      if (a.encoding) {
        changes.push({
          code: 'BECAME_QUANTIZED',
          kind: 'change',
          graph,
          subject: name,
          before: 'no encoding',
          after: toGridNumbers(a.encoding.channels[0]!),
          sentence: `tensor ${name} has a ${a.encoding.channels[0]!.bitwidth}-bit encoding and the before side (a saved list of ${before.tensors.size} encodings) had none for it: was float or new`,
          afterAt: a.encoding.channels[0]!.at,
        });
      } else {
        skipped.unknown++;
      }
      continue;
    }
    const op = followsOp(a, ops.added);
    changes.push({
      code: 'TENSOR_ADDED',
      kind: op !== undefined ? 'info' : 'change',
      graph,
      subject: name,
      after: describeTensor(a),
      sentence:
        op !== undefined
          ? `tensor ${name} (${describeTensor(a)}) was added with op ${op}`
          : `tensor ${name} (${describeTensor(a)}) is new`,
      ...at(a, 'after'),
    });
  }
  return { changes, compared, unchanged, channel0Only, notCompared, unknownOnOneSide: skipped.unknown, unrecorded };
}

function compareTensor(
  graph: string,
  name: string,
  b: Tensor,
  a: Tensor,
  options: TensorDiffOptions,
  notCompared: string[],
  channel0Only: { before: number; after: number },
): DiffChange[] {
  const out: DiffChange[] = [];
  const where = { graph, subject: name, beforeAt: b.encoding?.channels[0]?.at ?? b.at, afterAt: a.encoding?.channels[0]?.at ?? a.at };

  if (b.dims && a.dims && dimsLabel(b.dims) !== dimsLabel(a.dims)) {
    out.push({
      code: 'SHAPE_CHANGED',
      kind: 'change',
      ...where,
      before: dimsLabel(b.dims),
      after: dimsLabel(a.dims),
      sentence: `tensor ${name} has dimensions ${dimsLabel(a.dims)} (${a.dims.length} axes), was ${dimsLabel(b.dims)} (${b.dims.length} axes)`,
    });
  }

  // Quantized -> float and back: the grid is gone (or new), nothing else to compare.
  const bQuant = isQuantized(b);
  const aQuant = isQuantized(a);
  if (bQuant && !aQuant && (isFloatDtype(a.dtype) || a.dtype === undefined)) {
    const bw = bitwidthOf(b);
    out.push({
      code: 'BECAME_FLOAT',
      kind: 'regression',
      ...where,
      before: b.encoding?.channels[0] ? toGridNumbers(b.encoding.channels[0]) : (b.dtype ?? 'quantized'),
      after: a.dtype ?? 'no encoding',
      sentence: `tensor ${name} was ${b.dtype ?? 'quantized'}${bw !== undefined ? ` (${bw}-bit grid)` : ''} and is now ${a.dtype ?? 'without encoding'}: it runs in float`,
    });
    return out;
  }
  if (!bQuant && aQuant && (isFloatDtype(b.dtype) || b.dtype === undefined)) {
    const e0 = a.encoding?.channels[0];
    out.push({
      code: 'BECAME_QUANTIZED',
      kind: 'change',
      ...where,
      before: b.dtype ?? 'no encoding',
      after: e0 ? toGridNumbers(e0) : (a.dtype ?? 'quantized'),
      sentence: `tensor ${name} was ${b.dtype ?? 'without encoding'} and is now ${a.dtype ?? 'quantized'}${
        e0 ? ` (${e0.bitwidth}-bit, min ${fmt(e0.min.value)}, max ${fmt(e0.max.value)})` : ''
      }`,
    });
    return out;
  }

  const bBits = bitwidthOf(b);
  const aBits = bitwidthOf(a);
  if (bQuant && aQuant && bBits !== undefined && aBits !== undefined && bBits !== aBits) {
    const e0b = b.encoding?.channels[0];
    const e0a = a.encoding?.channels[0];
    const range = e0b && e0a ? compareChannel(e0b, e0a) : undefined;
    out.push({
      code: 'BITWIDTH_CHANGED',
      kind: aBits < bBits ? 'regression' : 'change',
      ...where,
      before: e0b ? toGridNumbers(e0b) : (b.dtype ?? `${bBits}-bit`),
      after: e0a ? toGridNumbers(e0a) : (a.dtype ?? `${aBits}-bit`),
      ...(range ? { deviation: { minSteps: range.minSteps, maxSteps: range.maxSteps, scaleRatio: range.scaleRatio } } : {}),
      sentence:
        `tensor ${name} went from ${bBits} to ${aBits} bits (steps ${aBits < bBits ? `${2 ** (bBits - aBits)} times coarser` : `${2 ** (aBits - bBits)} times finer`})` +
        (range ? `; min moved ${fmtSteps(range.minSteps)} and max ${fmtSteps(range.maxSteps)} steps of the ${bBits}-bit grid` : ''),
    });
    return out;
  }

  if (b.dtype !== undefined && a.dtype !== undefined && b.dtype !== a.dtype) {
    out.push({
      code: 'DTYPE_CHANGED',
      kind: 'change',
      ...where,
      before: b.dtype,
      after: a.dtype,
      sentence: `tensor ${name} is stored as ${a.dtype}, was ${b.dtype}${bBits !== undefined ? ` (both ${bBits}-bit)` : ''}`,
    });
  }

  const eb = b.encoding;
  const ea = a.encoding;
  if (!eb || !ea) return out;
  if (eb.experimental || ea.experimental) {
    notCompared.push(`${graph}: ${name} (${eb.experimental ? eb.layout : ea.layout})`);
    return out;
  }
  if (eb.layout !== ea.layout) {
    out.push({
      code: 'LAYOUT_CHANGED',
      kind: eb.layout === 'per-channel' && ea.layout === 'per-tensor' ? 'regression' : 'change',
      ...where,
      before: layoutLabel(eb),
      after: layoutLabel(ea),
      sentence: `tensor ${name} is quantized ${layoutLabel(ea)}, was ${layoutLabel(eb)}`,
    });
    return out;
  }

  // Channel by channel, only channels both sides have.
  const afterByChannel = new Map<number, Encoding>();
  ea.channels.forEach((e, i) => afterByChannel.set(e.channel ?? i, e));
  const pairs: ChannelComparison[] = [];
  eb.channels.forEach((e, i) => {
    const other = afterByChannel.get(e.channel ?? i);
    if (other) pairs.push(compareChannel(e, other));
  });
  const partial = eb.layout === 'per-channel' && (!eb.allChannelsPresent || !ea.allChannelsPresent);
  if (partial) {
    if (!eb.allChannelsPresent) channel0Only.before++;
    if (!ea.allChannelsPresent) channel0Only.after++;
  }
  const partialNote = !partial
    ? ''
    : `; compared ${pairs.length} channel${pairs.length === 1 ? '' : 's'} only: ${
        !eb.allChannelsPresent && !ea.allChannelsPresent ? 'both sides' : !eb.allChannelsPresent ? 'before' : 'after'
      } printed only channel 0 of ${eb.channelCount ?? ea.channelCount ?? '?'}`;

  const moved = pairs.filter((p) => !p.same);
  if (moved.length > 0) {
    const worst = moved.reduce((w, p) => (worstSteps(p) > worstSteps(w) ? p : w));
    const perChannel = eb.layout === 'per-channel';
    out.push({
      code: 'ENCODING_CHANGED',
      kind: provenSteps(worst) > options.maxEncodingSteps ? 'regression' : 'change',
      ...where,
      ...(perChannel && worst.channel !== undefined ? { channel: worst.channel } : {}),
      beforeAt: worst.before.at,
      afterAt: worst.after.at,
      before: toGridNumbers(worst.before),
      after: toGridNumbers(worst.after),
      deviation: {
        minSteps: worst.minSteps,
        maxSteps: worst.maxSteps,
        scaleRatio: worst.scaleRatio,
        offsetDelta: worst.offsetDelta,
      },
      sentence:
        `${perChannel ? `${moved.length} of ${pairs.length} channels of ` : ''}tensor ${name} moved` +
        `${perChannel && worst.channel !== undefined ? ` (worst channel ${worst.channel})` : ''}: ` +
        `min ${fmt(worst.before.min.value)} -> ${fmt(worst.after.min.value)} (${fmtSteps(worst.minSteps)} steps), ` +
        `max ${fmt(worst.before.max.value)} -> ${fmt(worst.after.max.value)} (${fmtSteps(worst.maxSteps)} steps) ` +
        `of the before scale ${fmt(worst.before.scale.value)}; scale x${fmt(worst.scaleRatio)}, ` +
        `offset ${Math.round(worst.before.offset.value)} -> ${Math.round(worst.after.offset.value)}; ` +
        `limit ${fmt(options.maxEncodingSteps)} step${options.maxEncodingSteps === 1 ? '' : 's'}${partialNote}`,
    });
    return out;
  }
  const nudged = pairs.filter((p) => p.differsAtAll);
  if (nudged.length > 0) {
    const worst = nudged.reduce((w, p) => (worstSteps(p) > worstSteps(w) ? p : w));
    out.push({
      code: 'ENCODING_SAME',
      kind: 'info',
      ...where,
      ...(eb.layout === 'per-channel' && worst.channel !== undefined ? { channel: worst.channel } : {}),
      before: toGridNumbers(worst.before),
      after: toGridNumbers(worst.after),
      deviation: { minSteps: worst.minSteps, maxSteps: worst.maxSteps, scaleRatio: worst.scaleRatio, offsetDelta: 0 },
      sentence:
        `tensor ${name} prints differently but within print precision and float32 rounding: ` +
        `${differingFields(worst)}; min ${fmtSteps(worst.minSteps)} and max ${fmtSteps(worst.maxSteps)} steps apart${partialNote}`,
    });
  }
  return out;
}
