/**
 * Rendering of verify reports (JSON shape, non-finite numbers, names that are prototype keys,
 * the minimal diff branch) and a linear-time check of verify on a large constructed model.
 */
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/render/json.js';
import { renderTable } from '../src/render/table.js';
import type { DiffReport, VerifyReport } from '../src/model.js';
import { verify } from '../src/verify/index.js';
import { enc, entry, model, source, tensor } from './fixtures/verify/builder.js';

const grid = { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };

describe('renderJson (verify)', () => {
  it('one result per tensor/channel with the documented fields; non-finite numbers as strings', () => {
    const m = model({ tensors: [tensor('t', { encoding: enc({ ...grid, min: Number.NaN }) }), tensor('__proto__', { encoding: enc(grid) })] });
    const report = verify(m, source([entry('t', grid), entry('__proto__', grid)]));
    const out = JSON.parse(renderJson(report));
    expect(out.schemaVersion).toBe('1.0.0');
    expect(out.kind).toBe('verify');
    const t = out.results.find((r: { tensor: string }) => r.tensor === 't');
    expect(Object.keys(t)).toEqual([
      'tensor', 'graph', 'channel', 'role', 'verdict', 'kind', 'tags', 'expected', 'actual', 'deviation',
      'hypothesis', 'match', 'sentence', 'waivedBy', 'locations',
    ]);
    expect(t.verdict).toBe('REAL_MISMATCH');
    expect(t.actual.min).toBe('NaN');
    expect(t.deviation.minSteps).toBe('NaN');
    expect(t.channel).toBeNull();
    expect(out.results.find((r: { tensor: string }) => r.tensor === '__proto__').verdict).toBe('EXACT');
    expect(out.summary.byVerdict).toEqual({ REAL_MISMATCH: 1, EXACT: 1 });
    expect(out.summary.byKind).toEqual({ ok: 1, info: 0, warn: 0, fail: 1 });
    expect(out.coverage.byRule).toEqual({ exact: 2 });
  });

  it('a Map key named __proto__ survives as data (coverage, summary)', () => {
    const report: VerifyReport = {
      ...verify(model({ tensors: [] }), source([])),
      summary: { byVerdict: new Map([['__proto__', 1]]), byKind: new Map(), exitCode: 0, headline: 'x' },
    };
    const out = JSON.parse(renderJson(report));
    expect(Object.prototype.hasOwnProperty.call(out.summary.byVerdict, '__proto__')).toBe(true);
    expect(out.summary.byVerdict['__proto__']).toBe(1);
  });

  it('diff reports render minimally in both JSON and table', () => {
    const diff: DiffReport = {
      kind: 'diff',
      schemaVersion: '1.0.0',
      before: { file: 'a.txt', format: 'dlc-info-text' },
      after: { file: 'b.txt', format: 'dlc-info-text' },
      changes: [{ code: 'BECAME_FLOAT', kind: 'regression', subject: 'conv', sentence: 'conv became float' }],
      opListDiff: '',
      diagnostics: [],
      notes: [],
      summary: { byVerdict: new Map([['BECAME_FLOAT', 1]]), byKind: new Map(), exitCode: 1, headline: '1 regression' },
    };
    expect(JSON.parse(renderJson(diff)).changes[0].code).toBe('BECAME_FLOAT');
    const text = renderTable(diff, { color: false, verbose: false });
    expect(text).toContain('BECAME_FLOAT');
    expect(text).toContain('1 regression');
  });
});

describe('verify is linear', () => {
  it('20,000 tensors against 20,000 entries (every name rule exercised) in well under a few seconds', () => {
    const n = 20000;
    const tensors = Array.from({ length: n }, (_, i) => tensor(i % 2 === 0 ? `_${i}` : `layer${i}/out`, { encoding: enc(grid) }));
    const entries = Array.from({ length: n }, (_, i) => entry(i % 2 === 0 ? `${i}` : `layer${i}/out:0`, grid));
    const started = performance.now();
    const report = verify(model({ tensors }), source(entries));
    const ms = performance.now() - started;
    expect(report.coverage.matched).toBe(n);
    expect(report.coverage.byRule.get('sanitized')).toBe(n / 2);
    expect(report.coverage.byRule.get('colon-zero')).toBe(n / 2);
    expect(ms).toBeLessThan(5000);
  });
});

describe('library API (as in the README)', () => {
  it('readModel + readSource + verify + renderReport from the package entry point', async () => {
    const { readFileSync } = await import('node:fs');
    const api = await import('../src/index.js');
    const model = api.readModel(api.inputFromText('info.txt', readFileSync('samples/seed/seed_dlc_info.txt', 'utf8')));
    const src = api.readSource(api.inputFromText('encoding.json', readFileSync('samples/seed/encoding.json', 'utf8')));
    const report = api.verify(model, src, { waivers: ['*/res1_1/conv2/*:MISSING_IN_DLC'] });
    expect(report.summary.exitCode).toBe(0);
    expect(report.results.filter((r) => r.kind === 'fail').map((r) => r.waivedBy)).toEqual(['*/res1_1/conv2/*:MISSING_IN_DLC']);
    expect(api.renderReport(report, 'table', { color: false, verbose: false })).toContain('✔ VERIFIED');
    expect(typeof api.parseDump).toBe('function');
  });
});
