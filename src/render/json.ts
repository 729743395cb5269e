/**
 * `--format json`: a Report as one JSON document. Stable shape (`schemaVersion`), Maps written as
 * objects built with defineProperty (a tensor called `__proto__` stays data), non-finite numbers as
 * strings (`"NaN"`, `"Infinity"`), absent optional fields as `null` in results.
 */
import type { CheckFinding, CheckReport, DiffReport, Location, Report, VerifyReport, VerifyResult } from '../model.js';
import { chunked } from './chunks.js';
import { pipelineSentence } from '../findings.js';

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

/** A flat object of numbers with the non-finite ones as strings, as `replacer` writes them. */
function finiteNumbers<T extends object>(o: T): T {
  for (const v of Object.values(o)) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, typeof x === 'number' && !Number.isFinite(x) ? String(x) : x])) as T;
    }
  }
  return o;
}

/** One result as plain data: no Map, no non-finite number (serializable without `replacer`). */
function resultJson(r: VerifyResult): Record<string, unknown> {
  const hypothesis = r.hypothesis;
  return {
    tensor: r.tensor,
    graph: r.graph ?? null,
    channel: r.channel ?? null,
    role: r.role ?? null,
    verdict: r.verdict,
    kind: r.kind,
    tags: r.tags,
    expected: r.expected ? finiteNumbers(r.expected) : null,
    actual: r.actual ? finiteNumbers(r.actual) : null,
    deviation: r.deviation
      ? finiteNumbers({
          minSteps: r.deviation.minSteps ?? null,
          maxSteps: r.deviation.maxSteps ?? null,
          scaleRatio: r.deviation.scaleRatio ?? null,
          offsetDelta: r.deviation.offsetDelta ?? null,
        })
      : null,
    hypothesis: hypothesis ? { ...hypothesis, deviation: finiteNumbers(hypothesis.deviation) } : null,
    match: r.match ? { rule: r.match.rule, sourceName: r.match.sourceName, dlcName: r.match.dlcName, detail: r.match.detail ?? null } : null,
    sentence: r.sentence,
    waivedBy: r.waivedBy ?? null,
    locations: { dlc: location(r.dlcAt), source: location(r.sourceAt) },
  };
}

/** Everything before `results`, in document order. */
function verifyHead(report: VerifyReport): Record<string, unknown> {
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
  };
}

/** Everything after `results`, in document order. */
function verifyTail(report: VerifyReport): Record<string, unknown> {
  return {
    pipeline: report.pipeline.map((p) => ({ code: p.code, kind: p.kind, sentence: pipelineSentence(p.code, p.detail), waivedBy: p.waivedBy ?? null, at: location(p.at) })),
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

export function verifyJson(report: VerifyReport): Record<string, unknown> {
  return { ...verifyHead(report), results: report.results.map(resultJson), ...verifyTail(report) };
}

/**
 * The verify document in pieces, byte for byte what `JSON.stringify(verifyJson(report), …, 2)`
 * writes: one result at a time, so a report of hundreds of thousands of per-channel results never
 * exists as one object graph or one string (V8 strings stop at about 512 MB).
 */
function* verifyJsonChunks(report: VerifyReport): Generator<string> {
  const head = JSON.stringify(verifyHead(report), replacer, 2);
  // `{ …head fields\n}` -> `{ …head fields,\n  "results": [`
  yield `${head.slice(0, -2)},\n  "results": [`;
  yield* chunked(resultTexts(report.results));
  yield report.results.length > 0 ? '\n  ],\n' : '],\n';
  // `{\n  "pipeline": …}` -> `  "pipeline": …}`
  yield `${JSON.stringify(verifyTail(report), replacer, 2).slice(2)}\n`;
}

/** Each result as it appears in the `results` list, comma and indentation included. */
function* resultTexts(results: readonly VerifyResult[]): Generator<string> {
  for (let i = 0; i < results.length; i++) {
    // The native serializer without a replacer (resultJson already wrote non-finite numbers as
    // strings) is several times faster. Nested two levels deep: every line is indented by 4 more
    // spaces (JSON text never holds a raw newline inside a string, so this only moves the layout).
    yield `${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(resultJson(results[i]!), null, 2).replace(/\n/g, '\n    ')}`;
  }
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

function checkFindingJson(f: CheckFinding): Record<string, unknown> {
  return {
    code: f.code,
    kind: f.kind,
    tensor: f.tensor,
    channel: f.channel ?? null,
    file: f.where.file,
    graph: f.where.graph,
    related: f.related ?? [],
    expected: f.expected ? finiteNumbers(f.expected) : null,
    actual: f.actual ? finiteNumbers(f.actual) : null,
    deviation: f.deviation
      ? finiteNumbers({
          minSteps: f.deviation.minSteps ?? null,
          maxSteps: f.deviation.maxSteps ?? null,
          scaleRatio: f.deviation.scaleRatio ?? null,
          offsetDelta: f.deviation.offsetDelta ?? null,
        })
      : null,
    numbers: f.numbers ? mapToObject(f.numbers) : null,
    sentence: f.sentence,
    waivedBy: f.waivedBy ?? null,
    locations: { at: location(f.at), related: location(f.relatedAt) },
  };
}

/** `dlcverify check`: the models, what fails, every finding, and what was looked at (coverage). */
export function checkJson(report: CheckReport): Record<string, unknown> {
  return {
    schemaVersion: report.schemaVersion,
    kind: report.kind,
    models: report.models,
    summary: {
      exitCode: report.summary.exitCode,
      headline: report.summary.headline,
      byVerdict: mapToObject(report.summary.byVerdict),
      byKind: mapToObject(report.summary.byKind),
    },
    findings: report.findings.map(checkFindingJson),
    coverage: report.coverage,
    diagnostics: report.diagnostics,
    notes: report.notes,
  };
}

/** The report as JSON text in pieces whose concatenation is `renderJson(report)`. */
export function renderJsonChunks(report: Report): Iterable<string> {
  if (report.kind === 'check') return [JSON.stringify(checkJson(report), replacer, 2) + '\n'];
  return report.kind === 'verify' ? verifyJsonChunks(report) : [JSON.stringify(diffJson(report), replacer, 2) + '\n'];
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
