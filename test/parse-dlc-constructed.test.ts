/**
 * Constructed .dlc files (built in the test with the flatbuffers Builder following DLC-BINARY.md,
 * see helpers/dlc-builder.ts): the container variants, the block/LPBQ/vector paths no real file
 * has shown yet, the sanity checks, and every kind of bad input.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { readDlc } from '../src/parse/dlc/index.js';
import { inputFromBytes } from '../src/parse/input.js';
import { InputError, type DlcModel } from '../src/model.js';
import { cli } from './helpers/cli.js';
import {
  buildV3ModelBody,
  buildV3ParamsBody,
  buildV4Body,
  buildV4Dlc,
  buildZip,
  v3Grid,
  withDlcHeader,
  type AttrSpec,
  type FxpSpec,
  type GraphSpec,
  type LayerSpec,
  type ParamTensorSpec,
  type TensorSpec,
} from './helpers/dlc-builder.js';

const UFIXED8 = 0x0408;
const SFIXED8 = 0x0308;
const SFIXED4 = 0x0304;
const FLOAT32 = 0x0232;

const ACT: FxpSpec = { bw: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };

function graph(tensors: TensorSpec[]): GraphSpec {
  return {
    name: 'constructed',
    nodes: [{ name: 'conv', type: 'Conv2d', inputs: ['x', 'w'], outputs: ['y'] }],
    tensors: [
      { id: 0, name: 'x', location: 0, dims: [1, 4, 4, 2], dtype: UFIXED8, quant: { type: 0, isOverridden: true, fxp: ACT } },
      { id: 2, name: 'y', location: 1, dims: [1, 4, 4, 2], dtype: UFIXED8, quant: { type: 0, fxp: ACT } },
      ...tensors,
    ],
  };
}

const PER_AXIS_W: TensorSpec = {
  id: 1,
  name: 'w',
  location: 4,
  dims: [3, 3, 2, 2],
  dtype: SFIXED8,
  quant: {
    type: 1,
    axis: {
      axis: 3,
      channels: [
        { bw: 8, min: -1.28, max: 1.27, scale: 0.01, offset: -128, isSymmetric: true },
        { bw: 8, min: -2.56, max: 2.54, scale: 0.02, offset: -128, isSymmetric: true },
      ],
    },
  },
};

function read(bytes: Uint8Array, name = 'constructed.dlc'): DlcModel {
  return readDlc(inputFromBytes(name, bytes));
}

function badDlc(bytes: Uint8Array): InputError {
  try {
    read(bytes);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected BAD_DLC');
}

describe('constructed v4: per tensor and per axis, container variants', () => {
  it.each([
    ['stored, real CRC', { method: 0 as const, crcZero: false }],
    ['stored, CRC 0 (QAIRT 2.42 IR backend)', { method: 0 as const, crcZero: true }],
    ['deflated', { method: 8 as const, crcZero: false }],
  ])('%s: reads every grid exactly (float32)', (_, options) => {
    const m = read(buildV4Dlc([graph([PER_AXIS_W])], { ...options, metadata: 'converter-version=2.99\nquantizer-command=N/A\n' }));
    expect(m.family).toBe('dlc-v4');
    const g = m.graphs[0]!;
    expect(g.ops.map((o) => [o.name, o.type, o.outDims])).toEqual([['conv', 'Conv2d', ['1x4x4x2']]]);
    const x = g.tensors.get('x')!;
    expect(x).toMatchObject({ role: 'graph-input', tensorType: 'APP_WRITE', dtype: 'uFxp_8', consumers: ['conv'] });
    expect(x.encoding).toMatchObject({ layout: 'per-tensor', isOverridden: true });
    expect(g.tensors.get('y')!).toMatchObject({ role: 'graph-output', producer: { op: 'conv', type: 'Conv2d' } });
    expect(g.tensors.get('y')!.encoding!.isOverridden).toBe(false);
    const w = g.tensors.get('w')!;
    expect(w).toMatchObject({ role: 'param', tensorType: 'STATIC', dtype: 'sFxp_8' });
    expect(w.encoding).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 2, allChannelsPresent: true });
    expect(w.encoding!.channels.map((c) => [c.channel, c.min.value, c.max.value, c.scale.value, c.offset.value, c.isSymmetric])).toEqual([
      [0, Math.fround(-1.28), Math.fround(1.27), Math.fround(0.01), -128, true],
      [1, Math.fround(-2.56), Math.fround(2.54), Math.fround(0.02), -128, true],
    ]);
    expect(m.metadata.converterVersion).toBe('2.99');
    expect(m.metadata.quantizerCommand).toBeNull();
    expect(m.diagnostics).toEqual([]);
  });

  it('a bare NETD FlatBuffer (no 8-byte header) in `model` is accepted', () => {
    const bytes = buildZip([{ name: 'model', data: buildV4Body([graph([])]) }]);
    expect(read(bytes).graphs[0]!.tensors.size).toBe(2);
  });

  it('a float tensor (quantization type 0x7fffffff) has no encoding', () => {
    const m = read(buildV4Dlc([graph([{ id: 1, name: 'w', location: 4, dims: [2], dtype: FLOAT32, quant: { type: 0x7fffffff } }])]));
    expect(m.graphs[0]!.tensors.get('w')!).toMatchObject({ dtype: 'Float_32' });
    expect(m.graphs[0]!.tensors.get('w')!.encoding).toBeUndefined();
  });
});

describe('constructed v4: block, LPBQ and vector encodings are read and marked experimental', () => {
  const blocks: FxpSpec[] = [
    { bw: 4, min: -0.8, max: 0.7, scale: 0.1, offset: -8, isSymmetric: true },
    { bw: 4, min: -1.6, max: 1.4, scale: 0.2, offset: -8, isSymmetric: true },
  ];

  it('block: every block grid, block sizes in layoutInfo, DLC_EXPERIMENTAL saying "experimental"', () => {
    const w: TensorSpec = { id: 1, name: 'w', location: 4, dims: [4, 2], dtype: SFIXED4, quant: { type: 4, block: { blockSizes: [2, 2], blocks } } };
    const m = read(buildV4Dlc([graph([w])]));
    const enc = m.graphs[0]!.tensors.get('w')!.encoding!;
    expect(enc).toMatchObject({ layout: 'per-block', experimental: true, channelCount: 2 });
    expect(enc.channels.map((c) => [c.bitwidth, c.scale.value, c.offset.value])).toEqual([
      [4, Math.fround(0.1), -8],
      [4, Math.fround(0.2), -8],
    ]);
    expect([...enc.layoutInfo!]).toEqual([['blockSize0', 2], ['blockSize1', 2]]);
    const d = m.diagnostics.filter((x) => x.code === 'DLC_EXPERIMENTAL');
    expect(d).toHaveLength(1);
    expect(d[0]!.detail).toMatch(/experimental/);
    expect(m.diagnostics.filter((x) => x.code === 'DLC_SANITY')).toEqual([]);
  });

  it('LPBQ: axis, per-channel grids, num_blocks_per_axis / block_size / block_scale_bitwidth', () => {
    const w: TensorSpec = {
      id: 1,
      name: 'w',
      location: 4,
      dims: [4, 2],
      dtype: SFIXED4,
      quant: { type: 5, lpbq: { axis: 1, channels: blocks, numBlocksPerAxis: 2, blockSize: 2, blockScaleBitwidth: 4 } },
    };
    const m = read(buildV4Dlc([graph([w])]));
    const enc = m.graphs[0]!.tensors.get('w')!.encoding!;
    expect(enc).toMatchObject({ layout: 'lpbq', experimental: true, axis: 1, channelCount: 2 });
    expect([...enc.layoutInfo!]).toEqual([['numBlocksPerAxis', 2], ['blockSize', 2], ['blockScaleBitwidth', 4]]);
    expect(m.diagnostics.map((x) => x.code)).toEqual(['DLC_EXPERIMENTAL']);
  });

  it('vector: its grid and the vector parameters', () => {
    const w: TensorSpec = {
      id: 1,
      name: 'w',
      location: 4,
      dims: [8, 8],
      dtype: UFIXED8,
      quant: { type: 6, vector: { fxp: ACT, rowsPerBlock: 4, columnsPerBlock: 2, vectorDimension: 2, vectorStride: 1, indexBitwidth: 6 } },
    };
    const m = read(buildV4Dlc([graph([w])]));
    const enc = m.graphs[0]!.tensors.get('w')!.encoding!;
    expect(enc).toMatchObject({ layout: 'vector', experimental: true });
    expect(enc.channels[0]!.scale.value).toBe(0.0078125);
    expect(enc.layoutInfo!.get('indexBitwidth')).toBe(6);
    expect(m.diagnostics.map((x) => x.code)).toEqual(['DLC_EXPERIMENTAL']);
  });
});

describe('sanity checks while reading', () => {
  const one = (fxp: FxpSpec, dtype = UFIXED8, dims = [4]): DlcModel =>
    read(buildV4Dlc([graph([{ id: 1, name: 'w', location: 4, dims, dtype, quant: { type: 0, fxp } }])]));
  const sanity = (m: DlcModel) => m.diagnostics.filter((d) => d.code === 'DLC_SANITY').map((d) => d.detail);

  it.each<[string, FxpSpec, RegExp]>([
    ['scale disagrees with (max − min)/255', { bw: 8, min: 0, max: 1, scale: 0.5, offset: 0 }, /differs from \(max − min\)\/255/],
    ['offset far from round(min/scale)', { bw: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -100 }, /round\(min\/scale\) = -128/],
    ['negative scale', { bw: 8, min: 0, max: 1, scale: -1, offset: 0 }, /not positive/],
    ['scale 0 on a quantized tensor', { bw: 8, min: 0, max: 1, scale: 0, offset: 0 }, /not positive/],
    ['bitwidth 0', { bw: 0, min: 0, max: 1, scale: 1, offset: 0 }, /bitwidth 0/],
    ['infinite max', { bw: 8, min: 0, max: Infinity, scale: 1, offset: 0 }, /not finite/],
  ])('%s → DLC_SANITY', (_, fxp, pattern) => {
    const found = sanity(one(fxp));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(pattern);
  });

  it('converter stage (QAIRT 2.25 overrides on a still-float tensor): scale 0 is not flagged', () => {
    expect(sanity(one({ bw: 8, min: -2, max: 2, scale: 0, offset: 0 }, FLOAT32))).toEqual([]);
  });

  it('symmetric −127·s..127·s grid stored signed (offset 0) is accepted', () => {
    expect(sanity(one({ bw: 8, min: -1.27, max: 1.27, scale: 0.01, offset: 0, isSymmetric: true }, SFIXED8))).toEqual([]);
  });

  it('`_converted_UFIXED_POINT_16` tensors are exempt from min = offset·scale', () => {
    const m = read(buildV4Dlc([graph([{ id: 1, name: 'a_converted_UFIXED_POINT_16', location: 3, dims: [1], dtype: UFIXED8, quant: { type: 0, fxp: { bw: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -10 } } }])]));
    expect(sanity(m)).toEqual([]);
  });

  it('per-channel count differs from dims[axis] → DLC_SANITY', () => {
    const w = { ...PER_AXIS_W, dims: [3, 3, 2, 5] };
    expect(sanity(read(buildV4Dlc([graph([w])])))).toEqual(['w: 2 per-channel encodings, dimension 3 is 5']);
  });
});

describe('bad input: BAD_DLC with one clear sentence, never a crash', () => {
  const good = buildV4Dlc([graph([PER_AXIS_W])]);

  it('not a zip', () => {
    const err = badDlc(new TextEncoder().encode('PK\u0003\u0004 this is not really a zip archive at all'));
    expect(err.code).toBe('BAD_DLC');
    expect(err.message).toMatch(/^constructed\.dlc: not a readable DLC zip archive: /);
  });

  it('a zip without `model`', () => {
    const err = badDlc(buildZip([{ name: 'dlc.metadata', data: new TextEncoder().encode('converter-version=1') }]));
    expect(err.message).toMatch(/has no "model" entry.*\(entries: dlc\.metadata\)/);
  });

  it('an unknown header version', () => {
    const err = badDlc(buildZip([{ name: 'model', data: withDlcHeader(9, 1, buildV4Body([graph([])])) }]));
    expect(err.message).toMatch(/DLC format version 9\.1/);
  });

  it('a model without header that is not a FlatBuffer', () => {
    expect(badDlc(buildZip([{ name: 'model', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }])).message).toMatch(/no DLC header/);
  });

  it.each([10, 200, good.length - 30])('truncated to %i bytes', (length) => {
    expect(badDlc(good.subarray(0, length)).code).toBe('BAD_DLC');
  });

  it('a FlatBuffer root offset out of bounds', () => {
    const body = buildV4Body([graph([])]);
    new DataView(body.buffer, body.byteOffset).setUint32(0, 0x7ffffff0, true);
    const err = badDlc(buildZip([{ name: 'model', data: withDlcHeader(4, 0, body) }]));
    expect(err.message).toMatch(/FlatBuffer body is corrupt: .*outside the \d+-byte buffer/);
  });

  it('the CLI exits 2 with one line for a bad .dlc', async () => {
    const dir = tempDir('dlcverify-dlc-');
    const path = join(dir, 'truncated.dlc');
    writeFileSync(path, good.subarray(0, 200));
    const r = await cli(['show', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/truncated\.dlc/);
  });
});

describe('constructed v3: FxpData (≤1.4x) and per-channel DataEncoding paths', () => {
  const grid = (min: number, max: number, delta: number, offset: number) => v3Grid({ min, max, delta, offset, bitwidth: 8 });

  function v3Dlc(layers: LayerSpec[], params: { layer: string; tensors: ParamTensorSpec[] }[]): Uint8Array {
    return buildZip([
      { name: 'model', data: withDlcHeader(3, 0, buildV3ModelBody(layers)) },
      { name: 'model.params', data: withDlcHeader(3, 0, buildV3ParamsBody(params)) },
    ]);
  }

  it('FxpData per output: activation encodings of a two-output layer', () => {
    const layers: LayerSpec[] = [
      { id: 0, name: 'in', type: 'Input', inputs: ['in'], outputs: ['in'], attrs: [{ name: 'FxpData', nested: [{ name: '0', nested: grid(-1, 0.9921875, 0.0078125, -128) }] }] },
      {
        id: 1,
        name: 'split',
        type: 'Slice',
        inputs: ['in'],
        outputs: ['a', 'b'],
        attrs: [{ name: 'FxpData', nested: [{ name: '0', nested: grid(0, 2.55, 0.01, 0) }, { name: '1', nested: grid(-2.56, 2.54, 0.02, -128) }] }],
      },
    ];
    const m = read(v3Dlc(layers, []), 'fxp_v3.dlc');
    expect(m.family).toBe('dlc-v3');
    const g = m.graphs[0]!;
    expect(g.name).toBe('fxp_v3');
    expect(g.ops.map((o) => o.type)).toEqual(['data', 'slice']);
    expect(g.tensors.get('in')!.role).toBe('graph-input');
    const a = g.tensors.get('a')!.encoding!.channels[0]!;
    // min 0 and offset 0 are omitted in the file (FlatBuffers default) and read back as 0.
    expect([a.min.value, a.max.value, a.scale.value, a.offset.value, a.bitwidth]).toEqual([0, Math.fround(2.55), Math.fround(0.01), 0, 8]);
    expect(g.tensors.get('b')!.encoding!.channels[0]!.offset.value).toBe(-128);
    expect(m.diagnostics).toEqual([]);
  });

  it('DataEncoding with axis ≥ 0 on a weight: one grid per channel, and weights_1 → `<layer>.weight_1`', () => {
    const dataEncoding = (axis: number, elements: AttrSpec[][]): AttrSpec => ({
      name: 'DataEncoding',
      nested: [{ name: '0', nested: [{ name: 'DataEncodingElement', nested: elements.map((e, i) => ({ name: String(i), nested: e })) }, { name: 'axis', int: axis }] }],
    });
    const layers: LayerSpec[] = [
      { id: 0, name: 'x', type: 'Input', inputs: ['x'], outputs: ['x'], attrs: [dataEncoding(-1, [grid(-1, 0.9921875, 0.0078125, -128)])] },
      { id: 1, name: 'conv', type: 'Convolutional', inputs: ['x'], outputs: ['y'], attrs: [dataEncoding(-1, [grid(0, 2.55, 0.01, 0)])] },
    ];
    const params = [
      {
        layer: 'conv',
        tensors: [
          { name: 'weights_0', shape: [1, 1, 2, 2], attrs: [dataEncoding(3, [grid(-1.28, 1.27, 0.01, -128), grid(-2.56, 2.54, 0.02, -128)])] },
          { name: 'weights_1', shape: [2], attrs: [dataEncoding(-1, [grid(0, 2.55, 0.01, 0)])] },
          { name: 'bias', shape: [2], attrs: [dataEncoding(-1, [grid(0, 2.55, 0.01, 0)])] },
        ],
      },
    ];
    const g = read(v3Dlc(layers, params)).graphs[0]!;
    const w = g.tensors.get('conv.weight')!;
    expect(w).toMatchObject({ role: 'param', layer: 'conv', paramKind: 'weight', dims: [1, 1, 2, 2] });
    expect(w.encoding).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 2, allChannelsPresent: true });
    expect(w.encoding!.channels.map((c) => [c.channel, c.scale.value])).toEqual([
      [0, Math.fround(0.01)],
      [1, Math.fround(0.02)],
    ]);
    expect(g.tensors.get('conv.weight_1')!).toMatchObject({ paramKind: 'weight', layer: 'conv' });
    expect(g.tensors.get('conv.bias')!).toMatchObject({ paramKind: 'bias', layer: 'conv' });
    expect(g.tensors.get('y')!.role).toBe('graph-output');
  });
});

describe('odd but readable parts become diagnostics', () => {
  it('v4.1 JSON metadata that is not JSON → DLC_UNREADABLE_PART, the model is still read', () => {
    const bytes = buildZip([
      { name: 'dlc.metadata2.1.0', data: new TextEncoder().encode('{"header": ') },
      { name: 'model', data: withDlcHeader(4, 1, buildV4Body([graph([])])) },
    ]);
    const m = read(bytes);
    expect(m.graphs[0]!.tensors.size).toBe(2);
    expect(m.diagnostics.map((d) => [d.code, d.at.node])).toEqual([['DLC_UNREADABLE_PART', 'dlc.metadata2.1.0']]);
  });

  it('v4.1 JSON metadata: converter tool, version and args', () => {
    const json = JSON.stringify({
      header: { artifact_type: 'DLC_METADATA', version: { major: 2, minor: 1, patch: 0 } },
      dlcGenerationInfo: [{ converterCommand: { tool: 'qairt-converter', converterVersion: '2.42.0', args: { input_network: 'm.onnx', float_bitwidth: 16 } } }],
    });
    const bytes = buildZip([
      { name: 'dlc.metadata2.1.0', data: new TextEncoder().encode(json) },
      { name: 'model', data: withDlcHeader(4, 1, buildV4Body([graph([])])) },
    ]);
    const md = read(bytes).metadata;
    expect(md.converterCommand?.tool).toBe('qairt-converter');
    expect([...md.converterCommand!.options]).toEqual([['input_network', 'm.onnx'], ['float_bitwidth', '16']]);
    expect(md.converterVersion).toBe('2.42.0');
    expect(md.other.get('metadata_version')).toBe('2.1.0');
  });

  it('an unknown quantization type → DLC_UNREADABLE_PART, the tensor kept without encoding', () => {
    const m = read(buildV4Dlc([graph([{ id: 1, name: 'w', location: 4, dims: [2], dtype: UFIXED8, quant: { type: 42, fxp: ACT } }])]));
    expect(m.graphs[0]!.tensors.get('w')!.encoding).toBeUndefined();
    expect(m.diagnostics.map((d) => d.code)).toEqual(['DLC_UNREADABLE_PART']);
    expect(m.diagnostics[0]!.detail).toMatch(/unknown quantization type 42/);
  });
});
