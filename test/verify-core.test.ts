/**
 * The pure verifier on constructed DlcModel/SourceSet objects: math, name rules, one case per
 * verdict, pipeline checks, policy. Boundary tables live in verify-boundaries.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fxpNudge, signedSymmetric, tfNudge } from '../src/verify/math.js';
import { sanitizeName, stripConverterSuffix } from '../src/verify/match.js';
import { parseConfig } from '../src/verify/policy.js';
import { globMatch, parseWaiver } from '../src/verify/waivers.js';
import { verify } from '../src/verify/index.js';
import { InputError } from '../src/model.js';
import { command, dumped, enc, entry, model, op, source, stored, tensor } from './fixtures/verify/builder.js';

const onlyResult = (r: ReturnType<typeof verify>, name: string) => {
  const found = r.results.filter((x) => x.tensor === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('math (ENCODINGS.md §3, PAIRS.md §E numbers)', () => {
  it('MinAndMaxToFxpFormat on act_quant_1 gives the TOCO numbers', () => {
    const g = fxpNudge(-29.41713523864746, 25.163311004638672, 8);
    expect(g.offset).toBe(-137);
    expect(dumped(g.min)).toBe(-29.323612213135);
    expect(dumped(g.max)).toBe(25.256834030151);
    expect(dumped(g.scale)).toBe(0.214040964842);
  });

  it.each([
    [-0.09362263977527618, 0.08791926503181458, -0.093974635005, 0.087567269802, 0.000711929053, -132],
    [-0.044889241456985474, 0.039489466696977615, -0.045001976192, 0.039376731962, 0.000330896903, -136],
  ])('narrow-range weights [%f, %f] -> SNPE grid of PAIRS §E', (min, max, eMin, eMax, eScale, eOffset) => {
    const g = fxpNudge(min, max, 8);
    expect([dumped(g.min), dumped(g.max), dumped(g.scale), g.offset]).toEqual([eMin, eMax, eScale, eOffset]);
  });

  it('TF nudge (float32) matches the companion .tflite, and narrow_range uses 254 steps', () => {
    const g = tfNudge(-29.41713523864746, 25.163311004638672, 8, false);
    expect(g.scale).toBe(Math.fround(0.21404096484184265));
    expect(g.offset).toBe(-137);
    const narrow = tfNudge(-0.09362263977527618, 0.08791926503181458, 8, true);
    expect(narrow.scale).toBeCloseTo(0.0007147319265641272, 12);
  });

  it('signed symmetric: offset −2^(bw−1), max = 127·scale', () => {
    const g = signedSymmetric(1.27, 8);
    expect(g.offset).toBe(-128);
    expect(g.scale).toBeCloseTo(0.01, 15);
    expect(g.max).toBeCloseTo(1.27, 15);
    expect(g.min).toBeCloseTo(-1.28, 15);
  });
});

describe('name rules', () => {
  it.each([
    ['130', '_130'],
    ['conv1.weight', 'conv1_weight'],
    ['/model.22/Sigmoid_output_0', '_model_22_Sigmoid_output_0'],
    ['a:b', 'a_b'],
  ])('sanitize %s -> %s', (a, b) => expect(sanitizeName(a)).toBe(b));

  it.each([
    ['x.nchw', 'x'],
    ['_330_nchw', '_330'],
    ['fc_weight_permute', 'fc_weight'],
    ['y.ncs', 'y'],
    ['plain', undefined],
  ])('converter suffix %s -> %s', (a, b) => expect(stripConverterSuffix(a)).toBe(b));

  const grid = { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };
  const e = (name: string, extra = {}) => entry(name, { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128, ...extra });

  it.each([
    ['exact', 'out', 'out'],
    ['colon-zero', 'out:0', 'out'],
    ['colon-zero', 'out', 'out:0'],
    ['tf-read-suffix', 'scope/w/read:0', 'scope/w'],
    ['converter-suffix', 'act', 'act.nchw'],
    ['sanitized', '/m.1/Conv_output_0', '_m_1_Conv_output_0'],
    ['converter-suffix', 'fc.weight', 'fc_weight_permute'],
  ])('rule %s: source %s finds DLC %s', (rule, src, dlc) => {
    const r = verify(model({ tensors: [tensor(dlc, { encoding: enc(grid) })] }), source([e(src)]));
    const res = onlyResult(r, dlc);
    expect(res.match?.rule).toBe(rule);
    expect(res.verdict).toBe('EXACT');
    expect(r.coverage.byRule.get(rule as never)).toBe(1);
  });

  it('QNN net.json models record the qnn-sanitized rule', () => {
    const m = { ...model({ tensors: [tensor('_130', { encoding: enc(grid) })] }), family: 'qnn-net-json' as const };
    expect(onlyResult(verify(m, source([e('130')])), '_130').match?.rule).toBe('qnn-sanitized');
  });

  it('an exact name wins over a converter-suffix copy (_330 vs _330_nchw)', () => {
    const m = model({ tensors: [tensor('_330', { encoding: enc(grid) }), tensor('_330_nchw', { encoding: enc(grid) })], family: 'qnn-net-json' });
    const r = verify(m, source([e('330')]));
    expect(onlyResult(r, '_330').match?.rule).toBe('qnn-sanitized');
    const copy = onlyResult(r, '_330_nchw');
    expect(copy.verdict).toBe('NOT_IN_SOURCE');
    expect(copy.sentence).toContain('inherits the encoding of `_330`');
  });

  it('user rename REGEX=>REPLACEMENT is recorded with its text', () => {
    const m = model({ tensors: [tensor('backbone_out', { encoding: enc(grid) })] });
    const r = verify(m, source([e('model/out')]), { renames: ['^model/(.*)$=>backbone_$1'] });
    const res = onlyResult(r, 'backbone_out');
    expect(res.match).toMatchObject({ rule: 'user-rename', detail: '^model/(.*)$=>backbone_$1' });
  });

  it('a bad rename is a usage error', () => {
    expect(() => verify(model({ tensors: [] }), source([]), { renames: ['no arrow'] })).toThrow(InputError);
    expect(() => verify(model({ tensors: [] }), source([]), { renames: ['(=>x'] })).toThrow(/not a valid regular expression/);
  });

  it('ambiguity is reported, never guessed: two DLC tensors sanitise to the same name', () => {
    const m = model({ tensors: [tensor('a.b', { encoding: enc(grid) }), tensor('a/b', { encoding: enc(grid) })] });
    const r = verify(m, source([e('a:b')]));
    expect(r.results.map((x) => x.verdict)).toEqual(['AMBIGUOUS_MATCH']);
    expect(r.results[0]!.sentence).toContain('`a.b`');
    expect(r.summary.byVerdict.get('NOT_IN_SOURCE')).toBeUndefined();
  });

  it('SNPE 1.x: activations by output buffer, params by TF scope (layer with a weight encoding)', () => {
    const w = { bitwidth: 8, min: -0.702886521816, max: 0.708421051502, scale: 0.005534539465, offset: -127 };
    const m = model({
      family: 'snpe-1.4x-1.6x',
      tensors: [
        tensor('net/conv1/BiasAdd', { encoding: enc(grid), producer: { op: 'net/conv1/Conv2D', type: 'convolutional' } }),
        tensor('net/conv1/Conv2D.weight', { encoding: enc(w), role: 'param', layer: 'net/conv1/Conv2D', paramKind: 'weight' }),
      ],
    });
    const r = verify(
      m,
      source([
        e('net/conv1/BiasAdd:0'),
        entry('net/conv1/weights/read:0', { section: 'param', ...w }),
        entry('net/conv2/weights/read:0', { section: 'param', ...w }),
      ]),
    );
    expect(onlyResult(r, 'net/conv1/BiasAdd').match?.rule).toBe('snpe1-output-buffer');
    const weight = onlyResult(r, 'net/conv1/Conv2D.weight');
    expect(weight.match?.rule).toBe('tf-scope');
    // 0.702886521816 is not a float32: equal only after float32 storage.
    expect(weight.verdict).toBe('FLOAT32_ROUNDING');
    expect(onlyResult(r, 'net/conv2/weights/read:0').verdict).toBe('MISSING_IN_DLC');
    expect(r.summary.exitCode).toBe(1);
    expect(r.coverage).toMatchObject({ sourceEntries: 3, matched: 2, sourceOnly: 1, dlcOnly: 0 });
  });

  it('SNPE 1.x <layer>.weight named directly is snpe1-layer-param', () => {
    const m = model({
      family: 'snpe-1.4x-1.6x',
      tensors: [tensor('Conv_0.weight', { encoding: enc(grid), role: 'param', layer: 'Conv_0', paramKind: 'weight' })],
    });
    expect(onlyResult(verify(m, source([e('Conv_0.weight', { section: 'param' })])), 'Conv_0.weight').match?.rule).toBe('snpe1-layer-param');
  });
});

describe('one case per verdict', () => {
  const s8 = { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };

  it('FLOAT32_ROUNDING: PAIRS A output0 numbers', () => {
    const m = model({ tensors: [tensor('output0', { encoding: enc({ bitwidth: 16, min: 0, max: 643.878662109375, scale: 0.00982495863, offset: 0 }) })] });
    const r = verify(m, source([entry('output0', { bitwidth: 16, min: 0, max: 643.878662109375, scale: 0.00982495860394255, offset: 0 })]));
    const res = onlyResult(r, 'output0');
    expect(res.verdict).toBe('FLOAT32_ROUNDING');
    expect(res.deviation?.scaleRatio).toBeCloseTo(1, 8);
  });

  it('OP_FIXED_ENCODING: PAIRS A 16-bit Sigmoid (ElementWiseNeuron operation 6)', () => {
    const m = model({
      tensors: [
        tensor('/model.22/Sigmoid_output_0', {
          dtype: 'uFxp_16',
          encoding: enc({ bitwidth: 16, min: 0, max: 0.999984741211, scale: 0.000015258789, offset: 0 }),
          producer: { op: '/model.22/Sigmoid', type: 'ElementWiseNeuron' },
        }),
      ],
      ops: [op(222, '/model.22/Sigmoid', 'ElementWiseNeuron', { operation: '6' })],
    });
    const r = verify(m, source([entry('/model.22/Sigmoid_output_0', { bitwidth: 16, min: 0, max: 0.99609375, scale: 0.00001519941634, offset: 0 })]));
    const res = onlyResult(r, '/model.22/Sigmoid_output_0');
    expect(res.verdict).toBe('OP_FIXED_ENCODING');
    expect(res.sentence).toContain('16-bit Sigmoid');
    expect(r.notes[0]).toBe('1 of 1 overrides applied (1 replaced by an op rule), 0 missing in the DLC.');
  });

  it('OP_FIXED_ENCODING is not claimed for a non-Sigmoid producer: REAL_MISMATCH with the closest hypothesis', () => {
    const m = model({
      tensors: [tensor('t', { encoding: enc({ bitwidth: 16, min: 0, max: 0.999984741211, scale: 0.000015258789, offset: 0 }), producer: { op: 'p', type: 'Conv2d' } })],
    });
    const res = onlyResult(verify(m, source([entry('t', { bitwidth: 16, min: 0, max: 0.99609375, scale: 0.00001519941634, offset: 0 })])), 't');
    expect(res.verdict).toBe('REAL_MISMATCH');
    expect(res.deviation?.maxSteps).toBeCloseTo((0.999984741211 - 0.99609375) / 0.000015258789, 3);
    expect(res.kind).toBe('fail');
  });

  it('REAL_MISMATCH: a value moved by 3 steps says so, with the scale ratio', () => {
    const m = model({ tensors: [tensor('t', { encoding: enc({ ...s8, min: -1 + 3 * 0.0078125, offset: -125, max: 0.9921875 + 3 * 0.0078125 }) })] });
    const res = onlyResult(verify(m, source([entry('t', { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 })])), 't');
    expect(res.verdict).toBe('REAL_MISMATCH');
    expect(res.deviation?.minSteps).toBeCloseTo(3, 9);
    expect(res.deviation?.scaleRatio).toBe(1);
    expect(res.sentence).toContain('3.00 step');
  });

  it('OFFSET_SIGN_NORMALIZED: positive JSON offset stored negated', () => {
    const m = model({ tensors: [tensor('t', { encoding: enc(s8) })] });
    expect(onlyResult(verify(m, source([entry('t', { bitwidth: 8, scale: 0.0078125, offset: 128 })])), 't').verdict).toBe('OFFSET_SIGN_NORMALIZED');
  });

  it('SYMMETRIC_OFFSET_FORCED: symmetric with offset 0 in the JSON', () => {
    const m = model({ tensors: [tensor('w', { role: 'param', encoding: enc(s8) })] });
    const res = onlyResult(verify(m, source([entry('w', { section: 'param', bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: 0, isSymmetric: true })])), 'w');
    expect(res.verdict).toBe('SYMMETRIC_OFFSET_FORCED');
  });

  it('ZERO_POINT_NUDGED: min/max only, min moved by < 0.5 step', () => {
    const n = fxpNudge(-29.41713523864746, 25.163311004638672, 8);
    const m = model({ tensors: [tensor('add_1', { encoding: stored(n) })] });
    const res = onlyResult(verify(m, source([entry('add_1', { bitwidth: 8, min: -29.41713523864746, max: 25.163311004638672 })])), 'add_1');
    expect(res.verdict).toBe('ZERO_POINT_NUDGED');
    expect(res.sentence).toContain('min by 0.44 step');
  });

  it('MIN_RANGE_ENFORCED: a degenerate range widened to 0.01', () => {
    const n = fxpNudge(0, 0.001, 8);
    const m = model({ tensors: [tensor('t', { encoding: stored(n) })] });
    expect(onlyResult(verify(m, source([entry('t', { bitwidth: 8, min: 0, max: 0.001 })])), 't').verdict).toBe('MIN_RANGE_ENFORCED');
  });

  it('SYMMETRIC_FORCED: ok with the flag, warn without it', () => {
    const sym = signedSymmetric(0.5, 8);
    const tensors = [tensor('w', { role: 'param', encoding: stored(sym) })];
    const src = source([entry('w', { section: 'param', bitwidth: 8, min: -0.3, max: 0.5, isSymmetric: false })]);
    const flagged = verify(model({ tensors, quantizer: { use_symmetric_quantize_weights: 'true', override_params: 'true' } }), src);
    expect(onlyResult(flagged, 'w')).toMatchObject({ verdict: 'SYMMETRIC_FORCED', kind: 'ok' });
    expect(flagged.pipeline.map((p) => p.code)).toContain('SYMMETRIC_WEIGHTS_CONFLICT');
    const plain = verify(model({ tensors }), src);
    expect(onlyResult(plain, 'w')).toMatchObject({ verdict: 'SYMMETRIC_FORCED', kind: 'warn' });
  });

  it('BITWIDTH_CONVERTED: 16 bits asked, DLC keeps 8 and converts (scale /256, offset ×256)', () => {
    const eight = { bitwidth: 8, min: -48.182079315186, max: 20.486141204834, scale: 0.269287139177, offset: -179 };
    const sixteen = { bitwidth: 16, min: -48.182079315186, max: 20.486141204834, scale: 0.001051902887, offset: -45824 };
    const m = model({ tensors: [tensor('s', { encoding: enc(eight) }), tensor('s_converted_UFIXED_POINT_16', { encoding: enc(sixteen) })] });
    const r = verify(m, source([entry('s', { bitwidth: 16, min: -48.18, max: 20.49 })]));
    expect(onlyResult(r, 's').verdict).toBe('BITWIDTH_CONVERTED');
    const conv = onlyResult(r, 's_converted_UFIXED_POINT_16');
    expect(conv.verdict).toBe('NOT_IN_SOURCE');
    expect(conv.sentence).toContain('consistent');
  });

  it('a Convert op output is recognised by its producer op type too (any name)', () => {
    const eight = { bitwidth: 8, min: -13.288850784302, max: 664.442565917969, scale: 2.65777015686, offset: -5 };
    const m = model({
      tensors: [
        tensor('mul', { encoding: enc(eight) }),
        tensor('mul_16', { encoding: enc({ ...eight, bitwidth: 16, scale: 0.010381914675, offset: -1280 }), producer: { op: 'cv', type: 'Convert' } }),
      ],
      ops: [op(1, 'cv', 'Convert', {}, ['mul_16'], ['mul'])],
    });
    const r = verify(m, source([]));
    expect(onlyResult(r, 'mul_16').sentence).toContain('a Convert op re-expresses `mul` on the 16-bit grid');
    expect(onlyResult(r, 'mul_16').sentence).toContain(': consistent');
  });

  it('BITWIDTH_MISMATCH without a conversion', () => {
    const m = model({ tensors: [tensor('t', { encoding: enc(s8) })] });
    expect(onlyResult(verify(m, source([entry('t', { bitwidth: 16, min: -1, max: 1 })])), 't').verdict).toBe('BITWIDTH_MISMATCH');
  });

  it('PRINT_PRECISION_LIMITED: %.4g dump values', () => {
    const g4 = { style: 'significant', digits: 4 } as const;
    const m = model({ tensors: [tensor('t', { encoding: enc({ bitwidth: 8, min: -0.8784, max: 0.8716, scale: 0.006863, offset: -128 }, g4) })] });
    const res = onlyResult(verify(m, source([entry('t', { bitwidth: 8, min: -128 * 0.0068627, max: 127 * 0.0068627, scale: 0.0068627, offset: -128 })])), 't');
    expect(res.verdict).toBe('PRINT_PRECISION_LIMITED');
  });

  it('SCALE_NOT_COMPUTED: converter stage, min/max stored, scale 0', () => {
    const m = model({ tensors: [tensor('c1', { dtype: 'Float_32', encoding: enc({ bitwidth: 8, min: -2, max: 2, scale: 0, offset: 0 }) })], quantizer: null });
    const r = verify(m, source([entry('c1', { bitwidth: 8, min: -2, max: 2 })]));
    expect(onlyResult(r, 'c1')).toMatchObject({ verdict: 'SCALE_NOT_COMPUTED', kind: 'ok' });
    expect(r.pipeline.map((p) => p.code)).toEqual(['NOT_QUANTIZED']);
    expect(r.summary.exitCode).toBe(0);
  });

  it('FLOAT_OVERRIDE_OK / FLOAT_OVERRIDE_IGNORED / FLOAT_FALLBACK', () => {
    const m = model({ tensors: [tensor('f', { dtype: 'Float_16' }), tensor('q', { encoding: enc(s8) }), tensor('x', { dtype: 'Float_32' })] });
    const r = verify(m, source([entry('f', { dtype: 'float', bitwidth: 16 }), entry('q', { dtype: 'float', bitwidth: 16 }), entry('x', { bitwidth: 8, min: 0, max: 1 })]));
    expect(onlyResult(r, 'f').verdict).toBe('FLOAT_OVERRIDE_OK');
    expect(onlyResult(r, 'q').verdict).toBe('FLOAT_OVERRIDE_IGNORED');
    expect(onlyResult(r, 'x').verdict).toBe('FLOAT_FALLBACK');
    expect(r.summary.exitCode).toBe(1);
  });

  it('NOT_COMPARED for block layouts', () => {
    const m = model({ tensors: [tensor('w', { encoding: enc(s8) })] });
    expect(onlyResult(verify(m, source([entry('w', { layout: 'lpbq', bitwidth: 4, scale: 0.1, offset: -8 })])), 'w').verdict).toBe('NOT_COMPARED');
  });

  it('per-channel: channel by channel, or channel 0 + count with CHANNEL_0_ONLY and a note', () => {
    const chans = [0.01, 0.02, 0.03].map((s, i) => ({ bitwidth: 8, min: -128 * s, max: 127 * s, scale: s, offset: -128, channel: i }));
    const src = source([entry('w', { section: 'param', bitwidth: 8, isSymmetric: true, grids: chans.map(({ scale, offset }) => ({ scale, offset })) })]);
    const all = verify(model({ tensors: [tensor('w', { role: 'param', encoding: chans.map(stored) })] }), src);
    expect(all.results.map((r) => [r.channel, r.verdict])).toEqual([
      [0, 'FLOAT32_ROUNDING'],
      [1, 'FLOAT32_ROUNDING'],
      [2, 'FLOAT32_ROUNDING'],
    ]);
    const first = verify(model({ tensors: [tensor('w', { role: 'param', encoding: [stored(chans[0]!)], channelCount: 3, allChannelsPresent: false })] }), src);
    expect(first.results).toHaveLength(1);
    expect(first.results[0]!.tags).toContain('CHANNEL_0_ONLY');
    expect(first.notes.join(' ')).toContain('Only channel 0 was printed for 1');
    const wrongCount = verify(model({ tensors: [tensor('w', { role: 'param', encoding: [stored(chans[0]!)], channelCount: 4, allChannelsPresent: false })] }), src);
    expect(wrongCount.results[0]!.verdict).toBe('REAL_MISMATCH');
  });

  it('converter-stage per-channel {scale s, offset −128} stored as ±127·s, offset 0 (PAIRS §F dw.weight)', () => {
    const s = [0.01, 0.02];
    const m = model({
      quantizer: null,
      tensors: [tensor('dw.weight', { role: 'param', dtype: 'Float_32', encoding: s.map((x, i) => stored({ bitwidth: 8, min: -127 * x, max: 127 * x, scale: x, offset: 0, channel: i })) })],
    });
    const r = verify(m, source([entry('dw.weight', { section: 'param', bitwidth: 8, isSymmetric: true, grids: s.map((x) => ({ scale: x, offset: -128 })) })]));
    expect(r.results.map((x) => x.verdict)).toEqual(['SYMMETRIC_OFFSET_FORCED', 'SYMMETRIC_OFFSET_FORCED']);
  });

  it('MISSING_IN_DLC fails; waived it passes; NOT_IN_SOURCE is info', () => {
    const m = model({ tensors: [tensor('other', { encoding: enc(s8) })] });
    const src = source([entry('gone', { bitwidth: 8, min: 0, max: 1 })]);
    const r = verify(m, src);
    expect(r.results.map((x) => [x.tensor, x.verdict, x.kind])).toEqual([
      ['gone', 'MISSING_IN_DLC', 'fail'],
      ['other', 'NOT_IN_SOURCE', 'info'],
    ]);
    expect(r.summary.exitCode).toBe(1);
    const waived = verify(m, src, { waivers: ['go*:MISSING_IN_DLC'] });
    expect(waived.summary.exitCode).toBe(0);
    expect(waived.results[0]!.waivedBy).toBe('go*:MISSING_IN_DLC');
    expect(verify(m, src, { waivers: ['go*:REAL_MISMATCH'] }).summary.exitCode).toBe(1);
  });
});

describe('pipeline checks (ENCODINGS.md §6)', () => {
  const t = [tensor('t', { encoding: stored({ bitwidth: 8, min: 0, max: 1, scale: 1 / 255, offset: 0 }) })];
  const src = (file = '/x/y/yolo8_act.encodings') => source([entry('t', { bitwidth: 8, min: 0, max: 1, scale: 1 / 255, offset: 0 })], file);

  it.each([
    [{ quantization_overrides: '/home/u/yolo8_act.encodings' }, 'OVERRIDES_SAME_FILE', 0],
    [{ quantization_overrides: 'C:\\u\\other.json' }, 'OVERRIDES_OTHER_FILE', 0],
    [{ quantization_overrides: '' }, 'OVERRIDES_NOT_GIVEN', 1],
  ])('converter %o -> %s (exit %d)', (converter, code, exit) => {
    const r = verify(model({ tensors: t, converter, quantizer: { override_params: 'true' } }), src());
    expect(r.pipeline.map((p) => p.code)).toEqual([code]);
    expect(r.summary.exitCode).toBe(exit);
  });

  it('override_params=false fails the run; waivable by code', () => {
    const m = model({ tensors: t, quantizer: { override_params: 'false' } });
    const r = verify(m, src());
    expect(r.pipeline.map((p) => p.code)).toEqual(['OVERRIDE_PARAMS_FALSE']);
    expect(r.summary.exitCode).toBe(1);
    expect(verify(m, src(), { waivers: ['*:OVERRIDE_PARAMS_FALSE'] }).summary.exitCode).toBe(0);
  });

  it('act_bitwidth contradicting the JSON', () => {
    const r = verify(model({ tensors: t, quantizer: { act_bitwidth: '[16]' } }), src());
    expect(r.pipeline.map((p) => p.code)).toEqual(['BITWIDTH_FLAG_CONFLICT']);
    expect(r.pipeline[0]!.detail).toContain('act_bitwidth=16');
  });

  it('float DLC: no encodings at all', () => {
    const r = verify(model({ tensors: [tensor('t', { dtype: 'Float_32' })], quantizer: null }), src());
    expect(r.pipeline.map((p) => p.code)).toEqual(['FLOAT_DLC']);
    expect(r.summary.exitCode).toBe(1);
  });

  it('no commands -> NO_COMMANDS (info)', () => {
    expect(verify(model({ tensors: t }), src()).pipeline.map((p) => p.code)).toEqual(['NO_COMMANDS']);
  });

  it('the command helper builds a Command', () => {
    expect(command('x', { a: '1' }).options.get('a')).toBe('1');
  });
});

describe('policy', () => {
  it.each([
    ['*', 'anything', true],
    ['conv*/Relu:0', 'conv1/Relu:0', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*x', 'yyy', false],
    ['', '', true],
  ])('glob %s on %s = %s', (g, t, r) => expect(globMatch(g, t)).toBe(r));

  it('a long hostile name is matched in linear-ish time', () => {
    const name = 'a'.repeat(20000);
    const started = Date.now();
    expect(globMatch('*a*a*a*a*a*b', name)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('waiver codes only when the suffix is a known code (names contain colons)', () => {
    expect(parseWaiver('conv/Relu:0')).toEqual({ subject: 'conv/Relu:0', label: 'conv/Relu:0' });
    expect(parseWaiver('conv/Relu:0:REAL_MISMATCH')).toMatchObject({ subject: 'conv/Relu:0', code: 'REAL_MISMATCH' });
    // A diff code is not a verify code, and the other way round.
    expect(parseWaiver('conv/Relu:0:ENCODING_CHANGED')).toEqual({ subject: 'conv/Relu:0:ENCODING_CHANGED', label: 'conv/Relu:0:ENCODING_CHANGED' });
    expect(parseWaiver('conv/Relu:0:REAL_MISMATCH', 'diff')).toEqual({ subject: 'conv/Relu:0:REAL_MISMATCH', label: '--waive conv/Relu:0:REAL_MISMATCH' });
  });

  it('--fail-on accepts kinds and codes, refuses unknown words', () => {
    const m = model({ tensors: [tensor('other', { encoding: enc({ bitwidth: 8, min: 0, max: 1, scale: 1 / 255, offset: 0 }) })] });
    const src = source([]);
    expect(verify(m, src).summary.exitCode).toBe(0);
    expect(verify(m, src, { failOn: ['NOT_IN_SOURCE'] }).summary.exitCode).toBe(1);
    expect(verify(m, src, { failOn: ['info'] }).summary.exitCode).toBe(1);
    expect(() => verify(m, src, { failOn: ['bogus'] })).toThrow(InputError);
  });

  it('config file: renames, waivers, failOn, tolerances; __proto__ keys are refused as unknown', () => {
    const c = parseConfig('{"renames":["a=>b"],"waivers":"x*","failOn":["warn"],"tolerances":[{"tensor":"t*","absolute":0.001}]}', 'c.json');
    expect(c).toEqual({ renames: ['a=>b'], waivers: ['x*'], failOn: ['warn'], tolerances: [{ tensor: 't*', absolute: 0.001 }] });
    expect(() => parseConfig('{"__proto__": {}}', 'c.json')).toThrow(/unknown key/);
    expect(() => parseConfig('[1]', 'c.json')).toThrow(InputError);
    expect(() => parseConfig('{"tolerances":[{"tensor":"x","absolute":-1}]}', 'c.json')).toThrow(/tolerances\[0\]/);
  });

  it('per-tensor tolerance override turns a small mismatch into a match', () => {
    const m = model({ tensors: [tensor('t', { encoding: enc({ bitwidth: 8, min: -1.0001, max: 0.9921875, scale: 0.0078125, offset: -128 }) })] });
    const src = source([entry('t', { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 })]);
    expect(onlyResult(verify(m, src), 't').verdict).toBe('REAL_MISMATCH');
    expect(onlyResult(verify(m, src, { tolerances: [{ tensor: 't', absolute: 0.0002 }] }), 't').verdict).toBe('EXACT');
  });
});

describe('REAL_MISMATCH hypothesis and --graph', () => {
  it('REAL_MISMATCH always names the closest explanation with its distance', () => {
    const m = model({ tensors: [tensor('t', { encoding: stored({ bitwidth: 8, min: -1.0234375, max: 0.96875, scale: 0.0078125, offset: -131 }) })] });
    const res = verify(m, source([entry('t', { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 })])).results[0]!;
    expect(res.verdict).toBe('REAL_MISMATCH');
    expect(res.hypothesis?.verdict).toBe('EXACT');
    expect(res.hypothesis?.deviation.minSteps).toBeCloseTo(3, 9);
    expect(res.deviation?.offsetDelta).toBe(-3);
  });

  it('--graph keeps one graph (and says which were skipped); an unknown graph is a usage error', () => {
    const g = { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };
    const m = model({
      tensors: [],
      graphs: [
        { name: 'prefill', tensors: [tensor('t', { encoding: enc(g) }, 'prefill')] },
        { name: 'decode', tensors: [tensor('t', { encoding: enc(g) }, 'decode')] },
      ],
    });
    const both = verify(m, source([entry('t', g)]));
    expect(both.results.map((r) => r.graph)).toEqual(['prefill', 'decode']);
    const one = verify(m, source([entry('t', g)]), { graph: 'decode' });
    expect(one.results.map((r) => r.graph)).toEqual(['decode']);
    expect(one.notes.join(' ')).toContain('skipped: prefill');
    expect(() => verify(m, source([]), { graph: 'nope' })).toThrow(/no such graph/);
  });
});

describe('TF scope matching is only for variables', () => {
  it('an activation placed under param_encodings is not matched to the layer weights', () => {
    const w = { bitwidth: 8, min: -0.5, max: 0.5, scale: 1 / 255, offset: -128 };
    const m = model({
      family: 'snpe-1.4x-1.6x',
      tensors: [tensor('net/conv1/Conv2D.weight', { encoding: enc(w), role: 'param', layer: 'net/conv1/Conv2D', paramKind: 'weight' })],
    });
    const r = verify(m, source([entry('net/conv1/Relu6:0', { section: 'param', bitwidth: 8, min: 0, max: 6 }), entry('net/conv1/kernel:0', { section: 'param', ...w })]));
    expect(r.results.find((x) => x.tensor === 'net/conv1/Relu6:0')?.verdict).toBe('MISSING_IN_DLC');
    expect(r.results.find((x) => x.tensor === 'net/conv1/Conv2D.weight')?.match?.rule).toBe('tf-scope');
  });
});

describe('strict symmetric grids', () => {
  it('offset −127, min = −max: SYMMETRIC_FORCED (ok when the source says symmetric)', () => {
    const s = 0.5 / 127;
    const m = model({ tensors: [tensor('w', { role: 'param', encoding: stored({ bitwidth: 8, min: -127 * s, max: 127 * s, scale: s, offset: -127 }) })] });
    const res = verify(m, source([entry('w', { section: 'param', bitwidth: 8, min: -0.5, max: 0.3, isSymmetric: true })])).results[0]!;
    expect(res).toMatchObject({ verdict: 'SYMMETRIC_FORCED', kind: 'ok' });
    expect(res.sentence).toContain('strict symmetric');
  });
});
