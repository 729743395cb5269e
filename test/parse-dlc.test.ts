/**
 * The .dlc reader on every real file of the corpus (`dlc/`, `oracle/`): exact counts, spot values
 * and the SDK's own reading (`*.irdump225.json`, QAIRT 2.25 IrDlcReader) as ground truth.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readDlc } from '../src/parse/dlc/index.js';
import { FlatBuffer } from '../src/parse/wire/flatbuffer.js';
import { listEntries, readEntry } from '../src/parse/wire/zip.js';
import { readModel } from '../src/parse/load.js';
import type { DlcModel, InputFile, Tensor } from '../src/model.js';
import { corpusInput, corpusPath, corpusText, describeCorpus } from './helpers/corpus.js';


function read(relative: string): DlcModel {
  return readDlc(corpusInput(relative));
}

function tensors(m: DlcModel): Tensor[] {
  return m.graphs.flatMap((g) => [...g.tensors.values()]);
}

function encoded(m: DlcModel, roles: readonly string[]): Tensor[] {
  return tensors(m).filter((t) => t.encoding && roles.includes(t.role));
}

const ACTIVATION_ROLES = ['activation', 'graph-input', 'graph-output'];

describeCorpus('v3 DLCs (SNPE 1.5x/1.60)', () => {
  it('aidlux_yolov5n_int8.dlc: 198 activation + 116 weight/bias encodings, all 8-bit per tensor', () => {
    const m = read('dlc/aidlux_yolov5n_int8.dlc');
    expect(m.family).toBe('dlc-v3');
    expect(m.format).toBe('dlc');
    expect(m.graphs).toHaveLength(1);
    expect(m.graphs[0]!.name).toBe('aidlux_yolov5n_int8');
    expect(m.graphs[0]!.ops).toHaveLength(198);
    expect(encoded(m, ACTIVATION_ROLES)).toHaveLength(198);
    const params = encoded(m, ['param']);
    expect(params).toHaveLength(116);
    expect(params.filter((t) => t.paramKind === 'weight')).toHaveLength(58);
    expect(params.filter((t) => t.paramKind === 'bias')).toHaveLength(58);
    for (const t of [...encoded(m, ACTIVATION_ROLES), ...params]) {
      expect(t.encoding!.layout).toBe('per-tensor');
      expect(t.encoding!.channels[0]!.bitwidth).toBe(8);
    }
    expect(m.diagnostics).toEqual([]);
  });

  it('yolov5n input `images`: min −1, max 0.9921875, delta 0.0078125, offset −128, 8 bits, float32 precision', () => {
    const m = read('dlc/aidlux_yolov5n_int8.dlc');
    const images = m.graphs[0]!.tensors.get('images')!;
    expect(images.role).toBe('graph-input');
    expect(images.dims).toEqual([1, 320, 320, 3]);
    const e = images.encoding!.channels[0]!;
    expect([e.min.value, e.max.value, e.scale.value, e.offset.value, e.bitwidth]).toEqual([-1, 0.9921875, 0.0078125, -128, 8]);
    expect(e.scale.precision).toEqual({ style: 'float32' });
  });

  it('yolov5n Conv_0 weights and bias: `<layer>.weight` / `<layer>.bias` with layer and paramKind', () => {
    const g = read('dlc/aidlux_yolov5n_int8.dlc').graphs[0]!;
    const w = g.tensors.get('Conv_0.weight')!;
    expect(w).toMatchObject({ role: 'param', layer: 'Conv_0', paramKind: 'weight', dims: [6, 6, 3, 16] });
    const we = w.encoding!.channels[0]!;
    expect(we.min.value).toBe(Math.fround(-11.621354103088379));
    expect(we.offset.value).toBe(-134);
    const b = g.tensors.get('Conv_0.bias')!;
    expect(b).toMatchObject({ role: 'param', layer: 'Conv_0', paramKind: 'bias' });
    expect(b.encoding!.channels[0]!.max.value).toBe(Math.fround(3.409198760986328));
    expect(b.encoding!.channels[0]!.offset.value).toBe(0);
  });

  it('yolov5n metadata: converter and quantizer commands parsed into options', () => {
    const md = read('dlc/aidlux_yolov5n_int8.dlc').metadata;
    expect(md.converterVersion).toBe('1.60.0.3313');
    expect(md.converterCommand?.tool).toBe('snpe-onnx-to-dlc');
    expect(md.converterCommand?.options.get('input_dim')).toBe("[['images', '1,3,320,320']]");
    expect(md.converterCommand?.options.get('quantization_overrides')).toBe('');
    expect(md.quantizerCommand?.tool).toBe('snpe-dlc-quantize');
    expect(md.quantizerCommand?.options.get('override_params')).toBe('false');
    expect(md.modelVersion).toBe('N/A');
  });

  it('ort_test_abs_q.dlc: 2 activation encodings (x, y)', () => {
    const m = read('dlc/ort_test_abs_q.dlc');
    expect(m.family).toBe('dlc-v3');
    const enc = encoded(m, ACTIVATION_ROLES);
    expect(enc.map((t) => t.name)).toEqual(['x', 'y']);
    const x = enc[0]!.encoding!.channels[0]!;
    expect([x.min.value, x.max.value, x.offset.value]).toEqual([Math.fround(-23.039215087891), Math.fround(23.960784912109), -125]);
    expect(encoded(m, ['param'])).toHaveLength(0);
  });

  it('ort_test_abs.dlc: float, no encodings, quantizer command N/A', () => {
    const m = read('dlc/ort_test_abs.dlc');
    expect(m.family).toBe('dlc-v3');
    expect(tensors(m).map((t) => t.name)).toEqual(['x', 'y']);
    expect(tensors(m).filter((t) => t.encoding)).toHaveLength(0);
    expect(m.metadata.quantizerCommand).toBeNull();
  });
});

describeCorpus('v2 DLC (SNPE 1.19, protobuf body)', () => {
  it('openpilot_dmonitoring_model_q_v2.dlc: 48 activation + 44 weight/bias encodings (22 + 22)', () => {
    const m = read('dlc/openpilot_dmonitoring_model_q_v2.dlc');
    expect(m.family).toBe('dlc-v2');
    const g = m.graphs[0]!;
    expect(g.name).toBe('openpilot_dmonitoring_model_q_v2');
    expect(g.ops).toHaveLength(48);
    expect(encoded(m, ACTIVATION_ROLES)).toHaveLength(48);
    const params = encoded(m, ['param']);
    expect(params).toHaveLength(44);
    expect(params.filter((t) => t.paramKind === 'weight')).toHaveLength(22);
    expect(params.filter((t) => t.paramKind === 'bias')).toHaveLength(22);
    expect(m.diagnostics).toEqual([]);
  });

  it('openpilot conv2d/Conv2D: output, weight and bias encodings, type names as the 1.17 dump prints them', () => {
    const g = read('dlc/openpilot_dmonitoring_model_q_v2.dlc').graphs[0]!;
    const op = g.ops.find((o) => o.name === 'conv2d/Conv2D')!;
    expect(op.type).toBe('convolutional');
    expect(op.outputs).toEqual(['conv2d/BiasAdd:0']);
    const out = g.tensors.get('conv2d/BiasAdd:0')!.encoding!.channels[0]!;
    expect([out.min.value, out.max.value, out.offset.value, out.bitwidth]).toEqual([Math.fround(-6.358275890350342), Math.fround(5.059754848480225), -142, 8]);
    const w = g.tensors.get('conv2d/Conv2D.weight')!;
    expect(w).toMatchObject({ role: 'param', layer: 'conv2d/Conv2D', paramKind: 'weight', dims: [5, 5, 6, 16] });
    expect(w.encoding!.channels[0]!.offset.value).toBe(-208);
    const b = g.tensors.get('conv2d/Conv2D.bias')!;
    expect(b.encoding!.channels[0]!.offset.value).toBe(-231);
    expect(g.ops.find((o) => o.name === 'dense/MatMul')!.type).toBe('fc');
    expect(g.tensors.get('dense/MatMul.weight')!.encoding!.channels[0]!.offset.value).toBe(-176);
  });

  it('openpilot metadata: converter command and version, no quantizer line', () => {
    const md = read('dlc/openpilot_dmonitoring_model_q_v2.dlc').metadata;
    expect(md.converterCommand?.tool).toBe('snpe-tensorflow-to-dlc');
    expect(md.converterCommand?.options.get('out_node')).toBe("['outputs/concat']");
    expect(md.converterVersion).toBe('1.19.2.0');
    expect(md.modelVersion).toBe('f9f559c98f7dee282c12b22722c5f6510b4d6fdd');
  });
});

describeCorpus('v4 DLCs (SNPE 2.16, QAIRT 2.25, QAIRT 2.42)', () => {
  it('pose_landmark_lite_quantized.dlc: 1 graph, 187 nodes, 352 tensors, every quantized one 8-bit', () => {
    const m = read('dlc/pose_landmark_lite_quantized.dlc');
    expect(m.family).toBe('dlc-v4');
    expect(m.graphs).toHaveLength(1);
    const g = m.graphs[0]!;
    expect(g.name).toBe('pose_landmark_lite');
    expect(g.ops).toHaveLength(187);
    expect(g.tensors.size).toBe(352);
    const quantized = [...g.tensors.values()].filter((t) => t.encoding);
    expect(quantized).toHaveLength(352);
    expect(quantized.filter((t) => t.role === 'param')).toHaveLength(164);
    for (const t of quantized) for (const c of t.encoding!.channels) expect(c.bitwidth).toBe(8);
    expect(m.diagnostics).toEqual([]);
  });

  it('pose_landmark `Conv2D/filter:0`: min −15.4461 max 13.3039 scale 0.112745 offset −137 (STATIC)', () => {
    const g = read('dlc/pose_landmark_lite_quantized.dlc').graphs[0]!;
    const t = g.tensors.get('Conv2D/filter:0')!;
    expect(t.tensorType).toBe('STATIC');
    expect(t.role).toBe('param');
    const e = t.encoding!.channels[0]!;
    expect(e.min.value).toBeCloseTo(-15.4461, 4);
    expect(e.max.value).toBeCloseTo(13.3039, 4);
    expect(e.scale.value).toBeCloseTo(0.112745, 6);
    expect(e.offset.value).toBe(-137);
    expect(Math.fround(e.min.value)).toBe(e.min.value);
    const input = g.tensors.get('input_1')!;
    expect(input).toMatchObject({ tensorType: 'APP_WRITE', role: 'graph-input', dtype: 'uFxp_8' });
    const ie = input.encoding!.channels[0]!;
    expect([ie.min.value, ie.max.value, ie.offset.value]).toEqual([0, 1, 0]);
    expect(ie.scale.value).toBeCloseTo(0.00392157, 8);
  });

  it('ort_qnn_ir_dump_v4.dlc (QAIRT 2.42, CRC 0): 9 float tensors and its JSON metadata', () => {
    const m = read('dlc/ort_qnn_ir_dump_v4.dlc');
    expect(m.family).toBe('dlc-v4');
    const all = tensors(m);
    expect(all).toHaveLength(9);
    expect(all.every((t) => t.dtype === 'Float_32' && !t.encoding)).toBe(true);
    expect(m.metadata.converterCommand?.tool).toBe('qnn-net-run');
    expect(m.metadata.converterVersion).toBe('2.42.0.251225135753_193295');
    expect(m.metadata.converterCommand?.options.get('backend')).toBe('libQnnIr.so(.dll)');
    expect(m.metadata.other.get('artifact_type')).toBe('DLC_METADATA');
  });

  it('tiny_cnn_snpe225_overrides.dlc: converter-stage overrides (scale 0) give no sanity diagnostic; isOverridden read', () => {
    const m = read('oracle/qairt225/tiny_cnn_snpe225_overrides.dlc');
    expect(m.metadata.quantizerCommand).toBeNull();
    expect(m.metadata.converterCommand?.options.get('quantization_overrides')).toBe('tiny_cnn_overrides.json');
    const g = m.graphs[0]!;
    const c1 = g.tensors.get('c1')!.encoding!;
    expect(c1.channels[0]!.scale.value).toBe(0);
    // Every encoding of this file came from tiny_cnn_overrides.json (its six names): the v4 flag says so.
    const flags = [...g.tensors.values()].filter((t) => t.encoding).map((t) => `${t.name}=${String(t.encoding!.isOverridden)}`);
    expect(flags.sort()).toEqual(['c1=true', 'conv1.weight=true', 'dw.weight=true', 'input=true', 'probs=true', 'r1=true']);
    // The float DLC from the same model without overrides has no flag set anywhere.
    const plain = read('oracle/qairt225/tiny_cnn_snpe225.dlc');
    expect(tensors(plain).filter((t) => t.encoding?.isOverridden)).toHaveLength(0);
    const dw = g.tensors.get('dw.weight')!.encoding!;
    expect(dw.layout).toBe('per-channel');
    expect(dw.axis).toBe(3);
    expect(dw.channels).toHaveLength(8);
    expect(m.diagnostics.filter((d) => d.code === 'DLC_SANITY')).toEqual([]);
  });

  it('is detected by content through load.ts (readModel)', () => {
    const m = readModel(corpusInput('dlc/pose_landmark_lite_quantized.dlc'));
    expect(m.family).toBe('dlc-v4');
  });
});

// ---------------------------------------------------------------------------------------------
// Ground truth: QAIRT 2.25's own DLC reader (IrDlcReader) dumped every tensor to *.irdump225.json.
// Shape: {graphs: [{name, ops: [{name, type, inputs, outputs}], tensors: {name: {dtype, dims,
// tensor_type, encoding: {type, encInfo?: {bw, min, max, scale, offset, is_symmetric}, axis?, encInfos?}}}}]}
// ---------------------------------------------------------------------------------------------

interface IrEncInfo {
  bw: number;
  min: number;
  max: number;
  scale: number;
  offset: number;
  is_symmetric: boolean;
}
interface IrTensor {
  dtype: string;
  dims: number[];
  tensor_type: string;
  encoding: { type: string; encInfo?: IrEncInfo; axis?: number; encInfos?: IrEncInfo[] };
}
interface IrDump {
  graphs: { name: string; ops: { name: string; type: string; inputs: string[]; outputs: string[] }[]; tensors: Record<string, IrTensor> }[];
}

const irdumps = (() => {
  try {
    return readdirSync(corpusPath('oracle/qairt225')).filter((f) => f.endsWith('.irdump225.json'));
  } catch {
    return [];
  }
})();

describeCorpus('every oracle/qairt225/*.dlc equals its .irdump225.json exactly (float32)', () => {
  it('there are irdumps to compare against', () => {
    expect(irdumps.length).toBeGreaterThanOrEqual(8);
  });

  it.each(irdumps)('%s', (dumpFile) => {
    const ir = JSON.parse(corpusText(`oracle/qairt225/${dumpFile}`)) as IrDump;
    const m = read(`oracle/qairt225/${dumpFile.replace('.irdump225.json', '.dlc')}`);
    expect(m.graphs.map((g) => g.name)).toEqual(ir.graphs.map((g) => g.name));
    ir.graphs.forEach((irGraph, gi) => {
      const g = m.graphs[gi]!;
      expect(g.ops.map((o) => [o.name, o.inputs, o.outputs])).toEqual(irGraph.ops.map((o) => [o.name, o.inputs, o.outputs]));
      // QAIRT 2.25 renames one op type of the 4.1 file it cannot fully read (ResizeBilinear → Resize).
      const renamed = new Map([['ResizeBilinear', 'Resize']]);
      expect(g.ops.map((o) => (dumpFile.startsWith('ort_qnn') ? renamed.get(o.type) ?? o.type : o.type))).toEqual(irGraph.ops.map((o) => o.type));
      const irNames = Object.keys(irGraph.tensors).sort();
      expect([...g.tensors.keys()].sort()).toEqual(irNames);
      let compared = 0;
      for (const name of irNames) {
        const want = irGraph.tensors[name]!;
        const got = g.tensors.get(name)!;
        expect(got.tensorType, name).toBe(want.tensor_type);
        expect(got.dims, name).toEqual(want.dims);
        const grids = (want.encoding.encInfos ?? (want.encoding.encInfo ? [want.encoding.encInfo] : [])).map((e) => [
          e.bw,
          e.min,
          e.max,
          e.scale,
          e.offset,
          e.is_symmetric,
        ]);
        const mine = (got.encoding?.channels ?? []).map((c) => [c.bitwidth, c.min.value, c.max.value, c.scale.value, c.offset.value, c.isSymmetric]);
        expect(mine, name).toEqual(grids); // exact: both are the stored float32 values
        if (want.encoding.type === 'QNN_QUANTIZATION_ENCODING_AXIS_SCALE_OFFSET') {
          expect(got.encoding?.layout, name).toBe('per-channel');
          expect(got.encoding?.axis, name).toBe(want.encoding.axis);
        }
        if (want.encoding.type === 'QNN_QUANTIZATION_ENCODING_SCALE_OFFSET') expect(got.encoding?.layout, name).toBe('per-tensor');
        if (want.encoding.type === 'QNN_QUANTIZATION_ENCODING_UNDEFINED') expect(got.encoding, name).toBeUndefined();
        compared += grids.length;
      }
      // Every tensor was compared; the count of grids is pinned per file below.
      expect(compared).toBe(EXPECTED_GRIDS.get(dumpFile));
    });
  });
});

/** Encodings (grids, every channel counted) per irdump, counted from the JSON files. */
const EXPECTED_GRIDS = new Map<string, number>([
  ['eltwise_snpe225_overrides.irdump225.json', 8],
  ['ort_qnn_ir_dump_v4_fixcrc.irdump225.json', 0],
  ['qdq_conv_u8_qairt225.irdump225.json', 10],
  ['qdq_conv_u8_snpe225.irdump225.json', 10],
  ['tiny_cnn_qairt225.irdump225.json', 0],
  ['tiny_cnn_qairt225_fp16.irdump225.json', 0],
  ['tiny_cnn_snpe225.irdump225.json', 0],
  ['tiny_cnn_snpe225_overrides.irdump225.json', 13],
]);

// ---------------------------------------------------------------------------------------------
// What QAIRT 2.25's `NR64` params record holds. The reader never opens `model.params`: this test
// pins why that is safe. NR64 is a FlatBuffer with 64-bit vectors: root slot 0 = [record], record
// slot 0 = offset64 → vector64 of raw tensor bytes (u64 length prefix). Every blob hashes to the
// `data.sha256` the SDK's reader shows for a STATIC tensor or a tensor-valued op attribute; no
// encoding lives there (they are all on the tensors in `model`, compared exactly above).
// ---------------------------------------------------------------------------------------------

describeCorpus('QAIRT 2.25 NR64 params hold only raw tensor bytes', () => {
  it.each([
    ['eltwise_snpe225_overrides', 1],
    ['qdq_conv_u8_qairt225', 7],
    ['qdq_conv_u8_snpe225', 5],
    ['tiny_cnn_qairt225', 17],
    ['tiny_cnn_snpe225', 16],
    ['tiny_cnn_snpe225_overrides', 16],
  ])('%s: %i blobs, each the data of a static tensor in the irdump', (base, blobCount) => {
    const input = corpusInput(`oracle/qairt225/${base}.dlc`);
    const params = readEntry(input, listEntries(input).find((e) => e.name === 'model.params')!).subarray(8);
    const fb = new FlatBuffer(params);
    expect(fb.identifier()).toBe('NR64');
    const hashes = new Set<string>();
    for (const record of fb.root().tables(0)) {
      const at = record.field(0);
      const vector = at + Number(new DataView(params.buffer, params.byteOffset + at, 8).getBigUint64(0, true));
      const length = Number(new DataView(params.buffer, params.byteOffset + vector, 8).getBigUint64(0, true));
      fb.check(vector + 8, length, 'an NR64 blob');
      hashes.add(createHash('sha256').update(params.subarray(vector + 8, vector + 8 + length)).digest('hex'));
    }
    expect(hashes.size).toBeLessThanOrEqual(blobCount);
    const ir = JSON.parse(corpusText(`oracle/qairt225/${base}.irdump225.json`)) as {
      graphs: { tensors: Record<string, { data?: { sha256: string } }>; ops: { attrs: Record<string, { tensor?: { sha256: string } }> }[] }[];
    };
    const shown = ir.graphs.flatMap((g) => [
      ...Object.values(g.tensors).flatMap((t) => (t.data ? [t.data.sha256] : [])),
      ...g.ops.flatMap((o) => Object.values(o.attrs).flatMap((a) => (a.tensor ? [a.tensor.sha256] : []))),
    ]);
    expect(shown).toHaveLength(blobCount);
    for (const h of shown) expect(hashes.has(h)).toBe(true);
  });
});

describeCorpus('entries are read lazily: the weights are never read', () => {
  /** The corpus file, counting the bytes the reader asks for; `bytes()` (whole file) is refused. */
  function counted(relative: string): { input: InputFile; bytesRead: () => number } {
    const base = corpusInput(relative);
    let total = 0;
    const input: InputFile = {
      name: base.name,
      size: base.size,
      head: base.head,
      lines: () => base.lines(),
      bytes: () => {
        throw new Error('the .dlc reader must not read the whole file');
      },
      read: (offset, length) => {
        total += length;
        return base.read(offset, length);
      },
    };
    return { input, bytesRead: () => total };
  }

  it('v4 (pose_landmark, 1.6 MB, 1.4 MB of weights in NR64 params): only `model` (189 kB) and the zip tail are read', () => {
    const { input, bytesRead } = counted('dlc/pose_landmark_lite_quantized.dlc');
    expect(readDlc(input).graphs[0]!.tensors.size).toBe(352);
    expect(bytesRead()).toBeLessThan(189_344 + 70_000);
  });

  it('v3 (aidlux, 2 MB, 1.87 MB of model.params): params read page by page, far less than the weights', () => {
    const { input, bytesRead } = counted('dlc/aidlux_yolov5n_int8.dlc');
    expect([...readDlc(input).graphs[0]!.tensors.values()].filter((t) => t.role === 'param' && t.encoding)).toHaveLength(116);
    expect(bytesRead()).toBeLessThan(input.size / 3);
  });
});
