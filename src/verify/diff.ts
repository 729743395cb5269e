/**
 * `dlcverify diff`: what changed between two models, as a release gate sees it. Pure.
 *
 * Collect first, apply policy after: every comparison emits changes at the kind the policy gives
 * them (regression / change / info, see DIFF in findings.ts); waivers are one separate step; the
 * exit code is a function of the unwaived regressions alone.
 *
 * The policy, in one place:
 * - regression: BECAME_FLOAT; OP_REMOVED; GRAPH_REMOVED; a graph input/output removed; a bitwidth
 *   lowered; per-channel became per-tensor; an encoding whose min or max moved more than
 *   `maxEncodingSteps` (default 1) steps of the before grid.
 * - change: everything else that differs beyond print precision (metadata never fails a run).
 * - info: consequences of another change (a tensor removed with its op), encodings equal within
 *   print precision, derived footer numbers.
 * - What one side does not record (a .dlc has no footer, a saved result no op list) is not a change:
 *   the report says in its notes what could not be compared.
 */
import type { DiffChange, DiffCode, DiffReport, DlcModel, Graph, InputRef, ModelMetadata, ResultKind, Summary } from '../model.js';
import { applyWaivers, type Waiver } from './waivers.js';
import { decide, passedOrThrow, type Judged } from './policy.js';
import { diffOps, opListPatch } from './diff-ops.js';
import { diffTensors } from './diff-tensors.js';

/** The version of schema/report.schema.json, shared with verify reports (a test keeps them equal). */
export const DIFF_SCHEMA_VERSION = '1.0.0';
export const DEFAULT_MAX_ENCODING_STEPS = 1;

export interface DiffModelOptions {
  /** An encoding whose min or max moved more than this many steps of the before grid is a regression. */
  readonly maxEncodingSteps?: number;
  /** Only this graph (by name, on both sides). */
  readonly graph?: string;
  readonly waivers?: readonly Waiver[];
  readonly schemaVersion?: string;
  /** Parser warnings on either side make the run exit 2: `diffModels` throws their InputError. */
  readonly strict?: boolean;
}

/** How the policy reads a change: a regression fails the run, a change warns, info is context. */
const JUDGED_KIND = { regression: 'fail', change: 'warn', info: 'info' } as const satisfies Record<DiffChange['kind'], ResultKind>;

function judged(c: DiffChange): Judged {
  return { code: c.code, kind: JUDGED_KIND[c.kind], waivedBy: c.waivedBy };
}

function inputRef(model: DlcModel): InputRef {
  return { file: model.file, format: model.format, family: model.family };
}

/** Pairs graphs by name; a single unmatched graph on each side is paired too (a renamed DLC file). */
function pairGraphs(before: readonly Graph[], after: readonly Graph[]): {
  pairs: Array<[Graph, Graph]>;
  removed: Graph[];
  added: Graph[];
} {
  const afterByName = new Map(after.map((g) => [g.name, g] as const));
  const beforeNames = new Set(before.map((g) => g.name));
  const pairs: Array<[Graph, Graph]> = [];
  const removed: Graph[] = [];
  for (const b of before) {
    const a = afterByName.get(b.name);
    if (a) pairs.push([b, a]);
    else removed.push(b);
  }
  const added = after.filter((g) => !beforeNames.has(g.name));
  if (removed.length === 1 && added.length === 1) {
    pairs.push([removed[0]!, added[0]!]);
    return { pairs, removed: [], added: [] };
  }
  return { pairs, removed, added };
}

function metadataChange(subject: string, before: string, after: string, kind: DiffChange['kind'] = 'change'): DiffChange {
  return {
    code: 'METADATA_CHANGED',
    kind,
    subject,
    before,
    after,
    sentence: `${subject}: ${before === '' ? '(empty)' : before} -> ${after === '' ? '(empty)' : after}`,
  };
}

function diffCommand(
  label: string,
  before: ModelMetadata['converterCommand'] | null,
  after: ModelMetadata['converterCommand'] | null,
  changes: DiffChange[],
): void {
  if (before === undefined || after === undefined) return;
  if (before === null || after === null) {
    if (before !== after) {
      changes.push({
        code: 'METADATA_CHANGED',
        kind: 'change',
        subject: label,
        before: before === null ? 'N/A' : before.tool,
        after: after === null ? 'N/A' : after.tool,
        sentence:
          after === null
            ? `${label}: the after model was never quantized (N/A), the before one was (${before!.tool}, ${before!.options.size} options)`
            : `${label}: the after model was quantized (${after.tool}, ${after.options.size} options), the before one was not (N/A)`,
      });
    }
    return;
  }
  if (before.tool !== after.tool) changes.push(metadataChange(`${label}: tool`, before.tool, after.tool));
  for (const [key, value] of before.options) {
    const next = after.options.get(key);
    if (next === undefined) {
      changes.push({
        code: 'METADATA_CHANGED',
        kind: 'change',
        subject: `${label}: ${key}`,
        before: value,
        sentence: `${label}: option ${key}=${value} is gone (${after.options.size} options, were ${before.options.size})`,
      });
    } else if (next !== value) {
      changes.push(metadataChange(`${label}: ${key}`, value, next));
    }
  }
  for (const [key, value] of after.options) {
    if (before.options.has(key)) continue;
    changes.push({
      code: 'METADATA_CHANGED',
      kind: 'change',
      subject: `${label}: ${key}`,
      after: value,
      sentence: `${label}: option ${key}=${value} is new (${after.options.size} options, were ${before.options.size})`,
    });
  }
}

/** A blank header value (`DLC created with converter version: ` in some 2.x dumps) records nothing. */
function recorded(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function diffMetadata(before: ModelMetadata, after: ModelMetadata, changes: DiffChange[], notes: string[]): void {
  const fields: Array<[string, string | undefined, string | undefined]> = [
    ['converter version', recorded(before.converterVersion), recorded(after.converterVersion)],
    ['model version', recorded(before.modelVersion), recorded(after.modelVersion)],
    ['model copyright', recorded(before.copyright), recorded(after.copyright)],
  ];
  for (const [label, b, a] of fields) {
    if (b !== undefined && a !== undefined && a !== b) changes.push(metadataChange(label, b, a));
  }
  const [, versionBefore, versionAfter] = fields[0]!;
  if ((versionBefore === undefined) !== (versionAfter === undefined)) {
    notes.push(`converter version not compared: only the ${versionBefore === undefined ? 'after' : 'before'} side records it (${versionBefore ?? versionAfter})`);
  }
  diffCommand('converter command', before.converterCommand, after.converterCommand, changes);
  diffCommand('quantizer command', before.quantizerCommand, after.quantizerCommand, changes);
  for (const [key, b] of before.other) {
    const a = after.other.get(key);
    if (a !== undefined && a !== b) changes.push(metadataChange(key, b, a, 'info'));
  }
}

function diffFooter(graphLabel: string, before: Graph, after: Graph, changes: DiffChange[]): void {
  for (const [key, b] of before.footer) {
    const a = after.footer.get(key);
    if (a !== undefined && a !== b) changes.push({ ...metadataChange(key, b, a, 'info'), graph: graphLabel });
  }
}

const KIND_ORDER: Record<DiffChange['kind'], number> = { regression: 0, change: 1, info: 2 };

/** The summary is a pure function of the final changes (after waivers) and what was compared. */
export function summarizeDiff(
  changes: readonly DiffChange[],
  compared: { readonly tensors: number; readonly unchangedTensors: number; readonly ops: number; readonly graphs: number },
  files: { readonly before: string; readonly after: string },
): Summary {
  // --strict was decided before the comparison (diffModels): here only the changes count.
  const outcome = passedOrThrow(decide(changes.map(judged), []));
  const byVerdict = new Map<string, number>();
  const byKind = new Map<ResultKind, number>([
    ['ok', compared.unchangedTensors],
    ['info', 0],
    ['warn', 0],
    ['fail', 0],
  ]);
  const regressions = new Map<DiffCode, number>();
  let changed = 0;
  let waived = 0;
  for (const c of changes) {
    byVerdict.set(c.code, (byVerdict.get(c.code) ?? 0) + 1);
    const kind: ResultKind =
      c.kind === 'regression' && c.waivedBy === undefined ? 'fail' : c.kind === 'info' ? 'info' : 'warn';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    if (c.kind === 'regression' && c.waivedBy !== undefined) waived++;
    else if (c.kind === 'change') changed++;
  }
  for (const f of outcome.failing) regressions.set(f.code as DiffCode, (regressions.get(f.code as DiffCode) ?? 0) + 1);
  const failing = outcome.failing.length;
  const scope =
    `${compared.tensors} tensor${compared.tensors === 1 ? '' : 's'} and ${compared.ops} op${compared.ops === 1 ? '' : 's'} ` +
    `in ${compared.graphs} graph${compared.graphs === 1 ? '' : 's'} compared (${files.before} -> ${files.after})`;
  const changeText = `${changed} change${changed === 1 ? '' : 's'}${waived > 0 ? `, ${waived} waived regression${waived === 1 ? '' : 's'}` : ''}`;
  const headline =
    failing > 0
      ? `REGRESSION: ${failing} regression${failing === 1 ? '' : 's'} (${[...regressions]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([code, n]) => `${n} ${code}`)
          .join(', ')}), ${changeText}; ${scope}`
      : `no regression: ${changeText}; ${scope}`;
  return { byVerdict, byKind, exitCode: outcome.exitCode, headline };
}

export function diffModels(before: DlcModel, after: DlcModel, options: DiffModelOptions = {}): DiffReport {
  const maxEncodingSteps = options.maxEncodingSteps ?? DEFAULT_MAX_ENCODING_STEPS;
  const diagnostics = [...before.diagnostics, ...after.diagnostics];
  // --strict first: a side that was not read as meant is not compared at all.
  passedOrThrow(decide([], diagnostics, { strict: options.strict ?? false }));
  const changes: DiffChange[] = [];
  const notes: string[] = [];
  diffMetadata(before.metadata, after.metadata, changes, notes);

  const select = (graphs: readonly Graph[]): readonly Graph[] =>
    options.graph === undefined ? graphs : graphs.filter((g) => g.name === options.graph);
  const beforeGraphs = select(before.graphs);
  const afterGraphs = select(after.graphs);
  if (options.graph !== undefined && beforeGraphs.length === 0 && afterGraphs.length === 0) {
    notes.push(`--graph ${options.graph}: neither side has a graph of that name (before: ${before.graphs.map((g) => g.name).join(', ') || 'none'})`);
  }
  const { pairs, removed, added } = pairGraphs(beforeGraphs, afterGraphs);

  const patches: string[] = [];
  let tensorsCompared = 0;
  let unchangedTensors = 0;
  let opsCompared = 0;
  for (const g of removed) {
    changes.push({
      code: 'GRAPH_REMOVED',
      kind: 'regression',
      graph: g.name,
      subject: g.name,
      before: `${g.ops.length} ops, ${g.tensors.size} tensors`,
      sentence: `graph ${g.name} (${g.ops.length} ops, ${g.tensors.size} tensors) is gone; the after model has ${after.graphs.length} graph${after.graphs.length === 1 ? '' : 's'}`,
    });
    patches.push(opListPatch(g, undefined, `before/${g.name}`, `after/${g.name}`));
  }
  for (const [b, a] of pairs) {
    const label = a.name === b.name ? b.name : `${b.name} -> ${a.name}`;
    if (a.name !== b.name) {
      changes.push({
        ...metadataChange('graph name', b.name, a.name),
        graph: label,
        sentence: `graph name: ${b.name} -> ${a.name} (the only graph left unpaired on each side, compared as one: ${b.ops.length} and ${a.ops.length} ops)`,
      });
    }
    // A side without an op list (a saved list of encodings) cannot say which ops were removed.
    const opsKnown = b.ops.length > 0 && a.ops.length > 0;
    const ops = opsKnown ? diffOps(b, a) : { changes: [], removed: new Set<string>(), added: new Set<string>(), compared: 0 };
    const tensors = diffTensors(b, a, ops, { maxEncodingSteps, beforeFamily: before.family, afterFamily: after.family });
    changes.push(...tensors.changes, ...ops.changes);
    diffFooter(label, b, a, changes);
    tensorsCompared += tensors.compared;
    unchangedTensors += tensors.unchanged;
    opsCompared += ops.compared;
    if (opsKnown) {
      patches.push(opListPatch(b, a, `before/${b.name}`, `after/${a.name}`));
    } else if (b.ops.length + a.ops.length > 0) {
      notes.push(
        `graph ${label}: ${Math.max(b.ops.length, a.ops.length)} ops not compared: the ${b.ops.length === 0 ? 'before' : 'after'} side records no op list`,
      );
    }
    if (tensors.channel0Only.before + tensors.channel0Only.after > 0) {
      const sides = [
        tensors.channel0Only.before > 0 ? `before for ${tensors.channel0Only.before}` : '',
        tensors.channel0Only.after > 0 ? `after for ${tensors.channel0Only.after}` : '',
      ].filter((s) => s !== '');
      notes.push(
        `graph ${label}: per-channel tensors compared on channel 0 only where one side printed only channel 0 (${sides.join(', ')} tensors; dump with -d/--display_all_encodings to compare every channel)`,
      );
    }
    for (const [why, count] of tensors.unrecorded) {
      notes.push(`graph ${label}: ${count} tensor${count === 1 ? '' : 's'} of one side not compared: ${why}`);
    }
    if (tensors.unknownOnOneSide > 0) {
      notes.push(
        `graph ${label}: ${tensors.unknownOnOneSide} tensors without encoding not compared: the ${b.encodingsOnly ? 'before' : 'after'} side is a saved list of encodings only`,
      );
    }
    if (tensors.notCompared.length > 0) {
      notes.push(`graph ${label}: ${tensors.notCompared.length} encodings with block/LPBQ/vector layouts not compared: ${tensors.notCompared.slice(0, 5).join('; ')}${tensors.notCompared.length > 5 ? '; …' : ''}`);
    }
  }
  for (const g of added) {
    changes.push({
      code: 'GRAPH_ADDED',
      kind: 'change',
      graph: g.name,
      subject: g.name,
      after: `${g.ops.length} ops, ${g.tensors.size} tensors`,
      sentence: `graph ${g.name} (${g.ops.length} ops, ${g.tensors.size} tensors) is new; the before model had ${before.graphs.length} graph${before.graphs.length === 1 ? '' : 's'}`,
    });
    patches.push(opListPatch(undefined, g, `before/${g.name}`, `after/${g.name}`));
  }

  let final = changes;
  if (options.waivers && options.waivers.length > 0) {
    const applied = applyWaivers(changes, options.waivers);
    final = applied.changes;
    for (const w of applied.unused) notes.push(`waiver matched no change: ${w.label}`);
  }
  // Regressions first, then changes, then info; stable within a kind (graph order, then tensors, then ops).
  final = final.map((c, i) => [c, i] as const).sort((x, y) => KIND_ORDER[x[0].kind] - KIND_ORDER[y[0].kind] || x[1] - y[1]).map(([c]) => c);

  return {
    kind: 'diff',
    schemaVersion: options.schemaVersion ?? DIFF_SCHEMA_VERSION,
    before: inputRef(before),
    after: inputRef(after),
    changes: final,
    opListDiff: patches.filter((p) => p !== '').join(''),
    diagnostics,
    notes,
    summary: summarizeDiff(final, { tensors: tensorsCompared, unchangedTensors, ops: opsCompared, graphs: pairs.length }, { before: before.file, after: after.file }),
  };
}
