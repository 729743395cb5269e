/**
 * Seams: a graph output of one part that the next part reads as a graph input. Both sides must
 * hold the same encoding, data type and dimensions, or the runtime converts at every inference.
 *
 * Which graphs are parts of one chain (README "check"):
 * - models are parts in the order given: each model's graphs feed the next model's graphs (by
 *   position when both have the same number of graphs — part 1's prompt graph feeds part 2's
 *   prompt graph — and every graph to every graph otherwise);
 * - inside one model, graphs named `…_N_of_M` feed `…_(N+1)_of_M` with the same prefix (the
 *   QAIRT/Genie naming of LLM splits); other graphs of one model are alternatives (a prompt and a
 *   token graph), not parts.
 * Output and input pair by name, or by a `--seam 'OUT=>IN'` mapping.
 *
 * Encodings are compared with the tolerance `diff` uses (print quantum of each side + one float32
 * ulp); a difference is measured in steps of the consumer's grid, the grid the value lands on.
 */
import { InputError, type CheckFinding, type Encoding, type Graph, type GraphRef, type InputRef, type Location, type SeamPair, type Tensor, type TensorEncoding } from '../model.js';
import { CHECKS } from '../findings.js';
import { sameValue } from '../verify/diff-tensors.js';
import { fmt, fmtSteps, toGridNumbers } from '../words.js';

interface SeamMapping {
  readonly text: string;
  readonly output: string;
  readonly input: string;
}

/** `OUT=>IN`: the producer's output name and the consumer's input name (exact names). */
export function parseSeam(text: string): SeamMapping {
  const arrow = text.indexOf('=>');
  const output = arrow >= 0 ? text.slice(0, arrow) : '';
  const input = arrow >= 0 ? text.slice(arrow + 2) : '';
  if (output === '' || input === '') throw new InputError('USAGE', `--seam ${text}: expected 'OUT=>IN' (a graph output of one part, a graph input of the next)`);
  return { text, output, input };
}

/** A graph of a checked model. */
export interface PartGraph {
  readonly ref: GraphRef;
  readonly graph: Graph;
  /** Position of its model in the order given. */
  readonly modelIndex: number;
}

/**
 * A graph named as one split of an LLM: `ar128_cl2048_2_of_4` (QAIRT/Genie context binaries),
 * `model_1_of_8` (the benchmark's generated dumps). Groups: prefix, part number, part count.
 */
const SPLIT_NAME = /^(.*?)_?(\d+)_of_(\d+)$/;

/** Ordered producer -> consumer pairs of graphs, by the rules above. */
export function seamPairs(models: readonly (readonly PartGraph[])[]): Array<[PartGraph, PartGraph]> {
  const pairs: Array<[PartGraph, PartGraph]> = [];
  for (const graphs of models) {
    for (const producer of graphs) {
      const m = SPLIT_NAME.exec(producer.ref.graph);
      if (m === null) continue;
      const next = `${Number(m[2]) + 1}_of_${m[3]}`;
      for (const consumer of graphs) {
        const c = SPLIT_NAME.exec(consumer.ref.graph);
        if (c !== null && c[1] === m[1] && `${Number(c[2])}_of_${c[3]}` === next) pairs.push([producer, consumer]);
      }
    }
  }
  for (let k = 0; k + 1 < models.length; k++) {
    const before = models[k]!;
    const after = models[k + 1]!;
    if (before.length === after.length) {
      before.forEach((g, i) => pairs.push([g, after[i]!]));
    } else {
      for (const g of before) for (const h of after) pairs.push([g, h]);
    }
  }
  return pairs;
}

function isQuantizedDtype(dtype: string | undefined): boolean {
  return dtype !== undefined && /Fxp|FIXED|Int_8|UInt_8|Int_16|UInt_16/i.test(dtype) && !/^Float/.test(dtype);
}

/** Graph outputs (or inputs) of a graph: tensors with that role, and rows of the I/O tables. */
function boundary(graph: Graph, side: 'output' | 'input'): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const role = side === 'output' ? 'graph-output' : 'graph-input';
  for (const t of graph.tensors.values()) if (t.role === role) out.set(t.name, t);
  for (const row of side === 'output' ? graph.outputs : graph.inputs) {
    if (out.has(row.name)) continue;
    const t = graph.tensors.get(row.name);
    const dims = row.dims.split(/[,x×]/).map((d) => Number(d.trim()));
    out.set(row.name, {
      name: row.name,
      graph: graph.name,
      dtype: t?.dtype ?? row.dtype,
      ...(t?.dims ? { dims: t.dims } : dims.every((d) => Number.isInteger(d) && d >= 0) ? { dims } : {}),
      role,
      consumers: [],
      ...(t?.encoding
        ? { encoding: t.encoding }
        : row.encoding
          ? { encoding: { layout: 'per-tensor', channels: [row.encoding], allChannelsPresent: true } satisfies TensorEncoding }
          : {}),
      at: row.at,
    });
  }
  return out;
}

function where(t: Tensor): Location {
  return t.encoding?.channels[0]?.at ?? t.at;
}

/** The widest channel gap between two encodings, in steps of the consumer grid. */
interface GridGap {
  readonly producer: Encoding;
  readonly consumer: Encoding;
  readonly same: boolean;
  readonly minSteps: number;
  readonly maxSteps: number;
}

function gap(producer: Encoding, consumer: Encoding, extraAbsolute: number): GridGap {
  const step = Math.abs(consumer.scale.value);
  const steps = (d: number): number => (d === 0 ? 0 : step > 0 && Number.isFinite(step) ? d / step : Number.POSITIVE_INFINITY);
  const close = (a: Encoding['min'], b: Encoding['min']): boolean => sameValue(a, b) || Math.abs(a.value - b.value) <= extraAbsolute;
  const same =
    producer.bitwidth === consumer.bitwidth &&
    close(producer.min, consumer.min) &&
    close(producer.max, consumer.max) &&
    close(producer.scale, consumer.scale) &&
    Math.round(producer.offset.value) === Math.round(consumer.offset.value);
  return {
    producer,
    consumer,
    same,
    minSteps: steps(Math.abs(producer.min.value - consumer.min.value)),
    maxSteps: steps(Math.abs(producer.max.value - consumer.max.value)),
  };
}

function gaps(p: TensorEncoding, c: TensorEncoding, extraAbsolute: number): GridGap[] {
  const byChannel = new Map<number, Encoding>();
  c.channels.forEach((e, i) => byChannel.set(e.channel ?? i, e));
  const out: GridGap[] = [];
  p.channels.forEach((e, i) => {
    const other = byChannel.get(e.channel ?? i) ?? (c.channels.length === 1 ? c.channels[0] : undefined);
    if (other !== undefined) out.push(gap(e, other, extraAbsolute));
  });
  return out;
}

function dimsText(dims: readonly number[] | undefined): string {
  return dims === undefined ? '?' : `[${dims.join(',')}]`;
}

function label(ref: GraphRef, refs: number): string {
  return refs > 1 ? `${ref.file} (${ref.graph})` : ref.graph;
}

/** What a grid difference costs at run time: the requantize, and the range the consumer clips. */
function cost(p: Encoding, c: Encoding): string {
  const lostLow = p.min.value < c.min.value ? c.min.value - p.min.value : 0;
  const lostHigh = p.max.value > c.max.value ? p.max.value - c.max.value : 0;
  const parts = [`a requantize at every inference`];
  if (p.bitwidth > c.bitwidth) {
    parts[0] = `a requantize from ${p.bitwidth} to ${c.bitwidth} bits at every inference (steps ${2 ** (p.bitwidth - c.bitwidth)} times coarser: scale ${fmt(p.scale.value)} -> ${fmt(c.scale.value)})`;
  } else if (p.bitwidth < c.bitwidth) {
    parts[0] = `a requantize from ${p.bitwidth} to ${c.bitwidth} bits at every inference that gains no precision (the producer's steps are ${fmt(p.scale.value)})`;
  }
  if (lostLow > 0 || lostHigh > 0) {
    const lost: string[] = [];
    if (lostLow > 0) lost.push(`[${fmt(p.min.value)}, ${fmt(c.min.value)})`);
    if (lostHigh > 0) lost.push(`(${fmt(c.max.value)}, ${fmt(p.max.value)}]`);
    parts.push(`lost range: producer values in ${lost.join(' and ')} clip`);
  } else if (c.scale.value > p.scale.value * (1 + 1e-6) && p.bitwidth === c.bitwidth) {
    parts.push(`coarser steps: the consumer's scale is ${fmt(c.scale.value / p.scale.value)} times the producer's`);
  }
  return parts.join('; ');
}

interface SeamOutcome {
  readonly findings: CheckFinding[];
  readonly pairs: SeamPair[];
  /** Mappings that found their output and input in some pair. */
  readonly usedMappings: ReadonlySet<string>;
}

export function checkSeams(
  models: readonly (readonly PartGraph[])[],
  mappings: readonly SeamMapping[],
  extraTolerance: (tensor: string) => number,
  inputs: readonly InputRef[],
): SeamOutcome {
  const findings: CheckFinding[] = [];
  const pairs: SeamPair[] = [];
  const usedMappings = new Set<string>();
  const refs = inputs.length;
  for (const [producer, consumer] of seamPairs(models)) {
    const outputs = boundary(producer.graph, 'output');
    const inputsOf = boundary(consumer.graph, 'input');
    let seams = 0;
    const crossings: Array<[Tensor, Tensor, string | undefined]> = [];
    for (const [name, out] of outputs) {
      const inp = inputsOf.get(name);
      if (inp !== undefined) crossings.push([out, inp, undefined]);
    }
    for (const m of mappings) {
      const out = outputs.get(m.output);
      const inp = inputsOf.get(m.input);
      if (out !== undefined && inp !== undefined && m.output !== m.input) {
        crossings.push([out, inp, m.text]);
        usedMappings.add(m.text);
      } else if (out !== undefined && inp !== undefined) {
        usedMappings.add(m.text);
      }
    }
    for (const [out, inp, mapping] of crossings) {
      seams++;
      findings.push(compareSeam(out, inp, producer.ref, consumer.ref, mapping, refs, extraTolerance(inp.name)));
    }
    pairs.push({ producer: producer.ref, consumer: consumer.ref, outputs: outputs.size, inputs: inputsOf.size, seams });
  }
  return { findings, pairs, usedMappings };
}

function compareSeam(
  out: Tensor,
  inp: Tensor,
  producer: GraphRef,
  consumer: GraphRef,
  mapping: string | undefined,
  refs: number,
  extraAbsolute: number,
): CheckFinding {
  const subject = mapping !== undefined ? `${out.name}=>${inp.name}` : inp.name;
  const from = `${label(producer, refs)} output ${out.name}`;
  const to = `${label(consumer, refs)} input ${inp.name}`;
  const base = {
    tensor: subject,
    where: consumer,
    related: [producer],
    at: where(inp),
    relatedAt: where(out),
  };
  if (out.dims !== undefined && inp.dims !== undefined && dimsText(out.dims) !== dimsText(inp.dims)) {
    return {
      code: 'SEAM_SHAPE_MISMATCH',
      kind: CHECKS.SEAM_SHAPE_MISMATCH.kind,
      ...base,
      sentence: `${from} has dimensions ${dimsText(out.dims)}, ${to} ${dimsText(inp.dims)}: the parts cannot be connected as they are; check the split point and the converter's input dimensions`,
    };
  }
  const pe = out.encoding;
  const ce = inp.encoding;
  const pQuant = pe !== undefined || isQuantizedDtype(out.dtype);
  const cQuant = ce !== undefined || isQuantizedDtype(inp.dtype);
  if (pQuant !== cQuant) {
    const quantSide = pQuant ? out : inp;
    const e0 = quantSide.encoding?.channels[0];
    return {
      code: 'SEAM_DTYPE_MISMATCH',
      kind: CHECKS.SEAM_DTYPE_MISMATCH.kind,
      ...base,
      ...(pe?.channels[0] ? { expected: toGridNumbers(pe.channels[0]) } : {}),
      ...(ce?.channels[0] ? { actual: toGridNumbers(ce.channels[0]) } : {}),
      sentence: `${from} is ${pQuant ? `quantized (${out.dtype ?? `${e0?.bitwidth}-bit`})` : `float (${out.dtype ?? 'no encoding'})`} and ${to} is ${cQuant ? `quantized (${inp.dtype ?? `${e0?.bitwidth}-bit`})` : `float (${inp.dtype ?? 'no encoding'})`}: a ${pQuant ? 'dequantize' : 'quantize'} at every inference; quantize both parts the same way for this tensor`,
    };
  }
  if (pe !== undefined && ce !== undefined && !pe.experimental && !ce.experimental) {
    const all = gaps(pe, ce, extraAbsolute);
    const moved = all.filter((g) => !g.same);
    if (moved.length > 0) {
      const worst = moved.reduce((w, g) => (Math.max(g.minSteps, g.maxSteps) > Math.max(w.minSteps, w.maxSteps) ? g : w));
      const p = worst.producer;
      const c = worst.consumer;
      const code = p.bitwidth !== c.bitwidth ? 'SEAM_BITWIDTH_MISMATCH' : 'SEAM_GRID_MISMATCH';
      const perChannel = all.length > 1;
      return {
        code,
        kind: CHECKS[code].kind,
        ...base,
        ...(perChannel && c.channel !== undefined ? { channel: c.channel } : {}),
        expected: toGridNumbers(p),
        actual: toGridNumbers(c),
        deviation: {
          minSteps: worst.minSteps,
          maxSteps: worst.maxSteps,
          scaleRatio: c.scale.value / p.scale.value,
          offsetDelta: Math.round(c.offset.value) - Math.round(p.offset.value),
        },
        sentence:
          `${perChannel ? `${moved.length} of ${all.length} channels: ` : ''}${from} (${p.bitwidth}-bit, min ${fmt(p.min.value)}, max ${fmt(p.max.value)}, scale ${fmt(p.scale.value)}) ` +
          `feeds ${to} (${c.bitwidth}-bit, min ${fmt(c.min.value)}, max ${fmt(c.max.value)}, scale ${fmt(c.scale.value)}): ` +
          `min ${fmtSteps(worst.minSteps)} and max ${fmtSteps(worst.maxSteps)} steps apart on the consumer's grid; costs ${cost(p, c)}; ` +
          `give both sides one encoding (override ${inp.name} in the consumer part with the producer's, or the other way round)`,
      };
    }
  }
  if (out.dtype !== undefined && inp.dtype !== undefined && out.dtype !== inp.dtype) {
    return {
      code: 'SEAM_DTYPE_MISMATCH',
      kind: CHECKS.SEAM_DTYPE_MISMATCH.kind,
      ...base,
      ...(pe?.channels[0] ? { expected: toGridNumbers(pe.channels[0]) } : {}),
      ...(ce?.channels[0] ? { actual: toGridNumbers(ce.channels[0]) } : {}),
      sentence: `${from} is stored as ${out.dtype} and ${to} as ${inp.dtype}: a conversion at every inference; convert both parts with the same data type for this tensor`,
    };
  }
  const e0 = ce?.channels[0];
  return {
    code: 'SEAM_MATCH',
    kind: CHECKS.SEAM_MATCH.kind,
    ...base,
    ...(pe?.channels[0] ? { expected: toGridNumbers(pe.channels[0]) } : {}),
    ...(e0 ? { actual: toGridNumbers(e0) } : {}),
    sentence: `${from} feeds ${to}: ${e0 ? `same ${e0.bitwidth}-bit encoding` : `both ${inp.dtype ?? 'unquantized'}`}${inp.dims ? `, dimensions ${dimsText(inp.dims)}` : ''}`,
  };
}
