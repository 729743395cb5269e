/**
 * Golden files of a real diff run: the yolov8s dump against its constructed variant (one encoding
 * moved by 3 steps, one tensor turned float, one op removed, the SDK version changed), with a
 * waived change, verbose. The markdown/junit/sarif/github/csv/html goldens of this run are the
 * render branch's (test/render-real.test.ts, fixtures/render/real/yolov8s-diff.*); these pin the
 * two formats it does not: the terminal table (render/table-diff.ts) and the JSON document.
 */
import { expect, it } from 'vitest';
import { corpusText, describeCorpus } from './helpers/corpus.js';
import { inputFromText } from '../src/parse/input.js';
import { readModel } from '../src/parse/load.js';
import { diffModels } from '../src/verify/diff.js';
import { parseWaiver } from '../src/verify/waivers.js';
import { renderReport, type ReportFormat } from '../src/render/index.js';
import { moveEncoding, removeOp, setConverterVersion, turnFloat } from './fixtures/diff/yolo-variants.js';


const GOLDEN: ReadonlyArray<readonly [ReportFormat, string]> = [
  ['table', 'txt'],
  ['json', 'json'],
];

describeCorpus('golden reports of a real diff run (yolov8s dump -> constructed variant)', () => {
  const text = corpusText('dumps/qairt222_yolov8s_int8.txt');
  let edited = moveEncoding(text, '/model.0/conv/Conv_output_0', 3).text;
  edited = turnFloat(edited, '/model.0/act/Sigmoid_output_0').text;
  edited = removeOp(edited, 228).text;
  edited = setConverterVersion(edited, '2.25.0.240728171413_99375');
  const before = readModel(inputFromText('qairt222_yolov8s_int8.txt', text));
  const after = readModel(inputFromText('qairt222_yolov8s_int8.variant.txt', edited));
  // One waived change too, so every format shows how a waiver looks.
  const report = diffModels(before, after, { waivers: [parseWaiver('converter version:METADATA_CHANGED', 'diff')] });

  it('is the constructed run: 3 regressions, 1 waived change, 1 info, exit 1', () => {
    expect(report.changes.map((c) => [c.code, c.kind, c.waivedBy !== undefined])).toEqual([
      ['ENCODING_CHANGED', 'regression', false],
      ['BECAME_FLOAT', 'regression', false],
      ['OP_REMOVED', 'regression', false],
      ['METADATA_CHANGED', 'change', true],
      ['TENSOR_REMOVED', 'info', false],
    ]);
    expect(report.summary.exitCode).toBe(1);
  });

  it.each(GOLDEN)('%s', async (format, extension) => {
    const rendered = renderReport(report, format, { color: false, verbose: true, width: 100, fullReportPath: 'out/diff.html' });
    await expect(rendered).toMatchFileSnapshot(`fixtures/diff/golden/yolov8s-variant.${extension}`);
  });

  it('the JSON report parses and carries the changes and the op list diff', () => {
    const json = JSON.parse(renderReport(report, 'json', { color: false, verbose: false })) as {
      kind: string;
      changes: Array<{ code: string; deviation?: { minSteps: number } }>;
      opListDiff: string;
      summary: { exitCode: number };
    };
    expect(json.kind).toBe('diff');
    expect(json.summary.exitCode).toBe(1);
    expect(json.changes.map((c) => c.code)).toEqual(['ENCODING_CHANGED', 'BECAME_FLOAT', 'OP_REMOVED', 'METADATA_CHANGED', 'TENSOR_REMOVED']);
    expect(json.changes[0]!.deviation!.minSteps).toBeCloseTo(3, 9);
    expect(json.opListDiff).toContain('-/model.22/dfl/Reshape_1  Reshape');
  });
});
