import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/index.js';
import { pathToUri } from '../src/render/sarif.js';
import { DIFF, VERDICTS } from '../src/findings.js';
import type { Report, VerifyReport } from '../src/model.js';
import { diffReport, verifyReport, XSS_NAME } from './fixtures/render/reports.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version.js';
import { REPO_ROOT } from './helpers/corpus.js';

const quiet = { color: false, verbose: false } as const;

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  kind?: string;
  message: { text: string };
  locations?: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
  relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
}
interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string }; defaultConfiguration: { level: string } }[] } };
    results: SarifResult[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[];
  }[];
}

function sarifOf(report: Report = verifyReport(), verbose = false): Sarif {
  return JSON.parse(renderReport(report, 'sarif', { ...quiet, verbose })) as Sarif;
}

describe('sarif report', () => {
  it("names the tool's version, the one package.json gives", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const sarif = JSON.parse(renderReport(verifyReport(), 'sarif', { color: false, verbose: false })) as { runs: { tool: { driver: { semanticVersion: string } } }[] };
    expect(sarif.runs[0]!.tool.driver.semanticVersion).toBe(pkg.version);
  });

  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'sarif', quiet)).toMatchFileSnapshot('fixtures/render/verify.sarif.json');
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'sarif', quiet)).toMatchFileSnapshot('fixtures/render/diff.sarif.json');
  });

  it('is SARIF 2.1.0 with one rule per verdict and pipeline code, help from findings.ts', () => {
    const sarif = sarifOf();
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const rules = sarif.runs[0]!.tool.driver.rules;
    expect(rules).toHaveLength(Object.keys(VERDICTS).length + 9);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    const real = rules.find((r) => r.id === 'REAL_MISMATCH')!;
    expect(real.help.text).toBe(VERDICTS.REAL_MISMATCH.help);
    expect(real.defaultConfiguration.level).toBe('error');
    for (const result of sarif.runs[0]!.results) expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('levels by kind, waived suppressed, ok rows only with --verbose', () => {
    const results = sarifOf().runs[0]!.results;
    const levels = (id: string): string[] => results.filter((r) => r.ruleId === id).map((r) => r.level);
    expect(levels('REAL_MISMATCH')).toEqual(['error', 'error']);
    expect(levels('AMBIGUOUS_MATCH')).toEqual(['warning']);
    expect(levels('ZERO_POINT_NUDGED')).toEqual(['note']);
    expect(levels('NOT_COMPARED')).toEqual(['note']);
    expect(levels('EXACT')).toEqual([]);
    expect(levels('NOT_IN_SOURCE')).toEqual([]);
    const waived = results.find((r) => r.ruleId === 'BITWIDTH_MISMATCH')!;
    expect(waived.level).toBe('error');
    expect(waived.suppressions).toEqual([{ kind: 'external', justification: 'waived by --waive /model.9/*:BITWIDTH_MISMATCH' }]);
    // 15 rows - 3 as meant - 1 routine
    expect(results).toHaveLength(11);
    const verbose = sarifOf(verifyReport(), true).runs[0]!.results;
    expect(verbose).toHaveLength(15);
    expect(verbose.find((r) => r.ruleId === 'EXACT')).toMatchObject({ kind: 'pass', level: 'none' });
  });

  it('locations point at the dump line, else the source entry; the other side is related', () => {
    const results = sarifOf().runs[0]!.results;
    const mismatch = results.find((r) => r.message.text.includes('Conv_output_0'))!;
    expect(mismatch.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'dumps/model_info.txt' }, region: { startLine: 412 } });
    expect(mismatch.relatedLocations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'encodings/model.encodings' },
      region: { startLine: 14 },
    });
    const missing = results.find((r) => r.ruleId === 'MISSING_IN_DLC')!;
    expect(missing.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'encodings/model.encodings' }, region: { startLine: 60 } });
  });

  it('every result has a physical location (code scanning drops the others): the model file as a fallback', () => {
    for (const report of [verifyReport(), diffReport()]) {
      for (const r of sarifOf(report, true).runs[0]!.results) expect(r.locations![0]!.physicalLocation!.artifactLocation.uri).toBeTruthy();
    }
    const metadata = sarifOf(diffReport()).runs[0]!.results.find((r) => r.ruleId === 'METADATA_CHANGED')!;
    expect(metadata.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'dumps/today_info.txt' }, region: { startLine: 7 } });
  });

  it('fingerprints are stable across line moves and differ per channel', () => {
    const base = verifyReport();
    const moved: VerifyReport = {
      ...base,
      results: base.results.map((r) => (r.dlcAt?.line !== undefined ? { ...r, dlcAt: { ...r.dlcAt, line: r.dlcAt.line + 100 } } : r)),
    };
    const fp = (s: Sarif): string[] => s.runs[0]!.results.map((r) => r.partialFingerprints['dlcverify/v1']!);
    expect(fp(sarifOf(moved))).toEqual(fp(sarifOf(base)));
    const all = fp(sarifOf(base, true));
    expect(new Set(all).size).toBe(all.length);
    for (const f of all) expect(f).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names are data: the XSS name is in the message text unchanged (JSON escapes it)', () => {
    const text = renderReport(verifyReport(), 'sarif', quiet);
    expect(sarifOf().runs[0]!.results.some((r) => r.message.text.includes(XSS_NAME))).toBe(true);
    expect(text).not.toContain('\u0007');
  });

  it('notes and diagnostics are tool notifications', () => {
    const inv = sarifOf().runs[0]!.invocations[0]!;
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications!.map((n) => n.message.text)).toEqual([
      'only channel 0 printed for 1 tensor: checked channel 0 and the channel count',
      'rows were elided by hand (`...`): rows 30–40 were replaced by `...`',
    ]);
  });

  it('diff: one rule per diff code, regressions are errors', () => {
    const run = sarifOf(diffReport()).runs[0]!;
    expect(run.tool.driver.rules).toHaveLength(Object.keys(DIFF).length);
    expect(run.tool.driver.rules.find((r) => r.id === 'BECAME_FLOAT')!.help.text).toBe(DIFF.BECAME_FLOAT.help);
    expect(run.results.filter((r) => r.level === 'error').map((r) => r.ruleId).sort()).toEqual(['BECAME_FLOAT', 'OP_REMOVED']);
  });

  it('paths under the workspace become repository-relative URIs', () => {
    const base = verifyReport();
    const report: VerifyReport = { ...base, dlc: { ...base.dlc, file: '/ws/dumps/model_info.txt' }, results: [{ ...base.results[0]!, dlcAt: { file: '/ws/dumps/model_info.txt', line: 412 } }] };
    const sarif = JSON.parse(renderReport(report, 'sarif', { ...quiet, workspace: '/ws' })) as Sarif;
    expect(sarif.runs[0]!.results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation.uri)).toContain('dumps/model_info.txt');
    expect(JSON.stringify(sarif)).not.toContain('file:///ws/dumps');
  });

  it.each([
    ['dumps/a b.txt', 'dumps/a%20b.txt'],
    ['/abs/x#1.txt', 'file:///abs/x%231.txt'],
    ['C:\\work\\dump.txt', 'file:///C:/work/dump.txt'],
    ['rel\\win.txt', 'rel/win.txt'],
  ])('pathToUri(%j) = %j', (path, uri) => {
    expect(pathToUri(path)).toBe(uri);
  });
});
