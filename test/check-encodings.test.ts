/**
 * Encodings no one should ship: each rule at its threshold, on REAL tensors with one number edited
 * (the first weight of the SNPE 2.22 yolov8s dump, a quantized model; the per-channel `dw.weight`
 * and `conv1.weight` of the QAIRT 2.25 converter-stage `tiny_cnn_snpe225_overrides` dump; the
 * `_converted_UFIXED_POINT_16` tensors of the yolov8s dump, PAIRS.md §A).
 */
import { beforeAll, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { THRESHOLDS } from '../src/check/encodings.js';
import type { CheckCode, DlcModel, Encoding } from '../src/model.js';
import { readModel } from '../src/parse/load.js';
import { corpusInput, describeCorpus } from './helpers/corpus.js';
import { editChannels, editGraph, onlyGraph, patchTensor, plain } from './helpers/model-edit.js';

type Edit = (e: Encoding) => Encoding;

const FIXED12 = { style: 'fixed', decimals: 12 } as const;
const num = (value: number): Encoding['min'] => ({ value, precision: FIXED12 });

/** The codes `check` reports for a model whose tensor `name` was edited (channel by channel). */
function codesAfter(model: DlcModel, name: string, edit: Edit): string[] {
  const graph = onlyGraph(model);
  const enc = graph.tensors.get(name)!.encoding!;
  const edited = editGraph(model, graph.name, (g) => patchTensor(g, name, { encoding: editChannels(enc, (c) => edit(plain(c))) }));
  return check([edited])
    .findings.filter((f) => f.kind === 'fail' || f.kind === 'warn')
    .map((f) => `${f.code}:${f.tensor}${f.channel !== undefined ? `[${f.channel}]` : ''}`);
}

describeCorpus('check: encodings no one should ship (real tensors, one number edited)', () => {
  let yolo: DlcModel;
  let tiny: DlcModel;
  const W = 'model.0.conv.weight'; // 8-bit, min -24.343641281128, max 26.124881744385, scale 0.197915777564, offset -123

  beforeAll(() => {
    yolo = readModel(corpusInput('dumps/qairt222_yolov8s_int8.txt'));
    tiny = readModel(corpusInput('oracle/qairt225/tiny_cnn_snpe225_overrides.dlcinfo.txt'));
  });

  it('the unedited real models have no failing or warning finding', () => {
    expect(codesAfter(yolo, W, (e) => e)).toEqual([]);
    expect(codesAfter(tiny, 'dw.weight', (e) => e)).toEqual([]);
  });

  it.each<[string, Edit, string[]]>([
    ['min NaN', (e) => ({ ...e, min: num(Number.NaN) }), ['ENCODING_NON_FINITE']],
    ['max +inf', (e) => ({ ...e, max: num(Number.POSITIVE_INFINITY) }), ['ENCODING_NON_FINITE']],
    ['scale 0 in a quantized model', (e) => ({ ...e, scale: num(0) }), ['SCALE_NOT_POSITIVE']],
    ['scale negative', (e) => ({ ...e, scale: num(-0.197915777564) }), ['SCALE_NOT_POSITIVE']],
    ['scale at the absurd threshold (1e10)', (e) => ({ ...e, scale: num(THRESHOLDS.absurdScale) }), ['RANGE_ABSURD']],
    ['scale just below it', (e) => ({ ...e, scale: num(THRESHOLDS.absurdScale * 0.999) }), []],
    ['offset +1', (e) => ({ ...e, offset: num(1) }), ['OFFSET_OUTSIDE_GRID']],
    ['offset -255 (the lowest 8-bit offset)', (e) => ({ ...e, offset: num(-255) }), []],
    ['offset -256', (e) => ({ ...e, offset: num(-256) }), ['OFFSET_OUTSIDE_GRID']],
    ['offset -122.5 (not an integer)', (e) => ({ ...e, offset: num(-122.5) }), ['OFFSET_OUTSIDE_GRID']],
    ['min above max', (e) => ({ ...e, min: num(30), max: num(26.124881744385) }), ['MIN_ABOVE_MAX']],
    ['min equal to max', (e) => ({ ...e, min: num(26.124881744385) }), []],
    ['symmetric flag, offset -123', (e) => ({ ...e, isSymmetric: true }), ['SYMMETRIC_OFFSET_WRONG']],
    ['symmetric flag, offset -128', (e) => ({ ...e, isSymmetric: true, offset: num(-128) }), []],
    ['symmetric flag, offset 0 (signed storage)', (e) => ({ ...e, isSymmetric: true, offset: num(0) }), []],
    ['asymmetric flag, offset -123', (e) => ({ ...e, isSymmetric: false }), []],
  ])('%s', (_label, edit, expected) => {
    expect(codesAfter(yolo, W, edit)).toEqual(expected.map((c) => `${c}:${W}`));
  });

  it.each<[string, number, string[]]>([
    // A converter-stage DLC (Quantizer command: N/A) stores scale 0: not reported; the magnitude rule still holds.
    ['max at 1e30 with scale 0', THRESHOLDS.absurdMagnitude, ['RANGE_ABSURD:conv1.weight']],
    ['max just below 1e30', THRESHOLDS.absurdMagnitude * 0.999, []],
    ['max 3.4e38 (a float max left by calibration)', 3.4028234663852886e38, ['RANGE_ABSURD:conv1.weight']],
  ])('converter stage: %s', (_label, max, expected) => {
    expect(onlyGraph(tiny).tensors.get('conv1.weight')!.encoding!.channels[0]!.scale.value).toBe(0);
    expect(codesAfter(tiny, 'conv1.weight', (e) => ({ ...e, max: num(max) }))).toEqual(expected);
  });

  it('scale 0 is reported in a quantized model and not in a converter-stage one (the real tiny_cnn stores scale 0)', () => {
    expect(codesAfter(tiny, 'conv1.weight', (e) => e)).toEqual([]);
    expect(codesAfter(yolo, W, (e) => ({ ...e, scale: num(0) }))).toEqual([`SCALE_NOT_POSITIVE:${W}`]);
  });

  it.each<[string, number, string[]]>([
    // dw.weight channel scales 0.01 … 0.08: the median is 0.045, the threshold 1e-6 × 0.045 = 4.5e-8.
    ['channel 0 at 0.99 × the threshold', 0.99 * 4.5e-8, ['CHANNEL_SCALE_COLLAPSED:dw.weight[0]']],
    ['channel 0 at 1.01 × the threshold', 1.01 * 4.5e-8, []],
  ])('per-channel: %s', (_label, scale, expected) => {
    const scales = onlyGraph(tiny).tensors.get('dw.weight')!.encoding!.channels.map((c) => c.scale.value);
    expect(scales).toHaveLength(8);
    expect(codesAfter(tiny, 'dw.weight', (e) => (e.channel === 0 ? { ...e, scale: num(scale) } : e))).toEqual(expected);
  });

  it('many bad channels make one finding: count and worst channel', () => {
    const graph = onlyGraph(tiny);
    const enc = graph.tensors.get('dw.weight')!.encoding!;
    const edited = editGraph(tiny, graph.name, (g) =>
      patchTensor(g, 'dw.weight', { encoding: editChannels(enc, (c) => ({ ...plain(c), offset: num(c.channel === 5 ? 7 : c.channel === 6 ? 3 : 0) })) }),
    );
    const f = check([edited]).findings.filter((x) => x.code === 'OFFSET_OUTSIDE_GRID');
    expect(f).toHaveLength(1);
    expect(f[0]!.channel).toBe(5);
    expect(f[0]!.sentence).toMatch(/^2 of 8 channels of weight dw\.weight \(worst: channel 5\): offset 7 is positive/);
  });

  const CONVERTED = '/model.22/Split_output_1_converted_UFIXED_POINT_16';
  it('_converted_ without an encoded source is not compared, and a note says so', () => {
    const graph = onlyGraph(yolo);
    const edited = editGraph(yolo, graph.name, (g) => patchTensor(g, '/model.22/Split_output_1', { dtype: 'Float_32', encoding: null }));
    const report = check([edited]);
    expect(report.findings.filter((f) => f.tensor === CONVERTED)).toEqual([]);
    expect(report.coverage.converted).toBe(1);
    expect(report.notes.join('\n')).toContain(`1 _converted_ tensor(s) without a source tensor of another bitwidth here, not compared: ${CONVERTED}`);
  });

  it.each<[string, Edit, CheckCode]>([
    ['the real one', (e) => e, 'CONVERTED_CONSISTENT'],
    ['scale off by 1%', (e) => ({ ...e, scale: num(e.scale.value * 1.01) }), 'CONVERTED_INCONSISTENT'],
    ['offset off by one', (e) => ({ ...e, offset: num(e.offset.value + 1) }), 'CONVERTED_INCONSISTENT'],
    ['min not copied (recomputed as offset × scale, off by one 16-bit step)', (e) => ({ ...e, min: num(e.min.value + e.scale.value) }), 'CONVERTED_INCONSISTENT'],
    ['scale printed one digit off (within print precision)', (e) => ({ ...e, scale: num(e.scale.value + 4e-13) }), 'CONVERTED_CONSISTENT'],
  ])('_converted_ 8 -> 16 bits: %s', (_label, edit, expected) => {
    const graph = onlyGraph(yolo);
    const enc = graph.tensors.get(CONVERTED)!.encoding!;
    const edited = editGraph(yolo, graph.name, (g) => patchTensor(g, CONVERTED, { encoding: editChannels(enc, (c) => edit(plain(c))) }));
    const found = check([edited]).findings.filter((f) => f.tensor === CONVERTED);
    expect(found.map((f) => f.code)).toEqual([expected]);
    if (expected === 'CONVERTED_INCONSISTENT') expect(found[0]!.sentence).toMatch(/does not re-express \/model\.22\/Split_output_1 \(8-bit\)/);
  });
});
