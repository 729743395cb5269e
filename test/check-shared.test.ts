/**
 * Weights shared across graphs, on two-graph models constructed from REAL dumps: the graph of
 * `qairt222_yolov8s_int8.txt` copied under a second name (a prompt and a token graph sharing every
 * weight), written with the dump writer as one multi-graph `qairt-dlc-info` dump; and the per-channel
 * `dw.weight` of the real QAIRT 2.25 `tiny_cnn_snpe225_overrides` dump. Each with an equal and an
 * unequal case. Real cross-format pairs (a .dlc and its own dump) must agree within print precision.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import type { DlcModel, Encoding } from '../src/model.js';
import { readModel } from '../src/parse/load.js';
import { writeDumpText } from '../src/testing/dump-text.js';
import { cli } from './helpers/cli.js';
import { corpusInput, describeCorpus } from './helpers/corpus.js';
import { copyGraph, editChannels, editGraph, moved, onlyGraph, patchTensor, plain } from './helpers/model-edit.js';
import { inputFromText } from '../src/index.js';
import { tempDir } from './helpers/tmp.js';

const WEIGHT = 'model.0.conv.weight';

describeCorpus('check: a weight shared by two graphs of one model (the real yolov8s graph copied)', () => {
  let real: DlcModel;
  let graph: string;
  let dir: string;
  let weight: Encoding;

  beforeAll(() => {
    real = readModel(corpusInput('dumps/qairt222_yolov8s_int8.txt'));
    graph = onlyGraph(real).name;
    weight = onlyGraph(real).tensors.get(WEIGHT)!.encoding!.channels[0]!;
    dir = tempDir('dlcverify-check-shared-');
  });

  function twoGraphs(edit?: (e: Encoding) => Encoding): string {
    const model = copyGraph(real, graph, 'token_graph', (g) =>
      edit === undefined ? g : patchTensor(g, WEIGHT, { encoding: { layout: 'per-tensor', channels: [edit(weight)], allChannelsPresent: true } }),
    );
    const path = join(dir, `two-graphs-${edit === undefined ? 'equal' : 'moved'}.txt`);
    writeFileSync(path, writeDumpText(model, { dlcPath: path }));
    return path;
  }

  it('equal: every static tensor identical in both graphs, exit 0', async () => {
    const run = await cli(['check', twoGraphs(), '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const params = [...onlyGraph(real).tensors.values()].filter((t) => t.role === 'param').length;
    expect(report.coverage.graphs).toBe(2);
    expect(report.coverage.sharedWeights).toBe(params);
    expect(report.summary.byVerdict).toEqual({ SHARED_WEIGHT_SAME: params, CONVERTED_CONSISTENT: 4 });
  });

  it('moved by 3 steps in the second graph: SHARED_WEIGHT_DIFFERS naming the weight and both graphs, exit 1', async () => {
    const path = twoGraphs((e) => moved(e, 3));
    const run = await cli(['check', path, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const differs = report.findings.filter((f: { code: string }) => f.code === 'SHARED_WEIGHT_DIFFERS');
    expect(differs).toHaveLength(1);
    expect(differs[0]).toMatchObject({ kind: 'fail', tensor: WEIGHT, graph: graph, related: [{ file: path, graph: 'token_graph' }] });
    expect(differs[0].deviation.minSteps).toBeCloseTo(3, 9);
    expect(differs[0].deviation.maxSteps).toBeCloseTo(3, 9);
    expect(differs[0].deviation.offsetDelta).toBe(3);
    expect(differs[0].sentence).toContain(`shared weight ${WEIGHT} differs between ${graph} and token_graph`);
    expect(differs[0].sentence).toMatch(/\(3\.00 steps\)/);
    const table = await cli(['check', path]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('SHARED_WEIGHT_DIFFERS');
  });

  it('--graph keeps one graph: nothing shared to compare', () => {
    const model = copyGraph(real, graph, 'token_graph', (g) => patchTensor(g, WEIGHT, { encoding: { layout: 'per-tensor', channels: [moved(weight, 3)], allChannelsPresent: true } }));
    const one = check([model], { graph: 'token_graph' });
    expect(one.coverage.sharedWeights).toBe(0);
    expect(one.summary.exitCode).toBe(0);
    expect(() => check([model], { graph: 'nope' })).toThrow(/--graph nope: no model has a graph of that name/);
  });

  it('a weight dropped to float in one graph differs too (quantized against float)', () => {
    const model = copyGraph(real, graph, 'token_graph', (g) => patchTensor(g, WEIGHT, { dtype: 'Float_32', encoding: null }));
    const report = check([model]);
    const f = report.findings.find((x) => x.code === 'SHARED_WEIGHT_DIFFERS')!;
    expect(f.tensor).toBe(WEIGHT);
    expect(f.sentence).toMatch(/per-tensor 8-bit against Float_32/);
  });
});

describeCorpus('check: a per-channel weight shared by two graphs (real tiny_cnn_snpe225_overrides dump)', () => {
  let real: DlcModel;
  let graph: string;
  beforeAll(() => {
    real = readModel(corpusInput('oracle/qairt225/tiny_cnn_snpe225_overrides.dlcinfo.txt'));
    graph = onlyGraph(real).name;
  });

  it('equal copy: identical; channel 2 moved by 3 steps: 1 of 8 channels differs, worst channel 2', () => {
    expect(check([copyGraph(real, graph, 'copy')]).findings.filter((f) => f.code === 'SHARED_WEIGHT_DIFFERS')).toEqual([]);
    const model = copyGraph(real, graph, 'copy', (g) => {
      const enc = g.tensors.get('dw.weight')!.encoding!;
      return patchTensor(g, 'dw.weight', { encoding: editChannels(enc, (c) => (c.channel === 2 ? moved(c, 3) : plain(c))) });
    });
    const report = check([readModel(inputFromText('two-graphs.txt', writeDumpText(model)))]);
    const f = report.findings.find((x) => x.code === 'SHARED_WEIGHT_DIFFERS')!;
    expect(f).toMatchObject({ tensor: 'dw.weight', channel: 2, kind: 'fail' });
    expect(f.deviation!.maxSteps).toBeCloseTo(3, 6);
    expect(f.sentence).toContain('in 1 of 8 channels (worst channel 2)');
    expect(report.summary.exitCode).toBe(1);
  });
});

describeCorpus('check: a .dlc and its own dump share every weight (real, print precision only)', () => {
  it.each([
    ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.txt', 116],
    ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.csv', 116],
    // SNPE 1.17 prints weights `%.4g` and no bias encodings: the 22 weights are compared.
    ['dlc/openpilot_dmonitoring_model_q_v2.dlc', 'oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt', 22],
    ['oracle/qairt225/tiny_cnn_snpe225_overrides.dlc', 'oracle/qairt225/tiny_cnn_snpe225_overrides.dlcinfo.txt', 6],
    ['oracle/qairt225/qdq_conv_u8_qairt225.dlc', 'oracle/qairt225/qdq_conv_u8_qairt225.dlcinfo.txt', 2],
  ])('%s + %s: %i shared weights, all identical', (a, b, shared) => {
    const report = check([readModel(corpusInput(a)), readModel(corpusInput(b))]);
    expect(report.coverage.sharedWeights).toBe(shared);
    expect(report.summary.byVerdict.get('SHARED_WEIGHT_SAME')).toBe(shared);
    expect(report.summary.exitCode).toBe(0);
  });

  it('the same pair with one weight moved by 3 steps in the dump fails, naming both files', () => {
    const dlc = readModel(corpusInput('dlc/aidlux_yolov5n_int8.dlc'));
    const dump = readModel(corpusInput('oracle/snpe159/aidlux_yolov5n_int8.txt'));
    const name = 'Conv_0.weight';
    const e = onlyGraph(dump).tensors.get(name)!.encoding!;
    const edited = editGraph(dump, onlyGraph(dump).name, (g) => patchTensor(g, name, { encoding: editChannels(e, (c) => moved(c, 3)) }));
    const report = check([dlc, edited]);
    const f = report.findings.filter((x) => x.code === 'SHARED_WEIGHT_DIFFERS');
    expect(f.map((x) => x.tensor)).toEqual([name]);
    expect(f[0]!.sentence).toContain(`${dlc.file} (`);
    expect(f[0]!.sentence).toContain(`${dump.file} (`);
    expect(f[0]!.deviation!.minSteps).toBeCloseTo(3, 6);
  });
});
