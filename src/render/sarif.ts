/**
 * SARIF 2.1.0 for code scanning: one rule per verdict / pipeline / diff code with its help text
 * from findings.ts, one result per listed row, located at the dump line (else the source entry),
 * with a fingerprint that survives line moves (graph + tensor + channel + code, hashed).
 * Waived rows are results with an external suppression; expected deviations are notes.
 */
import { CHECKS, DIFF, PIPELINE, VERDICTS, diagnosticSentence } from '../findings.js';
import type { Location, Report, ResultKind } from '../model.js';
import type { RenderOptions } from './options.js';
import { VERSION } from '../version.js';
import {
  allRows,
  countOf,
  countRows,
  gridText,
  messageText,
  primaryFile,
  relativeTo,
  reportInputs,
  sideLabels,
  STATUS_LABEL,
  STATUS_ORDER,
  visibleRows,
  type Row,
} from './common.js';
import { fnv1a64 } from './escape.js';

type Level = 'error' | 'warning' | 'note' | 'none';

const LEVEL_OF_KIND = { fail: 'error', warn: 'warning', info: 'note', ok: 'note' } as const satisfies Record<ResultKind, Level>;

interface Rule {
  readonly id: string;
  readonly title: string;
  readonly help: string;
  readonly kind: ResultKind;
}

function rulesFor(report: Report): Rule[] {
  if (report.kind === 'verify') {
    return [
      ...Object.entries(VERDICTS).map(([id, w]) => ({ id, title: w.title, help: w.help, kind: w.kind })),
      ...Object.entries(PIPELINE).map(([id, w]) => ({ id, title: w.title, help: w.help, kind: w.kind })),
    ];
  }
  if (report.kind === 'check') return Object.entries(CHECKS).map(([id, w]) => ({ id, title: w.title, help: w.help, kind: w.kind }));
  const kindOf = { regression: 'fail', change: 'warn', info: 'info' } as const;
  return Object.entries(DIFF).map(([id, w]) => ({ id, title: w.title, help: w.help, kind: kindOf[w.kind] }));
}

/** `REAL_MISMATCH` -> `RealMismatch` (SARIF rule names are PascalCase by convention). */
function pascal(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((w) => (w.length > 0 ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('');
}

/** A path as a URI reference: relative paths stay relative, absolute ones become file:// URIs. */
export function pathToUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encode = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${slashed.slice(0, 2)}${encode(slashed.slice(2))}`;
  if (slashed.startsWith('/')) return `file://${encode(slashed)}`;
  return encode(slashed);
}

function physical(at: Location, workspace: string | undefined): Record<string, unknown> | undefined {
  if (at.file === undefined || at.file === '') return undefined;
  const region: Record<string, number> = {};
  if (at.line !== undefined && at.line >= 1) region['startLine'] = at.line;
  if (region['startLine'] !== undefined && at.column !== undefined && at.column >= 1) region['startColumn'] = at.column;
  return {
    artifactLocation: { uri: pathToUri(relativeTo(at.file, workspace)) },
    ...(Object.keys(region).length > 0 ? { region } : {}),
  };
}

function logical(row: Row): Record<string, unknown>[] {
  if (row.section === 'pipeline') return [];
  return [
    {
      name: row.subject,
      fullyQualifiedName: row.graph !== undefined ? `${row.graph}/${row.subject}` : row.subject,
      kind: row.group === 'op' ? 'function' : 'variable',
    },
  ];
}

function location(row: Row, at: Location | undefined, workspace: string | undefined): Record<string, unknown> | undefined {
  const phys = at !== undefined ? physical(at, workspace) : undefined;
  const logic = logical(row);
  if (phys === undefined && logic.length === 0) return undefined;
  return { ...(phys !== undefined ? { physicalLocation: phys } : {}), ...(logic.length > 0 ? { logicalLocations: logic } : {}) };
}

/** Stable across line moves and reorderings: what the row is about, never where it was printed. */
export function fingerprint(row: Row): string {
  return fnv1a64([row.section, row.graph ?? '', row.subject, row.channel === undefined ? '' : String(row.channel), row.code].join('\u0000'));
}

function levelOf(row: Row): Level {
  if (row.status === 'ok') return 'none';
  if (row.status === 'expected' || row.status === 'info') return 'note';
  return LEVEL_OF_KIND[row.kind];
}

/**
 * Code scanning drops results without a file, so a row known nowhere more precisely (a metadata
 * change, a pipeline finding without a command line) points at the model file as a whole.
 */
function result(
  row: Row,
  ruleIndex: ReadonlyMap<string, number>,
  verify: boolean,
  sides: readonly [string, string],
  modelFile: string,
  workspace: string | undefined,
): Record<string, unknown> {
  const text = messageText(row);
  const primary = location(row, row.at ?? { file: modelFile }, workspace);
  const related = row.relatedAt !== undefined ? physical(row.relatedAt, workspace) : undefined;
  const properties: Record<string, unknown> = { status: STATUS_LABEL[row.status] };
  if (row.deviationSteps !== undefined) properties['deviationSteps'] = row.deviationSteps;
  if (row.expected !== undefined) properties[sides[0]] = gridText(row.expected);
  if (row.actual !== undefined) properties[sides[1]] = gridText(row.actual);
  if (row.tags.length > 0) properties['tags'] = [...row.tags];
  if (row.matchRule !== undefined) properties['matchRule'] = row.matchRule;
  if (row.hypothesis !== undefined) properties['closestExplanation'] = { ...row.hypothesis };
  return {
    ruleId: row.code,
    ...(ruleIndex.has(row.code) ? { ruleIndex: ruleIndex.get(row.code) } : {}),
    ...(row.status === 'ok' ? { kind: 'pass' } : {}),
    level: levelOf(row),
    message: { text },
    ...(primary !== undefined ? { locations: [primary] } : {}),
    ...(related !== undefined
      ? { relatedLocations: [{ id: 1, physicalLocation: related, message: { text: verify ? 'source entry' : 'before' } }] }
      : {}),
    partialFingerprints: { 'dlcverify/v1': fingerprint(row) },
    ...(row.status === 'waived' ? { suppressions: [{ kind: 'external', justification: `waived by ${row.waivedBy ?? ''}` }] } : {}),
    properties,
  };
}

export function renderSarif(report: Report, options: RenderOptions): string {
  const verify = report.kind === 'verify';
  const rows = allRows(report);
  const listed = visibleRows(rows, options.verbose).filter((r) => options.verbose || r.status !== 'ok');
  const rules = rulesFor(report);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const counts = countRows(rows);

  const notifications = [
    ...report.notes.map((note) => ({ level: 'note', message: { text: note } })),
    ...report.diagnostics.map((d) => {
      const phys = physical(d.at, options.workspace);
      return {
        descriptor: { id: d.code },
        level: d.severity === 'info' ? 'note' : d.severity,
        message: { text: diagnosticSentence(d.code, d.detail) },
        ...(phys !== undefined ? { locations: [{ physicalLocation: phys }] } : {}),
      };
    }),
  ];

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dlcverify',
            semanticVersion: VERSION,
            rules: rules.map((r) => ({
              id: r.id,
              // SARIF 3.49.7: a name equal to the id (`EXACT`/`Exact`) is omitted.
              ...(pascal(r.id).toLowerCase() === r.id.toLowerCase() ? {} : { name: pascal(r.id) }),
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: r.help },
              defaultConfiguration: { level: LEVEL_OF_KIND[r.kind] },
              properties: { kind: r.kind },
            })),
          },
        },
        automationDetails: { id: `dlcverify/${report.kind}/` },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            exitCode: report.summary.exitCode,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: listed.map((row) =>
          result(row, ruleIndex, verify, sideLabels(report), primaryFile(report), options.workspace),
        ),
        properties: {
          schemaVersion: report.schemaVersion,
          headline: report.summary.headline,
          counts: Object.fromEntries(STATUS_ORDER.map((s) => [s, countOf(counts, s)])),
          ...Object.fromEntries(reportInputs(report).map(([role, ref]) => [role, ref.file])),
          ...(counts.routine > 0 && !options.verbose ? { unlisted: counts.routine } : {}),
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
