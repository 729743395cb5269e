/**
 * Seams between parts, on constructed two-part models written from the REAL
 * qairt222_yolov8s_int8 dump (SNPE 2.22, graph output `output0`: uFxp_16, [1,84,8400], min 0,
 * max 643.878662109375, scale 0.009824958630, offset 0): part 2 is the same dump with its own
 * output renamed `logits` and its graph input `images` renamed `output0` and given output0's
 * dimensions, then the encoding each case needs. Both parts go through the dump writer and back
 * through the CLI, as a user would run `dlcverify check part1.txt part2.txt`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { seamPairs, type PartGraph } from '../src/check/seams.js';
import type { CheckReport, DlcModel, Encoding } from '../src/model.js';
import { readModel } from '../src/parse/load.js';
import { inputFromText } from '../src/index.js';
import { writeDumpText } from '../src/testing/dump-text.js';
import { cli } from './helpers/cli.js';
import { corpusInput, describeCorpus } from './helpers/corpus.js';
import { copyGraph, editGraph, gridOfScale, moved, onlyGraph, patchTensor, perTensor, renameGraph, renameTensor } from './helpers/model-edit.js';
import { tempDir } from './helpers/tmp.js';

const DUMP = 'dumps/qairt222_yolov8s_int8.txt';
const OUTPUT = 'output0';
const OUTPUT_DIMS = [1, 84, 8400];

/** Writes a model as a qairt-2.2x dump and reads it back (what the CLI will read). */
function roundTrip(model: DlcModel, file: string): DlcModel {
  return readModel(inputFromText(file, writeDumpText(model, { dlcPath: file })));
}

function codes(report: CheckReport, kinds: readonly string[] = ['fail', 'warn']): string[] {
  return report.findings.filter((f) => kinds.includes(f.kind)).map((f) => `${f.code}:${f.tensor}`);
}

describeCorpus('check: seams between two parts (constructed from the real yolov8s dump)', () => {
  let part1: DlcModel;
  let output16: Encoding;
  /** Part 2 with `images` renamed `output0` and given `encoding` (or none), dtype and dims. */
  let part2: (encoding: Encoding | null, options?: { dtype?: string; dims?: readonly number[] }) => DlcModel;
  let dir: string;

  beforeAll(() => {
    part1 = readModel(corpusInput(DUMP));
    const graph = onlyGraph(part1);
    output16 = graph.tensors.get(OUTPUT)!.encoding!.channels[0]!;
    dir = tempDir('dlcverify-check-seams-');
    part2 = (encoding, options = {}) =>
      editGraph({ ...part1, file: 'part2.txt' }, graph.name, (g) =>
        patchTensor(renameTensor(renameTensor(g, OUTPUT, 'logits'), 'images', OUTPUT), OUTPUT, {
          dims: options.dims ?? OUTPUT_DIMS,
          dtype: options.dtype ?? (encoding === null ? 'Float_32' : `uFxp_${encoding.bitwidth}`),
          encoding: encoding === null ? null : perTensor(encoding),
        }),
      );
  });

  function write(model: DlcModel, name: string): string {
    const path = join(dir, name);
    writeFileSync(path, writeDumpText(model, { dlcPath: name }));
    return path;
  }

  it('the real output is the 16-bit grid the cases below start from', () => {
    expect(output16.bitwidth).toBe(16);
    expect(output16.max.value).toBe(643.878662109375);
    expect(onlyGraph(part1).tensors.get(OUTPUT)!.role).toBe('graph-output');
  });

  it('equal seam: same 16-bit encoding, dtype and dims -> SEAM_MATCH, exit 0 (CLI)', async () => {
    const p1 = write(part1, 'part1-equal.txt');
    const p2 = write(part2(output16), 'part2-equal.txt');
    const run = await cli(['check', p1, p2, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const seams = report.findings.filter((f: { code: string }) => f.code.startsWith('SEAM_'));
    expect(seams.map((f: { code: string; tensor: string }) => `${f.code}:${f.tensor}`)).toEqual(['SEAM_MATCH:output0']);
    expect(report.coverage.seams).toBe(1);
    expect(report.coverage.seamPairs).toEqual([
      { producer: { file: p1, graph: 'yolov8s_encode_fp32' }, consumer: { file: p2, graph: 'yolov8s_encode_fp32' }, outputs: 1, inputs: 1, seams: 1 },
    ]);
  });

  it('16-bit output -> 8-bit input: SEAM_BITWIDTH_MISMATCH with the cost, exit 1 (CLI, every format)', async () => {
    // The consumer quantizes the same range at 8 bits: min 0, max 643.878662109375, scale max/255.
    const eight = gridOfScale(8, output16.max.value / 255, 0);
    const p1 = write(part1, 'part1-16.txt');
    const p2 = write(part2(eight), 'part2-8.txt');
    const run = await cli(['check', p1, p2, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const seam = report.findings.find((f: { code: string }) => f.code === 'SEAM_BITWIDTH_MISMATCH');
    expect(seam).toMatchObject({ kind: 'fail', tensor: OUTPUT, file: p2, related: [{ file: p1, graph: 'yolov8s_encode_fp32' }] });
    expect(seam.expected.bitwidth).toBe(16);
    expect(seam.actual.bitwidth).toBe(8);
    // Same range: min and max land on the same values (0 steps), the cost is the coarser grid.
    expect(seam.deviation.minSteps).toBe(0);
    expect(seam.deviation.maxSteps).toBeLessThan(1e-6);
    expect(seam.deviation.scaleRatio).toBeCloseTo(65535 / 255, 3);
    expect(seam.sentence).toMatch(/requantize from 16 to 8 bits at every inference \(steps 256 times coarser/);
    const table = await cli(['check', p1, p2]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('SEAM_BITWIDTH_MISMATCH');
    expect(table.stdout).toContain('seams ');
    for (const format of ['markdown', 'junit', 'sarif', 'github', 'csv', 'html']) {
      const r = await cli(['check', p1, p2, '--format', format]);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain(format === 'sarif' ? 'SeamBitwidthMismatch' : format === 'markdown' ? 'SEAM\\_BITWIDTH\\_MISMATCH' : 'SEAM_BITWIDTH_MISMATCH');
    }
  });

  it('two 8-bit grids 3 steps apart: SEAM_GRID_MISMATCH, 3 steps on the consumer grid, lost range named', () => {
    const producer = gridOfScale(8, output16.max.value / 255, 0);
    const consumer = moved(producer, -3); // min -3 s, max 252 s: the top 3 steps of the producer clip
    const p1 = roundTrip(editGraph(part1, onlyGraph(part1).name, (g) => patchTensor(g, OUTPUT, { dtype: 'uFxp_8', encoding: perTensor(producer) })), 'p1.txt');
    const p2 = roundTrip(part2(consumer), 'p2.txt');
    const report = check([p1, p2]);
    expect(report.summary.exitCode).toBe(1);
    const seam = report.findings.find((f) => f.code.startsWith('SEAM_'))!;
    expect(seam.code).toBe('SEAM_GRID_MISMATCH');
    expect(seam.deviation!.minSteps).toBeCloseTo(3, 6);
    expect(seam.deviation!.maxSteps).toBeCloseTo(3, 6);
    expect(seam.deviation!.offsetDelta).toBe(-3);
    expect(seam.sentence).toMatch(/lost range: producer values in \(\d+\.\d+, 643\.878\d*\] clip/);
  });

  it('a move within print precision is the same encoding (SEAM_MATCH), a 0.01-step move is not', () => {
    const producer = gridOfScale(8, output16.max.value / 255, 0);
    const p1 = roundTrip(editGraph(part1, onlyGraph(part1).name, (g) => patchTensor(g, OUTPUT, { dtype: 'uFxp_8', encoding: perTensor(producer) })), 'p1.txt');
    const printNoise = { ...producer, max: { ...producer.max, value: producer.max.value + 4e-13 } };
    expect(codes(check([p1, roundTrip(part2(printNoise), 'p2.txt')]), ['ok', 'fail']).filter((c) => c.startsWith('SEAM'))).toEqual(['SEAM_MATCH:output0']);
    const hundredth = moved(producer, 0.01);
    expect(codes(check([p1, roundTrip(part2({ ...hundredth, offset: producer.offset }), 'p2.txt')]))).toContain('SEAM_GRID_MISMATCH:output0');
  });

  it('quantized output -> float input: SEAM_DTYPE_MISMATCH; other dimensions: SEAM_SHAPE_MISMATCH', () => {
    const float = check([part1, roundTrip(part2(null), 'p2.txt')]);
    expect(codes(float)).toEqual(['SEAM_DTYPE_MISMATCH:output0']);
    expect(float.findings.find((f) => f.code === 'SEAM_DTYPE_MISMATCH')!.sentence).toMatch(/dequantize at every inference/);
    const shape = check([part1, roundTrip(part2(output16, { dims: [1, 8400, 84] }), 'p2.txt')]);
    expect(codes(shape)).toEqual(['SEAM_SHAPE_MISMATCH:output0']);
  });

  it('a renamed boundary pairs only with --seam OUT=>IN; an unknown mapping is a usage error', () => {
    const renamed = roundTrip(
      editGraph(part2(gridOfScale(8, output16.max.value / 255, 0)), onlyGraph(part1).name, (g) => renameTensor(g, OUTPUT, 'hidden_in')),
      'p2.txt',
    );
    const unpaired = check([part1, renamed]);
    expect(unpaired.coverage.seams).toBe(0);
    expect(unpaired.summary.exitCode).toBe(0);
    expect(unpaired.notes.join('\n')).toMatch(/no seam between .* none of its 1 graph output\(s\) is a graph input of the next/);
    const mapped = check([part1, renamed], { seams: ['output0=>hidden_in'] });
    expect(codes(mapped)).toEqual(['SEAM_BITWIDTH_MISMATCH:output0=>hidden_in']);
    expect(() => check([part1, renamed], { seams: ['output0=>nope'] })).toThrow(/--seam output0=>nope: no pair of parts/);
    expect(() => check([part1, renamed], { seams: ['output0'] })).toThrow(/expected 'OUT=>IN'/);
  });

  it('waivers and --fail-on apply to check codes like verdicts', () => {
    const p2 = roundTrip(part2(gridOfScale(8, output16.max.value / 255, 0)), 'p2.txt');
    const waived = check([part1, p2], { waivers: ['output0:SEAM_BITWIDTH_MISMATCH'] });
    expect(waived.summary.exitCode).toBe(0);
    expect(waived.findings.find((f) => f.code === 'SEAM_BITWIDTH_MISMATCH')!.waivedBy).toBe('output0:SEAM_BITWIDTH_MISMATCH');
    expect(check([part1, p2], { failOn: ['none'] }).summary.exitCode).toBe(0);
    expect(check([part1, p2], { failOn: ['SEAM_BITWIDTH_MISMATCH'] }).summary.exitCode).toBe(1);
    expect(check([part1, roundTrip(part2(output16), 'p2.txt')], { failOn: ['SEAM_MATCH'] }).summary.exitCode).toBe(1);
  });

  it('graphs …_1_of_2 and …_2_of_2 of one model are parts: the seam is found inside one dump', () => {
    const name = onlyGraph(part1).name;
    const second = part2(gridOfScale(8, output16.max.value / 255, 0)).graphs[0]!;
    let model = renameGraph(part1, name, 'yolo_1_of_2');
    model = copyGraph({ ...model, graphs: [...model.graphs, { ...second, name: 'tmp' }] }, 'tmp', 'yolo_2_of_2');
    model = { ...model, graphs: model.graphs.filter((g) => g.name !== 'tmp') };
    const report = check([roundTrip(model, 'split.txt')]);
    expect(report.coverage.seamPairs.map((p) => `${p.producer.graph}->${p.consumer.graph}:${p.seams}`)).toEqual(['yolo_1_of_2->yolo_2_of_2:1']);
    expect(codes(report)).toEqual(['SEAM_BITWIDTH_MISMATCH:output0']);
  });
});

describe('check: which graphs are paired for seams', () => {
  const part = (file: string, graph: string, modelIndex: number): PartGraph => ({
    ref: { file, graph },
    graph: { name: graph, ops: [], tensors: new Map(), inputs: [], outputs: [], footer: new Map() },
    modelIndex,
  });
  const names = (pairs: ReturnType<typeof seamPairs>): string[] => pairs.map(([a, b]) => `${a.ref.file}:${a.ref.graph}->${b.ref.file}:${b.ref.graph}`);

  it.each([
    ['two single-graph models', [[part('a', 'g', 0)], [part('b', 'g', 1)]], ['a:g->b:g']],
    ['three parts in order', [[part('a', 'g', 0)], [part('b', 'g', 1)], [part('c', 'g', 2)]], ['a:g->b:g', 'b:g->c:g']],
    [
      'prompt and token graph in each part: by position',
      [
        [part('a', 'prompt', 0), part('a', 'token', 0)],
        [part('b', 'prompt', 1), part('b', 'token', 1)],
      ],
      ['a:prompt->b:prompt', 'a:token->b:token'],
    ],
    ['one graph against two: every pair', [[part('a', 'g', 0)], [part('b', 'x', 1), part('b', 'y', 1)]], ['a:g->b:x', 'a:g->b:y']],
    [
      'N_of_M inside one model (prefixes kept apart)',
      [[part('m', 'ar128_1_of_2', 0), part('m', 'ar128_2_of_2', 0), part('m', 'ar1_1_of_2', 0), part('m', 'ar1_2_of_2', 0)]],
      ['m:ar128_1_of_2->m:ar128_2_of_2', 'm:ar1_1_of_2->m:ar1_2_of_2'],
    ],
    ['a single graph: nothing', [[part('m', 'g', 0)]], []],
    ['alternatives inside one model are not parts', [[part('m', 'prompt', 0), part('m', 'token', 0)]], []],
  ] as const)('%s', (_label, models, expected) => {
    expect(names(seamPairs(models as unknown as PartGraph[][]))).toEqual(expected);
  });
});
