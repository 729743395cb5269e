/**
 * schema/report.schema.json for `check` reports: the code list equals CHECKS in findings.ts, and
 * real runs validate (a .dlc with its own dump, a constructed failing model with non-finite numbers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { CHECKS } from '../src/findings.js';
import { readModel } from '../src/parse/load.js';
import { renderJson } from '../src/render/json.js';
import { cli } from './helpers/cli.js';
import { corpusInput, corpusPath, describeCorpus, REPO_ROOT } from './helpers/corpus.js';
import { copyGraph, editChannels, onlyGraph, patchTensor, plain } from './helpers/model-edit.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8')) as { $defs: Record<string, { enum?: string[] }> };
const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema);

function expectValid(json: string): Record<string, unknown> {
  const doc = JSON.parse(json) as Record<string, unknown>;
  expect(validate(doc) ? [] : validate.errors).toEqual([]);
  return doc;
}

describe('check report JSON schema', () => {
  it('lists exactly the check codes of findings.ts', () => {
    expect(schema.$defs['checkCode']!.enum).toEqual(Object.keys(CHECKS));
  });
});

/** GitHub's heading slug, as test/findings.test.ts computes it. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('CHECKS in the findings table', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const slugs = new Set(readme.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ''))));

  it('every row has a title, a help sentence, a README anchor that exists and a status its kind allows', () => {
    for (const [code, info] of Object.entries(CHECKS)) {
      expect(info.title, code).not.toBe('');
      expect(info.help, code).toMatch(/\.$/);
      expect(slugs.has(info.anchor), `${code}: #${info.anchor} is not a README heading`).toBe(true);
      expect(info.status, code).toBe(info.kind === 'ok' ? 'as meant' : 'problem');
      // Every code has its row in the README table of `check`.
      expect(readme, code).toContain(`| \`${code}\` |`);
    }
  });

  it('the routine rows are the checks that passed', () => {
    const routine = Object.entries(CHECKS).filter(([, i]) => i.routine).map(([c]) => c);
    expect(routine.sort()).toEqual(['CONVERTED_CONSISTENT', 'SEAM_MATCH', 'SHARED_WEIGHT_SAME']);
  });
});

describeCorpus('check report JSON schema on real models', () => {
  it('a .dlc with its own dump (CLI)', async () => {
    const run = await cli(['check', corpusPath('dlc/aidlux_yolov5n_int8.dlc'), corpusPath('oracle/snpe159/aidlux_yolov5n_int8.txt'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(expectValid(run.stdout)).toMatchObject({ kind: 'check', schemaVersion: '1.0.0' });
  });

  it('a failing two-graph model with non-finite numbers and a moved shared weight', () => {
    const real = readModel(corpusInput('dumps/qairt222_yolov8s_int8.txt'));
    const graph = onlyGraph(real);
    const enc = graph.tensors.get('model.0.conv.weight')!.encoding!;
    const model = copyGraph(real, graph.name, 'copy', (g) =>
      patchTensor(g, 'model.0.conv.weight', {
        encoding: editChannels(enc, (c) => ({ ...plain(c), max: { value: Number.POSITIVE_INFINITY, precision: c.max.precision } })),
      }),
    );
    const report = check([model], { waivers: ['model.0.*:ENCODING_NON_FINITE'] });
    const doc = expectValid(renderJson(report)) as { findings: Array<{ code: string; waivedBy: string | null; actual: { max: unknown } | null }> };
    const nonFinite = doc.findings.find((f) => f.code === 'ENCODING_NON_FINITE')!;
    expect(nonFinite.actual!.max).toBe('Infinity');
    expect(nonFinite.waivedBy).toBe('model.0.*:ENCODING_NON_FINITE');
    expect(doc.findings.some((f) => f.code === 'SHARED_WEIGHT_DIFFERS')).toBe(true);
  });
});
