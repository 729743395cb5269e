import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError, type SourceEntry, type SourceSet } from '../src/model.js';
import { inputFromBytes } from '../src/parse/input.js';
import { readSource } from '../src/parse/load.js';
import { readGraphDef } from '../src/parse/source/tf/graphdef.js';
import { packedInt64, readFields } from '../src/parse/wire/protobuf.js';
import { corpusInput, corpusPath, describeCorpus } from './helpers/corpus.js';

import {
  DT_DOUBLE,
  attr,
  concat,
  constNode,
  floatTensor,
  graphDef,
  identity,
  pb,
  varint,
  type Bytes,
  type NodeSpec,
} from './helpers/protobuf-writer.js';
import { errorOf } from './helpers/errors.js';

const read = (bytes: Bytes, name = 'model.pb'): SourceSet => readGraphDef(inputFromBytes(name, bytes));


function entry(set: SourceSet, name: string): SourceEntry {
  const found = set.entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name} among ${set.entries.map((e) => e.name).join(', ')}`);
  return found;
}

const f32 = Math.fround;

describe('wire reader: signed varints (int64 attrs, dims of −1)', () => {
  it.each([0, 1, 127, 128, 2 ** 31, -1, -2, -128, -(2 ** 31), -(2 ** 40)])('reads %d back exactly', (value) => {
    const [field] = [...readFields(pb.varint(3, value))];
    expect(field!.int64).toBe(value);
    expect(packedInt64({ field: 7, wireType: 2, bytes: concat(varint(value), varint(value)), offset: 0 })).toEqual([value, value]);
  });

  it('a −1 is 10 bytes on the wire, as protobuf writes negative int64s', () => {
    expect(varint(-1)).toHaveLength(10);
  });
});

// ---------------------------------------------------------------------------------------------
// Small graphs: input → Conv2D(weights FakeQuant) → Relu → act FakeQuant
// ---------------------------------------------------------------------------------------------

const input: NodeSpec = { name: 'input', op: 'Placeholder', attrs: [['dtype', attr.type(1)]] };

/** min/max Consts behind `…/read` Identity nodes, as tf.contrib.quantize writes them. */
function rangeConsts(scope: string, min: readonly number[], max: readonly number[], shape: readonly number[] = [], storage?: 'tensor_content' | 'float_val' | 'float_val_unpacked'): NodeSpec[] {
  return [
    constNode(`${scope}/min`, min, shape, storage),
    identity(`${scope}/min/read`, `${scope}/min`),
    constNode(`${scope}/max`, max, shape, storage),
    identity(`${scope}/max/read`, `${scope}/max`),
  ];
}

function fakeQuantVars(name: string, x: string, scope: string, attrs: NodeSpec['attrs'] = [], op = 'FakeQuantWithMinMaxVars'): NodeSpec {
  return { name, op, inputs: [x, `${scope}/min/read`, `${scope}/max/read`], attrs };
}

function convGraph(options: { weightAttrs?: NodeSpec['attrs']; actAttrs?: NodeSpec['attrs'] } = {}): Bytes {
  return graphDef(
    input,
    constNode('w', [0.5, -0.25], [1, 1, 1, 2], 'tensor_content'),
    identity('w/read', 'w'),
    ...rangeConsts('weights_quant', [-0.25], [0.5]),
    fakeQuantVars('weights_quant/FakeQuantWithMinMaxVars', 'w/read', 'weights_quant', options.weightAttrs),
    { name: 'conv', op: 'Conv2D', inputs: ['input', 'weights_quant/FakeQuantWithMinMaxVars'] },
    { name: 'relu', op: 'Relu', inputs: ['conv'] },
    ...rangeConsts('act_quant', [0], [6.5]),
    fakeQuantVars('act_quant/FakeQuantWithMinMaxVars', 'relu', 'act_quant', options.actAttrs),
    { name: 'out', op: 'Identity', inputs: ['act_quant/FakeQuantWithMinMaxVars'] },
  );
}

describe('binary GraphDef: FakeQuantWithMinMaxVars', () => {
  it('attributes a weight FakeQuant to the weight tensor and its consuming layer', () => {
    const set = read(convGraph({ weightAttrs: [['num_bits', attr.i(8)], ['narrow_range', attr.b(true)]] }));
    expect(set.format).toBe('tf-graphdef');
    const w = entry(set, 'w/read:0');
    expect(w.section).toBe('param');
    expect(w.layout).toBe('per-tensor');
    expect(w.grids).toEqual([{ min: -0.25, max: 0.5 }]);
    expect(w.fakeQuant).toEqual({
      node: 'weights_quant/FakeQuantWithMinMaxVars',
      op: 'FakeQuantWithMinMaxVars',
      numBits: 8,
      narrowRange: true,
      consumer: { op: 'conv', type: 'Conv2D' },
    });
    expect(w.at).toEqual({ file: 'model.pb', node: 'weights_quant/FakeQuantWithMinMaxVars' });
    expect(w.isSymmetric).toBeUndefined();
  });

  it('attributes an activation FakeQuant to its producer output, with the producer type', () => {
    const set = read(convGraph());
    const a = entry(set, 'relu:0');
    expect(a.section).toBe('activation');
    expect(a.grids).toEqual([{ min: 0, max: f32(6.5) }]);
    expect(a.fakeQuant?.producerType).toBe('Relu');
    expect(a.fakeQuant?.consumer).toBeUndefined();
    expect(set.entries.map((e) => e.name)).toEqual(['w/read:0', 'relu:0']);
    expect(set.diagnostics).toEqual([]);
  });

  it('defaults: num_bits absent → 8, narrow_range absent → false', () => {
    const set = read(convGraph());
    for (const e of set.entries) {
      expect(e.bitwidth).toBe(8);
      expect(e.fakeQuant?.numBits).toBe(8);
      expect(e.fakeQuant?.narrowRange).toBe(false);
    }
  });

  it('keeps num_bits 4 and narrow_range given as attrs', () => {
    const set = read(convGraph({ actAttrs: [['num_bits', attr.i(4)], ['narrow_range', attr.b(false)]] }));
    expect(entry(set, 'relu:0').bitwidth).toBe(4);
    expect(entry(set, 'relu:0').fakeQuant?.narrowRange).toBe(false);
  });

  it('keeps the raw float32 range (no TF nudging)', () => {
    const set = read(
      graphDef(
        input,
        ...rangeConsts('q', [-29.41713523864746], [25.163311004638672]),
        fakeQuantVars('q/fq', 'input', 'q'),
      ),
    );
    expect(entry(set, 'input:0').grids).toEqual([{ min: f32(-29.41713523864746), max: f32(25.163311004638672) }]);
  });

  it.each([
    ['float_val (packed)', 'float_val'],
    ['float_val (one field per value)', 'float_val_unpacked'],
    ['tensor_content', 'tensor_content'],
  ] as const)('reads min/max stored as %s', (_label, storage) => {
    const set = read(graphDef(input, ...rangeConsts('q', [-1.5], [2.25], [], storage), fakeQuantVars('q/fq', 'input', 'q')));
    expect(entry(set, 'input:0').grids).toEqual([{ min: -1.5, max: 2.25 }]);
  });

  it('reads a Const without values as zeros, as TensorFlow does (a min of 0 written as an empty tensor)', () => {
    const empty: NodeSpec = { name: 'lo', op: 'Const', attrs: [['value', attr.tensor(concat(pb.varint(1, 1), pb.message(2)))]] };
    const set = read(graphDef(input, empty, constNode('hi', [6]), { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'lo', 'hi'] }));
    expect(entry(set, 'input:0').grids).toEqual([{ min: 0, max: 6 }]);
  });

  it('reads a DT_DOUBLE range Const', () => {
    const doubleConst = (name: string, v: number): NodeSpec => ({
      name,
      op: 'Const',
      attrs: [['value', attr.tensor(concat(pb.varint(1, DT_DOUBLE), pb.message(2), pb.bytes(6, new Uint8Array(new Float64Array([v]).buffer))))]],
    });
    const set = read(graphDef(input, doubleConst('lo', -0.1), doubleConst('hi', 0.3), { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'lo', 'hi'] }));
    expect(entry(set, 'input:0').grids).toEqual([{ min: -0.1, max: 0.3 }]);
  });

  it('resolves min/max through a chain of Identity nodes and input suffixes (`:0`, `^ctrl`)', () => {
    const set = read(
      graphDef(
        input,
        { name: 'split', op: 'Split', inputs: ['dim', 'input'] },
        constNode('dim', [3], []),
        constNode('lo', [-2]),
        identity('lo/read', 'lo'),
        identity('lo/read/again', 'lo/read:0'),
        { name: 'lo/snap', op: 'Snapshot', inputs: ['lo/read/again'] },
        constNode('hi', [2]),
        { name: 'init', op: 'NoOp' },
        { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['split:1', 'lo/snap:0', 'hi', '^init'] },
        { name: 'use', op: 'Relu', inputs: ['fq'] },
      ),
    );
    const e = entry(set, 'split:1');
    expect(e.section).toBe('activation');
    expect(e.grids).toEqual([{ min: -2, max: 2 }]);
    expect(e.fakeQuant?.producerType).toBe('Split');
  });

  it('names the tensor it is given but takes the producer type from behind Identity nodes', () => {
    const set = read(
      graphDef(
        input,
        { name: 'relu', op: 'Relu', inputs: ['input'] },
        identity('relu/id', 'relu'),
        { name: 'fq', op: 'FakeQuantWithMinMaxArgs', inputs: ['relu/id'], attrs: [['min', attr.f(0)]] },
      ),
    );
    expect(entry(set, 'relu/id:0').fakeQuant?.producerType).toBe('Relu');
  });

  it('treats a folded-BatchNorm product of constants as a weight (TF2IR `mul_fold`)', () => {
    const set = read(
      graphDef(
        input,
        constNode('w', [1, 2], [1, 1, 1, 2], 'tensor_content'),
        identity('w/read', 'w'),
        constNode('gamma', [0.5, 0.5], [2]),
        { name: 'mul_fold', op: 'Mul', inputs: ['w/read', 'gamma'] },
        ...rangeConsts('wq', [-1], [0.9921875]),
        fakeQuantVars('wq/fq', 'mul_fold', 'wq'),
        { name: 'conv_fold', op: 'Conv2D', inputs: ['input', 'wq/fq'] },
        constNode('bias', [0, 0], [2]),
        ...rangeConsts('bq', [-2], [1.984375]),
        fakeQuantVars('bq/fq', 'bias', 'bq'),
        { name: 'add_fold', op: 'Add', inputs: ['conv_fold', 'bq/fq'] },
      ),
    );
    expect(entry(set, 'mul_fold:0')).toMatchObject({ section: 'param', fakeQuant: { consumer: { op: 'conv_fold', type: 'Conv2D' } } });
    expect(entry(set, 'bias:0')).toMatchObject({ section: 'param', fakeQuant: { consumer: { op: 'add_fold', type: 'Add' } } });
  });

  it('finds the consuming layer through Identity nodes after the FakeQuant', () => {
    const set = read(
      graphDef(
        input,
        constNode('w', [1], [1]),
        ...rangeConsts('wq', [-1], [1]),
        fakeQuantVars('wq/fq', 'w', 'wq'),
        identity('wq/fq/id', 'wq/fq'),
        { name: 'mm', op: 'MatMul', inputs: ['input', 'wq/fq/id'] },
      ),
    );
    expect(entry(set, 'w:0').fakeQuant?.consumer).toEqual({ op: 'mm', type: 'MatMul' });
  });
});

describe('binary GraphDef: FakeQuantWithMinMaxArgs', () => {
  it('reads min/max from attrs', () => {
    const set = read(
      graphDef(input, {
        name: 'fq',
        op: 'FakeQuantWithMinMaxArgs',
        inputs: ['input'],
        attrs: [['min', attr.f(-0.75)], ['max', attr.f(1.25)], ['num_bits', attr.i(16)], ['narrow_range', attr.b(true)]],
      }),
    );
    const e = entry(set, 'input:0');
    expect(e).toMatchObject({ section: 'activation', bitwidth: 16, layout: 'per-tensor', grids: [{ min: -0.75, max: 1.25 }] });
    expect(e.fakeQuant).toMatchObject({ op: 'FakeQuantWithMinMaxArgs', numBits: 16, narrowRange: true, producerType: 'Placeholder' });
  });

  it('uses the op defaults when attrs are absent: min −6, max 6, 8 bits, not narrow', () => {
    const set = read(graphDef(input, { name: 'fq', op: 'FakeQuantWithMinMaxArgs', inputs: ['input'] }));
    expect(entry(set, 'input:0')).toMatchObject({ bitwidth: 8, grids: [{ min: -6, max: 6 }], fakeQuant: { narrowRange: false } });
  });
});

describe('binary GraphDef: FakeQuantWithMinMaxVarsPerChannel', () => {
  const perChannel = (storage: 'tensor_content' | 'float_val', mins: number[], maxs: number[], shape: number[]) =>
    graphDef(
      input,
      constNode('w', [0], [1, 1, 2, 3]),
      identity('w/read', 'w'),
      ...rangeConsts('wq', mins, maxs, shape, storage),
      fakeQuantVars('wq/fq', 'w/read', 'wq', [['narrow_range', attr.b(true)], ['num_bits', attr.i(4)]], 'FakeQuantWithMinMaxVarsPerChannel'),
      { name: 'conv', op: 'Conv2D', inputs: ['input', 'wq/fq'] },
    );

  it('gives one grid per channel of the last dimension, axis 3 for HWIO weights', () => {
    const set = read(perChannel('tensor_content', [-1, -0.5, -0.25], [1, 0.5, 0.25], [3]));
    const e = entry(set, 'w/read:0');
    expect(e).toMatchObject({ section: 'param', layout: 'per-channel', axis: 3, bitwidth: 4 });
    expect(e.grids).toEqual([
      { channel: 0, min: -1, max: 1 },
      { channel: 1, min: -0.5, max: 0.5 },
      { channel: 2, min: -0.25, max: 0.25 },
    ]);
    expect(e.fakeQuant).toMatchObject({ op: 'FakeQuantWithMinMaxVarsPerChannel', narrowRange: true, numBits: 4 });
  });

  it('expands a single float_val to the Const shape, as TensorFlow does', () => {
    const set = read(perChannel('float_val', [-1], [1], [3]));
    expect(entry(set, 'w/read:0').grids).toHaveLength(3);
    expect(entry(set, 'w/read:0').grids[2]).toEqual({ channel: 2, min: -1, max: 1 });
  });

  it('skips, with a diagnostic, a FakeQuant whose min and max differ in length', () => {
    const set = read(
      graphDef(
        input,
        constNode('lo', [-1, -1], [2]),
        constNode('hi', [1, 1, 1], [3]),
        { name: 'fq', op: 'FakeQuantWithMinMaxVarsPerChannel', inputs: ['input', 'lo', 'hi'] },
      ),
    );
    expect(set.entries).toEqual([]);
    expect(set.diagnostics.map((d) => d.code)).toEqual(['SOURCE_BAD_VALUE']);
    expect(set.diagnostics[0]!.at.node).toBe('fq');
  });
});

describe('binary GraphDef: what cannot be attributed or read', () => {
  it('refuses an unfrozen graph (VariableV2 behind `min/read`)', () => {
    const bytes = graphDef(
      input,
      { name: 'q/min', op: 'VariableV2', attrs: [['dtype', attr.type(1)]] },
      identity('q/min/read', 'q/min'),
      constNode('q/max', [1]),
      identity('q/max/read', 'q/max'),
      fakeQuantVars('q/fq', 'input', 'q'),
    );
    const err = errorOf(() => read(bytes, 'unfrozen.pb'));
    expect(err.code).toBe('UNFROZEN_GRAPH');
    expect(err.message).toMatch(/^unfrozen\.pb: .*'q\/fq'.*'q\/min' \(VariableV2\).*freeze the graph first/);
  });

  it('refuses weights that are still variables (`weights/read` of a VariableV2), even with Const ranges', () => {
    const bytes = graphDef(
      input,
      { name: 'w', op: 'VariableV2' },
      identity('w/read', 'w'),
      ...rangeConsts('wq', [-1], [1]),
      fakeQuantVars('wq/fq', 'w/read', 'wq'),
      { name: 'conv', op: 'Conv2D', inputs: ['input', 'wq/fq'] },
    );
    const err = errorOf(() => read(bytes));
    expect(err.code).toBe('UNFROZEN_GRAPH');
    expect(err.message).toContain("quantizes variable 'w' (VariableV2)");
  });

  it('refuses a TF2 resource-variable graph (VarHandleOp → ReadVariableOp)', () => {
    const bytes = graphDef(
      input,
      { name: 'q/min', op: 'VarHandleOp' },
      { name: 'q/min/ReadVariableOp', op: 'ReadVariableOp', inputs: ['q/min'] },
      constNode('q/max', [1]),
      { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'q/min/ReadVariableOp', 'q/max'] },
    );
    expect(errorOf(() => read(bytes)).code).toBe('UNFROZEN_GRAPH');
  });

  it('reports, never drops silently, a FakeQuant whose input is not in the graph', () => {
    const set = read(graphDef(...rangeConsts('q', [0], [1]), fakeQuantVars('q/fq', 'ghost', 'q')));
    expect(set.entries).toEqual([]);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_UNATTRIBUTED', severity: 'warning', at: { node: 'q/fq' } }]);
    expect(set.diagnostics[0]!.detail).toContain("'ghost'");
  });

  it('keeps a weight FakeQuant that feeds no layer, and says so', () => {
    const set = read(graphDef(constNode('w', [1], [1]), ...rangeConsts('q', [-1], [1]), fakeQuantVars('q/fq', 'w', 'q')));
    expect(set.entries.map((e) => [e.name, e.section])).toEqual([['w:0', 'param']]);
    expect(set.entries[0]!.fakeQuant?.consumer).toBeUndefined();
    expect(set.diagnostics.map((d) => d.code)).toEqual(['SOURCE_UNATTRIBUTED']);
  });

  it('reports a range that is computed instead of constant', () => {
    const set = read(
      graphDef(input, { name: 'lo', op: 'Placeholder' }, constNode('hi', [1]), { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'lo', 'hi'] }),
    );
    expect(set.entries).toEqual([]);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_BAD_VALUE' }]);
    expect(set.diagnostics[0]!.detail).toContain('Placeholder');
  });

  it.each([
    [2, 1, '[2, 1]'],
    [Number.NaN, 1, '[NaN, 1]'],
    [0, Number.POSITIVE_INFINITY, '[0, Infinity]'],
  ])('keeps but flags the range min %d, max %d', (min, max, printed) => {
    const set = read(graphDef(input, { name: 'fq', op: 'FakeQuantWithMinMaxArgs', inputs: ['input'], attrs: [['min', attr.f(min)], ['max', attr.f(max)]] }));
    expect(set.entries).toHaveLength(1);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_BAD_VALUE', at: { node: 'fq' } }]);
    expect(set.diagnostics[0]!.detail).toContain(printed);
  });

  it('reports an impossible num_bits', () => {
    const set = read(graphDef(input, { name: 'fq', op: 'FakeQuantWithMinMaxArgs', inputs: ['input'], attrs: [['num_bits', attr.i(-1)]] }));
    expect(set.entries).toEqual([]);
    expect(set.diagnostics[0]!.code).toBe('SOURCE_BAD_VALUE');
    expect(set.diagnostics[0]!.detail).toContain('num_bits -1');
  });

  it('warns when two FakeQuant nodes quantize the same tensor', () => {
    const set = read(
      graphDef(
        input,
        { name: 'fq1', op: 'FakeQuantWithMinMaxArgs', inputs: ['input'] },
        { name: 'fq2', op: 'FakeQuantWithMinMaxArgs', inputs: ['input'], attrs: [['min', attr.f(-1)]] },
      ),
    );
    expect(set.entries).toHaveLength(2);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_DUPLICATE_NAME', at: { node: 'fq2' } }]);
  });

  it('a valid GraphDef without FakeQuant: no entries and a warning saying there is nothing to verify', () => {
    const set = read(graphDef(input, { name: 'relu', op: 'Relu', inputs: ['input'] }));
    expect(set.entries).toEqual([]);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_NO_FAKEQUANT', severity: 'warning' }]);
    expect(set.diagnostics[0]!.detail).toContain('2 nodes');
  });
});

describe('binary GraphDef: bytes that are not a GraphDef', () => {
  const good = convGraph();

  it.each([1, 2, 7, 50, Math.floor(good.length / 2), good.length - 1])('truncated after %i bytes → BAD_GRAPHDEF at a byte offset', (cut) => {
    const err = errorOf(() => read(good.subarray(0, cut), 'cut.pb'));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(/^cut\.pb: not a TensorFlow GraphDef \(.* at byte \d+\)$/);
  });

  it('500 random corruptions of a valid graph: a source set or an InputError, never another error', () => {
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 500; round++) {
      const bytes = Uint8Array.from(good);
      for (let flips = 1 + rand(3); flips > 0; flips--) bytes[rand(bytes.length)] = rand(256);
      let outcome = 'read';
      try {
        read(bytes);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        outcome = err.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes.keys()].every((k) => ['read', 'BAD_GRAPHDEF'].includes(k))).toBe(true);
    expect(outcomes.get('BAD_GRAPHDEF')).toBeGreaterThan(0);
  });

  it('random bytes', () => {
    let seed = 12345;
    const bytes = Uint8Array.from({ length: 4096 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >> 16;
    });
    expect(errorOf(() => read(bytes, 'noise.pb')).code).toBe('BAD_GRAPHDEF');
  });

  it('a PNG', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
    const err = errorOf(() => read(png, 'image.pb'));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toContain('PNG');
  });

  it('a SavedModel-like protobuf (field 1 is a varint) names the likely cause', () => {
    const metaGraph = pb.message(2, pb.message(1, pb.string(1, 'serve'.repeat(20))));
    const err = errorOf(() => read(concat(pb.varint(1, 1), metaGraph), 'saved_model.pb'));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(/it looks like a SavedModel: freeze it to a GraphDef first\)$/);
    expect(err.message).toContain('at byte 0');
  });

  it('an ONNX-like protobuf (ir_version, producer_name) names the likely cause', () => {
    const err = errorOf(() => read(concat(pb.varint(1, 8), pb.string(2, 'pytorch'), pb.string(3, '2.1')), 'model.pb'));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(/it looks like an ONNX model\)$/);
  });

  it('a node without an op', () => {
    const err = errorOf(() => read(pb.message(1, pb.string(1, 'x'))));
    expect(err.message).toContain('without an op');
  });

  it('a malformed min Const tensor is a diagnostic, not a crash', () => {
    const broken: NodeSpec = { name: 'lo', op: 'Const', attrs: [['value', attr.tensor(Uint8Array.from([0x08]))]] };
    const set = read(graphDef(input, broken, constNode('hi', [1]), { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'lo', 'hi'] }));
    expect(set.entries).toEqual([]);
    expect(set.diagnostics[0]!.code).toBe('SOURCE_BAD_VALUE');
    expect(set.diagnostics[0]!.detail).toMatch(/malformed TensorProto/);
  });

  it('routes through readSource and decodes a float32 tensor exactly', () => {
    const bytes = graphDef(input, constNode('lo', [-0.1]), constNode('hi', [0.1]), { name: 'fq', op: 'FakeQuantWithMinMaxVars', inputs: ['input', 'lo', 'hi'] });
    const set = readSource(inputFromBytes('routed.pb', bytes));
    expect(set.format).toBe('tf-graphdef');
    expect(set.entries[0]!.grids).toEqual([{ min: f32(-0.1), max: f32(0.1) }]);
  });

  it('the tensor helper writes what the reader reads (writer sanity)', () => {
    expect(floatTensor([1], [], 'float_val')[0]).toBe(0x08);
  });
});

// ---------------------------------------------------------------------------------------------
// Real graphs (../shared/corpus/fakequant)
// ---------------------------------------------------------------------------------------------

describeCorpus('corpus: fakequant/on_air_tiny_conv_qat.pb (TF 1.15 tf.contrib.quantize)', () => {
  const set = () => readSource(corpusInput('fakequant/on_air_tiny_conv_qat.pb'));

  it('4 FakeQuantWithMinMaxVars entries with the PROVENANCE ranges, as float32', () => {
    const s = set();
    expect(s.format).toBe('tf-graphdef');
    expect(s.diagnostics).toEqual([]);
    expect(
      s.entries.map((e) => [e.name, e.section, e.bitwidth, e.layout, e.grids[0]!.min, e.grids[0]!.max, e.fakeQuant!.narrowRange, e.fakeQuant!.node]),
    ).toEqual([
      ['first_weights/read:0', 'param', 8, 'per-tensor', f32(-0.09362263977527618), f32(0.08791926503181458), true, 'weights_quant/FakeQuantWithMinMaxVars'],
      ['Relu:0', 'activation', 8, 'per-tensor', 0, f32(19.199445724487305), false, 'act_quant/FakeQuantWithMinMaxVars'],
      ['final_fc_weights/read:0', 'param', 8, 'per-tensor', f32(-0.044889241456985474), f32(0.039489466696977615), true, 'weights_quant_1/FakeQuantWithMinMaxVars'],
      ['add_1:0', 'activation', 8, 'per-tensor', f32(-29.41713523864746), f32(25.163311004638672), false, 'act_quant_1/FakeQuantWithMinMaxVars'],
    ]);
    for (const e of s.entries) expect(e.fakeQuant!.op).toBe('FakeQuantWithMinMaxVars');
  });

  it('weights name their consuming layer; activations their producer type (Relu → min→0 rule)', () => {
    const s = set();
    expect(entry(s, 'first_weights/read:0').fakeQuant?.consumer).toEqual({ op: 'Conv2D', type: 'Conv2D' });
    expect(entry(s, 'final_fc_weights/read:0').fakeQuant?.consumer).toEqual({ op: 'MatMul', type: 'MatMul' });
    expect(entry(s, 'Relu:0').fakeQuant?.producerType).toBe('Relu');
    expect(entry(s, 'add_1:0').fakeQuant?.producerType).toBe('AddV2');
  });

  it('every truncation of the real file is BAD_GRAPHDEF or a clean partial read, never a crash', () => {
    const bytes = readFileSync(corpusPath('fakequant/on_air_tiny_conv_qat.pb'));
    for (let cut = 1; cut < bytes.length; cut += 997) {
      try {
        read(bytes.subarray(0, cut), 'cut.pb');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).code).toBe('BAD_GRAPHDEF');
      }
    }
  });
});

describeCorpus('corpus: fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb (custom QAT, 3.5 MB)', () => {
  it('85 FakeQuantWithMinMaxVars: 28 folded weights + 28 folded biases (param), 27 Relu6 + Dense + AvgPool (activation)', () => {
    const started = performance.now();
    const s = readSource(corpusInput('fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb'));
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(1000);
    expect(s.diagnostics).toEqual([]);
    expect(s.entries).toHaveLength(85);
    const params = s.entries.filter((e) => e.section === 'param');
    const weights = params.filter((e) => e.name.endsWith('/mul_fold:0'));
    const biases = params.filter((e) => e.name.endsWith('/BatchNorm_Fold/bias:0'));
    expect([params.length, weights.length, biases.length]).toEqual([56, 28, 28]);
    const consumerTypes = new Map<string, number>();
    for (const w of weights) consumerTypes.set(w.fakeQuant!.consumer!.type, (consumerTypes.get(w.fakeQuant!.consumer!.type) ?? 0) + 1);
    expect(consumerTypes).toEqual(new Map([['Conv2D', 15], ['DepthwiseConv2dNative', 13]]));
    for (const b of biases) expect(b.fakeQuant!.consumer!.type).toBe('Add');
    const producers = new Map<string, number>();
    for (const a of s.entries.filter((e) => e.section === 'activation')) {
      producers.set(a.fakeQuant!.producerType!, (producers.get(a.fakeQuant!.producerType!) ?? 0) + 1);
    }
    expect(producers).toEqual(new Map([['AvgPool', 1], ['Relu6', 27], ['Add', 1]]));
    expect(entry(s, 'MobilenetV1/AvgPool/AvgPool:0').grids).toEqual([{ min: -4, max: 3.96875 }]);
  });

  it('every range is power-of-two: min = −2^k, max = 2^k·127/128, 8 bits, narrow_range false', () => {
    const s = readSource(corpusInput('fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb'));
    for (const e of s.entries) {
      const { min, max } = e.grids[0]!;
      const k = Math.log2(-min!);
      expect(Number.isInteger(k), `${e.name} min ${min}`).toBe(true);
      expect(max).toBe((-min! * 127) / 128);
      expect(e.bitwidth).toBe(8);
      expect(e.fakeQuant!.narrowRange).toBe(false);
    }
  });
});

describeCorpus('corpus: other binary formats given as a GraphDef', () => {
  it.each([
    ['encodings/aimet/tiny_matmul_4bit.onnx', /at byte 0; it looks like an ONNX model\)$/],
    ['oracle/qairt225/models/tiny_cnn.onnx', /at byte 0; it looks like an ONNX model\)$/],
    ['dlc/openpilot_dmonitoring_model_q_v2.dlc', /at byte 0; it is a zip archive \(a \.dlc\?\)\)$/],
  ])('%s → BAD_GRAPHDEF naming what it is', (file, message) => {
    const err = errorOf(() => readGraphDef(corpusInput(file)));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(message);
  });
});

describeCorpus('corpus: fakequant/on_air_tiny_conv_qat.companion.tflite', () => {
  it('is refused as a GraphDef with one sentence naming what it is', () => {
    const input = corpusInput('fakequant/on_air_tiny_conv_qat.companion.tflite');
    const err = errorOf(() => readGraphDef(input));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(/^.*on_air_tiny_conv_qat\.companion\.tflite: not a TensorFlow GraphDef \(.*at byte 0; it is a TensorFlow Lite flatbuffer\)$/);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('is not taken for a source by readSource either', () => {
    const err = errorOf(() => readSource(corpusInput('fakequant/on_air_tiny_conv_qat.companion.tflite')));
    expect(['UNRECOGNISED_INPUT', 'BAD_GRAPHDEF']).toContain(err.code);
  });
});
