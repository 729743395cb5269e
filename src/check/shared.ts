/**
 * Weights shared across graphs: a static tensor (a weight or bias) of the same name in several
 * graphs of one model — a prompt and a token graph of one LLM part — or of several models checked
 * together must hold identical encodings, or the weights cannot be shared.
 *
 * Identical means: the same layout, bitwidth and channel count, and every channel within the
 * tolerance `diff` uses (print quantum of each side + one float32 ulp). A difference is measured in
 * steps of the first graph's grid (the graphs are compared with the first one that holds the tensor).
 */
import type { CheckFinding, Encoding, GraphRef, Tensor } from '../model.js';
import { CHECKS } from '../findings.js';
import { sameValue } from '../verify/diff-tensors.js';
import { fmt, fmtSteps, toGridNumbers } from '../words.js';
import type { PartGraph } from './seams.js';

interface SharedOutcome {
  readonly findings: CheckFinding[];
  /** Static tensor names held by two graphs or more. */
  readonly shared: number;
  readonly comparisons: number;
}

function isStatic(t: Tensor): boolean {
  return t.role === 'param' || t.tensorType === 'STATIC';
}

function label(ref: GraphRef, models: number): string {
  return models > 1 ? `${ref.file} (${ref.graph})` : ref.graph;
}

function dimsText(dims: readonly number[] | undefined): string {
  return dims === undefined ? '?' : `[${dims.join(',')}]`;
}

function describe(t: Tensor): string {
  const e = t.encoding;
  if (e === undefined) return t.dtype ?? 'no encoding';
  const e0 = e.channels[0];
  return `${e.layout}${e.layout === 'per-channel' ? ` (${e.channelCount ?? e.channels.length} channels)` : ''}${e0 ? ` ${e0.bitwidth}-bit` : ''}`;
}

interface ChannelMove {
  readonly first: Encoding;
  readonly other: Encoding;
  readonly minSteps: number;
  readonly maxSteps: number;
}

function steps(delta: number, scale: number): number {
  if (delta === 0) return 0;
  return scale > 0 && Number.isFinite(scale) ? delta / scale : Number.POSITIVE_INFINITY;
}

/** Why two holders of one weight differ, or undefined when they are the same. */
function difference(
  a: Tensor,
  b: Tensor,
  extraAbsolute: number,
): { reason: string; move?: ChannelMove; moved?: number; compared?: number } | undefined {
  if (a.dims !== undefined && b.dims !== undefined && dimsText(a.dims) !== dimsText(b.dims)) {
    return { reason: `dimensions ${dimsText(a.dims)} against ${dimsText(b.dims)}` };
  }
  const ea = a.encoding;
  const eb = b.encoding;
  if (ea === undefined && eb === undefined) {
    return a.dtype !== undefined && b.dtype !== undefined && a.dtype !== b.dtype ? { reason: `data type ${a.dtype} against ${b.dtype}` } : undefined;
  }
  if (ea === undefined || eb === undefined || ea.layout !== eb.layout || ea.channels[0]?.bitwidth !== eb.channels[0]?.bitwidth) {
    return { reason: `${describe(a)} against ${describe(b)}` };
  }
  if (ea.experimental || eb.experimental) return undefined;
  const byChannel = new Map<number, Encoding>();
  eb.channels.forEach((e, i) => byChannel.set(e.channel ?? i, e));
  if (ea.allChannelsPresent && eb.allChannelsPresent && ea.channels.length !== eb.channels.length) {
    return { reason: `${ea.channels.length} channels against ${eb.channels.length}` };
  }
  const close = (x: Encoding['min'], y: Encoding['min']): boolean => sameValue(x, y) || Math.abs(x.value - y.value) <= extraAbsolute;
  const moves: ChannelMove[] = [];
  let compared = 0;
  ea.channels.forEach((first, i) => {
    const other = byChannel.get(first.channel ?? i);
    if (other === undefined) return;
    compared++;
    const same =
      close(first.min, other.min) &&
      close(first.max, other.max) &&
      close(first.scale, other.scale) &&
      Math.round(first.offset.value) === Math.round(other.offset.value);
    if (!same) {
      const scale = Math.abs(first.scale.value);
      moves.push({
        first,
        other,
        minSteps: steps(Math.abs(other.min.value - first.min.value), scale),
        maxSteps: steps(Math.abs(other.max.value - first.max.value), scale),
      });
    }
  });
  if (moves.length === 0) return undefined;
  const worst = moves.reduce((w, m) => (Math.max(m.minSteps, m.maxSteps) > Math.max(w.minSteps, w.maxSteps) ? m : w));
  return { reason: 'encodings differ', move: worst, moved: moves.length, compared };
}

export function checkSharedWeights(graphs: readonly PartGraph[], models: number, extraTolerance: (tensor: string) => number): SharedOutcome {
  const holders = new Map<string, Array<{ part: PartGraph; tensor: Tensor }>>();
  for (const part of graphs) {
    for (const t of part.graph.tensors.values()) {
      if (!isStatic(t)) continue;
      const list = holders.get(t.name);
      if (list === undefined) holders.set(t.name, [{ part, tensor: t }]);
      else list.push({ part, tensor: t });
    }
  }
  const findings: CheckFinding[] = [];
  let shared = 0;
  let comparisons = 0;
  for (const [name, list] of holders) {
    if (list.length < 2) continue;
    shared++;
    const first = list[0]!;
    let differs = false;
    for (const other of list.slice(1)) {
      comparisons++;
      const diff = difference(first.tensor, other.tensor, extraTolerance(name));
      if (diff === undefined) continue;
      differs = true;
      const a = label(first.part.ref, models);
      const b = label(other.part.ref, models);
      const move = diff.move;
      const perChannel = (diff.compared ?? 0) > 1;
      findings.push({
        code: 'SHARED_WEIGHT_DIFFERS',
        kind: CHECKS.SHARED_WEIGHT_DIFFERS.kind,
        tensor: name,
        ...(move && perChannel && move.first.channel !== undefined ? { channel: move.first.channel } : {}),
        where: first.part.ref,
        related: [other.part.ref],
        ...(move ? { expected: toGridNumbers(move.first), actual: toGridNumbers(move.other) } : {}),
        ...(move
          ? {
              deviation: {
                minSteps: move.minSteps,
                maxSteps: move.maxSteps,
                scaleRatio: move.other.scale.value / move.first.scale.value,
                offsetDelta: Math.round(move.other.offset.value) - Math.round(move.first.offset.value),
              },
            }
          : {}),
        sentence: move
          ? `shared weight ${name} differs between ${a} and ${b}${perChannel ? ` in ${diff.moved} of ${diff.compared} channels (worst channel ${move.first.channel ?? 0})` : ''}: ` +
            `min ${fmt(move.first.min.value)} -> ${fmt(move.other.min.value)} (${fmtSteps(move.minSteps)} steps), max ${fmt(move.first.max.value)} -> ${fmt(move.other.max.value)} (${fmtSteps(move.maxSteps)} steps) of ${a}'s scale ${fmt(move.first.scale.value)}; ` +
            `quantize both graphs from one encodings file so the weight can be shared`
          : `shared weight ${name} differs between ${a} and ${b}: ${diff.reason}; quantize both graphs from one encodings file so the weight can be shared`,
        at: move ? move.first.at : first.tensor.at,
        relatedAt: move ? move.other.at : other.tensor.at,
      });
    }
    if (!differs) {
      const e0 = first.tensor.encoding?.channels[0];
      findings.push({
        code: 'SHARED_WEIGHT_SAME',
        kind: CHECKS.SHARED_WEIGHT_SAME.kind,
        tensor: name,
        where: first.part.ref,
        related: list.slice(1).map((h) => h.part.ref),
        ...(e0 ? { actual: toGridNumbers(e0) } : {}),
        sentence: `shared weight ${name} is identical in ${list.length} graphs (${list.map((h) => label(h.part.ref, models)).join(', ')})${e0 ? `: ${describe(first.tensor)}` : ''}`,
        at: e0?.at ?? first.tensor.at,
      });
    }
  }
  return { findings, shared, comparisons };
}
