/**
 * TensorFlow FakeQuant nodes → source entries, attributed the way the SNPE TF converter does
 * (ENCODINGS.md §1 "TensorFlow FakeQuant as the source"):
 *
 * - activation, `x → FakeQuant → y`: the range belongs to x's producer's output. The entry is named
 *   after that tensor as TF names it, `<producer>:<output>` (`add_1:0`, `Relu:0`): the SNPE TF
 *   converter names DLC buffers the same way (SNPE 1.17 dumps show `conv2d/BiasAdd:0`). The
 *   producer's op type is kept, looking through Identity nodes (`Relu` → the converter forces
 *   min to 0).
 * - weights, `weights → FakeQuant → conv` (input 0 is computed from constants only: a `Const`, an
 *   `Identity` of it such as `first_weights/read`, a folded-BatchNorm `mul_fold`, a bias): the
 *   entry is named after that weight tensor (`first_weights/read:0`, the name AIMET and TF users
 *   write in overrides files), section `param`, with the layer that consumes the FakeQuant output.
 *
 * Ranges are kept raw (TF nudges them at run time; the SNPE converter does not use TF's nudge),
 * with `num_bits` and `narrow_range` as given. Nothing is dropped silently: a FakeQuant whose range
 * or input cannot be resolved becomes a diagnostic naming the node.
 */
import { DIAGNOSTICS } from '../../../findings.js';
import {
  InputError,
  type Diagnostic,
  type DiagnosticCode,
  type FakeQuantInfo,
  type Location,
  type SourceEntry,
  type SourceFormat,
  type SourceGrid,
  type SourceSet,
} from '../../../model.js';
import { parseInputRef, tensorName, tensorNumbers, type TfGraph, type TfInputRef, type TfNode } from './tf-graph.js';

type FakeQuantOp = FakeQuantInfo['op'];

const FAKE_QUANT_OPS: ReadonlySet<string> = new Set<FakeQuantOp>([
  'FakeQuantWithMinMaxVars',
  'FakeQuantWithMinMaxArgs',
  'FakeQuantWithMinMaxVarsPerChannel',
]);

/** Ops that forward their input unchanged (`min/read` is an Identity in TF 1.x graphs). */
const PASS_THROUGH_OPS: ReadonlySet<string> = new Set(['Identity', 'IdentityN', 'Snapshot', 'StopGradient', 'PreventGradient']);
const CONST_OPS: ReadonlySet<string> = new Set(['Const', 'HostConst']);
/** Ops that only exist in a graph that was not frozen. */
const VARIABLE_OPS: ReadonlySet<string> = new Set([
  'VariableV2',
  'Variable',
  'VarHandleOp',
  'ReadVariableOp',
  'TemporaryVariable',
  'AutoReloadVariable',
]);

/** `FakeQuantWithMinMaxArgs` attr defaults (TF `array_ops.cc`: min −6, max 6), and the shared ones. */
const ARGS_DEFAULT_MIN = -6;
const ARGS_DEFAULT_MAX = 6;
const DEFAULT_NUM_BITS = 8;

const FREEZE_HINT = 'freeze the graph first (tf.compat.v1.graph_util.convert_variables_to_constants, or the freeze_graph tool)';

interface Context {
  readonly graph: TfGraph;
  readonly file: string;
  readonly byName: ReadonlyMap<string, TfNode>;
  /** Data consumers of each node (any output), in graph order. */
  readonly consumers: ReadonlyMap<string, readonly TfNode[]>;
  readonly constMemo: Map<string, boolean>;
  readonly diagnostics: Diagnostic[];
}

function where(ctx: Context, node: TfNode): Location {
  return { ...node.at, file: ctx.file, node: node.name };
}

function report(ctx: Context, code: DiagnosticCode, detail: string, at: Location): void {
  ctx.diagnostics.push({ code, severity: DIAGNOSTICS[code].severity, detail, at });
}

function dataInputs(node: TfNode): TfInputRef[] {
  return node.inputs.map(parseInputRef).filter((ref) => !ref.control);
}

/** Reads every FakeQuant node of a graph into a source set. */
export function fakeQuantSources(graph: TfGraph, file: string, format: SourceFormat): SourceSet {
  const byName = new Map<string, TfNode>();
  const consumers = new Map<string, TfNode[]>();
  const ctx: Context = { graph, file, byName, consumers, constMemo: new Map(), diagnostics: [] };
  for (const node of graph.nodes) {
    if (byName.has(node.name)) {
      report(ctx, 'SOURCE_BAD_VALUE', `node name '${node.name}' appears twice in the graph; the first one is used`, where(ctx, node));
      continue;
    }
    byName.set(node.name, node);
  }
  for (const node of graph.nodes) {
    for (const ref of dataInputs(node)) {
      const list = consumers.get(ref.node);
      if (list) {
        if (list[list.length - 1] !== node) list.push(node);
      } else consumers.set(ref.node, [node]);
    }
  }

  const entries: SourceEntry[] = [];
  let fakeQuantCount = 0;
  for (const node of graph.nodes) {
    if (!FAKE_QUANT_OPS.has(node.op) || byName.get(node.name) !== node) continue;
    fakeQuantCount++;
    const entry = readFakeQuant(ctx, node);
    if (entry) entries.push(entry);
  }

  if (fakeQuantCount === 0) {
    const library = graph.functionCount > 0 ? `; the ${graph.functionCount} functions of its library were not searched` : '';
    report(
      ctx,
      'SOURCE_NO_FAKEQUANT',
      `no FakeQuant node among the graph's ${graph.nodes.length} nodes${library}: it holds no quantization ranges to verify (is it the QAT graph, frozen after quantization-aware training?)`,
      { file },
    );
  }
  reportDuplicates(ctx, entries);
  return { format, file, entries, ignoredKeys: [], diagnostics: ctx.diagnostics };
}

function reportDuplicates(ctx: Context, entries: readonly SourceEntry[]): void {
  const seen = new Map<string, SourceEntry>();
  for (const entry of entries) {
    const first = seen.get(entry.name);
    if (first) {
      report(
        ctx,
        'SOURCE_DUPLICATE_NAME',
        `tensor '${entry.name}' gets a range from FakeQuant '${first.fakeQuant?.node}' and from '${entry.fakeQuant?.node}'`,
        entry.at,
      );
    } else seen.set(entry.name, entry);
  }
}

function intAttr(ctx: Context, node: TfNode, key: string, fallback: number): number {
  const attr = node.attrs.get(key);
  if (attr === undefined) return fallback;
  if (attr.kind === 'i') return attr.value;
  report(ctx, 'SOURCE_BAD_VALUE', `attr '${key}' of '${node.name}' is not an integer (${attr.kind}); ${fallback} is used`, where(ctx, node));
  return fallback;
}

function boolAttr(ctx: Context, node: TfNode, key: string, fallback: boolean): boolean {
  const attr = node.attrs.get(key);
  if (attr === undefined) return fallback;
  if (attr.kind === 'b') return attr.value;
  report(ctx, 'SOURCE_BAD_VALUE', `attr '${key}' of '${node.name}' is not a bool (${attr.kind}); ${fallback} is used`, where(ctx, node));
  return fallback;
}

function floatAttr(ctx: Context, node: TfNode, key: string, fallback: number): number {
  const attr = node.attrs.get(key);
  if (attr === undefined) return fallback;
  if (attr.kind === 'f') return attr.value;
  report(ctx, 'SOURCE_BAD_VALUE', `attr '${key}' of '${node.name}' is not a float (${attr.kind}); ${fallback} is used`, where(ctx, node));
  return fallback;
}

function readFakeQuant(ctx: Context, node: TfNode): SourceEntry | undefined {
  const op = node.op as FakeQuantOp;
  const inputs = dataInputs(node);
  const numBits = intAttr(ctx, node, 'num_bits', DEFAULT_NUM_BITS);
  const narrowRange = boolAttr(ctx, node, 'narrow_range', false);
  if (!Number.isInteger(numBits) || numBits < 2 || numBits > 16) {
    report(ctx, 'SOURCE_BAD_VALUE', `'${node.name}' has num_bits ${numBits}; TensorFlow allows 2 to 16, so it was skipped`, where(ctx, node));
    return undefined;
  }

  // The range.
  let grids: SourceGrid[];
  if (op === 'FakeQuantWithMinMaxArgs') {
    grids = [{ min: floatAttr(ctx, node, 'min', ARGS_DEFAULT_MIN), max: floatAttr(ctx, node, 'max', ARGS_DEFAULT_MAX) }];
  } else {
    const mins = rangeInput(ctx, node, inputs[1], 'min');
    const maxs = rangeInput(ctx, node, inputs[2], 'max');
    if (typeof mins === 'string' || typeof maxs === 'string') {
      const why = typeof mins === 'string' ? mins : (maxs as string);
      report(ctx, 'SOURCE_BAD_VALUE', `FakeQuant '${node.name}' was skipped: ${why}`, where(ctx, node));
      return undefined;
    }
    const perChannel = op === 'FakeQuantWithMinMaxVarsPerChannel';
    const problem =
      mins.length !== maxs.length
        ? `its min has ${mins.length} values and its max ${maxs.length}`
        : !perChannel && mins.length !== 1
          ? `its min/max hold ${mins.length} values, a per-tensor range needs 1`
          : mins.length === 0
            ? 'its min/max are empty'
            : undefined;
    if (problem) {
      report(ctx, 'SOURCE_BAD_VALUE', `FakeQuant '${node.name}' was skipped: ${problem}`, where(ctx, node));
      return undefined;
    }
    grids = mins.map((min, i) => (perChannel ? { channel: i, min, max: maxs[i]! } : { min, max: maxs[i]! }));
  }

  const odd = grids.find((g) => !Number.isFinite(g.min) || !Number.isFinite(g.max) || g.min! > g.max!);
  if (odd) {
    const channel = odd.channel === undefined ? '' : ` (channel ${odd.channel})`;
    report(ctx, 'SOURCE_BAD_VALUE', `FakeQuant '${node.name}' has min/max [${odd.min}, ${odd.max}]${channel}: not a usable range (min must be finite and at most max)`, where(ctx, node));
  }

  // The tensor it belongs to.
  const x = inputs[0];
  const producer = x ? ctx.byName.get(x.node) : undefined;
  if (!x || !producer) {
    const why = x ? `its input '${x.node}' is not a node of the graph` : 'it has no input';
    report(ctx, 'SOURCE_UNATTRIBUTED', `FakeQuant '${node.name}' cannot be attributed: ${why}`, where(ctx, node));
    return undefined;
  }
  const source = throughPassThrough(ctx, x).node;
  if (source && VARIABLE_OPS.has(source.op)) {
    throw new InputError(
      'UNFROZEN_GRAPH',
      `${ctx.file}: FakeQuant node '${node.name}' quantizes variable '${source.name}' (${source.op}): ${FREEZE_HINT}`,
      where(ctx, node),
    );
  }
  const isParam = isConstant(ctx, producer.name);
  const info: { -readonly [K in keyof FakeQuantInfo]: FakeQuantInfo[K] } = { node: node.name, op, numBits, narrowRange };
  if (isParam) {
    const consumer = consumerOf(ctx, node);
    if (consumer) info.consumer = { op: consumer.name, type: consumer.op };
    else {
      report(
        ctx,
        'SOURCE_UNATTRIBUTED',
        `weight FakeQuant '${node.name}' feeds no layer: its range is kept under the weight tensor '${tensorName(x)}'`,
        where(ctx, node),
      );
    }
  } else {
    // The op that really computes x (an Identity in between does not change the values: a ReLU
    // behind it still means min → 0).
    info.producerType = (source ?? producer).op;
  }

  const entry: { -readonly [K in keyof SourceEntry]: SourceEntry[K] } = {
    name: tensorName(x),
    section: isParam ? 'param' : 'activation',
    dtype: 'int',
    bitwidth: numBits,
    layout: op === 'FakeQuantWithMinMaxVarsPerChannel' ? 'per-channel' : 'per-tensor',
    grids,
    fakeQuant: info,
    at: where(ctx, node),
  };
  if (entry.layout === 'per-channel') {
    const rank = rankOf(ctx, x);
    if (rank !== undefined && rank > 0) entry.axis = rank - 1;
  }
  return entry;
}

/** Follows pass-through ops from a tensor to the node that really makes it. */
function throughPassThrough(ctx: Context, ref: TfInputRef): { node?: TfNode; ref: TfInputRef } {
  let current = ref;
  for (let steps = 0; steps <= ctx.graph.nodes.length; steps++) {
    const node = ctx.byName.get(current.node);
    if (!node || !PASS_THROUGH_OPS.has(node.op)) return { node, ref: current };
    const next = dataInputs(node)[node.op === 'IdentityN' ? current.output : 0];
    if (!next) return { node, ref: current };
    current = next;
  }
  return { ref: current }; // a cycle of Identity nodes
}

/** The numbers of a min/max input, resolved through Identity chains to a Const, or why not. */
function rangeInput(ctx: Context, fakeQuant: TfNode, ref: TfInputRef | undefined, which: 'min' | 'max'): number[] | string {
  if (!ref) return `it has no ${which} input`;
  const { node } = throughPassThrough(ctx, ref);
  if (!node) return `its ${which} input '${ref.node}' is not a node of the graph`;
  if (VARIABLE_OPS.has(node.op)) {
    throw new InputError(
      'UNFROZEN_GRAPH',
      `${ctx.file}: FakeQuant node '${fakeQuant.name}' reads its ${which} from variable '${node.name}' (${node.op}): ${FREEZE_HINT}`,
      where(ctx, fakeQuant),
    );
  }
  if (!CONST_OPS.has(node.op)) return `its ${which} comes from '${node.name}', a ${node.op} node, not a Const`;
  const value = node.attrs.get('value');
  if (value?.kind !== 'tensor') return `its ${which} Const '${node.name}' has no tensor value`;
  const tensor = value.tensor();
  if (typeof tensor === 'string') return `its ${which} Const '${node.name}' is unreadable: ${tensor}`;
  const numbers = tensorNumbers(tensor);
  if (typeof numbers === 'string') return `its ${which} Const '${node.name}': ${numbers}`;
  return numbers;
}

/**
 * True when a node's output is computed from constants only (weights, biases, folded BatchNorm
 * products): the FakeQuant over it quantizes a parameter. Iterative, memoised, cycle-safe.
 */
function isConstant(ctx: Context, name: string): boolean {
  const memo = ctx.constMemo;
  const known = memo.get(name);
  if (known !== undefined) return known;
  const stack: { name: string; expanded: boolean }[] = [{ name, expanded: false }];
  const onStack = new Set<string>();
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (memo.has(top.name)) {
      stack.pop();
      continue;
    }
    const node = ctx.byName.get(top.name);
    if (!node) {
      memo.set(top.name, false);
      stack.pop();
      continue;
    }
    const inputs = dataInputs(node);
    if (CONST_OPS.has(node.op) || VARIABLE_OPS.has(node.op) || inputs.length === 0) {
      memo.set(top.name, CONST_OPS.has(node.op) || VARIABLE_OPS.has(node.op));
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      onStack.add(top.name);
      for (const ref of inputs) {
        if (onStack.has(ref.node)) memo.set(ref.node, false); // a loop (NextIteration): not constant
        else if (!memo.has(ref.node)) stack.push({ name: ref.node, expanded: false });
      }
      continue;
    }
    memo.set(top.name, inputs.every((ref) => memo.get(ref.node) === true));
    onStack.delete(top.name);
    stack.pop();
  }
  return memo.get(name) === true;
}

/** The layer that consumes a FakeQuant's output, looking through pass-through ops. */
function consumerOf(ctx: Context, fakeQuant: TfNode): TfNode | undefined {
  let frontier = ctx.consumers.get(fakeQuant.name) ?? [];
  const seen = new Set<string>([fakeQuant.name]);
  while (frontier.length > 0) {
    const direct = frontier.find((n) => !PASS_THROUGH_OPS.has(n.op));
    if (direct) return direct;
    const next: TfNode[] = [];
    for (const n of frontier) {
      if (seen.has(n.name)) continue;
      seen.add(n.name);
      next.push(...(ctx.consumers.get(n.name) ?? []));
    }
    frontier = next;
  }
  return undefined;
}

/** The rank of a constant tensor (a weight), from its Const's shape; undefined when unknown. */
function rankOf(ctx: Context, ref: TfInputRef): number | undefined {
  const { node } = throughPassThrough(ctx, ref);
  const value = node && CONST_OPS.has(node.op) ? node.attrs.get('value') : undefined;
  if (value?.kind !== 'tensor') return undefined;
  const tensor = value.tensor();
  return typeof tensor === 'string' ? undefined : tensor.shape?.length;
}
