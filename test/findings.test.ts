/**
 * The findings table (src/findings.ts) is the one place a code's meaning lives: these tests keep
 * its columns consistent with each other and with the README, and check that renderers read it
 * (no render-side list of "which verdicts are as meant / routine").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTICS, DIFF, PIPELINE, VERDICTS, type FindingInfo, type Meaning } from '../src/findings.js';
import type { ResultKind, VerifyReport } from '../src/model.js';
import { renderReport } from '../src/render/index.js';
import { allRows } from '../src/render/common.js';
import { verifyReport } from './fixtures/render/reports.js';
import { OUTCOME_VERDICTS, TENSOR_RULES } from '../src/verify/classify.js';
import { GRID_VERDICTS } from '../src/verify/grid.js';
import { GRID_RULES } from '../src/verify/rules.js';

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const slugs = new Set(
  readme
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => slug(l.replace(/^#+ /, ''))),
);

const tables: [string, Record<string, FindingInfo>][] = [
  ['VERDICTS', VERDICTS],
  ['PIPELINE', PIPELINE],
  ['DIFF', DIFF],
  ['DIAGNOSTICS', DIAGNOSTICS],
];

const MEANINGS_OF_KIND: Record<ResultKind, readonly Meaning[]> = {
  ok: ['as meant', 'expected deviation'],
  info: ['note'],
  warn: ['problem'],
  fail: ['problem'],
};

describe('findings table', () => {
  it.each(tables)('%s: every row has a title, a help sentence and a README anchor that exists', (_name, table) => {
    for (const [code, info] of Object.entries(table)) {
      expect(info.title, code).not.toBe('');
      expect(info.help, code).toMatch(/\.$/);
      expect(slugs.has(info.anchor), `${code}: #${info.anchor} is not a README heading`).toBe(true);
    }
  });

  it('a verdict or pipeline code has a status its kind allows', () => {
    for (const [code, info] of [...Object.entries(VERDICTS), ...Object.entries(PIPELINE)]) {
      expect(MEANINGS_OF_KIND[info.kind], code).toContain(info.status);
    }
  });

  it('a diff code and a diagnostic have a status their kind / severity allows', () => {
    for (const [code, info] of Object.entries(DIFF)) expect(info.status, code).toBe(info.kind === 'info' ? 'note' : 'problem');
    for (const [code, info] of Object.entries(DIAGNOSTICS)) expect(info.status, code).toBe(info.severity === 'info' ? 'note' : 'problem');
  });

  it('routine rows are the "nothing compared here" ones', () => {
    const routine = tables.flatMap(([, t]) => Object.entries(t).filter(([, i]) => i.routine).map(([c]) => c));
    expect(routine.sort()).toEqual(['ENCODING_SAME', 'NOT_IN_SOURCE']);
  });
});

describe('renderers read the table', () => {
  /** The constructed report with one FLOAT_OVERRIDE_OK result and nothing else. */
  function floatOverrideReport(): VerifyReport {
    const base = verifyReport();
    const exact = base.results.find((r) => r.verdict === 'EXACT')!;
    const floatOk = { ...exact, verdict: 'FLOAT_OVERRIDE_OK' as const, kind: 'ok' as const, tags: [], sentence: 'float as requested: the tensor stays float' };
    return { ...base, results: [floatOk], pipeline: [], diagnostics: [] };
  }

  it('FLOAT_OVERRIDE_OK is "as meant" in every format (it was an expected deviation in the table)', () => {
    const report = floatOverrideReport();
    expect(allRows(report).map((r) => r.status)).toEqual(['ok']);
    const table = renderReport(report, 'table', { color: false, verbose: false });
    expect(table).not.toContain('Expected deviations');
    expect(table).toContain('As given: 1;');
    const md = renderReport(report, 'markdown', { color: false, verbose: false });
    expect(md).not.toContain('Expected deviations');
  });

  it('a pipeline title is said once: "the DLC is float: nothing was quantized" is not repeated', () => {
    const report: VerifyReport = {
      ...verifyReport(),
      pipeline: [{ code: 'FLOAT_DLC', kind: 'fail', detail: 'Quantizer command: N/A and no tensor has an encoding: run the quantizer.' }],
    };
    const table = renderReport(report, 'table', { color: false, verbose: false });
    expect(table).toContain('FLOAT_DLC: the DLC is float: nothing was quantized. Quantizer command: N/A');
    expect(table.split('nothing was quantized').length - 1).toBe(2); // the Pipeline block and What to do next
  });

  it('a pipeline row carries its code\'s help, not its title', () => {
    const rows = allRows(verifyReport()).filter((r) => r.section === 'pipeline');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.help).toBe(PIPELINE[row.code as keyof typeof PIPELINE].help);
  });
});

describe('every verdict has its rule (adding a verdict: its table row, its rule, its schema entry)', () => {
  const ruled = new Set<string>([
    ...TENSOR_RULES.map((r) => r.verdict),
    ...GRID_RULES.map((r) => r.verdict),
    ...GRID_VERDICTS,
    ...OUTCOME_VERDICTS,
  ]);

  it('each verdict of the table is given by a tensor rule, a grid rule, the grid judgement or the match outcome', () => {
    expect([...ruled].sort()).toEqual(Object.keys(VERDICTS).sort());
  });

  it('the grid rules are tried in the order the README gives', () => {
    // "…gets the first verdict of ENCODINGS.md §4 that fits…: `EXACT`, `FLOAT32_ROUNDING`, …"
    const paragraph = readme.slice(readme.indexOf('gets the first verdict'), readme.indexOf('`EXACT` needs values float32 can hold'));
    const order = [...paragraph.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!);
    const rules = [...new Set(GRID_RULES.map((r) => r.verdict))];
    expect(order.filter((v) => rules.includes(v as never))).toEqual(rules);
  });
});
