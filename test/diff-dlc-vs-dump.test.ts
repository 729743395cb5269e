/**
 * PAIRS.md §G: a .dlc against the real tool's dump of the same DLC reports no change (only
 * ENCODING_SAME info rows where the dump's print precision hides float32 digits).
 */
import { describe, expect, it } from 'vitest';
import { corpusInput, describeCorpus } from './helpers/corpus.js';
import { readModel } from '../src/parse/load.js';
import { diffModels } from '../src/verify/diff.js';

const describeReal = describeCorpus as unknown as typeof describe;

// [dlc, dump, tensors compared, ops compared, ENCODING_SAME rows, notes]
const Q = 'oracle/qairt225/';
const PAIRS: ReadonlyArray<readonly [string, string, number, number, number, readonly string[]]> = [
  // `%.12f` of SNPE 1.59 hides float32 digits: almost every encoding prints differently, all within tolerance.
  ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.txt', 314, 198, 313, []],
  ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.csv', 314, 198, 313, []],
  ['dlc/ort_test_abs_q.dlc', 'oracle/snpe159/ort_test_abs_q.txt', 2, 2, 2, []],
  [
    'dlc/openpilot_dmonitoring_model_q_v2.dlc',
    'oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt',
    70,
    48,
    70,
    ['graph openpilot_dmonitoring_model_q_v2: 22 tensors of one side not compared: SNPE 1.17 dumps print no bias encodings'],
  ],
  [`${Q}tiny_cnn_qairt225.dlc`, `${Q}tiny_cnn_qairt225.dlcinfo.txt`, 16, 9, 0, []],
  [`${Q}tiny_cnn_qairt225_fp16.dlc`, `${Q}tiny_cnn_qairt225_fp16.dlcinfo.txt`, 16, 9, 0, []],
  [`${Q}tiny_cnn_snpe225.dlc`, `${Q}tiny_cnn_snpe225.dlcinfo.txt`, 15, 8, 0, []],
  [`${Q}tiny_cnn_snpe225_overrides.dlc`, `${Q}tiny_cnn_snpe225_overrides.dlcinfo.txt`, 15, 8, 3, []],
  [`${Q}qdq_conv_u8_qairt225.dlc`, `${Q}qdq_conv_u8_qairt225.dlcinfo.txt`, 7, 4, 4, []],
  [`${Q}qdq_conv_u8_snpe225.dlc`, `${Q}qdq_conv_u8_snpe225.dlcinfo.txt`, 5, 2, 4, []],
  [`${Q}eltwise_snpe225_overrides.dlc`, `${Q}eltwise_snpe225_overrides.dlcinfo.txt`, 8, 5, 0, []],
];

describeReal('diff of a .dlc against its own dump: no change (PAIRS §G)', () => {
  it.each(PAIRS)('%s -> %s', (dlc, dump, tensors, ops, same, notes) => {
    const report = diffModels(readModel(corpusInput(dlc)), readModel(corpusInput(dump)));
    const counts = {
      changes: report.changes.filter((c) => c.kind !== 'info').map((c) => `${c.code}:${c.subject}`),
      info: report.changes.filter((c) => c.kind === 'info' && c.code !== 'ENCODING_SAME').map((c) => `${c.code}:${c.subject}`),
      headline: report.summary.headline,
      same: report.changes.filter((c) => c.code === 'ENCODING_SAME').length,
      notes: report.notes,
    };
    expect(counts.changes).toEqual([]);
    expect(counts.info).toEqual([]);
    expect(report.summary.exitCode).toBe(0);
    expect(report.summary.headline).toContain(`no regression: 0 changes; ${tensors} tensors and ${ops} ops in 1 graph compared`);
    expect(counts.same).toBe(same);
    // And the other way round.
    expect(diffModels(readModel(corpusInput(dump)), readModel(corpusInput(dlc))).changes.filter((c) => c.kind !== 'info')).toEqual([]);
    expect(report.notes).toEqual(notes);
  });
});

describeReal('diff of a text dump against the -s CSV of the same DLC: every tensor unchanged', () => {
  // The two SNPE 1.59 runs estimated memory differently (`102.1 MiB` vs a per-runtime list): a
  // derived footer number, reported as info, never a change.
  const MEMORY = 'info:METADATA_CHANGED:Est. Steady-State Memory Needed to Run';
  it.each([
    ['oracle/snpe159/aidlux_yolov5n_int8.txt', 'oracle/snpe159/aidlux_yolov5n_int8.csv', 314, [MEMORY]],
    ['oracle/snpe159/ort_test_abs_q.txt', 'oracle/snpe159/ort_test_abs_q.csv', 2, [MEMORY]],
    ['oracle/qairt225/ort_qnn_ir_dump_v4_fixcrc.txt', 'oracle/qairt225/ort_qnn_ir_dump_v4_fixcrc.csv', 9, []],
  ] as const)('%s -> %s', (text, csv, tensors, info) => {
    const report = diffModels(readModel(corpusInput(text)), readModel(corpusInput(csv)));
    expect(report.changes.map((c) => `${c.kind}:${c.code}:${c.subject}`)).toEqual(info);
    expect(report.summary.byKind.get('ok')).toBe(tensors);
    expect(report.summary.exitCode).toBe(0);
  });
});
