/**
 * Round-trip properties (issue 7 item 4): a random model -> the dump writer (text per family, and
 * CSV) -> the real dump parser -> the same model: ops (ids, names, types, inputs, outputs, out
 * dims, attributes), tensors (dtype, dims, tensor type), encodings (layout, axis, channel count,
 * every printed channel within the print precision), I/O rows. And a clean dump parses with no
 * warning or error diagnostic.
 *
 * Names are what real dumps hold: spaces, `:`/`::`, `/`, `.`, parentheses, leading digits, and
 * `__proto__`/`constructor`. Excluded by the format itself (ambiguous in any parser): `|`, line
 * breaks, leading/trailing blanks (cells are trimmed), and ` encoding ` inside a tensor name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DlcModel, Encoding, Graph, PrintedNumber, Tensor } from '../src/model.js';
import { quantumOf } from '../src/numeric.js';
import { parseDump } from '../src/parse/dump/index.js';
import { splitLines } from '../src/parse/input.js';
import { writeDumpCsv } from '../src/testing/dump-csv.js';
import { writeDumpText, type TextFamily } from '../src/testing/dump-text.js';
import { buildModel, type EncSpec, type GraphSpec, type ModelSpec, type OpSpec, type TensorSpec, type WeightSpec } from './helpers/model-builder.js';
import { FUZZ_SEED, fuzzRuns } from './helpers/mutate.js';

const RUNS = fuzzRuns(40);

// ---------------------------------------------------------------------------------------------
// Random models
// ---------------------------------------------------------------------------------------------

const SPECIAL_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', '130', 'conv1/Relu:0', 'a b', 'x::y', 'name (with) parens', '/model.22/Sigmoid_output_0', 'model.0.conv.weight'];

const nameArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_NAMES) },
  {
    weight: 4,
    arbitrary: fc
      .stringMatching(/^[A-Za-z0-9_./:()\- ]{1,24}$/)
      .filter((s) => s.trim() === s && !s.includes(' encoding') && !/^[.\s]*$/.test(s) && !s.startsWith('axis-quant')),
  },
);

type Gen = fc.GeneratorValue;

function encSpec(g: Gen, bitwidths: readonly number[]): EncSpec {
  const bitwidth = g(() => fc.constantFrom(...bitwidths));
  // Scales from tiny to large, as float32 (what a DLC stores); offsets on the QNN side (≤ 0).
  const scale = Math.fround(g(fc.double, { min: 1e-7, max: 50, noNaN: true, noDefaultInfinity: true }));
  const offset = -g(fc.integer, { min: 0, max: 2 ** Math.min(bitwidth, 16) - 1 });
  return { bitwidth, scale, offset };
}

function dims(g: Gen): number[] {
  return g(fc.array, fc.integer({ min: 1, max: 640 }), { minLength: 1, maxLength: 4 });
}

/** A graph spec: each op reads earlier tensors, may own weights, writes 1–2 new tensors. */
function graphSpec(g: Gen, graphName: string, options: { snpe1: boolean; bitwidths: readonly number[] }): GraphSpec {
  const opCount = g(fc.integer, { min: 1, max: 6 });
  const names = g(() => fc.uniqueArray(nameArb, { minLength: 2 + opCount * 8, maxLength: 2 + opCount * 8 }));
  let next = 0;
  const take = () => names[next++]!;
  const inputCount = g(fc.integer, { min: 1, max: 2 });
  const inputs: TensorSpec[] = [];
  for (let i = 0; i < inputCount; i++) {
    inputs.push({ name: take(), dims: dims(g), ...(g(fc.boolean) ? { encoding: encSpec(g, options.bitwidths) } : {}) });
  }
  const available = inputs.map((t) => t.name);
  const ops: OpSpec[] = [];
  for (let i = 0; i < opCount; i++) {
    const opName = take();
    const opInputs = i === 0 ? [...available] : g(() => fc.subarray(available, { minLength: 1, maxLength: Math.min(3, available.length) }));
    const weights: WeightSpec[] = [];
    const weightCount = g(fc.integer, { min: 0, max: 2 });
    for (let w = 0; w < weightCount; w++) {
      const perChannel = g(fc.boolean);
      const kind = options.snpe1 && w === 1 ? 'bias' : 'weight';
      const wName = options.snpe1 ? `${opName}.${kind}` : take();
      if (!options.snpe1) next++; // keep the pool aligned either way
      weights.push({
        name: wName,
        dims: [3, 3, 4, 8],
        kind,
        ...(perChannel && kind === 'weight'
          ? { channels: g(fc.array, fc.double({ min: 1e-6, max: 1, noNaN: true }).map(Math.fround), { minLength: 1, maxLength: 9 }), axis: g(fc.integer, { min: 0, max: 3 }) }
          : g(fc.boolean)
            ? { encoding: encSpec(g, options.bitwidths) }
            : {}),
      });
    }
    const outputCount = g(fc.integer, { min: 1, max: 2 });
    const outputs: TensorSpec[] = [];
    // 1.x maps output encodings to outputs by position: a layer's outputs are all quantized or none.
    const layerQuantized = g(fc.nat, 9) < 8;
    for (let o = 0; o < outputCount; o++) {
      const isLast = i === opCount - 1 && o === 0;
      const quantized = options.snpe1 ? layerQuantized : g(fc.nat, 9) < 8;
      outputs.push({
        name: take(),
        dims: dims(g),
        ...(isLast && !options.snpe1 ? { tensorType: 'APP_READ' } : {}),
        ...(quantized ? { encoding: encSpec(g, options.bitwidths) } : {}),
      });
    }
    const paramCount = g(fc.integer, { min: 0, max: 3 });
    const params: [string, string][] = [];
    for (let p = 0; p < paramCount; p++) {
      params.push([g(() => fc.constantFrom('packageName', 'stride', 'pad_amount', 'bias_op_name', 'axis', 'func')), g(() => fc.constantFrom('qti.aisw', '[1, 1]', '[[1, 1], [1, 1]]', '', '3', 'relu'))]);
    }
    ops.push({ name: opName, type: g(() => fc.constantFrom('Conv2d', 'Eltwise_Binary', 'Softmax', 'convolutional', 'data', 'Reshape')), inputs: opInputs, weights, outputs, params });
    available.push(...outputs.map((o) => o.name));
  }
  return { name: graphName, inputs, ops };
}

function modelSpec(g: Gen, options: { snpe1: boolean; graphs: number; bitwidths: readonly number[] }): ModelSpec {
  const graphNames = g(() => fc.uniqueArray(nameArb, { minLength: options.graphs, maxLength: options.graphs }));
  return { graphs: graphNames.map((n) => graphSpec(g, n, options)), file: '/data/random model.dlc' };
}

// ---------------------------------------------------------------------------------------------
// Same model?
// ---------------------------------------------------------------------------------------------

function closeEnough(parsed: PrintedNumber, original: number, what: string): void {
  const tolerance = quantumOf(original, parsed.precision) * (1 + 1e-9) + Math.abs(original) * 2 ** -50;
  if (!(Math.abs(parsed.value - original) <= tolerance)) {
    throw new Error(`${what}: parsed ${parsed.value}, written ${original} (tolerance ${tolerance})`);
  }
}

function sameGrid(parsed: Encoding, original: Encoding, what: string): void {
  expect(parsed.bitwidth, `${what} bitwidth`).toBe(original.bitwidth);
  closeEnough(parsed.min, original.min.value, `${what} min`);
  closeEnough(parsed.max, original.max.value, `${what} max`);
  closeEnough(parsed.scale, original.scale.value, `${what} scale`);
  closeEnough(parsed.offset, original.offset.value, `${what} offset`);
}

/** Which tensors' encodings a family prints (2.x: inputs/outputs of some op; 1.17: first outputs, weights). */
function printedEncodings(graph: Graph, family: TextFamily): Tensor[] {
  const printed: Tensor[] = [];
  const seen = new Set<string>();
  const add = (t: Tensor | undefined) => {
    if (t?.encoding && !seen.has(t.name)) {
      seen.add(t.name);
      printed.push(t);
    }
  };
  for (const op of graph.ops) {
    if (family.startsWith('snpe-1')) {
      for (const out of family === 'snpe-1.17' ? op.outputs.slice(0, 1) : op.outputs) add(graph.tensors.get(out));
    } else {
      for (const i of op.inputs) {
        const t = graph.tensors.get(i);
        if (t?.tensorType === 'APP_WRITE' || t?.tensorType === 'STATIC') add(t);
      }
      for (const out of op.outputs) add(graph.tensors.get(out));
    }
  }
  if (family.startsWith('snpe-1')) {
    for (const t of graph.tensors.values()) if (t.paramKind === 'weight' || (t.paramKind === 'bias' && family !== 'snpe-1.17')) add(t);
  }
  return printed;
}

function sameModel(parsed: DlcModel, original: DlcModel, family: TextFamily): void {
  const bad = parsed.diagnostics.filter((d) => d.severity !== 'info');
  expect(bad.map((d) => `${d.code}@${d.at.line}: ${d.detail}`)).toEqual([]);
  const graphs = family === 'qairt-2.2x' ? original.graphs : original.graphs.slice(0, 1);
  expect(parsed.graphs.length).toBe(graphs.length);
  const snpe1 = family.startsWith('snpe-1');
  for (const [gi, og] of graphs.entries()) {
    const pg = parsed.graphs[gi]!;
    if (family === 'qairt-2.2x') expect(pg.name).toBe(og.name);
    expect(pg.ops.map((o) => [o.id, o.name, o.type, o.inputs, o.outputs, o.outDims])).toEqual(
      og.ops.map((o) => [o.id, o.name, o.type, o.inputs, o.outputs, o.outDims]),
    );
    expect(pg.ops.map((o) => o.params.map((p) => [p.name, p.value]))).toEqual(og.ops.map((o) => o.params.map((p) => [p.name, p.value])));
    if (!snpe1) {
      for (const op of og.ops) {
        for (const name of [...op.inputs, ...op.outputs]) {
          const ot = og.tensors.get(name)!;
          const pt = pg.tensors.get(name);
          expect(pt, `tensor ${JSON.stringify(name)}`).toBeDefined();
          expect([pt!.dtype, pt!.dims, pt!.tensorType]).toEqual([ot.dtype, ot.dims, ot.tensorType]);
        }
      }
    }
    const printed = printedEncodings(og, family);
    for (const ot of printed) {
      const pt = pg.tensors.get(ot.name);
      const what = `${og.name}/${ot.name}`;
      expect(pt?.encoding, `encoding of ${JSON.stringify(ot.name)}`).toBeDefined();
      const pe = pt!.encoding!;
      const oe = ot.encoding!;
      expect(pe.layout, `${what} layout`).toBe(oe.layout);
      if (oe.layout === 'per-tensor') {
        sameGrid(pe.channels[0]!, oe.channels[0]!, what);
        continue;
      }
      expect([pe.axis, pe.channelCount], `${what} axis, count`).toEqual([oe.axis, oe.channelCount]);
      if (snpe1) {
        // 1.x prints one overall encoding for a per-channel weight, never the channels.
        expect(pe.allChannelsPresent).toBe(false);
        sameGrid(pe.channels[0]!, oe.channels[0]!, what);
      } else {
        expect(pe.allChannelsPresent).toBe(true);
        expect(pe.channels.length).toBe(oe.channels.length);
        pe.channels.forEach((c, k) => {
          expect(c.channel).toBe(k);
          sameGrid(c, oe.channels[k]!, `${what} channel ${k}`);
        });
      }
    }
    if (family === 'qairt-2.2x') {
      for (const [pRows, oRows] of [
        [pg.inputs, og.inputs],
        [pg.outputs, og.outputs],
      ] as const) {
        expect(pRows.map((r) => [r.name, r.dims, r.dtype])).toEqual(oRows.map((r) => [r.name, r.dims, r.dtype]));
        oRows.forEach((o, i) => {
          if (o.encoding) sameGrid(pRows[i]!.encoding!, o.encoding, `I/O row ${o.name}`);
          else expect(pRows[i]!.encoding).toBeUndefined();
        });
      }
    }
  }
}

function roundTrip(model: DlcModel, family: TextFamily, csv: boolean): void {
  const text = csv ? writeDumpCsv(model, { family }) : writeDumpText(model, { family });
  const parsed = parseDump(splitLines(text), model.file);
  expect(parsed.format).toBe(csv ? 'dlc-info-csv' : 'dlc-info-text');
  try {
    sameModel(parsed, model, family);
  } catch (err) {
    throw new Error(`${family}${csv ? ' CSV' : ''} round trip:\n${text.length < 20_000 ? text : text.slice(0, 20_000)}\n${String(err)}`);
  }
}

const CASES: { family: TextFamily; csv: boolean; graphs: number; bitwidths: readonly number[] }[] = [
  { family: 'qairt-2.2x', csv: false, graphs: 3, bitwidths: [8, 16, 32] },
  { family: 'qairt-2.2x', csv: true, graphs: 2, bitwidths: [8, 16] },
  { family: 'snpe-1.4x-1.6x', csv: false, graphs: 1, bitwidths: [8, 16] },
  { family: 'snpe-1.4x-1.6x', csv: true, graphs: 1, bitwidths: [8] },
  { family: 'snpe-1.17', csv: false, graphs: 1, bitwidths: [8] },
];

describe('round trip: random model -> writer -> parser -> same model', () => {
  it.each(CASES)('$family (csv: $csv)', ({ family, csv, graphs, bitwidths }) => {
    const snpe1 = family.startsWith('snpe-1');
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const model = buildModel(modelSpec(g, { snpe1, graphs, bitwidths }), { snpe1, family });
        roundTrip(model, family, csv);
      }),
      // Shrinking replays the whole write/parse many times; the first counterexample is clear enough.
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
