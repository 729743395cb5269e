/**
 * QNN converter output (`_net.json`): the real resnet18 pair of the corpus, plus constructed
 * documents for the shapes the corpus lacks (per-axis, not a net.json, broken JSON).
 */
import { describe, expect, it } from 'vitest';
import { readQnnNetJson } from '../src/parse/qnn/net-json.js';
import { readModel } from '../src/parse/load.js';
import { inputFromText } from '../src/parse/input.js';
import { InputError, type DlcModel } from '../src/model.js';
import { cli } from './helpers/cli.js';
import { corpusInput, corpusPath, describeCorpus as describeCorpusHelper } from './helpers/corpus.js';

// The helper is typed as `describe.skipIf` but called like `describe` (it skips by itself).
const describeCorpus = describeCorpusHelper as unknown as typeof describe;

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describeCorpus('qnn/resnet18_int8_net.json (QNN 2.18 converter, overrides applied)', () => {
  const read = (): DlcModel => readQnnNetJson(corpusInput('qnn/resnet18_int8_net.json'));

  it('75 tensors, 32 nodes, every tensor 8-bit uFxp_8 per tensor, no diagnostics', () => {
    const m = read();
    expect(m.format).toBe('qnn-net-json');
    expect(m.family).toBe('qnn-net-json');
    const g = m.graphs[0]!;
    expect(g.tensors.size).toBe(75);
    expect(g.ops).toHaveLength(32);
    const all = [...g.tensors.values()];
    expect(all.every((t) => t.dtype === 'uFxp_8' && t.encoding?.layout === 'per-tensor' && t.encoding.channels[0]!.bitwidth === 8)).toBe(true);
    const roles = new Map<string, number>();
    for (const t of all) roles.set(t.role, (roles.get(t.role) ?? 0) + 1);
    expect([...roles].sort()).toEqual([['activation', 31], ['graph-input', 1], ['graph-output', 1], ['param', 42]].sort());
    expect(m.diagnostics).toEqual([]);
  });

  it('33 activations overridden (32 from the JSON + `_330_nchw` inheriting `_330`), weights and biases not, names kept as sanitised', () => {
    const g = read().graphs[0]!;
    const all = [...g.tensors.values()];
    const overridden = all.filter((t) => t.encoding?.isOverridden).map((t) => t.name);
    expect(overridden).toHaveLength(33);
    expect(all.filter((t) => t.role !== 'param' && !t.encoding?.isOverridden)).toHaveLength(0);
    expect(overridden).toContain('_130');
    expect(overridden).toContain('input_data');
    expect(overridden).toContain('class_probs');
    expect(overridden).toContain('_330_nchw');
    expect(all.filter((t) => t.role === 'param' && t.encoding?.isOverridden)).toHaveLength(0);
    expect(g.tensors.has('conv1_weight')).toBe(true);
    expect(g.tensors.has('fc_weight_permute')).toBe(true);
    expect(g.tensors.has('130')).toBe(false);
  });

  it('numbers as written (float64 precision): _130, input_data, conv1_bias, fc_weight_permute', () => {
    const g = read().graphs[0]!;
    const e = (name: string) => g.tensors.get(name)!.encoding!.channels[0]!;
    expect(e('_130').max.value).toBe(6.217965126037598);
    expect(e('_130').scale.value).toBe(0.02438417635858059);
    expect(e('_130').scale.precision).toEqual({ style: 'float64' });
    expect(e('input_data').offset.value).toBe(-114);
    expect(g.tensors.get('input_data')!).toMatchObject({ tensorType: 'APP_WRITE', role: 'graph-input', dims: [32, 224, 224, 3] });
    expect(e('conv1_bias').scale.value).toBe(0.005229240283370018);
    expect(e('conv1_bias').offset.value).toBe(-122);
    expect(e('conv1_bias').isSymmetric).toBe(false);
    expect(e('fc_weight_permute').offset.value).toBe(-128);
    // `_330_nchw` (converter Transpose) carries the same encoding as `_330`.
    expect(e('_330_nchw').scale.value).toBe(e('_330').scale.value);
    expect(g.tensors.get('_330_nchw')!.producer?.type).toBe('Transpose');
  });

  it('nodes: type, inputs, outputs; converter_command parsed', () => {
    const m = read();
    const conv1 = m.graphs[0]!.ops.find((o) => o.name === 'conv1')!;
    expect(conv1).toMatchObject({ type: 'Conv2d', inputs: ['input_data', 'conv1_weight', 'conv1_bias'], outputs: ['_130'] });
    expect(conv1.params.find((p) => p.name === 'stride')?.value).toBe('[2,2]');
    expect(m.metadata.converterCommand?.tool).toBe('qnn-onnx-converter');
    expect(m.metadata.converterCommand?.options.get('act_bitwidth')).toBe('8');
    expect(m.metadata.converterCommand?.options.get('quantization_overrides')).toMatch(/resnet18\.encodings$/);
  });

  it('is routed by load.ts and shown by `show`', async () => {
    expect(readModel(corpusInput('qnn/resnet18_int8_net.json')).family).toBe('qnn-net-json');
    const r = await cli(['show', corpusPath('qnn/resnet18_int8_net.json'), '--format', 'json']);
    expect(r.code).toBe(0);
  });
});

// Constructed (not real files): shapes the corpus has no example of.
function netJson(tensors: Record<string, unknown>, nodes: Record<string, unknown> = {}): string {
  return JSON.stringify({ converter_command: 'qnn-onnx-converter input_network=m.onnx', graph: { tensors, nodes } });
}

describe('constructed net.json documents', () => {
  it('per-axis quant_params with {scale, offset} entries: min/max derived, axis and channel count kept', () => {
    const text = netJson({
      w: {
        type: 4,
        data_type: 776,
        dims: [3, 3, 1, 2],
        quant_params: {
          definition: 1,
          encoding: 1,
          is_overridden: true,
          axis_scale_offset: { axis: 3, num_scale_offsets: 2, scale_offsets: [{ scale: 0.5, offset: -128 }, { scale: 0.25, offset: -128 }] },
        },
      },
    });
    const m = readQnnNetJson(inputFromText('constructed_per_axis_net.json', text));
    const enc = m.graphs[0]!.tensors.get('w')!.encoding!;
    expect(enc).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 2, isOverridden: true });
    expect(enc.channels.map((c) => [c.channel, c.bitwidth, c.min.value, c.max.value])).toEqual([
      [0, 8, -64, 63.5],
      [1, 8, -32, 31.75],
    ]);
    expect(m.graphs[0]!.tensors.get('w')!.dtype).toBe('sFxp_8');
    expect(m.diagnostics).toEqual([]);
  });

  it('encoding 2147483647 means float: no encoding', () => {
    const text = netJson({ x: { type: 0, data_type: 562, dims: [1], quant_params: { definition: 2147483647, encoding: 2147483647, scale_offset: { bitwidth: 0, minimum: 0, maximum: 0, scale: 0, offset: 0 } } } });
    const t = readQnnNetJson(inputFromText('float_net.json', text)).graphs[0]!.tensors.get('x')!;
    expect(t.dtype).toBe('Float_32');
    expect(t.encoding).toBeUndefined();
  });

  it('a tensor named __proto__ is kept as a tensor', () => {
    const text = '{"graph": {"nodes": {}, "tensors": {"__proto__": {"type": 3, "data_type": 1032, "dims": [1], "quant_params": {"definition": 1, "encoding": 0, "scale_offset": {"bitwidth": 8, "minimum": 0, "maximum": 2.55, "scale": 0.01, "offset": 0}}}}}}';
    const g = readQnnNetJson(inputFromText('proto_net.json', text)).graphs[0]!;
    expect([...g.tensors.keys()]).toEqual(['__proto__']);
  });

  it('a sanity violation (scale disagrees with min/max) is a DLC_SANITY diagnostic, not an error', () => {
    const text = netJson({ a: { type: 3, data_type: 1032, dims: [1], quant_params: { definition: 1, encoding: 0, scale_offset: { bitwidth: 8, minimum: 0, maximum: 1, scale: 0.5, offset: 0 } } } });
    const m = readQnnNetJson(inputFromText('insane_net.json', text));
    expect(m.diagnostics.map((d) => d.code)).toEqual(['DLC_SANITY']);
  });

  it.each([
    ['an overrides file', '{"activation_encodings": {}, "param_encodings": {}}'],
    ['a list', '[1, 2]'],
    ['a graph without nodes', '{"graph": {"tensors": {}}}'],
  ])('%s is WRONG_FILE (show falls back to the source readers)', (_, text) => {
    expect(errorOf(() => readQnnNetJson(inputFromText('x.json', text))).code).toBe('WRONG_FILE');
  });

  it('broken JSON is BAD_JSON with its line and column', () => {
    const err = errorOf(() => readQnnNetJson(inputFromText('broken.json', '{\n  "graph": {\n    "tensors": {,\n')));
    expect(err.code).toBe('BAD_JSON');
    expect(err.at?.line).toBe(3);
  });
});
