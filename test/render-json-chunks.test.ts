/**
 * `--format json` written in pieces (a per-channel LLM report can pass V8's largest string): the
 * pieces join to exactly the document one `JSON.stringify(…, 2)` writes, non-finite numbers as
 * strings, for empty, small and constructed reports.
 */
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../src/model.js';
import { renderJson, renderJsonChunks, verifyJson } from '../src/render/json.js';
import { bigVerifyReport, verifyReport } from './fixtures/render/reports.js';

/** The one-call serialisation the chunks must reproduce (the rules json.ts documents). */
function oneCall(report: VerifyReport): string {
  const mapToObject = (map: ReadonlyMap<unknown, unknown>): Record<string, unknown> => {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of map) Object.defineProperty(out, String(k), { value: v, enumerable: true });
    return out;
  };
  const replacer = (_key: string, value: unknown): unknown =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value instanceof Map ? mapToObject(value) : value;
  return JSON.stringify(verifyJson(report), replacer, 2) + '\n';
}

describe('renderJson in pieces', () => {
  it.each([
    ['the constructed report', verifyReport()],
    ['no results', { ...verifyReport(), results: [] }],
    ['1,201 results (many pieces of results)', bigVerifyReport(1201)],
  ])('%s: the pieces join to the one-call document', (_name, report) => {
    const chunks = [...renderJsonChunks(report)];
    expect(chunks.join('')).toBe(oneCall(report));
    expect(renderJson(report)).toBe(oneCall(report));
  });

  it('pieces stay small (each dies young in V8: under 128 KB) however many results there are', () => {
    const chunks = [...renderJsonChunks(bigVerifyReport(1201))];
    expect(chunks.length).toBeGreaterThan(5);
    // A piece closes once it passes CHARS_PER_CHUNK (32 K): at most that plus one result.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024);
  });

  it('writes NaN and ±Infinity as strings in expected, actual, deviation and hypothesis', () => {
    const base = verifyReport();
    const r = base.results[0]!;
    const report: VerifyReport = {
      ...base,
      results: [
        {
          ...r,
          expected: { bitwidth: 8, min: Number.NEGATIVE_INFINITY, max: 1, scale: Number.NaN, offset: 0 },
          actual: { bitwidth: 8, min: 0, max: Number.POSITIVE_INFINITY, scale: 1, offset: 0 },
          deviation: { minSteps: Number.NaN, maxSteps: Number.POSITIVE_INFINITY, scaleRatio: 1, offsetDelta: Number.NaN },
          hypothesis: { verdict: 'ZERO_POINT_NUDGED', deviation: { minSteps: Number.NaN, maxSteps: 2 } },
        },
      ],
    };
    const text = renderJson(report);
    expect(text).toBe(oneCall(report));
    const parsed = JSON.parse(text) as { results: { expected: unknown; deviation: unknown; hypothesis: { deviation: unknown } }[] };
    expect(parsed.results[0]!.expected).toEqual({ bitwidth: 8, min: '-Infinity', max: 1, scale: 'NaN', offset: 0 });
    expect(parsed.results[0]!.deviation).toEqual({ minSteps: 'NaN', maxSteps: 'Infinity', scaleRatio: 1, offsetDelta: 'NaN' });
    expect(parsed.results[0]!.hypothesis.deviation).toEqual({ minSteps: 'NaN', maxSteps: 2 });
  });
});
