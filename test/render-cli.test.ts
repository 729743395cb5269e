/**
 * One command writes every format (`--report FORMAT=PATH`, repeatable) and each is valid for its
 * consumer: XML parses, SARIF and JSON parse (JSON against the schema), CSV records are as wide as
 * the header, GitHub lines are workflow commands, the HTML page is one document.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import { cli } from './helpers/cli.js';
import { corpusPath, describeCorpus, REPO_ROOT } from './helpers/corpus.js';

const describeReal = describeCorpus as unknown as typeof describe;
const DUMP = corpusPath('dumps/qairt222_yolov8s_int8.txt');
const ENCODINGS = corpusPath('encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings');

const validate = new Ajv2020.default({ strict: true }).compile(
  JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8')) as object,
);

const TARGETS = [
  'json=out/r.json',
  'markdown=out/r.md',
  'junit=out/r.xml',
  'sarif=out/r.sarif',
  'github=out/r.github',
  'csv=out/r.csv',
  'html=out/r.html',
] as const;

function checkAll(files: Map<string, string>, kind: 'verify' | 'diff'): void {
  expect([...files.keys()].sort()).toEqual(TARGETS.map((t) => t.split('=')[1]!).sort());
  const json = JSON.parse(files.get('out/r.json')!) as { kind: string; schemaVersion: string };
  expect(validate(json) ? [] : validate.errors).toEqual([]);
  expect(json.kind).toBe(kind);
  expect(files.get('out/r.md')!).toMatch(/^## (✅|❌) dlcverify/);
  expect(XMLValidator.validate(files.get('out/r.xml')!)).toBe(true);
  expect(JSON.parse(files.get('out/r.sarif')!)).toMatchObject({ version: '2.1.0' });
  const github = files.get('out/r.github')!.trimEnd().split('\n');
  for (const line of github) expect(line).toMatch(/^::(error|warning|notice)( [^:]*)?::/);
  // the notice points at the fullest report written in the same run (html before markdown)
  expect(github.at(-1)).toContain('full report: out/r.html');
  const csv = files.get('out/r.csv')!;
  expect(csv.endsWith('\r\n')).toBe(true);
  const html = files.get('out/r.html')!;
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html.match(/<\/html>/g)).toHaveLength(1);
}

describeReal('--report writes every format in one run', () => {
  it('verify: exit 0, stdout in --format, every file valid', async () => {
    const run = await cli([DUMP, ENCODINGS, '--format', 'github', ...TARGETS.flatMap((t) => ['--report', t])]);
    expect(run.code).toBe(0);
    checkAll(run.files, 'verify');
    expect(run.stdout).toBe(run.files.get('out/r.github'));
  });

  it('diff: the dump against itself, exit 0, every file valid', async () => {
    const run = await cli(['diff', DUMP, DUMP, ...TARGETS.flatMap((t) => ['--report', t])]);
    expect(run.code).toBe(0);
    checkAll(run.files, 'diff');
  });
});

describe('--report usage errors', () => {
  it.each([['nope=out/x'], ['junit'], ['junit=']])('--report %s exits 2 before any work', async (value) => {
    const run = await cli(['/nonexistent/a.txt', '/nonexistent/b.json', '--report', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--report ${value}: expected FORMAT=PATH`);
    expect(run.files.size).toBe(0);
  });
});
