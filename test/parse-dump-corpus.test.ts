/**
 * The dump parser on every real dump of the shared corpus (read in place, never copied), with
 * exact counts. Skipped, visibly, when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { DlcModel, Encoding, Tensor } from '../src/model.js';
import { parseDump } from '../src/parse/dump/index.js';
import { readModel } from '../src/parse/load.js';
import { quantumOf } from '../src/numeric.js';
import { CORPUS_DIR, corpusInput, corpusPath, corpusPresent, corpusText } from './helpers/corpus.js';

/** `describe` that runs only with the corpus present and says SKIPPED in its name otherwise. */
function describeCorpus(name: string, body: () => void): void {
  describe.skipIf(!corpusPresent)(corpusPresent ? name : `${name} [SKIPPED: corpus not found at ${CORPUS_DIR}]`, body);
}

function parse(relative: string): DlcModel {
  return parseDump(corpusInput(relative).lines(), relative);
}

function allTensors(m: DlcModel): Tensor[] {
  return m.graphs.flatMap((g) => [...g.tensors.values()]);
}

function encoded(m: DlcModel): Tensor[] {
  return allTensors(m).filter((t) => t.encoding !== undefined);
}

/** Diagnostics each corpus file is expected to have (and no other). */
const EXPECTED: Record<string, readonly string[]> = {
  'dumps/qairt222_yolov8s_int8.txt': [],
  'dumps/snpe25_yolov5s_float.txt': [],
  // A shell prompt line, then rows elided by hand.
  'dumps/snpe1542_mnist_mobilenet_float_elided.txt': ['DUMP_PREAMBLE_SKIPPED', 'DUMP_ELIDED_ROWS'],
  // Fragments pasted into READMEs and docs: no `DLC info` line, no footer.
  'dumps/qairt222_yolov5s_float_tail.txt': ['DUMP_HEADER_MISSING', 'DUMP_TRUNCATED'],
  'dumps/qairt222_yolov5s_float_tail2.txt': ['DUMP_HEADER_MISSING', 'DUMP_TRUNCATED'],
  'dumps/qairt222_yolov8s_int8_io_tables_only.txt': ['DUMP_HEADER_MISSING'],
  // The docs extract: its first separator is shorter than the table (HTML copy).
  'dumps/qairt225_docs_spoken_digit_float_table.txt': ['DUMP_SEPARATOR_LENGTH', 'DUMP_HEADER_MISSING', 'DUMP_TRUNCATED'],
};

const ORACLE_DIRS = ['oracle/snpe117', 'oracle/snpe159', 'oracle/qairt225'];
const oracleDumps = corpusPresent
  ? ORACLE_DIRS.flatMap((d) => readdirSync(corpusPath(d)).filter((f) => f.endsWith('.txt') || f.endsWith('.csv')).map((f) => `${d}/${f}`))
  : [];

describeCorpus('every corpus dump parses with only the expected diagnostics', () => {
  it.each(Object.keys(EXPECTED))('%s', (relative) => {
    const m = parse(relative);
    expect(m.diagnostics.map((d) => d.code)).toEqual(EXPECTED[relative]);
  });

  it('lists the oracle dumps', () => {
    // 10 in qairt225 (7 `.dlcinfo.txt`, `.txt`, `.m_d.txt`, `.csv`), 2 in snpe117, 7 in snpe159.
    expect(oracleDumps).toHaveLength(19);
  });

  it.each(oracleDumps.filter((f) => !f.endsWith('.log')))('%s', (relative) => {
    const m = parse(relative);
    expect(m.diagnostics.map((d) => `${d.code}@${d.at.line}: ${d.detail}`)).toEqual([]);
    expect(m.graphs.length).toBe(1);
    expect(m.format).toBe(relative.endsWith('.csv') ? 'dlc-info-csv' : 'dlc-info-text');
  });
});

describeCorpus('QAIRT 2.22 yolov8s (dumps/qairt222_yolov8s_int8.txt)', () => {
  const m = parse('dumps/qairt222_yolov8s_int8.txt');

  it('1 graph, 239 ops with ids 0–238', () => {
    expect(m.family).toBe('qairt-2.2x');
    expect(m.graphs).toHaveLength(1);
    expect(m.graphs[0]!.ops.map((o) => o.id)).toEqual(Array.from({ length: 239 }, (_, i) => i));
  });

  it('382 distinct tensors with an encoding, 132 distinct STATIC tensors', () => {
    expect(encoded(m)).toHaveLength(382);
    expect(allTensors(m).filter((t) => t.tensorType === 'STATIC')).toHaveLength(132);
    expect(allTensors(m).filter((t) => t.role === 'param')).toHaveLength(132);
  });

  it('header commands, I/O tables, converter-made tensors', () => {
    expect(m.metadata.converterVersion).toBe('2.22.6.240515184619_92920');
    expect(m.metadata.converterCommand?.options.get('quantization_overrides')).toBe('/home/inventec/Documents/qualcomm/qc_model_conversion/yolo8_act.encodings');
    expect(m.metadata.converterCommand?.options.get('out_names')).toBe("['output0']");
    expect(m.metadata.quantizerCommand?.tool).toBe('snpe-dlc-quant');
    expect(m.metadata.quantizerCommand?.options.get('override_params')).toBe('true');
    const g = m.graphs[0]!;
    expect(g.inputs.map((r) => r.name)).toEqual(['images']);
    expect(g.outputs[0]?.encoding).toMatchObject({ bitwidth: 16, max: { value: 643.878662109375, precision: { style: 'fixed', decimals: 12 } } });
    const images = g.tensors.get('images')!;
    expect(images).toMatchObject({ role: 'graph-input', dtype: 'uFxp_8', dims: [1, 640, 640, 3], tensorType: 'APP_WRITE' });
    expect(images.encoding?.channels[0]?.offset.value).toBe(-128);
    expect(g.tensors.get('output0')).toMatchObject({ role: 'graph-output', producer: { op: '/model.22/Concat_5', type: 'Concat' } });
    expect([...g.tensors.keys()].filter((n) => n.endsWith('_converted_UFIXED_POINT_16')).length).toBeGreaterThan(0);
    expect(g.footer.get('Ops used by Graph')).toContain('Conv2d');
  });
});

describeCorpus('SNPE 1.59 yolov5n (oracle/snpe159/aidlux_yolov5n_int8)', () => {
  const text = parse('oracle/snpe159/aidlux_yolov5n_int8.txt');
  const csv = parse('oracle/snpe159/aidlux_yolov5n_int8.csv');

  it.each([
    ['text', text],
    ['csv', csv],
  ])('%s: 198 output + 116 weight/bias encodings', (_kind, m) => {
    expect(m.family).toBe('snpe-1.4x-1.6x');
    const enc = encoded(m);
    expect(enc.filter((t) => t.paramKind === undefined)).toHaveLength(198);
    expect(enc.filter((t) => t.paramKind !== undefined)).toHaveLength(116);
    expect(enc.filter((t) => t.paramKind === 'weight').every((t) => t.name.endsWith('.weight') && t.layer !== undefined)).toBe(true);
    expect(m.graphs[0]!.tensors.get('Conv_0.weight')?.encoding?.channels[0]).toMatchObject({
      bitwidth: 8,
      min: { value: -11.621354103088, precision: { style: 'fixed', decimals: 12 } },
      scale: { value: 0.086726523936 },
      offset: { value: -134 },
    });
  });

  it('the CSV gives the same model as the text', () => {
    expect(csv.format).toBe('dlc-info-csv');
    const shape = (m: DlcModel) => m.graphs.map((g) => ({ name: g.name, ops: g.ops.map((o) => [o.id, o.name, o.type, o.inputs, o.outputs, o.outDims]) }));
    expect(shape(csv)).toEqual(shape(text));
    const encodings = (m: DlcModel) =>
      allTensors(m).map((t) => [t.name, t.role, t.layer, t.paramKind, t.encoding?.layout, t.encoding?.channels.map((c) => [c.bitwidth, c.min, c.max, c.scale, c.offset])]);
    expect(encodings(csv)).toEqual(encodings(text));
    expect([...csv.metadata.converterCommand!.options]).toEqual([...text.metadata.converterCommand!.options]);
    expect([...csv.metadata.quantizerCommand!.options]).toEqual([...text.metadata.quantizerCommand!.options]);
    expect(csv.metadata.converterVersion).toBe(text.metadata.converterVersion);
  });

  it('the CSV keeps the `-m` Memory needed entries as op params', () => {
    expect(csv.graphs[0]!.ops[0]!.params.map((p) => p.name)).toContain('Memory needed');
  });
});

describeCorpus('SNPE 1.17 openpilot (oracle/snpe117)', () => {
  it.each(['oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt', 'oracle/snpe117/openpilot_dmonitoring_requant_snpe117.txt'])('%s: 70 encodings (48 output + 22 weight)', (relative) => {
    const m = parse(relative);
    expect(m.family).toBe('snpe-1.17');
    const enc = encoded(m);
    expect(enc).toHaveLength(70);
    expect(enc.filter((t) => t.paramKind === undefined)).toHaveLength(48);
    expect(enc.filter((t) => t.paramKind === 'weight')).toHaveLength(22);
    expect(enc.filter((t) => t.paramKind === 'bias')).toHaveLength(0);
    for (const t of enc) expect(t.encoding?.channels[0]?.min.precision).toEqual({ style: 'significant', digits: 4 });
  });

  it('reads `min -0.8784, max 0.8716, delta 0.006863, offset -128 bitwidth 8` on the first layer', () => {
    const m = parse('oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt');
    const first = m.graphs[0]!.tensors.get('lambda/div:0')!;
    expect(first.role).toBe('graph-input');
    expect(first.encoding?.channels[0]).toMatchObject({
      bitwidth: 8,
      min: { value: -0.8784, precision: { style: 'significant', digits: 4 } },
      max: { value: 0.8716 },
      scale: { value: 0.006863 },
      offset: { value: -128 },
    });
    expect(m.graphs[0]!.tensors.get('outputs/concat:0')?.role).toBe('graph-output');
  });
});

describeCorpus('SNPE 2.5 float yolov5s (dumps/snpe25_yolov5s_float.txt)', () => {
  it('no encodings, Quantizer command N/A', () => {
    const m = parse('dumps/snpe25_yolov5s_float.txt');
    expect(m.family).toBe('snpe-2.5');
    expect(encoded(m)).toHaveLength(0);
    expect(m.metadata.quantizerCommand).toBeNull();
    expect(m.graphs[0]!.ops).toHaveLength(202);
    expect(m.graphs[0]!.tensors.get('images')).toMatchObject({ role: 'graph-input', dtype: 'Float_32' });
  });
});

describeCorpus('the elided SNPE 1.54 dump', () => {
  it('reports its elision with the line number', () => {
    const m = parse('dumps/snpe1542_mnist_mobilenet_float_elided.txt');
    const elided = m.diagnostics.find((d) => d.code === 'DUMP_ELIDED_ROWS');
    expect(elided?.at.line).toBe(9);
    expect(m.graphs[0]!.ops.map((o) => o.name)).toEqual(['t.1']);
    expect(m.metadata.converterVersion).toBe('1.54.2.2899');
  });
});

describeCorpus('snpe1x_weight_encoding_line.txt (a 1.x Parameters entry, %f)', () => {
  it('is read with its 6-decimal precision inside a constructed 1.x layer', () => {
    const entry = corpusText('dumps/snpe1x_weight_encoding_line.txt').trim();
    const lines = [
      'DLC info for: /x.dlc',
      '| Id | Name | Type | Inputs | Outputs | Out Dims | Runtimes | Parameters |',
      `| 0  | fc   | fully_connected | a | b | 1x2 | A D G C  | ${entry} |`,
    ];
    const m = parseDump(lines, 'constructed.txt');
    const w = m.graphs[0]!.tensors.get('fc.weight')!;
    expect(w.encoding?.channels[0]).toMatchObject({
      bitwidth: 32,
      min: { value: -0.029826, precision: { style: 'fixed', decimals: 6 } },
      max: { value: 0.029826, precision: { style: 'fixed', decimals: 6 } },
      scale: { value: 0, precision: { style: 'fixed', decimals: 6 } },
      offset: { value: -2147483648, precision: { style: 'fixed', decimals: 6 } },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// QAIRT 2.25: the dump against the SDK's own DLC reader (irdump225.json)
// ---------------------------------------------------------------------------------------------

interface IrInfo {
  bw: number;
  min: number;
  max: number;
  scale: number;
  offset: number;
}
interface IrTensor {
  encoding?: { type: string; encInfo?: IrInfo; encInfos?: IrInfo[]; axis?: number };
}
interface IrDump {
  graphs: { name: string; tensors: Record<string, IrTensor> }[];
}

function within(printed: Encoding['min'], exact: number): boolean {
  return Math.abs(printed.value - exact) <= quantumOf(printed.value, printed.precision) * (1 + 1e-9) + Math.abs(exact) * 1e-15;
}

const QAIRT225 = corpusPresent ? readdirSync(corpusPath('oracle/qairt225')).filter((f) => f.endsWith('.dlcinfo.txt')) : [];

describeCorpus('QAIRT 2.25 dumps give exactly the encodings of the SDK reader (oracle/qairt225)', () => {
  it('has the 7 dumps', () => {
    expect(QAIRT225).toHaveLength(7);
  });

  it.each(QAIRT225)('%s', (name) => {
    const m = parse(`oracle/qairt225/${name}`);
    const ir = JSON.parse(corpusText(`oracle/qairt225/${name.replace('.dlcinfo.txt', '.irdump225.json')}`)) as IrDump;
    expect(m.graphs.map((g) => g.name)).toEqual(ir.graphs.map((g) => g.name));
    for (const irGraph of ir.graphs) {
      const graph = m.graphs.find((g) => g.name === irGraph.name)!;
      const expected = new Map<string, IrInfo[]>();
      for (const [tensorName, t] of Object.entries(irGraph.tensors)) {
        const e = t.encoding;
        if (e?.type === 'QNN_QUANTIZATION_ENCODING_SCALE_OFFSET' && e.encInfo) expected.set(tensorName, [e.encInfo]);
        else if (e?.type === 'QNN_QUANTIZATION_ENCODING_AXIS_SCALE_OFFSET' && e.encInfos) expected.set(tensorName, e.encInfos);
      }
      const actual = [...graph.tensors.values()].filter((t) => t.encoding !== undefined);
      expect(actual.map((t) => t.name).sort()).toEqual([...expected.keys()].sort());
      for (const t of actual) {
        const want = expected.get(t.name)!;
        expect(t.encoding!.channels, t.name).toHaveLength(want.length);
        expect(t.encoding!.layout).toBe(want.length > 1 || t.encoding!.channels[0]?.channel !== undefined ? 'per-channel' : 'per-tensor');
        t.encoding!.channels.forEach((c, i) => {
          const w = want[i]!;
          expect(c.bitwidth, `${t.name}[${i}] bitwidth`).toBe(w.bw);
          for (const key of ['min', 'max', 'scale', 'offset'] as const) {
            expect(within(c[key], w[key]), `${t.name}[${i}] ${key}: printed ${c[key].value}, SDK ${w[key]}`).toBe(true);
          }
        });
      }
    }
  });
});

describeCorpus('readModel routes a corpus dump to the parser', () => {
  it('oracle/snpe159/ort_test_abs_q.csv', () => {
    const m = readModel(corpusInput('oracle/snpe159/ort_test_abs_q.csv'));
    expect(m.format).toBe('dlc-info-csv');
    expect(encoded(m)).toHaveLength(2);
  });
});
