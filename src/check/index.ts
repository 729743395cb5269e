/**
 * `check(models, options)`: what the models alone show — seams between parts, weights shared by
 * several graphs, and encodings no one should ship. Pure: every input is a parsed model, every
 * output plain data. Collect first (each rule at its default kind, CHECKS in findings.ts), then
 * apply policy (waivers, `--fail-on`) once; the exit code is a function of the final findings.
 */
import { InputError, type CheckFinding, type CheckReport, type DlcModel, type InputRef, type ResultKind } from '../model.js';
import { checkGraphEncodings } from './encodings.js';
import { checkSeams, parseSeam, type PartGraph } from './seams.js';
import { checkSharedWeights } from './shared.js';
import { decide, parseFailOn, passedOrThrow } from '../verify/policy.js';
import type { ToleranceOverride } from '../model.js';
import { globMatch, parseWaiver, waiverFor } from '../verify/waivers.js';

/** Shared with verify and diff reports (schema/report.schema.json). */
export const CHECK_SCHEMA_VERSION = '1.0.0';

export interface CheckOptions {
  /** `OUT=>IN`: a graph output of one part read under another name as a graph input of the next. */
  readonly seams?: readonly string[];
  /** `GLOB[:CODE]` waivers (glob on tensor names). */
  readonly waivers?: readonly string[];
  /** Codes or kinds that fail the run (default: every fail-kind finding). */
  readonly failOn?: readonly string[];
  /** Per-tensor extra tolerance for seams and shared weights (config file). */
  readonly tolerances?: readonly ToleranceOverride[];
  /** Only graphs of this name, in every model. */
  readonly graph?: string;
  /** Parser warnings of any model make the run exit 2 (thrown, before any report exists). */
  readonly strict?: boolean;
}

const KINDS: readonly ResultKind[] = ['ok', 'info', 'warn', 'fail'];

export function check(models: readonly DlcModel[], options: CheckOptions = {}): CheckReport {
  // Every user rule first: a bad one is a usage error before any work.
  const mappings = (options.seams ?? []).map(parseSeam);
  const waivers = (options.waivers ?? []).map((w) => parseWaiver(w, 'check'));
  const failOn = parseFailOn(options.failOn);
  const tolerances = options.tolerances ?? [];
  const extraTolerance = (tensor: string): number =>
    tolerances.filter((t) => globMatch(t.tensor, tensor)).reduce((sum, t) => Math.max(sum, t.absolute), 0);
  if (options.graph !== undefined && !models.some((m) => m.graphs.some((g) => g.name === options.graph))) {
    const names = [...new Set(models.flatMap((m) => m.graphs.map((g) => g.name)))];
    throw new InputError('USAGE', `--graph ${options.graph}: no model has a graph of that name (graphs: ${names.join(', ') || 'none'})`);
  }

  const inputs: InputRef[] = models.map((m) => ({ file: m.file, format: m.format, family: m.family }));
  const parts: PartGraph[][] = models.map((m, modelIndex) =>
    m.graphs
      .filter((g) => options.graph === undefined || g.name === options.graph)
      .map((graph) => ({ ref: { file: m.file, graph: graph.name }, graph, modelIndex })),
  );
  const findings: CheckFinding[] = [];
  const notes: string[] = [];
  let encodings = 0;
  let channels = 0;
  let converted = 0;

  parts.forEach((graphs, k) => {
    const model = models[k]!;
    for (const part of graphs) {
      const outcome = checkGraphEncodings(part.graph, { where: part.ref, converterStage: model.metadata.quantizerCommand === null });
      findings.push(...outcome.findings);
      encodings += outcome.encodings;
      channels += outcome.channels;
      converted += outcome.converted;
      const at = models.length > 1 ? `${part.ref.file} (${part.ref.graph})` : part.ref.graph;
      if (outcome.notChecked.length > 0) {
        notes.push(`${at}: ${outcome.notChecked.length} encoding(s) of a block/LPBQ/vector layout were not checked: ${outcome.notChecked.slice(0, 5).join(', ')}${outcome.notChecked.length > 5 ? ', …' : ''}`);
      }
      if (outcome.convertedWithoutSource.length > 0) {
        notes.push(`${at}: ${outcome.convertedWithoutSource.length} _converted_ tensor(s) without a source tensor of another bitwidth here, not compared: ${outcome.convertedWithoutSource.slice(0, 5).join(', ')}`);
      }
    }
    if (model.metadata.quantizerCommand === null) {
      notes.push(`${model.file}: the DLC has not been through the quantizer (Quantizer command: N/A): a scale of 0 means "not computed yet" and is not reported`);
    }
  });

  const seams = checkSeams(parts, mappings, extraTolerance, inputs);
  findings.push(...seams.findings);
  for (const m of mappings) {
    if (!seams.usedMappings.has(m.text)) {
      // A typo must not pass with nothing compared.
      throw new InputError(
        'USAGE',
        `--seam ${m.text}: no pair of parts has a graph output ${m.output} and, in the next part, a graph input ${m.input}`,
      );
    }
  }
  const seamCount = seams.pairs.reduce((n, p) => n + p.seams, 0);
  if (seams.pairs.length === 0) {
    notes.push(
      models.length === 1
        ? 'no seams looked at: one model, and no graphs named …_N_of_M in it (give the parts in order: dlcverify check part1 part2 …)'
        : 'no seams looked at: no pair of graphs to compare',
    );
  } else {
    for (const p of seams.pairs) {
      if (p.seams === 0) {
        notes.push(
          `no seam between ${p.producer.file} (${p.producer.graph}) and ${p.consumer.file} (${p.consumer.graph}): none of its ${p.outputs} graph output(s) is a graph input of the next (${p.inputs} input(s)); rename with --seam 'OUT=>IN' if the boundary was renamed`,
        );
      }
    }
  }

  const shared = checkSharedWeights(parts.flat(), models.length, extraTolerance);
  findings.push(...shared.findings);

  // Policy, once, before anything is written: waivers, then `decide` (--strict, --fail-on).
  const final = findings.map((f) => {
    const w = waiverFor(waivers, { subject: f.tensor, code: f.code, graph: f.where.graph });
    return w ? { ...f, waivedBy: w.label } : f;
  });
  const diagnostics = models.flatMap((m) => m.diagnostics);
  const { exitCode, failing: failingFindings } = passedOrThrow(decide(final, diagnostics, { failOn, strict: options.strict ?? false }));
  const failing = failingFindings.length;
  const byVerdict = new Map<string, number>();
  const byKind = new Map<ResultKind, number>(KINDS.map((k) => [k, 0]));
  for (const f of final) {
    byVerdict.set(f.code, (byVerdict.get(f.code) ?? 0) + 1);
    byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  }
  const waived = final.filter((f) => f.waivedBy !== undefined).length;
  const seamsText = `${seamCount} seam${seamCount === 1 ? '' : 's'}`;
  const headline =
    exitCode === 0
      ? `checked: no failing finding (${seamsText}, ${shared.shared} shared weight(s), ${encodings} encodings)${waived > 0 ? ` (${waived} waived)` : ''}`
      : `check failed: ${failing} finding(s) fail the run (${seamsText}, ${shared.shared} shared weight(s), ${encodings} encodings)${waived > 0 ? ` (${waived} waived)` : ''}`;

  return {
    kind: 'check',
    schemaVersion: CHECK_SCHEMA_VERSION,
    models: inputs,
    findings: final,
    coverage: {
      models: models.length,
      graphs: parts.reduce((n, g) => n + g.length, 0),
      encodings,
      channels,
      seamPairs: seams.pairs,
      seams: seamCount,
      sharedWeights: shared.shared,
      sharedComparisons: shared.comparisons,
      converted,
    },
    diagnostics,
    notes,
    summary: { byVerdict, byKind, exitCode, headline },
  };
}
