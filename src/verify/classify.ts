/**
 * Judging one tensor, the driver: a matched source entry against its DLC tensor goes through the
 * tensor rules below in order (layouts that are not compared, float overrides, float fallback,
 * dtype-only overrides, bitwidths, channel counts); the first that applies gives the result.
 * Otherwise every channel is judged by grid.ts against the explanations of rules.ts. DLC tensors
 * the source does not name, and source entries without (or with several) DLC tensors, get their
 * own verdict here too. `TENSOR_RULES` is the order, in one list.
 */
import { VERDICTS, verdictSentence } from '../findings.js';
import type {
  DlcModel,
  Encoding,
  GridNumbers,
  Op,
  SourceEntry,
  SourceGrid,
  Tensor,
  TensorEncoding,
  TensorMatch,
  Verdict,
  VerdictTag,
  VerifyResult,
} from '../model.js';
import { fmt, fmtRatio, gridWords, quote, toGridNumbers } from '../words.js';
import { convertedGrids, fieldMatches, levels, stepDeviation, type Grid } from './math.js';
import type { DlcHit, MatchOutcome } from './match.js';
import { judgeGrid, toDeviation } from './grid.js';
import { GridResult, withFields, type TensorSide } from './result.js';
import type { ClassifyContext } from './rules.js';

export type { ClassifyContext } from './rules.js';

export function buildConvertedIndex(all: readonly DlcHit[]): Map<string, DlcHit[]> {
  const map = new Map<string, DlcHit[]>();
  for (const hit of all) {
    const at = hit.tensor.name.lastIndexOf('_converted_');
    if (at <= 0) continue;
    const base = hit.tensor.name.slice(0, at);
    const list = map.get(base);
    if (list) list.push(hit);
    else map.set(base, [hit]);
  }
  return map;
}

/** Ops by `graph \0 name`, built once (producer look-ups stay O(1)). */
export function buildOpIndex(model: DlcModel): Map<string, Op> {
  const map = new Map<string, Op>();
  for (const graph of model.graphs) for (const op of graph.ops) map.set(`${graph.name}\0${op.name}`, op);
  return map;
}

function isFloatDtype(dtype: string | undefined): boolean {
  return dtype === undefined || /^float/i.test(dtype);
}

function baseResult(hit: DlcHit, outcome: MatchOutcome | undefined): Base {
  const match: TensorMatch | undefined =
    outcome && outcome.rule
      ? {
          rule: outcome.rule,
          sourceName: outcome.entry.name,
          dlcName: hit.tensor.name,
          ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
        }
      : undefined;
  return {
    tensor: hit.tensor.name,
    graph: hit.graph.name,
    role: hit.tensor.role,
    ...(match ? { match } : {}),
    dlcAt: hit.tensor.at,
    ...(outcome ? { sourceAt: outcome.entry.at } : {}),
  };
}

const OVERRIDDEN_NOTE = "the DLC does not mark it as overridden, but the values are the source's";
const SYMMETRIC_NOTE = 'the DLC says is_symmetric false although the source says true; the values agree';

/** The note on a result whose values agree although the DLC's flags say otherwise. */
function flagNote(overridden: boolean, symmetric: boolean): string | undefined {
  if (overridden && symmetric) return `${OVERRIDDEN_NOTE}; ${SYMMETRIC_NOTE}`;
  return overridden ? OVERRIDDEN_NOTE : symmetric ? SYMMETRIC_NOTE : undefined;
}

function flagTags(tensor: Tensor): VerdictTag[] {
  const flag = tensor.encoding?.isOverridden;
  return flag === undefined ? [] : [flag ? 'OVERRIDE_FLAG_SET' : 'OVERRIDE_FLAG_CLEAR'];
}

function simple(base: Base, verdict: Verdict, sentence: string, extra: Partial<VerifyResult> = {}): VerifyResult {
  return { ...base, verdict, kind: VERDICTS[verdict].kind, tags: [], sentence: verdictSentence(verdict, sentence), ...extra };
}


type Base = Omit<VerifyResult, 'verdict' | 'kind' | 'tags' | 'sentence'>;

/** A matched source entry and its DLC tensor, as the tensor rules read them. */
interface TensorCase {
  readonly outcome: MatchOutcome;
  readonly hit: DlcHit;
  readonly ctx: ClassifyContext;
  readonly entry: SourceEntry;
  readonly tensor: Tensor;
  readonly enc: TensorEncoding | undefined;
  readonly base: Base;
  readonly flags: VerdictTag[];
}

/** The case once the DLC tensor has an encoding with a first grid (rules after `noGrid`). */
interface EncodedCase extends TensorCase {
  readonly enc: TensorEncoding;
  readonly first: Encoding;
  /** The bitwidth the source asks for (the DLC's when the source says none). */
  readonly bitwidth: number;
}

interface TensorRule {
  readonly verdict: Verdict;
  /** The result when the rule applies, else undefined (the next rule is tried). */
  readonly apply: (c: TensorCase) => VerifyResult | undefined;
}

/** `say(detail, extra)` makes this rule's verdict's result: a rule cannot give another verdict. */
type Say = (detail: string, extra?: Partial<VerifyResult>) => VerifyResult;

function defineTensorRule(verdict: Verdict, apply: (c: TensorCase, say: Say) => VerifyResult | undefined): TensorRule {
  return { verdict, apply: (c) => apply(c, (detail, extra) => simple(c.base, verdict, detail, extra)) };
}

/** A rule that needs the DLC's first grid: it does not apply to a tensor without one. */
function defineEncodedRule(verdict: Verdict, apply: (c: EncodedCase, say: Say) => VerifyResult | undefined): TensorRule {
  return defineTensorRule(verdict, (c, say) => {
    const first = c.enc?.channels[0];
    if (!c.enc || !first) return undefined;
    const bitwidth = c.entry.bitwidth ?? c.entry.fakeQuant?.numBits ?? first.bitwidth ?? 8;
    return apply({ ...c, enc: c.enc, first, bitwidth }, say);
  });
}

function isComparedLayout(layout: string): boolean {
  return layout === 'per-tensor' || layout === 'per-channel';
}

const sourceLayoutNotCompared = defineTensorRule('NOT_COMPARED', (c, say) =>
  isComparedLayout(c.entry.layout) ? undefined : say(`the source gives a ${c.entry.layout} encoding, which is read but not compared yet.`),
);

const dlcLayoutNotCompared = defineTensorRule('NOT_COMPARED', ({ enc }, say) =>
  enc && (enc.experimental || !isComparedLayout(enc.layout)) ? say(`the DLC holds a ${enc.layout} encoding, which is read but not compared yet.`) : undefined,
);

const floatOverrideOk = defineTensorRule('FLOAT_OVERRIDE_OK', ({ entry, enc, tensor }, say) =>
  entry.dtype === 'float' && !enc ? say(`the DLC keeps ${quote(tensor.name)} as ${tensor.dtype ?? 'float'}, as the source asks.`) : undefined,
);

const floatOverrideIgnored = defineTensorRule('FLOAT_OVERRIDE_IGNORED', ({ entry, enc, flags }, say) => {
  if (entry.dtype !== 'float' || !enc) return undefined;
  const actual = enc.channels[0] ? toGridNumbers(enc.channels[0]) : undefined;
  return say(`the source asks for float (${entry.bitwidth ?? '?'}-bit) but the DLC quantized it (${actual ? gridWords(actual) : enc.layout}).`, {
    ...(actual ? { actual } : {}),
    tags: flags,
  });
});

const floatFallback = defineTensorRule('FLOAT_FALLBACK', ({ entry, enc, tensor }, say) => {
  if (enc || !isFloatDtype(tensor.dtype)) return undefined;
  return say(`the source gives a ${entry.bitwidth ?? '?'}-bit integer encoding but the DLC tensor is ${tensor.dtype ?? 'float'} with no encoding.`, {
    ...(entry.grids[0] ? { expected: { ...(entry.bitwidth !== undefined ? { bitwidth: entry.bitwidth } : {}), ...entry.grids[0] } } : {}),
  });
});

const noEncoding = defineTensorRule('NOT_COMPARED', ({ enc, tensor }, say) =>
  enc ? undefined : say(`the DLC tensor is ${tensor.dtype} and carries no encoding to compare.`),
);

const noGrid = defineTensorRule('NOT_COMPARED', ({ enc }, say) => (enc && enc.channels[0] === undefined ? say('the DLC encoding has no grid.') : undefined));

// dtype-only override ({bitwidth: 8, dtype: "int"}): "quantize at this bitwidth, calibrate the range".
const dtypeOnlyAsAsked = defineEncodedRule('EXACT', ({ entry, first, bitwidth, flags }, say) => {
  if (entry.grids.length > 0 || first.bitwidth !== bitwidth) return undefined;
  const actual = toGridNumbers(first);
  return say(`the source asks for ${bitwidth} bits and a calibrated range; the DLC has ${gridWords(actual)}.`, { actual, expected: { bitwidth }, tags: flags });
});

const dtypeOnlyOtherBitwidth = defineEncodedRule('BITWIDTH_MISMATCH', ({ entry, first, bitwidth, flags }, say) => {
  if (entry.grids.length > 0) return undefined;
  return say(`the source asks for ${bitwidth} bits, the DLC has ${first.bitwidth}.`, { actual: toGridNumbers(first), expected: { bitwidth }, tags: flags });
});

// The DLC keeps the tensor at its region's bitwidth and converts it for the consumers that want `bitwidth`.
const bitwidthConverted = defineEncodedRule('BITWIDTH_CONVERTED', ({ hit, ctx, entry, first, bitwidth, flags }, say) => {
  if (first.bitwidth === bitwidth) return undefined;
  for (const conv of ctx.convertedByBase.get(hit.tensor.name) ?? []) {
    const c = conv.tensor.encoding?.channels[0];
    if (!c || c.bitwidth !== bitwidth || !relatesAsConverted(first, c)) continue;
    return say(
      `the DLC keeps ${quote(hit.tensor.name)} at ${first.bitwidth} bits and converts it to ` +
        `${bitwidth} bits in ${quote(conv.tensor.name)} (scale ${fmt(c.scale.value)}, offset ${fmt(c.offset.value)}: the same range on the ${bitwidth}-bit grid).`,
      { tags: flags, expected: { bitwidth, ...(entry.grids[0] ?? {}) }, actual: toGridNumbers(first) },
    );
  }
  return undefined;
});

const bitwidthMismatch = defineEncodedRule('BITWIDTH_MISMATCH', ({ entry, first, bitwidth, flags }, say) => {
  if (first.bitwidth === bitwidth) return undefined;
  const actual = toGridNumbers(first);
  const g = entry.grids[0];
  const expected: GridNumbers = { bitwidth, ...(g ?? {}) };
  const dev = g ? stepDeviation(actual, expected) : undefined;
  return say(
    `the source asks for ${bitwidth} bits, the DLC has ${first.bitwidth} bits ` +
      `(${gridWords(actual)}${dev && !Number.isNaN(dev.scaleRatio) ? `; scale ratio ${fmtRatio(dev.scaleRatio)}` : ''}).`,
    { tags: flags, expected, actual, ...(dev ? { deviation: toDeviation(dev) } : {}) },
  );
});

function isPerChannel(entry: SourceEntry): boolean {
  return entry.grids.length > 1 || entry.layout === 'per-channel';
}

const perChannelAgainstPerTensor = defineEncodedRule('REAL_MISMATCH', ({ entry, enc, first, flags }, say) => {
  if (!isPerChannel(entry) || enc.layout !== 'per-tensor' || enc.channels.length !== 1 || entry.grids.length <= 1) return undefined;
  return say(`the source gives ${entry.grids.length} per-channel encodings but the DLC holds one per-tensor encoding (${gridWords(toGridNumbers(first))}).`, {
    actual: toGridNumbers(first),
    tags: flags,
  });
});

const channelCountDiffers = defineEncodedRule('REAL_MISMATCH', ({ entry, enc, first, flags }, say) => {
  const dlcCount = enc.channelCount ?? enc.channels.length;
  if (!isPerChannel(entry) || dlcCount === entry.grids.length) return undefined;
  return say(`the source gives ${entry.grids.length} channels, the DLC has ${dlcCount}.`, { actual: toGridNumbers(first), tags: flags });
});

/** What decides a matched tensor before its grids are judged, in order: the first that applies wins. */
export const TENSOR_RULES: readonly TensorRule[] = [
  sourceLayoutNotCompared,
  dlcLayoutNotCompared,
  floatOverrideOk,
  floatOverrideIgnored,
  floatFallback,
  noEncoding,
  noGrid,
  dtypeOnlyAsAsked,
  dtypeOnlyOtherBitwidth,
  bitwidthConverted,
  bitwidthMismatch,
  perChannelAgainstPerTensor,
  channelCountDiffers,
];

/** The verdicts of a source entry without a tensor, or with several, and of a tensor without an entry. */
export const OUTCOME_VERDICTS = ['MISSING_IN_DLC', 'AMBIGUOUS_MATCH', 'NOT_IN_SOURCE'] as const satisfies readonly Verdict[];

/** A source entry matched to one DLC tensor: one result, or one per channel. */
export function classifyMatched(outcome: MatchOutcome, hit: DlcHit, ctx: ClassifyContext): VerifyResult[] {
  const entry = outcome.entry;
  const tensor = hit.tensor;
  const c: TensorCase = { outcome, hit, ctx, entry, tensor, enc: tensor.encoding, base: baseResult(hit, outcome), flags: flagTags(tensor) };
  for (const rule of TENSOR_RULES) {
    const decided = rule.apply(c);
    if (decided !== undefined) return [decided];
  }
  return judgeChannels(c);
}

/** Every channel's grid against its source grid (the tensor rules let it through). */
function judgeChannels({ entry, tensor, hit, ctx, base, flags, ...c }: TensorCase): VerifyResult[] {
  const enc = c.enc!;
  const first = enc.channels[0]!;
  const bitwidth = entry.bitwidth ?? entry.fakeQuant?.numBits ?? first.bitwidth ?? 8;
  const perChannel = isPerChannel(entry);
  const results: VerifyResult[] = [];
  // Shared by every channel of the tensor: its names and locations, its tolerance, its flag tags.
  const side: TensorSide = {
    tensor: tensor.name,
    graph: hit.graph.name,
    role: tensor.role,
    ...(base.match ? { match: base.match } : {}),
    dlcAt: tensor.at,
    sourceAt: entry.at,
  };
  const extra = ctx.extraTolerance(tensor.name);
  const judge = (grid: SourceGrid, d: Encoding, channel: number | undefined, extraTags: readonly VerdictTag[]): void => {
    const judged = judgeGrid({ entry, grid, bitwidth, perChannel }, d, tensor, ctx, extra);
    const j = judged.judgement;
    const tags = j.tags.length === 0 && extraTags.length === 0 ? flags : [...j.tags, ...flags, ...extraTags];
    const overriddenNote = enc.isOverridden === false && j.kind === 'ok';
    const symmetricNote = d.isSymmetric === false && entry.isSymmetric === true && j.kind === 'ok';
    results.push(new GridResult(side, channel, d, judged, tags, flagNote(overriddenNote, symmetricNote)));
  };

  if (!perChannel) {
    if (enc.channels.length > 1) {
      // A per-tensor source against a per-channel DLC: every channel against the one grid.
      enc.channels.forEach((ch, i) => judge(entry.grids[0]!, ch, ch.channel ?? i, []));
    } else {
      judge(entry.grids[0]!, first, undefined, []);
    }
    return results;
  }
  const dlcCount = enc.channelCount ?? enc.channels.length;
  if (!enc.allChannelsPresent && enc.channels.length === 1 && first.channel === undefined) {
    // SNPE 1.x prints one overall encoding for per-channel weights, never the channels: compare it
    // with the envelope of the source channels (and the count, checked by channelCountDiffers).
    const n = levels(bitwidth);
    const mins = entry.grids.map((g) => g.min ?? (g.scale !== undefined ? -Math.abs(g.offset ?? 0) * g.scale : Number.NaN));
    const maxs = entry.grids.map((g, i) => g.max ?? (g.scale !== undefined ? mins[i]! + n * g.scale : Number.NaN));
    judge({ min: Math.min(...mins), max: Math.max(...maxs) }, first, undefined, []);
    const r = results[results.length - 1]!;
    results[results.length - 1] = withFields(r, {
      sentence: `${r.sentence.replace(/\.$/, '')}; the dump prints one overall encoding for the ${dlcCount} channels, compared with the envelope of the source channels.`,
    });
    return results;
  }
  if (!enc.allChannelsPresent) {
    const c0 = enc.channels.find((ch) => (ch.channel ?? 0) === 0) ?? first;
    judge(entry.grids[0]!, c0, 0, ['CHANNEL_0_ONLY']);
    return results;
  }
  enc.channels.forEach((ch, i) => {
    const channel = ch.channel ?? i;
    const grid = entry.grids[channel] ?? entry.grids[i]!;
    judge(grid, ch, channel, []);
  });
  return results;
}

/** `to` re-expresses `from` on another bitwidth: min/max copied, scale /256 (or /257), offset ×256. */
export function relatesAsConverted(from: Encoding, to: Encoding): boolean {
  const fromGrid: Grid = {
    bitwidth: from.bitwidth,
    min: from.min.value,
    max: from.max.value,
    scale: from.scale.value,
    offset: Math.round(from.offset.value),
  };
  return convertedGrids(fromGrid, to.bitwidth).some(
    (g) =>
      fieldMatches(to.min, g.min, 'float32') &&
      fieldMatches(to.max, g.max, 'float32') &&
      fieldMatches(to.scale, g.scale, 'recomputed') &&
      Math.abs(Math.round(to.offset.value) - g.offset) <= Math.abs(g.offset / 256) + 1,
  );
}

/** A DLC tensor with an encoding that the source does not name: calibrated by the quantizer. */
export function classifyDlcOnly(hit: DlcHit, ctx: ClassifyContext, matchedEncodingOf: (name: string) => DlcHit | undefined): VerifyResult {
  const tensor = hit.tensor;
  const enc = tensor.encoding!;
  const first = enc.channels[0];
  const actual = first ? toGridNumbers(first) : undefined;
  const base = baseResult(hit, undefined);
  let why = 'the source does not name it, so the quantizer calibrated it';
  const tags: VerdictTag[] = [...flagTags(tensor)];
  // A Convert op's output: by name (`<base>_converted_UFIXED_POINT_16`) or by its producer op type.
  const at = tensor.name.lastIndexOf('_converted_');
  const producerOp = tensor.producer ? ctx.opsByName.get(`${hit.graph.name}\0${tensor.producer.op}`) : undefined;
  const convertBase =
    at > 0 ? tensor.name.slice(0, at) : tensor.producer?.type.toLowerCase() === 'convert' ? producerOp?.inputs[0] : undefined;
  if (convertBase !== undefined && first) {
    const from = ctx.index.byName.get(convertBase)?.find((h) => h.graph === hit.graph)?.tensor.encoding?.channels[0];
    if (from) {
      why = relatesAsConverted(from, first)
        ? `a Convert op re-expresses ${quote(convertBase)} on the ${first.bitwidth}-bit grid ` +
          `(scale ${fmt(from.scale.value)} → ${fmt(first.scale.value)}, offset ${fmt(from.offset.value)} → ${fmt(first.offset.value)}, min/max copied): consistent`
        : `a Convert op output whose encoding does not follow the ${from.bitwidth}↔${first.bitwidth}-bit relation to ${quote(convertBase)}`;
    }
  } else if (first) {
    const inherited = inheritedFrom(tensor.name, hit, matchedEncodingOf);
    if (inherited) why = `a converter-made copy (layout transpose/permute) that inherits the encoding of ${quote(inherited)}`;
  }
  const shown = actual ? ` (${gridWords(actual)}${enc.channels.length > 1 || enc.layout === 'per-channel' ? `, per-channel, ${enc.channelCount ?? enc.channels.length} channels` : ''})` : '';
  return {
    ...base,
    verdict: 'NOT_IN_SOURCE',
    kind: VERDICTS.NOT_IN_SOURCE.kind,
    tags,
    ...(actual ? { actual } : {}),
    sentence: verdictSentence('NOT_IN_SOURCE', `${why}${shown}.`),
  };
}

function inheritedFrom(name: string, hit: DlcHit, lookup: (name: string) => DlcHit | undefined): string | undefined {
  let base: string | undefined = name;
  for (let i = 0; i < 3; i++) {
    const slash = Math.max(base.lastIndexOf('.'), base.lastIndexOf('_'));
    if (slash <= 0) return undefined;
    base = base.slice(0, slash);
    const found = lookup(base);
    if (found && found.graph === hit.graph) {
      const a = found.tensor.encoding?.channels[0];
      const b = hit.tensor.encoding?.channels[0];
      if (a && b && a.bitwidth === b.bitwidth && a.min.value === b.min.value && a.max.value === b.max.value && a.scale.value === b.scale.value) {
        return base;
      }
      return undefined;
    }
  }
  return undefined;
}

export function classifyMissing(outcome: MatchOutcome): VerifyResult {
  const entry = outcome.entry;
  const g = entry.grids[0];
  return {
    tensor: entry.name,
    verdict: 'MISSING_IN_DLC',
    kind: VERDICTS.MISSING_IN_DLC.kind,
    tags: [],
    ...(g ? { expected: { ...(entry.bitwidth !== undefined ? { bitwidth: entry.bitwidth } : {}), ...g } } : {}),
    sourceAt: entry.at,
    sentence:
      verdictSentence('MISSING_IN_DLC', `no DLC tensor matches ${quote(entry.name)} (${entry.section}) by any rule ` +
      `(exact, :0, TF read suffix, converter suffix, sanitised, user renames${entry.section === 'param' ? ', TF scope' : ''}).`),
  };
}

export function classifyAmbiguous(outcome: MatchOutcome): VerifyResult {
  const names = [...new Set((outcome.ambiguous ?? []).map((h) => h.tensor.name))];
  return {
    tensor: outcome.entry.name,
    verdict: 'AMBIGUOUS_MATCH',
    kind: VERDICTS.AMBIGUOUS_MATCH.kind,
    tags: [],
    ...(outcome.rule ? { match: { rule: outcome.rule, sourceName: outcome.entry.name, dlcName: names.join(', ') } } : {}),
    sourceAt: outcome.entry.at,
    sentence:
      verdictSentence('AMBIGUOUS_MATCH', `rule ${outcome.rule ?? '?'} finds ${names.length} DLC tensors for ${quote(outcome.entry.name)} ` +
      `(${names.slice(0, 5).map(quote).join(', ')}${names.length > 5 ? ', …' : ''}); none was picked.`),
  };
}
