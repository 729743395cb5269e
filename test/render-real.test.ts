/**
 * Golden files of every report format for a real run: the QAIRT 2.22 yolov8s dump verified against
 * its overrides (PAIRS.md case A), and the same dump diffed against a variant constructed in memory
 * (one encoding moved by 3 steps, one tensor turned float, one op removed, the SDK version
 * changed). Non-verbose renderings, so the goldens stay small; inputs are named by their corpus
 * path (not the machine's), so the bytes do not depend on where the corpus lives.
 */
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { inputFromText } from '../src/parse/input.js';
import { readModel, readSource } from '../src/parse/load.js';
import { verify } from '../src/verify/index.js';
import { diffModels } from '../src/verify/diff.js';
import { renderReport, type ReportFormat } from '../src/render/index.js';
import type { DiffReport, VerifyReport } from '../src/model.js';
import { corpusText, describeCorpus } from './helpers/corpus.js';
import { moveEncoding, removeOp, setConverterVersion, turnFloat } from './fixtures/diff/yolo-variants.js';

const describeReal = describeCorpus as unknown as typeof describe;

const DUMP = 'dumps/qairt222_yolov8s_int8.txt';
const ENCODINGS = 'encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings';
const options = { color: false, verbose: false, fullReportPath: 'out/report.html' } as const;

const FORMATS: readonly (readonly [ReportFormat, string])[] = [
  ['markdown', 'md'],
  ['junit', 'xml'],
  ['sarif', 'sarif.json'],
  ['github', 'github.txt'],
  ['csv', 'csv'],
  ['html', 'html'],
];

describeReal('golden reports of real runs on the yolov8s dump', () => {
  const text = corpusText(DUMP);
  const model = readModel(inputFromText(DUMP, text));
  const verifyRun: VerifyReport = verify(model, readSource(inputFromText(ENCODINGS, corpusText(ENCODINGS))));

  let edited = moveEncoding(text, '/model.0/conv/Conv_output_0', 3).text;
  edited = turnFloat(edited, '/model.0/act/Sigmoid_output_0').text;
  edited = setConverterVersion(removeOp(edited, 228).text, '2.25.0.240728171413_99375');
  const diffRun: DiffReport = diffModels(model, readModel(inputFromText('constructed/yolov8s-variant.txt', edited)));

  it('the runs are the ones PAIRS.md and issue 5 describe', () => {
    expect(verifyRun.summary.exitCode).toBe(0);
    expect(verifyRun.results.filter((r) => r.verdict !== 'NOT_IN_SOURCE').map((r) => `${r.tensor}:${r.verdict}`).sort()).toEqual([
      '/model.22/Sigmoid_output_0:OP_FIXED_ENCODING',
      'output0:FLOAT32_ROUNDING',
    ]);
    expect(diffRun.summary.exitCode).toBe(1);
    expect(diffRun.changes.map((c) => c.code).sort()).toEqual([
      'BECAME_FLOAT',
      'ENCODING_CHANGED',
      'METADATA_CHANGED',
      'OP_REMOVED',
      'TENSOR_REMOVED',
    ]);
  });

  it.each(FORMATS)('verify as %s', async (format, ext) => {
    const out = renderReport(verifyRun, format, options);
    if (format === 'junit') expect(XMLValidator.validate(out)).toBe(true);
    if (format === 'sarif') expect(JSON.parse(out)).toMatchObject({ version: '2.1.0' });
    await expect(out).toMatchFileSnapshot(`fixtures/render/real/yolov8s-verify.${ext}`);
  });

  it.each(FORMATS)('diff as %s', async (format, ext) => {
    const out = renderReport(diffRun, format, options);
    if (format === 'junit') expect(XMLValidator.validate(out)).toBe(true);
    if (format === 'sarif') expect(JSON.parse(out)).toMatchObject({ version: '2.1.0' });
    await expect(out).toMatchFileSnapshot(`fixtures/render/real/yolov8s-diff.${ext}`);
  });

  it('the diff report names exactly the constructed regressions in every format', () => {
    const regressions = diffRun.changes.filter((c) => c.kind === 'regression').map((c) => c.subject);
    expect(regressions.sort()).toEqual(['/model.0/act/Sigmoid_output_0', '/model.0/conv/Conv_output_0', '/model.22/dfl/Reshape_1']);
    const github = renderReport(diffRun, 'github', options).split('\n').filter((l) => l.startsWith('::error'));
    expect(github).toHaveLength(3);
    const sarif = JSON.parse(renderReport(diffRun, 'sarif', options)) as { runs: { results: { level: string }[] }[] };
    expect(sarif.runs[0]!.results.filter((r) => r.level === 'error')).toHaveLength(3);
    const junit = renderReport(diffRun, 'junit', options);
    expect(junit.match(/<failure /g)).toHaveLength(3);
    for (const name of regressions) {
      for (const format of ['markdown', 'csv', 'html'] as const) {
        const out = renderReport(diffRun, format, options);
        expect(out.includes(name) || out.includes(name.replace(/_/g, '\\_'))).toBe(true);
      }
    }
  });
});
