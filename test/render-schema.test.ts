/**
 * schema/report.schema.json against real outputs: the JSON renderer on constructed reports, the
 * CLI on the real yolov8 dump (verify and diff), and the one-line error document of exit 2.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { renderJson } from '../src/render/json.js';
import { DIFF, PIPELINE, TAGS, VERDICTS } from '../src/findings.js';
import { inputFromText } from '../src/parse/input.js';
import { readModel } from '../src/parse/load.js';
import { diffModels } from '../src/verify/diff.js';
import type { VerifyReport } from '../src/model.js';
import { cli } from './helpers/cli.js';
import { corpusPath, corpusText, describeCorpus, REPO_ROOT } from './helpers/corpus.js';
import { moveEncoding, removeOp, setConverterVersion, turnFloat } from './fixtures/diff/yolo-variants.js';
import { diffReport, verifyReport } from './fixtures/render/reports.js';

const describeReal = describeCorpus as unknown as typeof describe;

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8')) as {
  $defs: Record<string, { enum?: string[] }>;
};
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

function expectValid(json: string): Record<string, unknown> {
  const doc = JSON.parse(json) as Record<string, unknown>;
  const ok = validate(doc);
  expect(ok ? [] : validate.errors).toEqual([]);
  return doc;
}

describe('report JSON schema', () => {
  it('is a valid draft 2020-12 schema whose code lists equal findings.ts', () => {
    expect(schema.$defs['verdict']!.enum).toEqual(Object.keys(VERDICTS));
    expect(schema.$defs['tag']!.enum).toEqual(Object.keys(TAGS));
    expect(schema.$defs['pipelineCode']!.enum).toEqual(Object.keys(PIPELINE));
    expect(schema.$defs['diffCode']!.enum).toEqual(Object.keys(DIFF));
  });

  it('accepts the constructed verify and diff reports, with their schemaVersion', () => {
    expect(expectValid(renderJson(verifyReport()))).toMatchObject({ kind: 'verify', schemaVersion: '1.0.0' });
    expect(expectValid(renderJson(diffReport()))).toMatchObject({ kind: 'diff', schemaVersion: '1.0.0' });
  });

  it('accepts non-finite numbers as the strings the renderer writes', () => {
    const base = verifyReport();
    const odd: VerifyReport = {
      ...base,
      results: [{ ...base.results[0]!, deviation: { minSteps: Number.NaN, maxSteps: Number.POSITIVE_INFINITY } }],
    };
    const doc = expectValid(renderJson(odd)) as { results: { deviation: { minSteps: unknown } }[] };
    expect(doc.results[0]!.deviation.minSteps).toBe('NaN');
  });

  it.each([
    ['no schemaVersion', (d: Record<string, unknown>) => delete d['schemaVersion']],
    ['an unknown verdict', (d: Record<string, unknown>) => ((d['results'] as Record<string, unknown>[])[0]!['verdict'] = 'MAYBE')],
    ['an unknown top-level key', (d: Record<string, unknown>) => (d['extra'] = 1)],
    ['exit code 2 in a report', (d: Record<string, unknown>) => ((d['summary'] as Record<string, unknown>)['exitCode'] = 2)],
  ])('rejects %s', (_name, mutate) => {
    const doc = JSON.parse(renderJson(verifyReport())) as Record<string, unknown>;
    mutate(doc);
    expect(validate(doc)).toBe(false);
  });

  it('accepts the error document of exit 2', async () => {
    const run = await cli(['show', '/nonexistent/x.txt', '--format', 'json']);
    expect(run.code).toBe(2);
    expectValid(run.stdout);
  });
});

describeReal('report JSON schema on the real yolov8 dump', () => {
  const DUMP = 'dumps/qairt222_yolov8s_int8.txt';
  const ENCODINGS = 'encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings';

  it('verify --format json validates', async () => {
    const run = await cli([corpusPath(DUMP), corpusPath(ENCODINGS), '--format', 'json']);
    expect(run.code).toBe(0);
    const doc = expectValid(run.stdout) as { results: unknown[] };
    expect(doc.results).toHaveLength(382);
  });

  it('diff --format json validates (dump against itself, and against the four constructed changes)', async () => {
    const run = await cli(['diff', corpusPath(DUMP), corpusPath(DUMP), '--format', 'json']);
    expect(run.code).toBe(0);
    expectValid(run.stdout);
    const text = corpusText(DUMP);
    let edited = moveEncoding(text, '/model.0/conv/Conv_output_0', 3).text;
    edited = turnFloat(edited, '/model.0/act/Sigmoid_output_0').text;
    edited = setConverterVersion(removeOp(edited, 228).text, '2.25.0.240728171413_99375');
    const report = diffModels(readModel(inputFromText('before.txt', text)), readModel(inputFromText('after.txt', edited)));
    const doc = expectValid(renderJson(report)) as { changes: unknown[] };
    expect(doc.changes).toHaveLength(5);
  });
});
