/**
 * Acceptance: the real pairs of ../shared/corpus/PAIRS.md end to end, plus the constructed variants
 * of §C and the FakeQuant graphs of §E against constructed dumps that follow the SDK rules.
 * Corpus files are read in place (never copied); variants are edited in memory.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readModel, readSource } from '../src/parse/load.js';
import { inputFromText } from '../src/parse/input.js';
import { verify } from '../src/verify/index.js';
import { renderJson } from '../src/render/json.js';
import { renderTable } from '../src/render/table.js';
import type { VerifyReport } from '../src/model.js';
import { cli } from './helpers/cli.js';
import { corpusInput, corpusPath, corpusText, describeCorpus } from './helpers/corpus.js';
import { snpe1Dump, type Snpe1Grid } from './fixtures/verify/dump-writer.js';


const A_DUMP = 'dumps/qairt222_yolov8s_int8.txt';
const A_JSON = 'encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings';

function byTensor(report: VerifyReport, name: string) {
  const found = report.results.filter((r) => r.tensor === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

function count(report: VerifyReport, verdict: string): number {
  return report.results.filter((r) => r.verdict === verdict).length;
}

describeCorpus('PAIRS A: yolov8s dump (SNPE 2.22.6) + yolo8_act.encodings', () => {
  it('exit 0, 380 NOT_IN_SOURCE, output0 FLOAT32_ROUNDING, 16-bit Sigmoid OP_FIXED_ENCODING, 2 of 2 applied', async () => {
    const run = await cli([corpusPath(A_DUMP), corpusPath(A_JSON), '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.schemaVersion).toBe('1.0.0');
    expect(json.summary.byVerdict).toEqual({ FLOAT32_ROUNDING: 1, OP_FIXED_ENCODING: 1, NOT_IN_SOURCE: 380 });
    expect(json.results).toHaveLength(382);
    const out0 = json.results.find((r: { tensor: string }) => r.tensor === 'output0');
    expect(out0).toMatchObject({ verdict: 'FLOAT32_ROUNDING', kind: 'ok', match: { rule: 'exact' } });
    expect(out0.actual).toEqual({ bitwidth: 16, min: 0, max: 643.878662109375, scale: 0.00982495863, offset: 0 });
    const sig = json.results.find((r: { tensor: string }) => r.tensor === '/model.22/Sigmoid_output_0');
    expect(sig).toMatchObject({ verdict: 'OP_FIXED_ENCODING', kind: 'ok' });
    expect(sig.sentence).toContain('16-bit Sigmoid');
    expect(json.pipeline.map((p: { code: string }) => p.code)).toEqual(['OVERRIDES_SAME_FILE']);
    expect(json.notes[0]).toBe('2 of 2 overrides applied (1 replaced by an op rule), 0 missing in the DLC.');
    expect(json.coverage).toEqual({ sourceEntries: 2, matched: 2, sourceOnly: 0, dlcOnly: 380, byRule: { exact: 2 } });
  });

  it('the two _converted_UFIXED_POINT_16 tensors are NOT_IN_SOURCE and found consistent, not corrupt', () => {
    const report = verify(readModel(corpusInput(A_DUMP)), readSource(corpusInput(A_JSON)));
    for (const name of ['/model.22/Split_output_1_converted_UFIXED_POINT_16', '/model.22/Mul_output_0_converted_UFIXED_POINT_16']) {
      const r = byTensor(report, name);
      expect(r.verdict).toBe('NOT_IN_SOURCE');
      expect(r.sentence).toContain(': consistent');
    }
  });

  it('the terminal report fits 100 columns and ends with a verdict line', () => {
    const report = verify(readModel(corpusInput(A_DUMP)), readSource(corpusInput(A_JSON)));
    const text = renderTable(report, { color: false, verbose: false });
    for (const line of text.split('\n')) if (line.startsWith('|') || line.startsWith('┌') || line.startsWith('│')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).toContain('✔ VERIFIED');
    expect(text).toContain('380');
    expect(text).not.toContain('\u001b[');
    const verbose = renderTable(report, { color: true, verbose: true });
    expect(verbose).toContain('\u001b[');
    expect(verbose.split('\n').filter((l) => l.includes('NOT_IN_SOURCE')).length).toBeGreaterThanOrEqual(380);
  });
});

describeCorpus('PAIRS C: constructed variants of A (edited in memory)', () => {
  const dumpText = () => corpusText(A_DUMP);
  const json = (mutate: (enc: Record<string, unknown>) => void): string => {
    const data = JSON.parse(corpusText(A_JSON)) as { activation_encodings: Record<string, unknown> };
    mutate(data.activation_encodings);
    return JSON.stringify(data);
  };
  const run = (dump: string, src: string) =>
    verify(readModel(inputFromText('constructed_yolov8s.txt', dump)), readSource(inputFromText('yolo8_act.encodings', src)));

  it('a JSON value moved by 3 steps -> REAL_MISMATCH with the step count, exit 1', () => {
    const report = run(
      dumpText(),
      json((a) => {
        const e = (a['output0'] as Record<string, number>[])[0]!;
        e['max'] = 643.878662109375 + 3 * 0.00982495860394255;
      }),
    );
    const r = byTensor(report, 'output0');
    expect(r.verdict).toBe('REAL_MISMATCH');
    expect(r.deviation?.maxSteps).toBeCloseTo(3, 5);
    expect(r.sentence).toMatch(/max 3\.00 step/);
    expect(report.summary.exitCode).toBe(1);
  });

  it('override_params=false in the quantizer command -> pipeline finding, exit 1', () => {
    const report = run(dumpText().replace('override_params=true', 'override_params=false'), corpusText(A_JSON));
    expect(report.pipeline.map((p) => p.code)).toContain('OVERRIDE_PARAMS_FALSE');
    expect(report.summary.exitCode).toBe(1);
  });

  it('JSON name output0:0 -> matched by the colon-zero rule', () => {
    const report = run(
      dumpText(),
      json((a) => {
        a['output0:0'] = a['output0'];
        delete a['output0'];
      }),
    );
    const r = byTensor(report, 'output0');
    expect(r.match).toMatchObject({ rule: 'colon-zero', sourceName: 'output0:0' });
    expect(r.verdict).toBe('FLOAT32_ROUNDING');
  });

  it('dtype float for output0 -> FLOAT_OVERRIDE_IGNORED, exit 1', () => {
    const report = run(
      dumpText(),
      json((a) => {
        (a['output0'] as Record<string, unknown>[])[0]!['dtype'] = 'float';
      }),
    );
    expect(byTensor(report, 'output0').verdict).toBe('FLOAT_OVERRIDE_IGNORED');
    expect(report.summary.exitCode).toBe(1);
  });
});

describe('PAIRS C from B: seed min/max only -> ZERO_POINT_NUDGED by < 0.5 step (constructed 1.x dump)', () => {
  it('the quantizer nudges an off-grid min back onto the seed grid', () => {
    // What the SDK stores (ENCODINGS.md §3, written out here as the test oracle): 65535 steps over
    // [min, max], zero point rounded, min moved onto the grid, the width kept.
    const jsonMin = -3.243889331818 + 0.3 * 0.004065024201;
    const scale = (263.157470703125 - jsonMin) / 65535;
    const offset = -Math.round(-jsonMin / scale);
    const seed: Snpe1Grid = { min: offset * scale, max: 263.157470703125 - jsonMin + offset * scale, scale, offset, bitwidth: 16 };
    expect(offset).toBe(-798);
    const dump = snpe1Dump(
      [
        { name: 'input', type: 'data', inputs: ['input'], outputs: ['input'] },
        { name: 'inference/coefficients/splat_cond/conv1/Conv2D', type: 'convolutional', inputs: ['input'], outputs: ['inference/coefficients/splat_cond/conv1/BiasAdd'], output: seed },
      ],
      { converter: 'snpe-tensorflow-to-dlc quantization_overrides=/x/seed.json', quantizer: 'snpe-dlc-quantize override_params=true act_bitwidth=[16]' },
    );
    // Constructed JSON: the seed range with min moved 0.3 step off the grid, no scale/offset.
    const src = JSON.stringify({
      activation_encodings: { 'inference/coefficients/splat_cond/conv1/BiasAdd:0': [{ bitwidth: 16, min: jsonMin, max: 263.157470703125 }] },
      param_encodings: {},
    });
    const report = verify(readModel(inputFromText('seed_constructed.txt', dump)), readSource(inputFromText('seed.json', src)));
    const r = byTensor(report, 'inference/coefficients/splat_cond/conv1/BiasAdd');
    expect(r.verdict).toBe('ZERO_POINT_NUDGED');
    expect(r.match?.rule).toBe('snpe1-output-buffer');
    expect(r.deviation?.minSteps).toBeLessThan(0.5);
    expect(r.sentence).toMatch(/min by 0\.\d\d step/);
    expect(report.summary.exitCode).toBe(0);
  });
});

describeCorpus('PAIRS E: on_air FakeQuant ranges against a constructed SNPE 1.59 dump (SDK rules)', () => {
  // Expected DLC encodings from PAIRS.md §E (MinAndMaxToFxpFormat at 8 bits, float32-printed).
  const weights: Snpe1Grid = { min: -0.093974635005, max: 0.087567269802, scale: 0.000711929053, offset: -132, bitwidth: 8 };
  const fcWeights: Snpe1Grid = { min: -0.045001976192, max: 0.039376731962, scale: 0.000330896903, offset: -136, bitwidth: 8 };
  const relu: Snpe1Grid = { min: 0, max: 19.199445724487, scale: 0.07529194653, offset: 0, bitwidth: 8 };
  const add1: Snpe1Grid = { min: -29.323612213135, max: 25.256834030151, scale: 0.214040964842, offset: -137, bitwidth: 8 };
  const calibrated: Snpe1Grid = { min: -1, max: 0.9921875, scale: 0.0078125, offset: -128, bitwidth: 8 };
  const dump = snpe1Dump(
    [
      { name: 'Reshape', type: 'data', inputs: ['Reshape'], outputs: ['Reshape'], output: calibrated },
      { name: 'Conv2D', type: 'convolutional', inputs: ['Reshape'], outputs: ['add'], output: calibrated, weight: weights, bias: calibrated },
      { name: 'Relu', type: 'neuron', inputs: ['add'], outputs: ['Relu'], output: relu, attributes: ['func: relu'] },
      { name: 'MatMul', type: 'fully_connected', inputs: ['Relu'], outputs: ['add_1'], output: add1, weight: fcWeights, bias: calibrated },
    ],
    { converter: 'snpe-tensorflow-to-dlc input_network=tiny_conv.pb', quantizer: 'snpe-dlc-quantize override_params=true' },
  );

  it('ZERO_POINT_NUDGED, TF_NARROW_RANGE_IGNORED and FLOAT32_ROUNDING with the PAIRS numbers', () => {
    const report = verify(readModel(inputFromText('on_air_constructed.txt', dump)), readSource(corpusInput('fakequant/on_air_tiny_conv_qat.pb')));
    const add = byTensor(report, 'add_1');
    expect(add.verdict).toBe('ZERO_POINT_NUDGED');
    expect(add.sentence).toContain('min by 0.44 step');
    expect(byTensor(report, 'Relu').verdict).toBe('FLOAT32_ROUNDING');
    for (const name of ['Conv2D.weight', 'MatMul.weight']) {
      const r = byTensor(report, name);
      expect(r.verdict).toBe('TF_NARROW_RANGE_IGNORED');
      expect(r.match?.rule).toBe('fakequant-consumer');
      expect(r.sentence).toContain('254/255');
    }
    expect(report.results.filter((r) => r.verdict === 'NOT_IN_SOURCE').map((r) => r.tensor)).toEqual(['Reshape', 'add', 'Conv2D.bias', 'MatMul.bias']);
    expect(report.summary.exitCode).toBe(0);
  });

  it('the TF scale (range/254, float32) is the companion .tflite 0.0007147319265641272: ratio 254/255 to the SNPE one', () => {
    const tfScale = Math.fround((Math.fround(0.08791926503181458) - Math.fround(-0.09362263977527618)) / 254);
    expect(tfScale).toBe(Math.fround(0.0007147319265641272));
    expect(weights.scale / tfScale).toBeCloseTo(254 / 255, 8);
  });

  it('a DLC that used TF narrow grid (254 steps) is a REAL_MISMATCH whose closest explanation is named', () => {
    const tfGrid: Snpe1Grid = { ...weights, scale: 0.0007147319265641272 };
    const bad = dump.replace(`delta ${Math.fround(weights.scale).toFixed(12)}`, `delta ${Math.fround(tfGrid.scale).toFixed(12)}`);
    const report = verify(readModel(inputFromText('on_air_bad.txt', bad)), readSource(corpusInput('fakequant/on_air_tiny_conv_qat.pb')));
    const r = byTensor(report, 'Conv2D.weight');
    expect(r.verdict).toBe('REAL_MISMATCH');
    expect(r.deviation?.scaleRatio).toBeCloseTo(255 / 254, 6);
  });
});

describeCorpus('PAIRS E: RELU_MIN_CLAMPED on the real tf2ir ReLU ranges (negative min before the ReLU)', () => {
  it('every ReLU-produced range with min < 0 is clamped to [0, max]', () => {
    const src = readSource(corpusInput('fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb'));
    const relus = src.entries.filter((e) => e.fakeQuant?.producerType !== undefined && /relu/i.test(e.fakeQuant.producerType) && (e.grids[0]?.min ?? 0) < 0);
    expect(relus.length).toBe(27);
    const layers = relus.map((e) => {
      const max = e.grids[0]!.max!;
      // The SNPE rule: min forced to 0, then 255 steps over [0, max], offset 0.
      return { name: e.name.replace(/:0$/, ''), type: 'neuron', inputs: ['x'], outputs: [e.name.replace(/:0$/, '')], output: { min: 0, max, scale: max / 255, offset: 0, bitwidth: 8 } };
    });
    const dump = snpe1Dump([{ name: 'x', type: 'data', inputs: ['x'], outputs: ['x'] }, ...layers], {
      converter: 'snpe-tensorflow-to-dlc',
      quantizer: 'snpe-dlc-quantize override_params=true',
    });
    const report = verify(readModel(inputFromText('tf2ir_constructed.txt', dump)), { ...src, entries: relus });
    expect(count(report, 'RELU_MIN_CLAMPED')).toBe(27);
    expect(report.summary.exitCode).toBe(0);
  });
});

describeCorpus('PAIRS F: converter-stage overrides, QAIRT 2.25 (real)', () => {
  it.each([
    ['tiny_cnn', { SCALE_NOT_COMPUTED: 4, EXACT: 1, SYMMETRIC_OFFSET_FORCED: 8 }, 6],
    ['eltwise', { SCALE_NOT_COMPUTED: 8 }, 8],
  ])('%s: every override found, scale 0 not computed yet, exit 0, not quantized yet', async (name, verdicts, entries) => {
    const dump = corpusPath(`oracle/qairt225/${name}_snpe225_overrides.dlcinfo.txt`);
    const json = corpusPath(`oracle/qairt225/${name}_overrides.json`);
    const run = await cli([dump, json, '--format', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.summary.byVerdict).toEqual(verdicts);
    expect(out.coverage).toMatchObject({ sourceEntries: entries, matched: entries, sourceOnly: 0 });
    expect(out.pipeline.map((p: { code: string }) => p.code)).toEqual(['OVERRIDES_SAME_FILE', 'NOT_QUANTIZED']);
    expect(out.notes.join(' ')).toContain('has not been through the quantizer');
    for (const r of out.results.filter((x: { verdict: string }) => x.verdict === 'SCALE_NOT_COMPUTED')) expect(r.sentence).toContain('not computed yet');
  });

  it('tiny_cnn: dw.weight checked channel by channel as ±127·s, offset 0; probs 16-bit max 0.999984741211', () => {
    const report = verify(
      readModel(corpusInput('oracle/qairt225/tiny_cnn_snpe225_overrides.dlcinfo.txt')),
      readSource(corpusInput('oracle/qairt225/tiny_cnn_overrides.json')),
    );
    const dw = report.results.filter((r) => r.tensor === 'dw.weight');
    expect(dw.map((r) => r.channel)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(dw[7]!.actual).toMatchObject({ min: -10.159999847412, max: 10.159999847412, offset: 0 });
    const probs = byTensor(report, 'probs');
    expect(probs.actual).toMatchObject({ bitwidth: 16, max: 0.999984741211 });
    expect(probs.kind).toBe('ok');
    const text = renderTable(report, { color: false, verbose: false });
    expect(text).toContain('not quantized yet');
    expect(JSON.parse(renderJson(report)).results).toHaveLength(13);
  });
});

describe('PAIRS B: the seed article (samples/seed/, reconstructed), SNPE 1.59 style', () => {
  const dump = 'samples/seed/seed_dlc_info.txt';
  const json = 'samples/seed/encoding.json';

  it('exit 1 on the one MISSING_IN_DLC; the other 5 FLOAT32_ROUNDING, weights matched by TF scope', async () => {
    const run = await cli([dump, json, '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    const judged = out.results.filter((r: { verdict: string }) => r.verdict !== 'NOT_IN_SOURCE');
    expect(judged.map((r: { verdict: string }) => r.verdict).sort()).toEqual([...Array(5).fill('FLOAT32_ROUNDING'), 'MISSING_IN_DLC'].sort());
    const missing = out.results.find((r: { verdict: string }) => r.verdict === 'MISSING_IN_DLC');
    expect(missing.tensor).toBe('inference/coefficients/splat_cond/res1_1/conv2/weights/read:0');
    const weights = out.results.filter((r: { match: { rule: string } | null }) => r.match?.rule === 'tf-scope');
    expect(weights.map((r: { tensor: string }) => r.tensor).sort()).toEqual([
      'inference/coefficients/splat_cond/conv1/Conv2D.weight',
      'inference/coefficients/splat_cond/res1_1/conv1/Conv2D.weight',
    ]);
    expect(out.coverage.byRule).toEqual({ 'snpe1-output-buffer': 3, 'tf-scope': 2 });
  });

  it('waiving the dropped override makes it pass; --fail-on none too', async () => {
    expect((await cli([dump, json, '--waive', '*/res1_1/conv2/*:MISSING_IN_DLC'])).code).toBe(0);
    expect((await cli([dump, json, '--fail-on', 'warn'])).code).toBe(0);
  });

  it('use_symmetric_quantize_weights=true with is_symmetric "False" predicts the SDK error', () => {
    const text = readFileSync(dump, 'utf8').replace('use_symmetric_quantize_weights=false', 'use_symmetric_quantize_weights=true');
    const report = verify(readModel(inputFromText('seed_sym.txt', text)), readSource(inputFromText(json, readFileSync(json, 'utf8'))));
    const conflict = report.pipeline.find((p) => p.code === 'SYMMETRIC_WEIGHTS_CONFLICT');
    expect(conflict?.detail).toContain('Requested symmetric weights but instead got is_symmetric==False');
    expect(conflict?.detail).toContain('3 weight override(s)');
  });
});

describeCorpus('PAIRS D: qnn/resnet18 net.json (QNN 2.18 converter) + resnet18.encodings', () => {
  it('32 activations and 21 params FLOAT32_ROUNDING, fc.weight by converter suffix, biases and _330_nchw NOT_IN_SOURCE, exit 0', async () => {
    const run = await cli([corpusPath('qnn/resnet18_int8_net.json'), corpusPath('qnn/resnet18.encodings'), '--format', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.summary.byVerdict).toEqual({ FLOAT32_ROUNDING: 53, NOT_IN_SOURCE: 22 });
    type R = { tensor: string; verdict: string; role: string; tags: string[]; match: { rule: string } | null; sentence: string };
    const results = out.results as R[];
    const acts = results.filter((r) => r.verdict === 'FLOAT32_ROUNDING' && r.role !== 'param');
    expect(acts).toHaveLength(32);
    expect(acts.filter((r) => r.match?.rule === 'qnn-sanitized')).toHaveLength(30); // input_data, class_probs keep their names
    expect(acts.every((r) => r.tags.includes('OVERRIDE_FLAG_SET'))).toBe(true);
    const params = results.filter((r) => r.verdict === 'FLOAT32_ROUNDING' && r.role === 'param');
    expect(params.filter((r) => r.match?.rule === 'qnn-sanitized')).toHaveLength(20);
    expect(params.every((r) => r.tags.includes('OVERRIDE_FLAG_CLEAR') && r.sentence.includes('does not mark it as overridden'))).toBe(true);
    expect(results.find((r) => r.tensor === 'fc_weight_permute')?.match?.rule).toBe('converter-suffix');
    const notInSource = results.filter((r) => r.verdict === 'NOT_IN_SOURCE');
    expect(notInSource.filter((r) => r.tensor.endsWith('_bias'))).toHaveLength(21);
    const nchw = results.find((r) => r.tensor === '_330_nchw')!;
    expect(nchw.verdict).toBe('NOT_IN_SOURCE');
    expect(nchw.sentence).toContain('inherits the encoding of `_330`');
    expect(out.pipeline.map((p: { code: string }) => p.code)).toEqual(['OVERRIDES_SAME_FILE']);
  });
});

describe('SNPE 2.12 dump with only channel 0 printed (constructed fixture of the dump branch)', () => {
  it('checks channel 0 and the channel count, tags CHANNEL_0_ONLY and says so in a note', () => {
    const s = [0.5, 1, 1.5, 2].map((m) => m / 127);
    const src = JSON.stringify({
      activation_encodings: {},
      param_encodings: { w: s.map((scale) => ({ bitwidth: 8, scale, offset: -128, is_symmetric: 'True' })) },
    });
    const report = verify(
      readModel(inputFromText('snpe212-per-channel-first-only.txt', readFileSync('test/fixtures/dump/snpe212-per-channel-first-only.txt', 'utf8'))),
      readSource(inputFromText('w.json', src)),
    );
    const w = report.results.filter((r) => r.tensor === 'w');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ channel: 0, verdict: 'SYMMETRIC_OFFSET_FORCED', kind: 'ok' });
    expect(w[0]!.tags).toContain('CHANNEL_0_ONLY');
    expect(report.notes.join(' ')).toContain('Only channel 0 was printed for 1 per-channel tensor');
    const three = JSON.stringify({ activation_encodings: {}, param_encodings: { w: s.slice(0, 3).map((scale) => ({ bitwidth: 8, scale, offset: -128, is_symmetric: 'True' })) } });
    const miscounted = verify(
      readModel(inputFromText('snpe212-per-channel-first-only.txt', readFileSync('test/fixtures/dump/snpe212-per-channel-first-only.txt', 'utf8'))),
      readSource(inputFromText('w.json', three)),
    );
    const bad = miscounted.results.find((r) => r.tensor === 'w')!;
    expect(bad.verdict).toBe('REAL_MISMATCH');
    expect(bad.sentence).toContain('3 channels, the DLC has 4');
  });
});

describe('SNPE 1.59 per-channel weights: one overall encoding (constructed fixture of the dump branch)', () => {
  const dump = () => readModel(inputFromText('snpe159-weight-bias-axis-quant.txt', readFileSync('test/fixtures/dump/snpe159-weight-bias-axis-quant.txt', 'utf8')));
  const src = (channels: { min: number; max: number }[]) =>
    readSource(inputFromText('w.json', JSON.stringify({ activation_encodings: {}, param_encodings: { 'conv 1 (main).weight': channels.map((c) => ({ bitwidth: 8, ...c })) } })));
  const four = [
    { min: -0.5, max: 0.25 },
    { min: -0.25, max: 0.5 },
    { min: -0.1, max: 0.3 },
    { min: -0.2, max: 0.2 },
  ];

  it('is compared with the envelope of the source channels, and the report says so', () => {
    const report = verify(dump(), src(four));
    const w = report.results.filter((r) => r.tensor === 'conv 1 (main).weight');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ verdict: 'FLOAT32_ROUNDING', match: { rule: 'snpe1-layer-param' } });
    expect(w[0]!.channel).toBeUndefined();
    expect(w[0]!.sentence).toContain('envelope of the source channels');
    expect(report.notes.join(' ')).toContain('one overall encoding for 1 per-channel tensor');
  });

  it('a channel count that differs is a REAL_MISMATCH', () => {
    const report = verify(dump(), src(four.slice(0, 3)));
    expect(report.results.find((r) => r.tensor === 'conv 1 (main).weight')!.verdict).toBe('REAL_MISMATCH');
  });
});

describeCorpus('PAIRS E: per-channel FakeQuant (TF MLIR end2end graph, 186 channels) against a constructed model', () => {
  it('per-channel weights made signed symmetric (SYMMETRIC_FORCED, ok), channel by channel', async () => {
    const { model, tensor, stored, source } = await import('./fixtures/verify/builder.js');
    const src = readSource(corpusInput('fakequant/tf_mlir_lite_end2end_fake_quant_per_channel.pbtxt'));
    const weights = src.entries.find((e) => e.layout === 'per-channel')!;
    expect(weights.grids).toHaveLength(186);
    // SNPE rule (ENCODINGS.md §1): per-channel weights become signed symmetric: scale = absmax/127.
    const channels = weights.grids.map((g, i) => {
      const absMax = Math.max(Math.abs(g.min!), Math.abs(g.max!));
      const scale = absMax / 127;
      return stored({ bitwidth: 8, min: -128 * scale, max: 127 * scale, scale, offset: -128, channel: i });
    });
    const m = model({
      family: 'snpe-1.4x-1.6x',
      tensors: [tensor('BoxPredictor_4/ClassPredictor/Conv2D.weight', { role: 'param', layer: 'BoxPredictor_4/ClassPredictor/Conv2D', paramKind: 'weight', encoding: channels })],
    });
    const report = verify(m, source(src.entries.filter((e) => e === weights)));
    expect(report.results).toHaveLength(186);
    expect(new Set(report.results.map((r) => `${r.verdict}/${r.kind}/${r.match?.rule}`))).toEqual(new Set(['SYMMETRIC_FORCED/ok/fakequant-consumer']));
    expect(report.results[0]!.sentence).toContain('per-channel encodings are symmetric');
  });
});
