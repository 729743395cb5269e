/**
 * `dlcverify show <dump>`: the JSON contract (one element per (tensor, channel)), table and CSV,
 * `--graph`, `--strict`; run in-process through the CLI.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';
import { CORPUS_DIR, corpusPath, corpusPresent, REPO_ROOT } from './helpers/corpus.js';
import { renderModel } from '../src/render/show-model.js';
import type { DlcModel } from '../src/model.js';
import { parseDump } from '../src/parse/dump/index.js';

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'dump', name);

interface JsonEncoding {
  tensor: string;
  graph: string;
  op: string | null;
  opType: string | null;
  role: string;
  dtype: string | null;
  bitwidth: number;
  min: number | string;
  max: number | string;
  scale: number | string;
  offset: number | string;
  channel?: number;
  line: number | null;
}

async function showJson(file: string, ...extra: string[]): Promise<{ encodings: JsonEncoding[]; [k: string]: unknown }> {
  const run = await cli(['show', file, '--format', 'json', ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { encodings: JsonEncoding[] };
}

function describeCorpus(name: string, body: () => void): void {
  describe.skipIf(!corpusPresent)(corpusPresent ? name : `${name} [SKIPPED: corpus not found at ${CORPUS_DIR}]`, body);
}

describeCorpus('show --format json on real dumps', () => {
  it('qairt222_yolov8s_int8.txt lists exactly 382 encodings, one per (tensor, channel)', async () => {
    const out = await showJson(corpusPath('dumps/qairt222_yolov8s_int8.txt'));
    expect(out.encodings).toHaveLength(382);
    expect(new Set(out.encodings.map((e) => `${e.graph}\u0000${e.tensor}\u0000${e.channel ?? ''}`)).size).toBe(382);
    for (const e of out.encodings) {
      for (const key of ['bitwidth', 'min', 'max', 'scale', 'offset'] as const) expect(typeof e[key], `${e.tensor}.${key}`).toBe('number');
      expect(typeof e.tensor).toBe('string');
      expect(typeof e.line).toBe('number');
      expect(['activation', 'param', 'graph-input', 'graph-output']).toContain(e.role);
    }
    expect(out.encodings.filter((e) => e.role === 'param')).toHaveLength(132);
    expect(out['family']).toBe('qairt-2.2x');
    expect(out['metadata']).toMatchObject({ converterVersion: '2.22.6.240515184619_92920', quantizerCommand: { tool: 'snpe-dlc-quant', options: { override_params: 'true' } } });
    const images = out.encodings.find((e) => e.tensor === 'images')!;
    expect(images).toMatchObject({ op: '/model.0/conv/Conv', opType: 'Conv2d', role: 'graph-input', dtype: 'uFxp_8', bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 });
  });

  it('SNPE 1.59 yolov5n: 314 elements in text and CSV; 1.17 openpilot: 70', async () => {
    expect((await showJson(corpusPath('oracle/snpe159/aidlux_yolov5n_int8.txt'))).encodings).toHaveLength(314);
    expect((await showJson(corpusPath('oracle/snpe159/aidlux_yolov5n_int8.csv'))).encodings).toHaveLength(314);
    const old = await showJson(corpusPath('oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt'));
    expect(old.encodings).toHaveLength(70);
    expect(old.encodings.find((e) => e.tensor === 'conv2d/Conv2D.weight')).toMatchObject({ op: 'conv2d/Conv2D', opType: 'convolutional', role: 'param', layer: 'conv2d/Conv2D', paramKind: 'weight' });
  });

  it('per-channel encodings are one element per channel (qdq_conv_u8, -d)', async () => {
    const out = await showJson(corpusPath('oracle/qairt225/qdq_conv_u8_snpe225.dlcinfo.txt'));
    expect(out.encodings).toHaveLength(10);
    expect(out.encodings.filter((e) => e.tensor === 'w_dq').map((e) => e.channel)).toEqual([0, 1, 2, 3]);
    expect(out.encodings.find((e) => e.tensor === 'w_dq')).toMatchObject({ axis: 0, channelCount: 4, allChannelsPresent: true });
  });

  it('a float dump: no encodings, quantizer command "N/A"', async () => {
    const out = await showJson(corpusPath('dumps/snpe25_yolov5s_float.txt'));
    expect(out.encodings).toEqual([]);
    expect(out['metadata']).toMatchObject({ quantizerCommand: 'N/A' });
  });
});

describe('show on constructed dumps', () => {
  it('`__proto__` stays data: a tensor and an option named so', async () => {
    const out = await showJson(fixture('proto-tensor-name.txt'));
    expect(out.encodings.map((e) => e.tensor)).toContain('__proto__');
    const model = parseDump(['DLC info of: /x.dlc', 'Converter command: tool __proto__=1 constructor=2'], 'x.txt');
    const json = JSON.parse(renderModel(model, { format: 'json', color: false })) as { metadata: { converterCommand: { options: Record<string, string> } } };
    expect(Object.keys(json.metadata.converterCommand.options)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(json.metadata.converterCommand.options, '__proto__')?.value).toBe('1');
  });

  it('non-finite numbers are the strings "inf", "-inf", "nan"', async () => {
    const out = await showJson(fixture('non-finite-values.txt'));
    expect(out.encodings.find((e) => e.tensor === 'c')).toMatchObject({ min: '-inf', max: 'inf', scale: 'nan', offset: 0 });
  });

  it('--graph keeps one graph of a multi-graph dump; an unknown graph exits 2', async () => {
    const all = await showJson(fixture('qairt-multigraph-repeated-names.txt'));
    expect(all.encodings).toHaveLength(10);
    const one = await showJson(fixture('qairt-multigraph-repeated-names.txt'), '--graph', 'token_generator');
    expect(one.encodings).toHaveLength(5);
    expect(new Set(one.encodings.map((e) => e.graph))).toEqual(new Set(['token_generator']));
    expect(one.encodings.find((e) => e.tensor === 'c')?.max).toBe(4);
    const bad = await cli(['show', fixture('qairt-multigraph-repeated-names.txt'), '--graph', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('prompt_processor, token_generator');
  });

  it('CSV quotes names with commas and quotes', async () => {
    const run = await cli(['show', fixture('csv-quoting.csv'), '--format', 'csv']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('graph,tensor,op,op type,role,dtype,bitwidth,min,max,scale,offset,channel,line');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('"a,""b"" c"'))).toContain(',conv,Conv2d,activation,uFxp_8,8,-2.000000000000,2.000000000000,0.015686275437,-128.000000000000,,');
  });

  it('the table prints each number as the dump printed it, without colour codes', async () => {
    const run = await cli(['show', fixture('snpe117-seven-columns-g4.txt')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('family snpe-1.17');
    expect(run.stdout).toContain('1.2e-05');
    expect(run.stdout).toContain('2.384e-06');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('--strict turns warnings into exit 2; info diagnostics alone pass', async () => {
    const damaged = await cli(['show', fixture('damaged-lines.txt'), '--strict', '--format', 'json']);
    expect(damaged.code).toBe(2);
    const crlf = await cli(['show', fixture('crlf-line-endings.txt'), '--strict']);
    expect(crlf.code).toBe(0);
  });

  it('diagnostics are in the JSON with their line numbers', async () => {
    const out = await showJson(fixture('damaged-lines.txt'));
    expect((out['diagnostics'] as { code: string; line: number }[]).map((d) => [d.code, d.line])).toEqual([
      ['DUMP_ELIDED_ROWS', 14],
      ['DUMP_COLUMN_COUNT', 15],
      ['DUMP_SEPARATOR_LENGTH', 37],
      ['DUMP_UNKNOWN_LINE', 38],
    ]);
  });

  it('renders an empty model without failing', () => {
    const model: DlcModel = { format: 'dlc-info-text', family: 'qairt-2.2x', file: 'e.txt', metadata: { other: new Map() }, graphs: [], diagnostics: [] };
    expect(renderModel(model, { format: 'table', color: false })).toContain('No encodings');
    expect(renderModel(model, { format: 'csv', color: false })).toBe('graph,tensor,op,op type,role,dtype,bitwidth,min,max,scale,offset,channel,line\n');
  });
});
