/**
 * `verify(model, source, options)`: match names, classify every tensor, check the pipeline, then
 * apply policy. Pure: no file system, no process; everything returned is plain data.
 */
import { InputError, type Coverage, type DlcModel, type MatchRule, type SourceSet, type VerifyReport, type VerifyResult } from '../model.js';
import {
  buildConvertedIndex,
  buildOpIndex,
  classifyAmbiguous,
  classifyDlcOnly,
  classifyMatched,
  classifyMissing,
  type ClassifyContext,
} from './classify.js';
import { matchNames, parseRename, type DlcHit } from './match.js';
import { checkPipeline, symmetricWeightsRequested } from './pipeline.js';
import { applyPolicy, parseFailOn, type ToleranceOverride } from './policy.js';
import { globMatch, parseWaiver } from './waivers.js';

export const VERIFY_SCHEMA_VERSION = '1.0.0';

export interface VerifyOptions {
  /** `REGEX=>REPLACEMENT` rules, tried after the built-in name rules. */
  readonly renames?: readonly string[];
  /** `GLOB[:VERDICT]` waivers. */
  readonly waivers?: readonly string[];
  /** Verdicts, pipeline codes or kinds that fail the run (default: every fail-kind finding). */
  readonly failOn?: readonly string[];
  /** Per-tensor extra tolerance (config file). */
  readonly tolerances?: readonly ToleranceOverride[];
  /** Only this graph of a multi-graph DLC. */
  readonly graph?: string;
  /** Parser warnings make the run exit 2: `verify` throws their InputError instead of returning a report. */
  readonly strict?: boolean;
}

export function verify(model: DlcModel, source: SourceSet, options: VerifyOptions = {}): VerifyReport {
  // Parse every user rule first: a bad one is a usage error before any work.
  const renames = (options.renames ?? []).map(parseRename);
  const waivers = (options.waivers ?? []).map((text) => parseWaiver(text, 'verify'));
  const failOn = parseFailOn(options.failOn);
  const tolerances = options.tolerances ?? [];

  if (options.graph !== undefined && !model.graphs.some((g) => g.name === options.graph)) {
    throw new InputError('USAGE', `--graph ${options.graph}: ${model.file} has no such graph (graphs: ${model.graphs.map((g) => g.name).join(', ')})`);
  }
  const matched = matchNames(model, source, { renames, ...(options.graph !== undefined ? { graph: options.graph } : {}) });
  const ctx: ClassifyContext = {
    model,
    index: matched.index,
    converterStage: model.metadata.quantizerCommand === null,
    symmetricWeightsFlag: symmetricWeightsRequested(model),
    extraTolerance: (tensor) => tolerances.filter((t) => globMatch(t.tensor, tensor)).reduce((sum, t) => Math.max(sum, t.absolute), 0),
    convertedByBase: buildConvertedIndex(matched.index.all),
    opsByName: buildOpIndex(model),
  };

  const results: VerifyResult[] = [];
  const byRule = new Map<MatchRule, number>();
  let matchedEntries = 0;
  let missing = 0;
  const entryResults: VerifyResult[][] = [];
  for (const outcome of matched.outcomes) {
    let own: VerifyResult[];
    if (outcome.ambiguous) {
      own = [classifyAmbiguous(outcome)];
    } else if (outcome.hits.length === 0) {
      own = [classifyMissing(outcome)];
      missing++;
    } else {
      own = [];
      for (const hit of outcome.hits) for (const r of classifyMatched(outcome, hit, ctx)) own.push(r);
      matchedEntries++;
      if (outcome.rule) byRule.set(outcome.rule, (byRule.get(outcome.rule) ?? 0) + 1);
    }
    entryResults.push(own);
    // One by one: a tensor can have more channels than a spread may pass as arguments.
    for (const r of own) results.push(r);
  }
  const lookup = (name: string): DlcHit | undefined => matched.index.byName.get(name)?.[0];
  for (const hit of matched.dlcOnly) results.push(classifyDlcOnly(hit, ctx, lookup));

  const coverage: Coverage = {
    sourceEntries: source.entries.length,
    matched: matchedEntries,
    sourceOnly: missing,
    dlcOnly: matched.dlcOnly.length,
    byRule,
  };

  const pipeline = checkPipeline(model, source);
  const diagnostics = [...model.diagnostics, ...source.diagnostics];
  const policy = applyPolicy(results, pipeline, diagnostics, { waivers, failOn, strict: options.strict ?? false });

  const notes: string[] = [];
  const applied = entryResults.filter((own) => own.length > 0 && own.every((r) => r.kind === 'ok')).length;
  const opFixed = entryResults.filter((own) => own.some((r) => r.verdict === 'OP_FIXED_ENCODING')).length;
  const overridesLine =
    `${applied} of ${source.entries.length} overrides ${ctx.converterStage ? 'stored (not quantized yet)' : 'applied'}` +
    (opFixed > 0 ? ` (${opFixed} replaced by an op rule)` : '') +
    `, ${missing} missing in the DLC`;
  notes.push(`${overridesLine}.`);
  if (ctx.converterStage) {
    notes.push('The DLC has not been through the quantizer yet (Quantizer command: N/A): encodings are judged as stored; scales are computed at quantization.');
  }
  const channel0 = new Set(policy.results.filter((r) => r.tags.includes('CHANNEL_0_ONLY')).map((r) => r.tensor));
  if (channel0.size > 0) {
    notes.push(
      `Only channel 0 was printed for ${channel0.size} per-channel tensor(s): channel 0 and the channel count were checked, not the other channels (dump with -d / --display_all_encodings to check them all).`,
    );
  }
  const overall = matched.outcomes.flatMap((o) => o.hits).filter((h) => {
    const e = h.tensor.encoding;
    return e !== undefined && e.layout === 'per-channel' && !e.allChannelsPresent && e.channels.length === 1 && e.channels[0]!.channel === undefined;
  }).length;
  if (overall > 0) {
    notes.push(
      `The dump prints one overall encoding for ${overall} per-channel tensor(s) (SNPE 1.x): each was compared with the envelope of its source channels and the channel count, not channel by channel (read the .dlc itself to check every channel).`,
    );
  }
  const notCompared = policy.results.filter((r) => r.verdict === 'NOT_COMPARED').length;
  if (notCompared > 0) notes.push(`${notCompared} tensor(s) were not compared (block, LPBQ, vector or non-quantized layouts).`);
  if (options.graph !== undefined) {
    const skipped = model.graphs.filter((g) => g.name !== options.graph).map((g) => g.name);
    if (skipped.length > 0) notes.push(`Only graph ${options.graph} was verified; skipped: ${skipped.join(', ')}.`);
  }

  return {
    kind: 'verify',
    schemaVersion: VERIFY_SCHEMA_VERSION,
    dlc: { file: model.file, format: model.format, family: model.family },
    source: { file: source.file, format: source.format },
    results: policy.results,
    pipeline: policy.pipeline,
    coverage,
    diagnostics,
    notes,
    summary: { ...policy.summary, headline: `${policy.summary.headline}; ${overridesLine}` },
  };
}

