/**
 * `show` of a model in pieces (an LLM has hundreds of thousands of per-channel encodings): the
 * pieces join to the document written in one go, byte for byte, in every format. The golden files
 * were written by the one-string renderer this replaced.
 */
import { describe, expect, it } from 'vitest';
import type { DlcModel, Encoding, Graph, Tensor, TensorEncoding } from '../src/model.js';
import { renderModel, renderModelChunks } from '../src/render/show-model.js';
import { buildGraph, buildModel } from './helpers/model-builder.js';

const FORMATS = [
  ['json', 'json'],
  ['csv', 'csv'],
  ['table', 'txt'],
] as const;

/** `graph` with one tensor's encoding changed. */
function withEncoding(graph: Graph, tensorName: string, change: (encoding: TensorEncoding) => TensorEncoding): Graph {
  const tensor = graph.tensors.get(tensorName)!;
  const changed: Tensor = { ...tensor, encoding: change(tensor.encoding!) };
  return { ...graph, tensors: new Map([...graph.tensors].map(([name, t]) => [name, name === tensorName ? changed : t])) };
}

/**
 * Three graphs, the middle one float; non-finite numbers; `__proto__` as a tensor, option, header
 * and footer label; what only a .dlc says (isOverridden, isSymmetric, line-less grids) next to
 * grids with line numbers.
 */
function edgeCaseModel(): DlcModel {
  const base = buildModel({
    file: '/data/edge.dlc',
    graphs: [
      {
        name: 'prompt',
        inputs: [{ name: '__proto__', dims: [1, 8, 8, 3], encoding: { scale: 0.0078125, offset: -128 } }],
        ops: [
          {
            name: 'conv',
            type: 'Conv2d',
            inputs: ['__proto__'],
            weights: [{ name: 'conv.weight', dims: [3, 3, 3, 4], channels: [0.01, 0.02, 0.03, 0.04], axis: 3 }],
            outputs: [{ name: 'conv_out', dims: [1, 8, 8, 4], tensorType: 'APP_READ', encoding: { scale: 0.05, offset: 0 } }],
            params: [],
          },
        ],
      },
      {
        name: 'float_only',
        inputs: [{ name: 'x', dims: [1, 4] }],
        ops: [{ name: 'relu', type: 'Relu', inputs: ['x'], outputs: [{ name: 'y', dims: [1, 4], tensorType: 'APP_READ' }], params: [] }],
      },
      {
        name: 'generator',
        inputs: [{ name: 'a', dims: [1, 4], encoding: { scale: 0.1, offset: -10 } }],
        ops: [{ name: 'add', type: 'Eltwise_Binary', inputs: ['a', 'a'], outputs: [{ name: 'c', dims: [1, 4], encoding: { scale: 0.2, offset: 0 } }], params: [] }],
      },
    ],
  });
  const [prompt, floatOnly, generator] = base.graphs as [Graph, Graph, Graph];
  const n = (value: number) => ({ value, precision: { style: 'float64' } as const });
  const grids = (change: (grid: Encoding) => Encoding) => (e: TensorEncoding) => ({ ...e, channels: e.channels.map((g) => change(g)) });
  const flagged = withEncoding(
    withEncoding(prompt, 'conv.weight', grids((g) => ({ ...g, isSymmetric: true }))),
    'conv_out',
    (e) => ({ ...e, isOverridden: true }),
  );
  const nonFinite = withEncoding(
    withEncoding(generator, 'a', grids((g) => ({ ...g, at: { line: 40 } }))),
    'c',
    grids((g) => ({ ...g, min: n(Number.NEGATIVE_INFINITY), max: n(Number.POSITIVE_INFINITY), scale: n(Number.NaN), at: { line: 41 } })),
  );
  return {
    ...base,
    metadata: {
      ...base.metadata,
      converterCommand: { text: 'snpe-onnx-to-dlc; __proto__=1', tool: 'snpe-onnx-to-dlc', options: new Map([['__proto__', '1'], ['constructor', '2']]) },
      other: new Map([['__proto__', 'header line']]),
    },
    graphs: [{ ...flagged, footer: new Map([['__proto__', 'footer line'], ...prompt.footer]) }, floatOnly, { ...nonFinite, footer: new Map() }],
    diagnostics: [
      { code: 'DUMP_UNKNOWN_LINE', severity: 'warning', detail: 'a line no table explains', at: { line: 12 } },
      { code: 'DUMP_CRLF', severity: 'info', detail: 'CRLF line endings', at: {} },
    ],
  };
}

function floatModel(): DlcModel {
  return buildModel({
    file: '/data/float.dlc',
    graphs: [{ name: 'float', inputs: [{ name: 'x', dims: [1, 4] }], ops: [{ name: 'relu', type: 'Relu', inputs: ['x'], outputs: [{ name: 'y', dims: [1, 4] }], params: [] }] }],
  });
}

/** One per-channel weight of `channelCount` channels between two per-tensor activations. */
function perChannelModel(channelCount: number): DlcModel {
  const channels = Array.from({ length: channelCount }, (_, c) => 0.001 * (c + 1));
  const graph = buildGraph({
    name: 'llm_part_1_of_1',
    inputs: [{ name: 'hidden', dims: [1, 4096], encoding: { scale: 0.001, offset: -32768, bitwidth: 16 } }],
    ops: [
      {
        name: '/model/layers.0/mlp/up_proj/MatMul',
        type: 'FullyConnected',
        inputs: ['hidden'],
        weights: [{ name: 'model.layers.0.mlp.up_proj.weight', dims: [channelCount, 4096], channels, axis: 0 }],
        outputs: [{ name: '/model/layers.0/mlp/up_proj/MatMul_output_0', dims: [1, channelCount], tensorType: 'APP_READ', encoding: { scale: 0.002, offset: -32768, bitwidth: 16 } }],
        params: [],
      },
    ],
  });
  return { ...buildModel({ graphs: [] }), file: '/data/llm.dlc', graphs: [graph] };
}

describe('show in pieces, against the one-string renderer it replaced', () => {
  describe.each([
    ['edge-cases', edgeCaseModel()],
    ['no-encodings', floatModel()],
  ])('%s', (name, model) => {
    it.each(FORMATS)('%s: the pieces join to the golden text', async (format, extension) => {
      const options = { format, color: false };
      const joined = [...renderModelChunks(model, options)].join('');
      expect(joined).toBe(renderModel(model, options));
      await expect(joined).toMatchFileSnapshot(`fixtures/show/${name}.${extension}`);
    });
  });

  it.each(['prompt', 'float_only', 'generator'])('--graph %s: only that graph, as the one-go document', (graph) => {
    const text = renderModel(edgeCaseModel(), { format: 'json', graph, color: false });
    expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text);
    const json = JSON.parse(text) as { graphs: { name: string }[]; encodings: { graph: string }[] };
    expect(json.graphs.map((g) => g.name)).toEqual([graph]);
    expect(json.encodings.every((e) => e.graph === graph)).toBe(true);
  });
});

describe('a per-channel model too big for one piece', () => {
  const channelCount = 3000;
  const model = perChannelModel(channelCount);
  const rowCount = channelCount + 2;

  it.each(FORMATS)('%s: several pieces, each small enough to die young', (format) => {
    const chunks = [...renderModelChunks(model, { format, color: false })];
    expect(chunks.length).toBeGreaterThan(1);
    // The renderer's reason to cut: V8 puts strings over 128 KB straight into the old generation.
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024);
  });

  it('json: the one-go layout across piece boundaries, every channel once and in order', () => {
    const text = [...renderModelChunks(model, { format: 'json', color: false })].join('');
    expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text);
    const json = JSON.parse(text) as { graphs: { encodings: number }[]; encodings: { tensor: string; channel?: number }[] };
    expect(json.graphs[0]!.encodings).toBe(rowCount);
    expect(json.encodings).toHaveLength(rowCount);
    const channels = json.encodings.filter((e) => e.tensor === 'model.layers.0.mlp.up_proj.weight').map((e) => e.channel);
    expect(channels).toEqual(Array.from({ length: channelCount }, (_, c) => c));
  });

  it('csv: a head line, then one line of 14 fields per channel, in order', () => {
    const lines = [...renderModelChunks(model, { format: 'csv', color: false })].join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1 + rowCount);
    expect(lines.every((line) => line.split(',').length === 14)).toBe(true);
    const channelColumn = lines.filter((line) => line.includes(',model.layers.0.mlp.up_proj.weight,')).map((line) => line.split(',')[11]);
    expect(channelColumn).toEqual(Array.from({ length: channelCount }, (_, c) => String(c)));
  });

  it('table: one box of equal-width lines across piece boundaries', () => {
    const lines = [...renderModelChunks(model, { format: 'table', color: false })].join('').split('\n');
    expect(lines.pop()).toBe('');
    const box = lines.filter((line) => /^[┌│├└]/.test(line));
    expect(box).toHaveLength(1 + 1 + rowCount + 1); // top, head, rows, bottom
    expect(new Set(box.map((line) => line.length)).size).toBe(1);
  });
});
