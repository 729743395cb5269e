/**
 * `--format json`: a Report as one JSON document. Stable shape (`schemaVersion`), Maps written as
 * objects built with defineProperty (a tensor called `__proto__` stays data), non-finite numbers as
 * strings (`"NaN"`, `"Infinity"`), absent optional fields as `null` in results.
 */
import type { DiffReport, Location, Report, VerifyReport, VerifyResult } from '../model.js';

/** A Map as a plain object whose keys are data, never prototype changes. */
function mapToObject(map: ReadonlyMap<unknown, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) {
    Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Map) return mapToObject(value);
  return value;
}

function location(at: Location | undefined): Location | null {
  return at === undefined || Object.keys(at).length === 0 ? null : at;
}

function resultJson(r: VerifyResult): Record<string, unknown> {
  return {
    tensor: r.tensor,
    graph: r.graph ?? null,
    channel: r.channel ?? null,
    role: r.role ?? null,
    verdict: r.verdict,
    kind: r.kind,
    tags: r.tags,
    expected: r.expected ?? null,
    actual: r.actual ?? null,
    deviation: r.deviation
      ? {
          minSteps: r.deviation.minSteps ?? null,
          maxSteps: r.deviation.maxSteps ?? null,
          scaleRatio: r.deviation.scaleRatio ?? null,
          offsetDelta: r.deviation.offsetDelta ?? null,
        }
      : null,
    hypothesis: r.hypothesis ?? null,
    match: r.match ? { rule: r.match.rule, sourceName: r.match.sourceName, dlcName: r.match.dlcName, detail: r.match.detail ?? null } : null,
    sentence: r.sentence,
    waivedBy: r.waivedBy ?? null,
    locations: { dlc: location(r.dlcAt), source: location(r.sourceAt) },
  };
}

export function verifyJson(report: VerifyReport): Record<string, unknown> {
  return {
    schemaVersion: report.schemaVersion,
    kind: report.kind,
    dlc: report.dlc,
    source: report.source,
    summary: {
      exitCode: report.summary.exitCode,
      headline: report.summary.headline,
      byVerdict: mapToObject(report.summary.byVerdict),
      byKind: mapToObject(report.summary.byKind),
    },
    results: report.results.map(resultJson),
    pipeline: report.pipeline.map((p) => ({ code: p.code, kind: p.kind, sentence: p.sentence, waivedBy: p.waivedBy ?? null, at: location(p.at) })),
    coverage: {
      sourceEntries: report.coverage.sourceEntries,
      matched: report.coverage.matched,
      sourceOnly: report.coverage.sourceOnly,
      dlcOnly: report.coverage.dlcOnly,
      byRule: mapToObject(report.coverage.byRule),
    },
    diagnostics: report.diagnostics,
    notes: report.notes,
  };
}

/** Minimal for now: the `diff` branch owns the diff shape. */
export function diffJson(report: DiffReport): Record<string, unknown> {
  return {
    schemaVersion: report.schemaVersion,
    kind: report.kind,
    before: report.before,
    after: report.after,
    summary: {
      exitCode: report.summary.exitCode,
      headline: report.summary.headline,
      byVerdict: mapToObject(report.summary.byVerdict),
      byKind: mapToObject(report.summary.byKind),
    },
    changes: report.changes,
    opListDiff: report.opListDiff,
    diagnostics: report.diagnostics,
    notes: report.notes,
  };
}

export function renderJson(report: Report): string {
  const body = report.kind === 'verify' ? verifyJson(report) : diffJson(report);
  return JSON.stringify(body, replacer, 2) + '\n';
}
