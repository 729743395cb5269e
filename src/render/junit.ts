/**
 * JUnit XML (the dialect Jenkins, GitLab and most CI viewers read): a suite per graph and role, a
 * case per tensor (per channel for per-channel results). Failures are `<failure type=VERDICT>`;
 * waived ones are `<skipped>` (visible, not failing); expected deviations and warnings pass with
 * their verdict in `<properties>` and `<system-out>`. No timestamp, hostname or duration: the same
 * report gives the same bytes.
 */
import { diagnosticSentence } from '../findings.js';
import type { Report } from '../model.js';
import type { RenderOptions } from './options.js';
import { chunked } from './chunks.js';
import {
  allRows,
  compareText,
  countRows,
  countsLine,
  gridText,
  hypothesisText,
  locationText,
  numberText,
  reportInputs,
  sideLabels,
  reportTitle,
  STATUS_LABEL,
  subjectText,
  tagText,
  visibleRows,
  type Row,
} from './common.js';
import { escapeXml, escapeXmlText } from './escape.js';
import { fmtSteps } from '../words.js';

interface Suite {
  readonly name: string;
  readonly rows: Row[];
}

function suiteName(row: Row): string {
  return row.graph !== undefined ? `${row.graph} / ${row.group}` : row.group;
}

function attrs(pairs: readonly (readonly [string, string | number | undefined])[]): string {
  return pairs
    .filter((p): p is readonly [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function property(name: string, value: string): string {
  return `<property${attrs([
    ['name', name],
    ['value', value],
  ])}/>`;
}

function deviationText(row: Row): string {
  const d = row.deviation;
  if (d === undefined) return '';
  const parts: string[] = [];
  if (d.minSteps !== undefined) parts.push(`min ${fmtSteps(d.minSteps)} steps`);
  if (d.maxSteps !== undefined) parts.push(`max ${fmtSteps(d.maxSteps)} steps`);
  if (d.scaleRatio !== undefined) parts.push(`scale ratio ${numberText(d.scaleRatio)}`);
  if (d.offsetDelta !== undefined) parts.push(`offset ${numberText(d.offsetDelta)}`);
  return parts.join(', ');
}

/** The readable body of a case: every number, the help, where to look. */
function details(row: Row, verify: boolean, sides: readonly [string, string]): string {
  const lines = [`${row.code}: ${row.title}`, row.sentence];
  if (row.expected !== undefined) lines.push(`${sides[0]}: ${gridText(row.expected)}`);
  if (row.actual !== undefined) lines.push(`${verify ? 'DLC' : sides[1]}: ${gridText(row.actual)}`);
  const deviation = deviationText(row);
  if (deviation !== '') lines.push(`deviation: ${deviation}`);
  for (const tag of row.tags) lines.push(`${tag}: ${tagText(tag)}`);
  if (row.hypothesis !== undefined) lines.push(hypothesisText(row));
  if (row.matchRule !== undefined) lines.push(`matched by: ${row.matchRule}`);
  if (row.waivedBy !== undefined) lines.push(`waived by: ${row.waivedBy}`);
  if (row.at !== undefined) lines.push(`at: ${locationText(row.at)}`);
  if (row.relatedAt !== undefined) lines.push(`also: ${locationText(row.relatedAt)}`);
  if (row.help !== row.title) lines.push(`help: ${row.help}`);
  return lines.join('\n');
}

function testcase(row: Row, verify: boolean, sides: readonly [string, string]): string[] {
  const props: string[] = [
    property('status', STATUS_LABEL[row.status]),
    property(verify ? 'verdict' : 'change', row.code),
    ...(row.deviationSteps !== undefined ? [property('deviationSteps', numberText(row.deviationSteps))] : []),
    ...row.tags.map((tag) => property('tag', tag)),
    ...(row.waivedBy !== undefined ? [property('waivedBy', row.waivedBy)] : []),
    ...(row.at?.file !== undefined ? [property('file', row.at.file)] : []),
    ...(row.at?.line !== undefined ? [property('line', String(row.at.line))] : []),
  ];
  const body = details(row, verify, sides);
  const out = [
    `    <testcase${attrs([
      ['name', subjectText(row)],
      ['classname', ['dlcverify', row.graph, row.group].filter((p) => p !== undefined).join('.')],
      ...(row.at?.file !== undefined ? ([['file', row.at.file]] as const) : []),
      ...(row.at?.line !== undefined ? ([['line', row.at.line]] as const) : []),
    ])}>`,
    `      <properties>`,
    ...props.map((p) => `        ${p}`),
    `      </properties>`,
  ];
  if (row.status === 'fail') {
    out.push(`      <failure${attrs([
      ['message', row.sentence],
      ['type', row.code],
    ])}>${escapeXmlText(body)}</failure>`);
  } else if (row.status === 'waived') {
    out.push(`      <skipped${attrs([['message', `waived by ${row.waivedBy ?? ''}: ${row.sentence}`]])}/>`);
  }
  out.push(`      <system-out>${escapeXmlText(`${STATUS_LABEL[row.status].toUpperCase()} ${body}`)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function compareCases(a: Row, b: Row): number {
  return compareText(a.subject, b.subject) || (a.channel ?? -1) - (b.channel ?? -1) || compareText(a.code, b.code);
}

export function renderJunit(report: Report, options: RenderOptions): string {
  return [...junitLines(report, options)].join('');
}

/** The XML in pieces: a per-channel LLM report has a test case per channel. */
export function renderJunitChunks(report: Report, options: RenderOptions): Iterable<string> {
  return chunked(junitLines(report, options));
}

/** Each line of the document with its `\n`. */
function* junitLines(report: Report, options: RenderOptions): Generator<string> {
  const verify = report.kind === 'verify';
  const rows = allRows(report);
  const shown = visibleRows(rows, options.verbose);
  const suites = new Map<string, Suite>();
  for (const row of shown) {
    const name = suiteName(row);
    let suite = suites.get(name);
    if (suite === undefined) suites.set(name, (suite = { name, rows: [] }));
    suite.rows.push(row);
  }
  const ordered = [...suites.values()].sort((a, b) => compareText(a.name, b.name));
  const count = (rs: readonly Row[], status: Row['status']): number => rs.filter((r) => r.status === status).length;

  const inputs: [string, string][] = reportInputs(report).map(([role, ref]) => [role, ref.file]);
  const suiteProps = [...inputs.map(([k, v]) => property(k, v)), property('schemaVersion', report.schemaVersion)];

  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([
      ['name', reportTitle(report)],
      ['tests', shown.length],
      ['failures', count(shown, 'fail')],
      ['errors', 0],
      ['skipped', count(shown, 'waived')],
    ])}>`,
  ];

  // A case-less first suite carries what applies to the whole run: headline, notes, diagnostics.
  const runText = [
    report.summary.headline,
    countsLine(report, countRows(rows)),
    ...report.notes.map((n) => `note: ${n}`),
    ...report.diagnostics.map((d) => `${d.code} (${d.severity}, ${locationText(d.at)}): ${diagnosticSentence(d.code, d.detail)}`),
    ...(report.kind === 'diff' && report.opListDiff.trim() !== '' ? ['op list diff:', report.opListDiff.replace(/\n$/, '')] : []),
  ];
  out.push(
    `  <testsuite${attrs([
      ['name', 'dlcverify'],
      ['tests', 0],
      ['failures', 0],
      ['errors', 0],
      ['skipped', 0],
    ])}>`,
    '    <properties>',
    ...[...suiteProps, property('exitCode', String(report.summary.exitCode)), property('headline', report.summary.headline)].map(
      (p) => `      ${p}`,
    ),
    '    </properties>',
    `    <system-out>${escapeXmlText(runText.join('\n'))}</system-out>`,
    '  </testsuite>',
  );

  for (const line of out) yield `${line}\n`;

  for (const suite of ordered) {
    const cases = [...suite.rows].sort(compareCases);
    const head = [
      `  <testsuite${attrs([
        ['name', suite.name],
        ['tests', cases.length],
        ['failures', count(cases, 'fail')],
        ['errors', 0],
        ['skipped', count(cases, 'waived')],
      ])}>`,
      '    <properties>',
      ...suiteProps.map((p) => `      ${p}`),
      '    </properties>',
    ];
    for (const line of head) yield `${line}\n`;
    for (const row of cases) for (const line of testcase(row, verify, sideLabels(report))) yield `${line}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
