/**
 * diffModels on small constructed models: one test per DiffCode, the tolerance and step boundaries,
 * and the policy (what is a regression).
 */
import { describe, expect, it } from 'vitest';
import { diffModels, DEFAULT_MAX_ENCODING_STEPS } from '../src/verify/diff.js';
import { sameValue, sameValueTolerance } from '../src/verify/diff-tensors.js';
import type { DiffReport, Encoding, Tensor } from '../src/model.js';
import { baseOps, baseTensors, graph, grid, model, n, op, perChannel, perTensor, tensor, withTensor } from './fixtures/diff/models.js';

const F64 = { style: 'float64' } as const;

function codes(report: DiffReport): string[] {
  return report.changes.map((c) => `${c.kind}:${c.code}:${c.subject}`);
}

/** A hand-made grid with an exact binary scale: 0.125, 8 bits, min -16, max 15.875, offset -128. */
function exactGrid(minDelta = 0, maxDelta = 0): Encoding {
  return {
    bitwidth: 8,
    min: n(-16 + minDelta, F64),
    max: n(15.875 + maxDelta, F64),
    scale: n(0.125, F64),
    offset: n(-128, F64),
    at: { file: 'constructed', line: 3 },
  };
}

function withConvOut(e: Encoding): ReturnType<typeof withTensor> {
  return withTensor('conv_out', (t) => ({ ...t, encoding: perTensor(e) }));
}

describe('diffModels: identical models', () => {
  it('reports nothing and exits 0', () => {
    const report = diffModels(model(), model());
    expect(report.changes).toEqual([]);
    expect(report.opListDiff).toBe('');
    expect(report.summary.exitCode).toBe(0);
    expect(report.summary.byKind.get('ok')).toBe(5);
    expect(report.summary.headline).toMatch(/^no regression: 0 changes; 5 tensors and 2 ops in 1 graph compared/);
  });
});

describe('diffModels: one test per code', () => {
  it('TENSOR_ADDED (change), and info when its producer op was added too', () => {
    const extra = tensor('extra', { consumers: ['relu'], encoding: perTensor(grid(0, 1)) });
    const after = model([graph('g', [...baseTensors(), extra], baseOps())]);
    expect(codes(diffModels(model(), after))).toEqual(['change:TENSOR_ADDED:extra']);

    const made = tensor('made', { producer: { op: 'newop', type: 'Reshape' }, encoding: perTensor(grid(0, 1)) });
    const after2 = model([graph('g', [...baseTensors(), made], [...baseOps(), op(2, 'newop', 'Reshape', ['output'], ['made'])])]);
    expect(codes(diffModels(model(), after2))).toEqual(['change:OP_ADDED:newop', 'info:TENSOR_ADDED:made']);
  });

  it('TENSOR_REMOVED: change for an inner tensor, regression for a graph output, info with its op', () => {
    expect(codes(diffModels(model(), withTensor('conv_out', () => undefined)))).toEqual(['change:TENSOR_REMOVED:conv_out']);
    const r = diffModels(model(), withTensor('output', () => undefined));
    expect(codes(r)).toEqual(['regression:TENSOR_REMOVED:output']);
    expect(r.summary.exitCode).toBe(1);

    const ops = baseOps().filter((o) => o.name !== 'relu');
    const tensors = baseTensors().filter((t) => t.name !== 'output' && t.name !== 'shape_const');
    const after = model([graph('g', tensors, ops)]);
    const report = diffModels(model(), after);
    expect(codes(report)).toEqual(['regression:OP_REMOVED:relu', 'info:TENSOR_REMOVED:output', 'info:TENSOR_REMOVED:shape_const']);
    expect(report.changes[1]!.sentence).toContain('removed with op relu');
  });

  it('BECAME_FLOAT is a regression; BECAME_QUANTIZED a change', () => {
    const float = withTensor('conv_out', (t) => ({ ...t, dtype: 'Float_32', encoding: undefined }));
    const r = diffModels(model(), float);
    expect(codes(r)).toEqual(['regression:BECAME_FLOAT:conv_out']);
    expect(r.changes[0]!.sentence).toContain('uFxp_8 (8-bit grid)');
    expect(r.summary.exitCode).toBe(1);
    expect(codes(diffModels(float, model()))).toEqual(['change:BECAME_QUANTIZED:conv_out']);
  });

  it.each([
    [8, 16, 'change'],
    [16, 8, 'regression'],
  ] as const)('BITWIDTH_CHANGED %i -> %i bits is a %s', (from, to, kind) => {
    const at = (bw: number) => withTensor('conv_out', (t) => ({ ...t, dtype: `uFxp_${bw}`, encoding: perTensor(grid(-2, 3, bw)) }));
    const r = diffModels(at(from), at(to));
    expect(codes(r)).toEqual([`${kind}:BITWIDTH_CHANGED:conv_out`]);
    expect(r.changes[0]!.deviation?.scaleRatio).toBeCloseTo((2 ** from - 1) / (2 ** to - 1), 12);
  });

  it('DTYPE_CHANGED for int and signedness changes', () => {
    const int64 = withTensor('shape_const', (t) => ({ ...t, dtype: 'Int_64' }));
    expect(codes(diffModels(model(), int64))).toEqual(['change:DTYPE_CHANGED:shape_const']);
    const signed = withTensor('conv_out', (t) => ({ ...t, dtype: 'sFxp_8' }));
    expect(codes(diffModels(model(), signed))).toEqual(['change:DTYPE_CHANGED:conv_out']);
  });

  it('ENCODING_CHANGED carries the move in before-steps, the scale ratio and the offset delta', () => {
    const r = diffModels(withConvOut(exactGrid()), withConvOut({ ...exactGrid(-0.375), offset: n(-131, F64) }));
    expect(codes(r)).toEqual(['regression:ENCODING_CHANGED:conv_out']);
    expect(r.changes[0]!.deviation).toEqual({ minSteps: 3, maxSteps: 0, scaleRatio: 1, offsetDelta: -3 });
    expect(r.changes[0]!.before).toMatchObject({ min: -16, offset: -128 });
    expect(r.changes[0]!.after).toMatchObject({ min: -16.375, offset: -131 });
    expect(r.changes[0]!.sentence).toContain('3.00 steps');
  });

  it('ENCODING_SAME (info) when the numbers differ only within print precision', () => {
    // A .dlc against its own dump: float32 storage on one side, `%.12f` on the other.
    const stored = Math.fround(-2.3456789);
    const before = withTensor('conv_out', (t) => ({
      ...t,
      encoding: perTensor({ ...grid(-2, 3), min: n(stored, { style: 'float32' }) }),
    }));
    const after = withTensor('conv_out', (t) => ({ ...t, encoding: perTensor({ ...grid(-2, 3), min: n(Number(stored.toFixed(12))) }) }));
    const r = diffModels(before, after);
    expect(codes(r)).toEqual(['info:ENCODING_SAME:conv_out']);
    expect(r.summary.exitCode).toBe(0);
  });

  it('LAYOUT_CHANGED: per-channel -> per-tensor is a regression, the reverse a change', () => {
    const pt = withTensor('conv.weight', (t) => ({ ...t, encoding: perTensor(grid(-0.5, 0.5)) }));
    expect(codes(diffModels(model(), pt))).toEqual(['regression:LAYOUT_CHANGED:conv.weight']);
    expect(codes(diffModels(pt, model()))).toEqual(['change:LAYOUT_CHANGED:conv.weight']);
  });

  it('SHAPE_CHANGED', () => {
    const r = diffModels(model(), withTensor('input', (t) => ({ ...t, dims: [1, 16, 16, 3] })));
    expect(codes(r)).toEqual(['change:SHAPE_CHANGED:input']);
    expect(r.changes[0]).toMatchObject({ before: '[1,8,8,3]', after: '[1,16,16,3]' });
  });

  it('OP_ADDED, OP_REMOVED, OP_RETYPED, and the op list diff', () => {
    const ops = [op(0, 'conv', 'DepthWiseConv2d', ['input', 'conv.weight'], ['conv_out']), op(1, 'relu', 'ElementWiseNeuron', ['conv_out'], ['output'])];
    const r = diffModels(model(), model([graph('g', baseTensors(), ops)]));
    expect(codes(r)).toEqual(['change:OP_RETYPED:conv']);
    expect(r.opListDiff).toContain('-conv  Conv2d\n+conv  DepthWiseConv2d\n');
    expect(r.opListDiff).toContain('--- before/g');
    expect(r.opListDiff).toContain('+++ after/g');
  });

  it('GRAPH_ADDED and GRAPH_REMOVED; a lone renamed graph is paired', () => {
    const two = model([graph('g', baseTensors(), baseOps()), graph('h', baseTensors(), baseOps())]);
    expect(codes(diffModels(model(), two))).toEqual(['change:GRAPH_ADDED:h']);
    const r = diffModels(two, model());
    expect(codes(r)).toEqual(['regression:GRAPH_REMOVED:h']);
    expect(r.opListDiff).toContain('-conv  Conv2d');

    const renamed = diffModels(model(), model([graph('g2', baseTensors(), baseOps())]));
    expect(codes(renamed)).toEqual(['change:METADATA_CHANGED:graph name']);
  });

  it('METADATA_CHANGED: the SDK version, and commands option by option', () => {
    const base = model();
    const after = model(undefined, {
      metadata: {
        ...base.metadata,
        converterVersion: '2.25.0.240728',
        converterCommand: { text: '', tool: 'snpe-onnx-to-dlc', options: new Map([['a', '1'], ['b', '3'], ['c', '']]) },
        quantizerCommand: null,
      },
    });
    const r = diffModels(base, after);
    expect(codes(r)).toEqual([
      'change:METADATA_CHANGED:converter version',
      'change:METADATA_CHANGED:converter command: b',
      'change:METADATA_CHANGED:converter command: c',
      'change:METADATA_CHANGED:quantizer command',
    ]);
    expect(r.changes[0]).toMatchObject({ before: '2.22.6.240515184619_92920', after: '2.25.0.240728' });
    expect(r.summary.exitCode).toBe(0);
  });

  it('what only one side records is a note, not a change', () => {
    const base = model();
    const bare = model(undefined, { metadata: { other: new Map() } });
    const r = diffModels(base, bare);
    expect(r.changes).toEqual([]);
    expect(r.notes).toEqual(['converter version not compared: only the before side records it (2.22.6.240515184619_92920)']);
    // A blank value, as some 2.x dumps print it, records nothing either.
    const blank = diffModels(base, model(undefined, { metadata: { ...base.metadata, converterVersion: ' ' } }));
    expect(blank.changes).toEqual([]);
    expect(blank.notes).toHaveLength(1);
  });
});

describe('what a dump format cannot print is a note, not a removal', () => {
  it('SNPE 1.17: no bias encodings, one output encoding per layer', () => {
    const bias = tensor('conv.bias', { role: 'param', paramKind: 'bias', layer: 'conv', consumers: ['conv'], encoding: perTensor(grid(-1, 1)) });
    const second = tensor('conv_out2', { producer: { op: 'conv', type: 'Conv2d' }, encoding: perTensor(grid(0, 1)) });
    const ops = [op(0, 'conv', 'Conv2d', ['input', 'conv.weight'], ['conv_out', 'conv_out2']), baseOps()[1]!];
    const dlc = model([graph('g', [...baseTensors(), bias, second], ops)], { family: 'dlc-v2' });
    const dump117 = model([graph('g', baseTensors(), ops)], { family: 'snpe-1.17' });
    const r = diffModels(dlc, dump117);
    expect(r.changes).toEqual([]);
    expect(r.notes).toEqual([
      'graph g: 1 tensor of one side not compared: SNPE 1.17 dumps print no bias encodings',
      'graph g: 1 tensor of one side not compared: SNPE 1.17 dumps print one output encoding per layer',
    ]);
    // A 1.4x dump prints both: there the same absence is a change.
    expect(codes(diffModels(dlc, model([graph('g', baseTensors(), ops)], { family: 'snpe-1.4x-1.6x' })))).toEqual([
      'change:TENSOR_REMOVED:conv.bias',
      'change:TENSOR_REMOVED:conv_out2',
    ]);
  });
});

describe('graph selection', () => {
  it('compares only the graph asked for', () => {
    const float = (t: Tensor): Tensor => (t.name === 'conv_out' ? { ...t, dtype: 'Float_32', encoding: undefined } : t);
    const before = model([graph('g', baseTensors(), baseOps()), graph('h', baseTensors(), baseOps())]);
    const after = model([graph('g', baseTensors(), baseOps()), graph('h', baseTensors().map(float), baseOps())]);
    expect(codes(diffModels(before, after))).toEqual(['regression:BECAME_FLOAT:conv_out']);
    expect(diffModels(before, after).changes[0]!.graph).toBe('h');
    expect(diffModels(before, after, { graph: 'g' }).changes).toEqual([]);
    expect(diffModels(before, after, { graph: 'h' }).summary.exitCode).toBe(1);
  });
});

describe('tolerance boundary: same stored value or not', () => {
  // float64 on both sides: the tolerance is one float32 ulp, 2^-22 for values in [2, 4).
  it.each([
    ['just inside', 2 ** -22 - 2 ** -50, 'ENCODING_SAME'],
    ['exactly at', 2 ** -22, 'ENCODING_SAME'],
    ['just outside', 2 ** -22 + 2 ** -50, 'ENCODING_CHANGED'],
    ['zero', 0, undefined],
  ] as const)('%s one float32 ulp (Δmin %s) -> %s', (_label, delta, code) => {
    const enc = (d: number): Encoding => ({ ...grid(-2, 3, 8, undefined, F64), min: n(-2 - d, F64) });
    expect(sameValueTolerance(n(-2, F64), n(-2 - 2 ** -22, F64))).toBe(2 ** -22);
    const r = diffModels(withConvOut(enc(0)), withConvOut(enc(delta)));
    expect(r.changes.map((c) => c.code)).toEqual(code === undefined ? [] : [code]);
  });

  // `%.12f` on both sides: each print is within 5e-13 of the stored value.
  it.each([
    [1e-12, true],
    [2e-12, false],
  ] as const)('printed %.12f: 0 vs %s is the same value: %s', (value, same) => {
    expect(sameValue(n(0), n(value))).toBe(same);
  });

  it.each([
    [Number.NaN, Number.NaN, true],
    [Number.NaN, 0, false],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, true],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, false],
    [-0, 0, true],
  ] as const)('non-finite: %s vs %s same: %s', (a, b, same) => {
    expect(sameValue(n(a), n(b))).toBe(same);
  });
});

describe('step boundary: change or regression (maxEncodingSteps)', () => {
  it('defaults to 1 step', () => expect(DEFAULT_MAX_ENCODING_STEPS).toBe(1));

  it.each([
    ['half a step', -0.0625, 0, 'change', 0.5],
    ['exactly 1 step (min)', -0.125, 0, 'change', 1],
    ['exactly 1 step (max)', 0, 0.125, 'change', 1],
    // The tolerance (one float32 ulp of 16.125 = 2^-19, i.e. 2^-16 steps) widens the limit.
    ['1 step + tolerance', -0.125 - 2 ** -19, 0, 'change', 1 + 2 ** -16],
    ['just over 1 step + tolerance', -0.125 - 2 ** -19 - 2 ** -40, 0, 'regression', 1 + 2 ** -16 + 2 ** -37],
    ['3 steps', -0.375, 0, 'regression', 3],
    ['-3 steps on max', 0, -0.375, 'regression', 3],
  ] as const)('%s -> %s', (_label, minDelta, maxDelta, kind, steps) => {
    const r = diffModels(withConvOut(exactGrid()), withConvOut(exactGrid(minDelta, maxDelta)));
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ code: 'ENCODING_CHANGED', kind });
    const d = r.changes[0]!.deviation!;
    expect(Math.max(d.minSteps!, d.maxSteps!)).toBe(steps);
  });

  it('maxEncodingSteps moves the boundary', () => {
    const r = diffModels(withConvOut(exactGrid()), withConvOut(exactGrid(-0.375)), { maxEncodingSteps: 3 });
    expect(r.changes[0]!.kind).toBe('change');
    expect(r.summary.exitCode).toBe(0);
  });
});

describe('per-channel', () => {
  const weights = (channels: Encoding[], all = true, count = channels.length) =>
    withTensor('conv.weight', (t: Tensor) => ({ ...t, encoding: perChannel(channels, all, count) }));

  it('compares channel by channel and names the worst channel (in steps, not in absolute terms)', () => {
    const before = weights([grid(-0.5, 0.5, 8, 0), grid(-0.25, 0.25, 8, 1), grid(-1, 1, 8, 2)]);
    const after = weights([grid(-0.5, 0.5, 8, 0), grid(-0.30, 0.25, 8, 1), grid(-1.1, 1, 8, 2)]);
    const r = diffModels(before, after);
    expect(r.changes).toHaveLength(1);
    const c = r.changes[0]!;
    // channel 1 moved 0.05 on a 0.5/255 grid (25.5 steps); channel 2 moved 0.1 on a 2/255 grid (12.75).
    expect(c).toMatchObject({ code: 'ENCODING_CHANGED', kind: 'regression', channel: 1 });
    expect(c.sentence).toMatch(/^2 of 3 channels of tensor conv.weight moved \(worst channel 1\)/);
    expect(c.deviation!.minSteps).toBeCloseTo(25.5, 9);
  });

  it('compares only channels both sides have, and says when one side printed only channel 0', () => {
    const all = weights([grid(-0.5, 0.5, 8, 0), grid(-0.25, 0.25, 8, 1)], true, 2);
    const only0 = weights([grid(-0.5, 0.5, 8, 0)], false, 2);
    const same = diffModels(all, only0);
    expect(same.changes).toEqual([]);
    expect(same.notes.join('\n')).toMatch(/channel 0 only .*after for 1 tensors/);

    const moved = weights([grid(-0.6, 0.5, 8, 0)], false, 2);
    const r = diffModels(all, moved);
    expect(r.changes[0]!.sentence).toContain('compared 1 channel only: after printed only channel 0 of 2');
  });
});

describe('waivers inside diffModels', () => {
  it('a waived regression no longer fails; an unused waiver is a note', () => {
    const float = withTensor('conv_out', (t) => ({ ...t, dtype: 'Float_32', encoding: undefined }));
    const r = diffModels(model(), float, {
      waivers: [
        { subject: 'conv_*', code: 'BECAME_FLOAT', label: 'accepted' },
        { subject: 'nothing', label: 'stale' },
      ],
    });
    expect(r.changes[0]).toMatchObject({ code: 'BECAME_FLOAT', kind: 'regression', waivedBy: 'accepted' });
    expect(r.summary.exitCode).toBe(0);
    expect(r.summary.byKind.get('fail')).toBe(0);
    expect(r.summary.headline).toContain('1 waived regression');
    expect(r.notes).toContain('waiver matched no change: stale');
  });
});
