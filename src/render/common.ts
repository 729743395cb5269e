/**
 * What every report format shares: one flat `Row` per verify result, pipeline finding or diff
 * change (so each format is a thin layout over the same rows), a deterministic order (failures
 * first), counts, and the text of a row's numbers, grids and locations. The escaping each
 * consumer needs (XML, HTML, script JSON) is in escape.ts.
 *
 * Pure: no fs, no process, no clock. Same report in, same bytes out.
 */
import { CHECKS, DIFF, PIPELINE, TAGS, VERDICTS, pipelineSentence, type Meaning } from '../findings.js';
import { fmtSteps } from '../words.js';
import type {
  CheckFinding,
  CheckReport,
  Deviation,
  DiffChange,
  DiffCode,
  GridNumbers,
  InputRef,
  Location,
  PipelineFinding,
  Report,
  ResultKind,
  VerifyResult,
} from '../model.js';

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

/**
 * How a row reads to a user, in the order reports list them:
 * - `fail`: fails the run (a fail-kind verdict, a diff regression, a failed pipeline check);
 * - `warn`: look at it (a warn verdict, a diff change);
 * - `waived`: would fail or warn, but a waiver or baseline accepted it;
 * - `expected`: the DLC differs from the source for a known reason (ZERO_POINT_NUDGED, …);
 * - `info`: nothing was compared (NOT_IN_SOURCE, NOT_COMPARED, metadata context);
 * - `ok`: the DLC holds what was meant (EXACT, FLOAT32_ROUNDING, FLOAT_OVERRIDE_OK).
 */
export type Status = 'fail' | 'warn' | 'waived' | 'expected' | 'info' | 'ok';

export const STATUS_ORDER: readonly Status[] = ['fail', 'warn', 'waived', 'expected', 'info', 'ok'];

export const STATUS_LABEL = {
  fail: 'failed',
  warn: 'warning',
  waived: 'waived',
  expected: 'expected deviation',
  info: 'info',
  ok: 'as meant',
} as const satisfies Record<Status, string>;

export type RowSection = 'pipeline' | 'result' | 'change' | 'check';

export interface Row {
  readonly section: RowSection;
  readonly graph?: string;
  /** The JUnit suite below a graph: the tensor role, `pipeline`, or for diffs tensor/op/graph/metadata. */
  readonly group: string;
  /** Tensor or op name, metadata label, or the pipeline code. */
  readonly subject: string;
  readonly channel?: number;
  /** A Verdict, PipelineCode or DiffCode. */
  readonly code: string;
  /** The code's title from findings.ts. */
  readonly title: string;
  /** What to do about it (the code's help in findings.ts). */
  readonly help: string;
  readonly status: Status;
  /** The kind before waivers (a waived row keeps what it would have been: fail or warn). */
  readonly kind: ResultKind;
  readonly tags: readonly string[];
  readonly sentence: string;
  readonly waivedBy?: string;
  /** max(|minSteps|, |maxSteps|): how far the grid moved, in steps. */
  readonly deviationSteps?: number;
  readonly deviation?: Deviation;
  /** Verify: what the source asked. Diff: the before side. */
  readonly expected?: GridNumbers | string;
  /** Verify: what the DLC holds. Diff: the after side. */
  readonly actual?: GridNumbers | string;
  /** Where to point a reader: the DLC dump line, else the source entry (verify); after, else before (diff). */
  readonly at?: Location;
  /** The other side's location, when both are known. */
  readonly relatedAt?: Location;
  readonly matchRule?: string;
  /** REAL_MISMATCH: the closest explanation tried, and how far (in steps) it still is. */
  readonly hypothesis?: { readonly code: string; readonly deviationSteps?: number };
  readonly routine: boolean;
}

/** The row status: the kind after waivers; an ok finding is `ok` or `expected` as its table row says. */
function statusOf(kind: ResultKind, meaning: Meaning, waivedBy: string | undefined): Status {
  if (waivedBy !== undefined && (kind === 'fail' || kind === 'warn')) return 'waived';
  if (kind === 'ok') return meaning === 'as meant' ? 'ok' : 'expected';
  return kind;
}

function hasFile(at: Location | undefined): at is Location {
  return at !== undefined && at.file !== undefined && at.file !== '';
}

function primaryAndRelated(first: Location | undefined, second: Location | undefined): Pick<Row, 'at' | 'relatedAt'> {
  if (hasFile(first)) return { at: first, ...(hasFile(second) ? { relatedAt: second } : {}) };
  if (hasFile(second)) return { at: second };
  return {};
}

export function deviationSteps(deviation: Deviation | undefined): number | undefined {
  if (deviation === undefined) return undefined;
  const steps = [deviation.minSteps, deviation.maxSteps].filter((x): x is number => x !== undefined && !Number.isNaN(x));
  if (steps.length > 0) return Math.max(...steps.map(Math.abs));
  return deviation.offsetDelta !== undefined && !Number.isNaN(deviation.offsetDelta) ? Math.abs(deviation.offsetDelta) : undefined;
}

function hypothesisOf(h: NonNullable<VerifyResult['hypothesis']>): NonNullable<Row['hypothesis']> {
  const steps = deviationSteps(h.deviation);
  return { code: h.verdict, ...(steps !== undefined ? { deviationSteps: steps } : {}) };
}

/** `closest explanation: ZERO_POINT_NUDGED, still 20.4 steps off`. */
export function hypothesisText(row: Row): string {
  if (row.hypothesis === undefined) return '';
  const steps = row.hypothesis.deviationSteps !== undefined ? `, still ${fmtSteps(row.hypothesis.deviationSteps)} steps off` : '';
  return `closest explanation: ${row.hypothesis.code}${steps}`;
}

/**
 * A result as a row: what sorting and counting need is read at once, the rest (sentence, numbers,
 * locations: computed by the result on read) only when a format prints this row. A per-channel LLM
 * report has hundreds of thousands of results and most formats print a few of them.
 */
class ResultRow implements Row {
  readonly section = 'result' as const;
  readonly graph: string | undefined;
  readonly group: string;
  readonly subject: string;
  readonly channel: number | undefined;
  readonly code: string;
  readonly title: string;
  readonly help: string;
  readonly status: Status;
  readonly kind: ResultKind;
  readonly waivedBy: string | undefined;
  readonly matchRule: string | undefined;
  readonly routine: boolean;

  constructor(private readonly r: VerifyResult) {
    const words = VERDICTS[r.verdict];
    this.graph = r.graph;
    this.group = r.role ?? 'unmatched';
    this.subject = r.tensor;
    this.channel = r.channel;
    this.code = r.verdict;
    this.title = words.title;
    this.help = words.help;
    this.status = statusOf(r.kind, words.status, r.waivedBy);
    this.kind = r.kind;
    this.waivedBy = r.waivedBy;
    this.matchRule = r.match?.rule;
    this.routine = words.routine;
  }

  get tags(): readonly string[] {
    return [...this.r.tags].sort(compareText);
  }
  get sentence(): string {
    return this.r.sentence;
  }
  get deviation(): Deviation | undefined {
    return this.r.deviation;
  }
  get deviationSteps(): number | undefined {
    return deviationSteps(this.r.deviation);
  }
  get expected(): GridNumbers | undefined {
    return this.r.expected;
  }
  get actual(): GridNumbers | undefined {
    return this.r.actual;
  }
  get at(): Location | undefined {
    return primaryAndRelated(this.r.dlcAt, this.r.sourceAt).at;
  }
  get relatedAt(): Location | undefined {
    return primaryAndRelated(this.r.dlcAt, this.r.sourceAt).relatedAt;
  }
  get hypothesis(): Row['hypothesis'] {
    return this.r.hypothesis === undefined ? undefined : hypothesisOf(this.r.hypothesis);
  }
}

function resultRow(r: VerifyResult): Row {
  return new ResultRow(r);
}

function pipelineRow(p: PipelineFinding): Row {
  const words = PIPELINE[p.code];
  return {
    section: 'pipeline',
    group: 'pipeline',
    subject: p.code,
    code: p.code,
    title: words.title,
    help: words.help,
    status: statusOf(p.kind, words.status, p.waivedBy),
    kind: p.kind,
    tags: [],
    sentence: pipelineSentence(p.code, p.detail),
    ...(p.waivedBy !== undefined ? { waivedBy: p.waivedBy } : {}),
    ...primaryAndRelated(p.at, undefined),
    routine: false,
  };
}

export function diffGroup(code: DiffCode): string {
  if (code.startsWith('OP_')) return 'op';
  if (code.startsWith('GRAPH_')) return 'graph';
  if (code === 'METADATA_CHANGED') return 'metadata';
  return 'tensor';
}

const DIFF_KIND_TO_RESULT_KIND = { regression: 'fail', change: 'warn', info: 'info' } as const satisfies Record<
  DiffChange['kind'],
  ResultKind
>;

function changeRow(c: DiffChange): Row {
  const words = DIFF[c.code];
  const steps = deviationSteps(c.deviation);
  return {
    section: 'change',
    ...(c.graph !== undefined ? { graph: c.graph } : {}),
    group: diffGroup(c.code),
    subject: c.subject,
    ...(c.channel !== undefined ? { channel: c.channel } : {}),
    code: c.code,
    title: words.title,
    help: words.help,
    status: statusOf(DIFF_KIND_TO_RESULT_KIND[c.kind], words.status, c.waivedBy),
    kind: DIFF_KIND_TO_RESULT_KIND[c.kind],
    tags: [],
    sentence: c.sentence,
    ...(c.waivedBy !== undefined ? { waivedBy: c.waivedBy } : {}),
    ...(steps !== undefined ? { deviationSteps: steps } : {}),
    ...(c.deviation !== undefined ? { deviation: c.deviation } : {}),
    ...(c.before !== undefined ? { expected: c.before } : {}),
    ...(c.after !== undefined ? { actual: c.after } : {}),
    ...primaryAndRelated(c.afterAt, c.beforeAt),
    routine: words.routine,
  };
}

/** The graph a check finding is about, with its file when several models were checked. */
function checkGraphLabel(f: CheckFinding, models: number): string {
  return models > 1 ? `${f.where.file} (${f.where.graph})` : f.where.graph;
}

/** A `check` finding as a row: its group is the family of its rule (seam, shared-weight, encoding). */
function checkRow(f: CheckFinding, models: number): Row {
  const words = CHECKS[f.code];
  const steps = deviationSteps(f.deviation);
  return {
    section: 'check',
    graph: checkGraphLabel(f, models),
    group: f.code.startsWith('SEAM_') ? 'seam' : f.code.startsWith('SHARED_') ? 'shared-weight' : 'encoding',
    subject: f.tensor,
    ...(f.channel !== undefined ? { channel: f.channel } : {}),
    code: f.code,
    title: words.title,
    help: words.help,
    status: statusOf(f.kind, words.status, f.waivedBy),
    kind: f.kind,
    tags: [],
    sentence: f.sentence,
    ...(f.waivedBy !== undefined ? { waivedBy: f.waivedBy } : {}),
    ...(steps !== undefined ? { deviationSteps: steps } : {}),
    ...(f.deviation !== undefined ? { deviation: f.deviation } : {}),
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    ...(f.actual !== undefined ? { actual: f.actual } : {}),
    ...primaryAndRelated(f.at, f.relatedAt),
    routine: words.routine,
  };
}

/** The inputs of a report with their role (`dlc`/`source`, `before`/`after`, `model 1`…). */
export function reportInputs(report: Report): Array<[string, InputRef]> {
  if (report.kind === 'verify') return [['dlc', report.dlc], ['source', report.source]];
  if (report.kind === 'diff') return [['before', report.before], ['after', report.after]];
  return report.models.map((m, i) => [`model ${i + 1}`, m]);
}

/**
 * What a row's two grids are: verify `expected`/`dlc` (the source, the DLC), diff `before`/`after`,
 * check `expected`/`actual` (a seam's producer and consumer, a shared weight's first and other graph).
 */
export function sideLabels(report: Report): readonly [string, string] {
  return report.kind === 'verify' ? ['expected', 'dlc'] : report.kind === 'diff' ? ['before', 'after'] : ['expected', 'actual'];
}

/** The file a location-less finding is reported against: the DLC, the after side, the last model. */
export function primaryFile(report: Report): string {
  if (report.kind === 'verify') return report.dlc.file;
  if (report.kind === 'diff') return report.after.file;
  return report.models[report.models.length - 1]?.file ?? '';
}

function checkTitle(report: CheckReport): string {
  return `dlcverify check: ${report.models.map((m) => m.file).join(', ')}`;
}

/** Plain code-unit order: the same in every locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SECTION_ORDER: Record<RowSection, number> = { pipeline: 0, result: 1, change: 1, check: 1 };

/** Failures first, then warnings, waived, expected, info, ok; within a status by graph, name, channel. */
export function compareRows(a: Row, b: Row): number {
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    SECTION_ORDER[a.section] - SECTION_ORDER[b.section] ||
    compareText(a.graph ?? '', b.graph ?? '') ||
    compareText(a.group, b.group) ||
    compareText(a.subject, b.subject) ||
    (a.channel ?? -1) - (b.channel ?? -1) ||
    compareText(a.code, b.code) ||
    compareText(a.sentence, b.sentence)
  );
}

/** Every row of a report, sorted (failures first). Routine rows are included: see `visibleRows`. */
export function allRows(report: Report): Row[] {
  const rows =
    report.kind === 'verify'
      ? [...report.pipeline.map(pipelineRow), ...report.results.map(resultRow)]
      : report.kind === 'diff'
        ? report.changes.map(changeRow)
        : report.findings.map((f) => checkRow(f, report.models.length));
  return rows.sort(compareRows);
}

/** The rows a format lists: all of them with --verbose, otherwise all but the routine ones. */
export function visibleRows(rows: readonly Row[], verbose: boolean): Row[] {
  return verbose ? [...rows] : rows.filter((r) => !r.routine);
}

// ---------------------------------------------------------------------------------------------
// Counts and headlines
// ---------------------------------------------------------------------------------------------

export interface Counts {
  readonly total: number;
  readonly byStatus: ReadonlyMap<Status, number>;
  /** Routine rows left out of listings without --verbose. */
  readonly routine: number;
}

export function countRows(rows: readonly Row[]): Counts {
  const byStatus = new Map<Status, number>(STATUS_ORDER.map((s) => [s, 0]));
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
  return { total: rows.length, byStatus, routine: rows.filter((r) => r.routine).length };
}

export function countOf(counts: Counts, status: Status): number {
  return counts.byStatus.get(status) ?? 0;
}

/** `warning`/`warnings`, `expected deviation(s)`; the other labels do not inflect. */
export function statusNoun(status: Status, n: number): string {
  return (status === 'warn' || status === 'expected') && n !== 1 ? `${STATUS_LABEL[status]}s` : STATUS_LABEL[status];
}

/** `12 checked: 3 failed, 1 warning, …` with only the non-zero statuses. */
export function countsLine(report: Report, counts: Counts): string {
  const noun = report.kind === 'verify' ? 'results' : report.kind === 'diff' ? 'changes' : 'findings';
  const parts = STATUS_ORDER.filter((s) => countOf(counts, s) > 0).map((s) => `${countOf(counts, s)} ${statusNoun(s, countOf(counts, s))}`);
  return `${counts.total} ${noun}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export function verdictWord(report: Report): string {
  if (report.kind === 'verify') return report.summary.exitCode === 0 ? 'VERIFIED' : 'FAILED';
  if (report.kind === 'check') return report.summary.exitCode === 0 ? 'CHECKED' : 'FAILED';
  return report.summary.exitCode === 0 ? 'NO REGRESSION' : 'REGRESSION';
}

export function reportTitle(report: Report): string {
  if (report.kind === 'check') return checkTitle(report);
  return report.kind === 'verify'
    ? `dlcverify: ${report.dlc.file} against ${report.source.file}`
    : `dlcverify diff: ${report.before.file} → ${report.after.file}`;
}

/** `1 tensor`, `3 tensors`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** Map entries in code-unit order of their keys (report maps carry codes, not user names). */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort((a, b) => compareText(a[0], b[0]));
}

// ---------------------------------------------------------------------------------------------
// Text of numbers, grids, names and locations
// ---------------------------------------------------------------------------------------------

/** Full precision, shortest round-trip form (what a spreadsheet or a diff needs). */
export function numberText(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

export function gridText(grid: GridNumbers | string | undefined): string {
  if (grid === undefined) return '';
  if (typeof grid === 'string') return grid;
  const parts: string[] = [];
  if (grid.bitwidth !== undefined) parts.push(`bw${grid.bitwidth}`);
  if (grid.min !== undefined) parts.push(`min ${numberText(grid.min)}`);
  if (grid.max !== undefined) parts.push(`max ${numberText(grid.max)}`);
  if (grid.scale !== undefined) parts.push(`scale ${numberText(grid.scale)}`);
  if (grid.offset !== undefined) parts.push(`offset ${numberText(grid.offset)}`);
  return parts.join(', ');
}

/** `name`, `name [ch 3]`. */
export function subjectText(row: Pick<Row, 'subject' | 'channel'>): string {
  return row.channel !== undefined ? `${row.subject} [ch ${row.channel}]` : row.subject;
}

/**
 * `graph: tensor: sentence` for one-line messages (annotations, SARIF), without repeating the
 * subject when the sentence already starts with it.
 */
export function messageText(row: Row): string {
  if (row.section === 'pipeline') return row.sentence;
  const subject = subjectText(row);
  const graph = row.graph !== undefined ? `${row.graph}: ` : '';
  return row.sentence.startsWith(row.subject) ? `${graph}${row.sentence}` : `${graph}${subject}: ${row.sentence}`;
}

/** `path` relative to `workspace` when it lies inside it (either slash style), else unchanged. */
export function relativeTo(path: string, workspace: string | undefined): string {
  if (workspace === undefined || workspace === '') return path;
  const root = workspace.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
  const slashed = path.replace(/\\/g, '/');
  return slashed.startsWith(root) && slashed.length > root.length ? slashed.slice(root.length) : path;
}

export function locationText(at: Location | undefined): string {
  if (at === undefined) return '';
  let text = at.file ?? '';
  if (at.line !== undefined) text += `:${at.line}${at.column !== undefined ? `:${at.column}` : ''}`;
  if (at.pointer !== undefined) text += `${text ? ' ' : ''}${at.pointer}`;
  if (at.node !== undefined) text += `${text ? ' ' : ''}(${at.node})`;
  return text;
}

export function tagText(tag: string): string {
  return (TAGS as Record<string, string>)[tag] ?? tag;
}
