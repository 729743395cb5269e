/**
 * Name matching, ENCODINGS.md §5: every source entry is looked up in the DLC by a fixed list of
 * rules, in order, and the rule that matched is recorded. Ambiguity is reported, never guessed.
 *
 * Linear by construction: the DLC tensors are indexed once (by name, by sanitised name, by name
 * without converter suffix, by owning layer and by TF scope); each source entry then costs a few
 * Map look-ups.
 */
import { InputError, type DlcModel, type Graph, type MatchRule, type SourceEntry, type SourceSet, type Tensor } from '../model.js';

export interface DlcHit {
  readonly graph: Graph;
  readonly tensor: Tensor;
}

export interface RenameRule {
  readonly text: string;
  readonly pattern: RegExp;
  readonly replacement: string;
}

export interface MatchOutcome {
  readonly entry: SourceEntry;
  /** One hit per graph that holds the tensor; empty when nothing matched (or ambiguous). */
  readonly hits: readonly DlcHit[];
  readonly rule?: MatchRule;
  /** The user rename that fired, or the name that was looked up when it differs from the entry's. */
  readonly detail?: string;
  /** Set when a rule found more than one tensor in one graph: the candidates. */
  readonly ambiguous?: readonly DlcHit[];
}

export interface MatchResult {
  readonly outcomes: readonly MatchOutcome[];
  /** Tensors with an encoding that no source entry matched, in DLC order. */
  readonly dlcOnly: readonly DlcHit[];
  readonly index: DlcIndex;
}

/** Layout-transposes and permutes the converters add (ENCODINGS.md §5, DLC-INFO-FORMAT.md §4). */
export const CONVERTER_SUFFIXES = ['.nchw', '.nhwc', '.ncs', '.nfc', '_nchw', '_nhwc', '_ncs', '_nfc', '_permute'] as const;

/** QNN's name sanitising: every character outside [A-Za-z0-9_] becomes `_`; a leading digit gets a `_`. */
export function sanitizeName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

export function stripConverterSuffix(name: string): string | undefined {
  for (const suffix of CONVERTER_SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return undefined;
}

/** TF read suffixes: `/read:0`, `/ReadVariableOp:0` (and without `:0`). */
const TF_READ_SUFFIXES = ['/read:0', '/ReadVariableOp:0', '/read', '/ReadVariableOp'] as const;

export function stripTfReadSuffix(name: string): string | undefined {
  for (const suffix of TF_READ_SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return undefined;
}

/** Parses `REGEX=>REPLACEMENT`; a bad rule is a usage error (exit 2). */
export function parseRename(text: string): RenameRule {
  const arrow = text.indexOf('=>');
  if (arrow <= 0) throw new InputError('USAGE', `--rename ${text}: expected 'REGEX=>REPLACEMENT'`);
  const source = text.slice(0, arrow);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (err) {
    throw new InputError('USAGE', `--rename ${text}: ${source} is not a valid regular expression (${(err as Error).message})`);
  }
  return { text, pattern, replacement: text.slice(arrow + 2) };
}

type ParamKind = 'weight' | 'bias';

/** Leaf names of TF variables holding params (`conv1/weights`, `dense/kernel`, `bn/beta`, …). Anchored, no nesting. */
const TF_VARIABLE_LEAF = /^(weights?|kernel|biases|bias|w|b|depthwise_(kernel|weights)|pointwise_(kernel|weights)|filters?)$/i;

function paramKindOfName(name: string): ParamKind {
  return /bias/i.test(name) ? 'bias' : 'weight';
}

function scopeOf(name: string): string | undefined {
  const slash = name.lastIndexOf('/');
  return slash > 0 ? name.slice(0, slash + 1) : undefined;
}

function isSnpe1(model: DlcModel): boolean {
  return model.family.startsWith('snpe-1') || model.family === 'dlc-v2' || model.family === 'dlc-v3';
}

class MultiMap<V> {
  readonly map = new Map<string, V[]>();
  add(key: string, value: V): void {
    const list = this.map.get(key);
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }
  get(key: string): readonly V[] | undefined {
    return this.map.get(key);
  }
}

export class DlcIndex {
  readonly byName = new MultiMap<DlcHit>();
  readonly bySanitized = new MultiMap<DlcHit>();
  readonly byConverterBase = new MultiMap<DlcHit>();
  readonly bySanitizedConverterBase = new MultiMap<DlcHit>();
  /** `<scope>/` + `\0` + kind -> params whose owning layer lives in that TF scope. */
  readonly byScope = new MultiMap<DlcHit>();
  /** owning layer/op name + `\0` + kind -> params. */
  readonly byOwner = new MultiMap<DlcHit>();
  readonly all: DlcHit[] = [];
  readonly snpe1: boolean;

  constructor(model: DlcModel, graphFilter?: string) {
    this.snpe1 = isSnpe1(model);
    for (const graph of model.graphs) {
      if (graphFilter !== undefined && graph.name !== graphFilter) continue;
      for (const tensor of graph.tensors.values()) {
        const hit: DlcHit = { graph, tensor };
        this.all.push(hit);
        this.byName.add(tensor.name, hit);
        this.bySanitized.add(sanitizeName(tensor.name), hit);
        const base = stripConverterSuffix(tensor.name);
        if (base !== undefined) {
          this.byConverterBase.add(base, hit);
          this.bySanitizedConverterBase.add(sanitizeName(base), hit);
        }
        if (tensor.role === 'param') {
          const owner = tensor.layer ?? tensor.consumers[0];
          if (owner !== undefined) {
            const kind = tensor.paramKind ?? paramKindOfName(tensor.name);
            this.byOwner.add(`${owner}\0${kind}`, hit);
            const scope = scopeOf(owner);
            if (scope !== undefined) this.byScope.add(`${scope}\0${kind}`, hit);
          }
        }
      }
    }
  }
}

/** Hits grouped per graph: one distinct tensor per graph is a match; more is ambiguous. */
function resolve(hits: readonly DlcHit[] | undefined): { hits: DlcHit[]; ambiguous?: DlcHit[] } | undefined {
  if (hits === undefined || hits.length === 0) return undefined;
  const perGraph = new Map<Graph, DlcHit[]>();
  for (const hit of hits) {
    const list = perGraph.get(hit.graph);
    if (!list) perGraph.set(hit.graph, [hit]);
    else if (!list.some((h) => h.tensor === hit.tensor)) list.push(hit);
  }
  const chosen: DlcHit[] = [];
  for (const list of perGraph.values()) {
    if (list.length > 1) return { hits: [], ambiguous: [...perGraph.values()].flat() };
    chosen.push(list[0]!);
  }
  return { hits: chosen };
}

interface Attempt {
  readonly rule: MatchRule;
  readonly lookup: () => readonly DlcHit[] | undefined;
  readonly detail?: string;
}

function withColonVariants(name: string): string[] {
  return name.endsWith(':0') ? [name.slice(0, -2)] : [`${name}:0`];
}

function firstFound(index: MultiMap<DlcHit>, keys: readonly string[]): readonly DlcHit[] | undefined {
  for (const key of keys) {
    const found = index.get(key);
    if (found && found.length > 0) return found;
  }
  return undefined;
}

function attemptsFor(entry: SourceEntry, index: DlcIndex, renames: readonly RenameRule[]): Attempt[] {
  const name = entry.name;
  const colon = withColonVariants(name);
  const readBase = stripTfReadSuffix(name);
  const readKeys = readBase === undefined ? [] : [readBase, ...withColonVariants(readBase)];
  const plainKeys = [name, ...colon, ...readKeys];
  const attempts: Attempt[] = [
    { rule: 'exact', lookup: () => index.byName.get(name) },
    { rule: 'colon-zero', lookup: () => firstFound(index.byName, colon) },
    { rule: 'tf-read-suffix', lookup: () => firstFound(index.byName, readKeys) },
    { rule: 'converter-suffix', lookup: () => firstFound(index.byConverterBase, plainKeys) },
    { rule: 'sanitized', lookup: () => firstFound(index.bySanitized, plainKeys.map(sanitizeName)) },
    { rule: 'converter-suffix', lookup: () => firstFound(index.bySanitizedConverterBase, plainKeys.map(sanitizeName)) },
  ];
  for (const rename of renames) {
    const renamed = name.replace(rename.pattern, rename.replacement);
    if (renamed === name) continue;
    attempts.push({
      rule: 'user-rename',
      detail: rename.text,
      lookup: () => firstFound(index.byName, [renamed]) ?? firstFound(index.bySanitized, [sanitizeName(renamed)]),
    });
  }
  // A FakeQuant on weights names the layer that consumes them.
  const consumer = entry.fakeQuant?.consumer?.op;
  if (consumer !== undefined && entry.section === 'param') {
    attempts.push({ rule: 'fakequant-consumer', detail: consumer, lookup: () => index.byOwner.get(`${consumer}\0weight`) });
  }
  // TF scope: `a/b/conv1/weights/read:0` belongs to the layer in scope `a/b/conv1/` that has a weight encoding.
  // Only for names that are TF variables (a read suffix, or a variable-like leaf): an activation
  // placed under param_encodings (seen in the wild) must not be matched to a layer's weights.
  const variable = readBase ?? (name.endsWith(':0') ? name.slice(0, -2) : name);
  const leaf = variable.slice(variable.lastIndexOf('/') + 1);
  if (readBase !== undefined || (entry.section === 'param' && TF_VARIABLE_LEAF.test(leaf))) {
    const scope = scopeOf(variable);
    if (scope !== undefined) {
      const kind = paramKindOfName(leaf);
      attempts.push({ rule: 'tf-scope', detail: scope, lookup: () => index.byScope.get(`${scope}\0${kind}`) });
    }
  }
  return attempts;
}

/** Which rule to record for SNPE 1.x hits found by the plain-name rules. */
function snpe1Rule(rule: MatchRule, hits: readonly DlcHit[]): MatchRule {
  if (rule !== 'exact' && rule !== 'colon-zero') return rule;
  const tensor = hits[0]?.tensor;
  if (tensor === undefined) return rule;
  if (tensor.role === 'param' && tensor.layer !== undefined) return 'snpe1-layer-param';
  return 'snpe1-output-buffer';
}

export function matchNames(
  model: DlcModel,
  source: SourceSet,
  options: { readonly renames?: readonly RenameRule[]; readonly graph?: string } = {},
): MatchResult {
  const index = new DlcIndex(model, options.graph);
  const renames = options.renames ?? [];
  const matched = new Set<Tensor>();
  const outcomes: MatchOutcome[] = [];
  for (const entry of source.entries) {
    let outcome: MatchOutcome = { entry, hits: [] };
    for (const attempt of attemptsFor(entry, index, renames)) {
      const found = resolve(attempt.lookup());
      if (found === undefined) continue;
      const rule = index.snpe1 ? snpe1Rule(attempt.rule, found.hits.length > 0 ? found.hits : (found.ambiguous ?? [])) : attempt.rule;
      const qnnRule: MatchRule = rule === 'sanitized' && model.family === 'qnn-net-json' ? 'qnn-sanitized' : rule;
      outcome = {
        entry,
        hits: found.hits,
        rule: qnnRule,
        ...(attempt.detail !== undefined ? { detail: attempt.detail } : {}),
        ...(found.ambiguous ? { ambiguous: found.ambiguous } : {}),
      };
      break;
    }
    for (const hit of outcome.hits) matched.add(hit.tensor);
    // Ambiguous candidates are not "calibrated by the quantizer": keep them out of NOT_IN_SOURCE.
    for (const hit of outcome.ambiguous ?? []) matched.add(hit.tensor);
    outcomes.push(outcome);
  }
  const dlcOnly = index.all.filter((hit) => hit.tensor.encoding !== undefined && !matched.has(hit.tensor));
  return { outcomes, dlcOnly, index };
}
