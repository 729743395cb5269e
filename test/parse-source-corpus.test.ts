/**
 * Every real source file of the corpus, read through the same router as the CLI (`readSource`),
 * with counts and values checked against the files themselves.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, type SourceEntry, type SourceSet } from '../src/model.js';
import { readSource } from '../src/parse/load.js';
import { corpusInput, corpusPath, describeCorpus as describeCorpusHelper } from './helpers/corpus.js';

// The helper is typed as `describe.skipIf` but called as `describe(name, fn)` (it skips itself).
const describeCorpus = describeCorpusHelper as unknown as typeof describe;

const read = (relative: string): SourceSet => readSource(corpusInput(relative));

function entry(set: SourceSet, name: string, section?: SourceEntry['section']): SourceEntry {
  const found = set.entries.filter((e) => e.name === name && (section === undefined || e.section === section));
  expect(found, `${name} found once`).toHaveLength(1);
  return found[0]!;
}

function counts(set: SourceSet): { activation: number; param: number } {
  const activation = set.entries.filter((e) => e.section === 'activation').length;
  return { activation, param: set.entries.length - activation };
}

const codes = (set: SourceSet): string[] => set.diagnostics.map((d) => d.code);

function refusal(relative: string): InputError {
  try {
    read(relative);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${relative} was not refused`);
}

describeCorpus('AIMET exports (encodings/aimet)', () => {
  it('rangenet 0.6.1: 67 activation + 43 param, is_symmetric strings, symmetric params', () => {
    const set = read('encodings/aimet/rangenet_qat_v0.6.1.encodings');
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.6.1']);
    expect(counts(set)).toEqual({ activation: 67, param: 43 });
    expect(set.ignoredKeys).toEqual(['excluded_layers', 'quantizer_args']);
    expect(set.diagnostics).toEqual([]);
    const a = entry(set, '100');
    expect(a).toMatchObject({ section: 'activation', dtype: 'int', bitwidth: 8, layout: 'per-tensor', isSymmetric: false });
    expect(a.grids).toEqual([{ min: 0, max: 99.82168579101562, scale: 0.39145758748054504, offset: 0 }]);
    expect(a.at).toEqual({ file: corpusPath('encodings/aimet/rangenet_qat_v0.6.1.encodings'), pointer: '/activation_encodings/100', line: 3 });
    const w = entry(set, 'head.1.weight');
    expect(w.isSymmetric).toBe(true);
    expect(w.grids).toEqual([{ min: -0.7491173148155212, max: 0.7432648539543152, scale: 0.00585247902199626, offset: -128 }]);
    for (const p of set.entries.filter((e) => e.section === 'param')) {
      const g = p.grids[0]!;
      expect(p.isSymmetric).toBe(true);
      expect(g.offset).toBe(-128);
      expect(Math.abs(g.min! + 128 * g.scale!)).toBeLessThan(1e-6);
      expect(Math.abs(g.max! - 127 * g.scale!)).toBeLessThan(1e-6);
    }
  });

  it('rangenet _torch variant is refused with a hint to pass the .encodings file', () => {
    const err = refusal('encodings/aimet/rangenet_qat_v0.6.1_torch.encodings');
    expect(err.code).toBe('WRONG_FILE');
    expect(err.message).toContain('*_torch.encodings');
    expect(err.message).toContain('pass the .encodings file');
    expect(err.at?.line).toBe(3);
  });

  it('resnet50 W8A16: 73 16-bit activations + 54 8-bit symmetric params', () => {
    const set = read('encodings/aimet/resnet50_w8a16_v0.6.1.encodings');
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.6.1']);
    expect(counts(set)).toEqual({ activation: 73, param: 54 });
    expect(set.diagnostics).toEqual([]);
    expect(set.entries.filter((e) => e.section === 'activation').every((e) => e.bitwidth === 16)).toBe(true);
    expect(set.entries.filter((e) => e.section === 'param').every((e) => e.bitwidth === 8 && e.isSymmetric === true)).toBe(true);
    const e = entry(set, '137');
    expect(e.at.line).toBe(47);
    expect(e.grids).toEqual([{ min: -2.105555534362793, max: 2.691509246826172, scale: 7.319852011278272e-5, offset: -28765 }]);
  });

  it('AdaRound param-only: 54 params at the top level, float offsets read as numbers', () => {
    const set = read('encodings/aimet/resnet50_adaround_params_only.encodings');
    expect(set.format).toBe('adaround-params');
    expect(set.version).toBeUndefined();
    expect(counts(set)).toEqual({ activation: 0, param: 54 });
    expect(set.diagnostics).toEqual([]);
    const e = entry(set, 'conv1.weight');
    expect(e.at).toMatchObject({ pointer: '/conv1.weight', line: 2 });
    expect(e.grids).toEqual([{ min: -0.4755798280239105, max: 0.47186437249183655, scale: 0.003715467406436801, offset: -128 }]);
    expect(set.entries.every((x) => x.grids[0]?.offset === -128)).toBe(true);
  });

  it('mnist 1.0.0: 6 activations + 5 per-channel params of 32/64/128/512/10 channels, no min/max', () => {
    const set = read('encodings/aimet/mnist_v1.0.0_per_channel.encodings');
    expect([set.format, set.version]).toEqual(['aimet-1.0.0', '1.0.0']);
    expect(counts(set)).toEqual({ activation: 6, param: 5 });
    expect(set.ignoredKeys).toEqual(['excluded_layers', 'producer', 'quantizer_args']);
    expect(set.diagnostics).toEqual([]);
    const params = set.entries.filter((e) => e.section === 'param');
    expect(params.map((p) => [p.name, p.layout, p.grids.length])).toEqual([
      ['conv1.weight', 'per-channel', 32],
      ['conv2.weight', 'per-channel', 64],
      ['conv3.weight', 'per-channel', 128],
      ['fc1.weight', 'per-channel', 512],
      ['fc2.weight', 'per-channel', 10],
    ]);
    const fc2 = entry(set, 'fc2.weight');
    expect(fc2).toMatchObject({ bitwidth: 8, isSymmetric: true, dtype: 'int' });
    expect(fc2.grids[0]).toEqual({ channel: 0, scale: 0.001116263447329402, offset: -128 });
    expect(fc2.grids[9]).toEqual({ channel: 9, scale: 0.0008433784823864698, offset: -128 });
    const t1 = entry(set, 't.1');
    expect(t1).toMatchObject({ layout: 'per-tensor', isSymmetric: false, bitwidth: 8 });
    expect(t1.grids).toEqual([{ scale: 0.012728233821690083, offset: -33 }]);
    expect(t1.at).toMatchObject({ pointer: '/activation_encodings/0', line: 3 });
    expect(set.entries.every((e) => e.grids.every((g) => g.min === undefined && g.max === undefined))).toBe(true);
  });

  it('tiny_matmul 4-bit: 2 activations, 1 symmetric param with offset -8', () => {
    const set = read('encodings/aimet/tiny_matmul_4bit_v0.6.1.encodings');
    expect(counts(set)).toEqual({ activation: 2, param: 1 });
    expect(set.diagnostics).toEqual([]);
    expect(entry(set, 't.1').grids).toEqual([{ min: -0.9839999914169312, max: 0.6559999942779541, scale: 0.10933333237965902, offset: -9 }]);
    expect(entry(set, '5').grids).toEqual([{ min: -2.252160135904948, max: 1.9706401189168292, scale: 0.2815200169881185, offset: -8 }]);
    const w = entry(set, 'm_layer.weight');
    expect(w).toMatchObject({ bitwidth: 4, isSymmetric: true });
    const g = w.grids[0]!;
    expect(g).toEqual({ min: -4.319999967302595, max: 3.7799999713897705, scale: 0.5399999959128243, offset: -8 });
    expect(g.min!).toBeCloseTo(-8 * 0.54, 6);
    expect(g.max!).toBeCloseTo(7 * 0.54, 6);
  });

  it('every file of encodings/aimet is either read or refused (none crashes)', () => {
    const files = readdirSync(corpusPath('encodings/aimet')).filter((f) => f.endsWith('.encodings'));
    expect(files).toHaveLength(6);
    for (const f of files) {
      const rel = `encodings/aimet/${f}`;
      if (f.includes('_torch')) expect(refusal(rel).code).toBe('WRONG_FILE');
      else expect(read(rel).entries.length).toBeGreaterThan(0);
    }
  });
});

describeCorpus('hand-written overrides (encodings/0*)', () => {
  it('01 argmax: one activation with every field', () => {
    const set = read('encodings/01_mlcommons_mobile_app_open__argmax-quant.json');
    expect(set.format).toBe('aimet-legacy');
    expect(set.entries).toHaveLength(1);
    expect(entry(set, 'ArgMax:0')).toMatchObject({ section: 'activation', bitwidth: 8, isSymmetric: false, grids: [{ min: 0, max: 255, scale: 1, offset: 0 }] });
    expect(set.diagnostics).toEqual([]);
  });

  it('02 ssd (CRLF): two activations placed under param_encodings, kept as placed and flagged', () => {
    const set = read('encodings/02_quic_ai-hub-models__ssd_mobilenet_v2__encoding_format.encodings');
    expect(counts(set)).toEqual({ activation: 0, param: 2 });
    const a = entry(set, '/ssd_mobilenetV2_without_ABP-NMS_Q/685');
    expect(a).toMatchObject({ bitwidth: 16, isSymmetric: false });
    expect(a.grids).toEqual([{ min: 0, max: 0.984115421772, scale: 0.000015016638769695582, offset: 0 }]);
    expect(a.at).toMatchObject({ line: 6, pointer: '/param_encodings/~1ssd_mobilenetV2_without_ABP-NMS_Q~1685' });
    expect(entry(set, '647').at.line).toBe(17);
    expect(codes(set)).toEqual(['SOURCE_SECTION_SUSPICIOUS', 'SOURCE_SECTION_SUSPICIOUS']);
    expect(set.diagnostics.map((d) => d.at.line)).toEqual([6, 17]);
  });

  it.each([
    ['03_quic_qidk__yolov8_mixed_precision__encoding_format.encodings', 0.010100038236963073, 656.71240234375],
    ['04_pointcloudAI_yolov8_with_snpe_testing__mixed_precision__encoding_format.encodings', 0.010100038236963073, 656.71240234375],
    ['05_pointcloudAI_yolov8_with_snpe_testing__mixed_precision_v2__encoding_format.encodings', 0.00999514270612793, 661.906005859375],
  ])('%s: 2 16-bit activations; output0 scale disagrees with its range', (file, scale, max) => {
    const set = read(`encodings/${file}`);
    expect(counts(set)).toEqual({ activation: 2, param: 0 });
    expect(entry(set, 'output0').grids).toEqual([{ min: 0, max, scale, offset: 0 }]);
    // (max − min)/65535 vs scale: 03/04 are 0.79 % apart, 05 is 1.04 % apart; Sigmoid is consistent.
    expect(codes(set)).toEqual(['SOURCE_INCONSISTENT_ENTRY']);
    expect(set.diagnostics[0]!.detail).toContain('"output0"');
    expect(set.diagnostics[0]!.at.line).toBe(14);
  });

  it('06 yolo8_act: first entry without is_symmetric stays undefined', () => {
    const set = read('encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings');
    expect(counts(set)).toEqual({ activation: 2, param: 0 });
    const s = entry(set, '/model.22/Sigmoid_output_0');
    expect(s.isSymmetric).toBeUndefined();
    expect('isSymmetric' in s).toBe(false);
    expect(s.grids).toEqual([{ min: 0, max: 0.99609375, scale: 0.00001519941634, offset: 0 }]);
    expect(entry(set, 'output0')).toMatchObject({ isSymmetric: false, grids: [{ min: 0, max: 643.878662109375, scale: 0.00982495860394255, offset: 0 }] });
    expect(set.diagnostics).toEqual([]);
  });
});

describeCorpus('SDK documentation extracts (encodings/doc_extracts)', () => {
  it('D1 SNPE 2.5 example: positive offsets kept as given and flagged, off-grid min flagged', () => {
    const set = read('encodings/doc_extracts/D1_snpe2.5_quantized_models_overrides_example.json');
    expect(counts(set)).toEqual({ activation: 2, param: 1 });
    expect(entry(set, 'input:0').grids).toEqual([{ min: -1.0039304197656937, max: 0.9960872825108046, scale: 0.007843206675594112, offset: 127 }]);
    expect(entry(set, 'Conv2d/weights').grids[0]!.offset).toBe(140);
    expect(entry(set, 'Conv1:0').isSymmetric).toBeUndefined();
    expect(codes(set)).toEqual(['SOURCE_POSITIVE_OFFSET', 'SOURCE_INCONSISTENT_ENTRY', 'SOURCE_POSITIVE_OFFSET', 'SOURCE_INCONSISTENT_ENTRY']);
    expect(set.diagnostics[1]!.detail).toContain('1.00 steps apart');
  });

  it('D2 / D3: bare {param: [enc]} files read as param-only', () => {
    const d2 = read('encodings/doc_extracts/D2_qairt2.25_qnn_quantization_case1_asym_per_tensor_weight.json');
    expect(d2.format).toBe('adaround-params');
    expect(entry(d2, 'features.9.conv.3.weight')).toMatchObject({ section: 'param', isSymmetric: false, grids: [{ min: -2.059169834735364, max: 3.0387749017453665, scale: 0.019991940143061618, offset: -103 }] });
    expect(d2.diagnostics).toEqual([]);
    const d3 = read('encodings/doc_extracts/D3_qairt2.25_qnn_quantization_case2_per_channel_weight.json');
    const w = entry(d3, 'features.8.conv.3.weight');
    expect(w.layout).toBe('per-channel');
    expect(w.axis).toBeUndefined();
    expect(w.grids.map((g) => [g.channel, g.offset, g.scale])).toEqual([
      [0, -128, 0.005520610358771377],
      [1, -128, 0.004116586343509945],
      [2, -128, 0.005801794566507415],
    ]);
  });

  it('D4 mixed precision: dtype-only and float overrides have no grids', () => {
    const set = read('encodings/doc_extracts/D4_qairt2.25_qnn_quantization_mixed_precision_full.json');
    expect(counts(set)).toEqual({ activation: 4, param: 6 });
    expect(set.entries.every((e) => e.grids.length === 0)).toBe(true);
    expect(entry(set, 'conv2_1')).toMatchObject({ dtype: 'float', bitwidth: 32 });
    expect(entry(set, 'conv1_w_0')).toMatchObject({ dtype: 'int', bitwidth: 8, section: 'param' });
    expect(set.entries.filter((e) => e.dtype === 'float').map((e) => e.name)).toEqual(['conv2_1', 'conv2_w_0', 'conv2_b_0']);
    expect(set.diagnostics).toEqual([]);
  });

  it('D5: version 0.5.0, float overrides only', () => {
    const set = read('encodings/doc_extracts/D5_qairt2.25_qnn_quantization_mixed_precision_partial_v0.5.0.json');
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.5.0']);
    expect(counts(set)).toEqual({ activation: 1, param: 2 });
    expect(set.entries.every((e) => e.dtype === 'float' && e.bitwidth === 32)).toBe(true);
    expect(set.diagnostics).toEqual([]);
  });
});

describeCorpus('overrides of the QNN and QAIRT 2.25 pairs', () => {
  it('qnn/resnet18.encodings: 32 activation + 21 param', () => {
    const set = read('qnn/resnet18.encodings');
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.6.1']);
    expect(counts(set)).toEqual({ activation: 32, param: 21 });
    expect(entry(set, '130').grids).toEqual([{ min: 0, max: 6.217965126037598, scale: 0.024384176964853323, offset: 0 }]);
    expect(set.diagnostics).toEqual([]);
  });

  it('qnn/resnet18_int8_net.json given as a source is refused: it is the model side', () => {
    const err = refusal('qnn/resnet18_int8_net.json');
    expect(err.code).toBe('WRONG_FILE');
    expect(err.message).toContain('QNN converter output');
    expect(err.message).toContain('pass it as the first argument');
  });

  it('tiny_cnn_overrides.json: min/max-only, symmetric min/max-only, per-channel {scale, offset}, 16-bit {scale, offset}', () => {
    const set = read('oracle/qairt225/tiny_cnn_overrides.json');
    expect(counts(set)).toEqual({ activation: 4, param: 2 });
    expect(entry(set, 'c1').grids).toEqual([{ min: -2, max: 2 }]);
    expect(entry(set, 'probs')).toMatchObject({ bitwidth: 16, grids: [{ scale: 1.52587890625e-5, offset: 0 }] });
    expect(entry(set, 'conv1.weight')).toMatchObject({ isSymmetric: true, grids: [{ min: -0.6, max: 0.6 }] });
    const dw = entry(set, 'dw.weight');
    expect(dw.layout).toBe('per-channel');
    expect(dw.grids).toHaveLength(8);
    expect(dw.grids[7]).toEqual({ channel: 7, scale: 0.08, offset: -128 });
    expect(set.diagnostics).toEqual([]);
  });

  it('eltwise_overrides.json: 7 activations + 1 param, one 16-bit', () => {
    const set = read('oracle/qairt225/eltwise_overrides.json');
    expect(counts(set)).toEqual({ activation: 7, param: 1 });
    expect(entry(set, 'm')).toMatchObject({ bitwidth: 16, dtype: 'int', grids: [{ min: 0, max: 2 }] });
    expect(entry(set, 'half')).toMatchObject({ section: 'param', grids: [{ min: 0, max: 0.5 }] });
  });

  it('an IR dump JSON is not a source: BAD_SOURCE naming its keys', () => {
    const err = refusal('oracle/qairt225/tiny_cnn_qairt225.irdump225.json');
    expect(err.code).toBe('BAD_SOURCE');
    expect(err.message).toContain('"file", "meta", "graphs"');
  });
});
