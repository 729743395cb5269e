import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/index.js';
import { escapeData, escapeProperty } from '../src/render/github.js';
import type { VerifyReport } from '../src/model.js';
import { bigVerifyReport, diffReport, verifyReport } from './fixtures/render/reports.js';

const options = { color: false, verbose: false, fullReportPath: 'out/report.html' } as const;

/** Splits a workflow command the way the runner does: `::name props::message`. */
function parseCommand(line: string): { level: string; props: Map<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (m === null) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = new Map<string, string>();
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = kv.indexOf('=');
    props.set(kv.slice(0, eq), unescape(kv.slice(eq + 1)));
  }
  return { level: m[1]!, props, message: unescape(m[3]!) };
}

describe('github annotations', () => {
  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'github', options)).toMatchFileSnapshot('fixtures/render/verify.github.txt');
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'github', options)).toMatchFileSnapshot('fixtures/render/diff.github.txt');
  });

  it('errors then warnings with file and line, then one notice', () => {
    const lines = renderReport(verifyReport(), 'github', options).trimEnd().split('\n');
    const commands = lines.map(parseCommand);
    expect(commands.map((c) => c.level)).toEqual(['error', 'error', 'error', 'error', 'warning', 'warning', 'notice']);
    const first = commands.find((c) => c.message.includes('Conv_output_0'))!;
    expect(first.props.get('file')).toBe('dumps/model_info.txt');
    expect(first.props.get('line')).toBe('412');
    expect(first.props.get('title')).toBe('dlcverify REAL_MISMATCH (encoding differs)');
    expect(commands.at(-1)!.message).toContain('full report: out/report.html');
  });

  it('at most 10 errors and 10 warnings, the notice counts the rest', () => {
    const big = bigVerifyReport(2000);
    const report: VerifyReport = {
      ...big,
      results: [
        ...big.results,
        ...Array.from({ length: 15 }, (_, i) => ({ ...big.results[1]!, tensor: `w${i}`, verdict: 'AMBIGUOUS_MATCH' as const, kind: 'warn' as const })),
      ],
    };
    const commands = renderReport(report, 'github', options).trimEnd().split('\n').map(parseCommand);
    expect(commands.filter((c) => c.level === 'error')).toHaveLength(10);
    expect(commands.filter((c) => c.level === 'warning')).toHaveLength(10);
    expect(commands.filter((c) => c.level === 'notice')).toHaveLength(1);
    // 21 failures (every 97th of 2000) + 15 warnings: 11 + 5 not annotated
    expect(commands.at(-1)!.message).toContain('16 more findings not annotated');
  });

  it('escapes %, CR, LF in messages and also : and , in properties (a name cannot inject a command)', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    const base = verifyReport();
    const evil: VerifyReport = {
      ...base,
      results: [{ ...base.results[0]!, tensor: 'x\n::error::injected', dlcAt: { file: 'we,ird:path.txt', line: 3 } }],
      pipeline: [],
    };
    const out = renderReport(evil, 'github', options);
    for (const line of out.trimEnd().split('\n')) expect(line.startsWith('::')).toBe(true);
    expect(out).not.toContain('\n::error::injected');
    const cmd = parseCommand(out.split('\n')[0]!);
    expect(cmd.props.get('file')).toBe('we,ird:path.txt');
    expect(cmd.message).toContain('x\n::error::injected');
  });

  it('paths under $GITHUB_WORKSPACE are written relative to it (annotations attach to repository files)', () => {
    const base = verifyReport();
    const report: VerifyReport = {
      ...base,
      results: [{ ...base.results[0]!, dlcAt: { file: '/home/runner/work/repo/repo/dumps/info.txt', line: 412 } }],
      pipeline: [],
    };
    const line = renderReport(report, 'github', { ...options, workspace: '/home/runner/work/repo/repo/' }).split('\n')[0]!;
    expect(parseCommand(line).props.get('file')).toBe('dumps/info.txt');
    const outside = renderReport(report, 'github', { ...options, workspace: '/elsewhere' }).split('\n')[0]!;
    expect(parseCommand(outside).props.get('file')).toBe('/home/runner/work/repo/repo/dumps/info.txt');
  });

  it('without a full report path the notice says how to write one', () => {
    const out = renderReport(verifyReport(), 'github', { color: false, verbose: false });
    expect(out.trimEnd().split('\n').at(-1)).toContain('write the full report with --report html=PATH');
  });
});
