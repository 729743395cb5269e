/**
 * Edits of REAL parsed models, for constructed multi-part and multi-graph cases: rename a tensor
 * (the second part's graph input becomes the first part's output), change one tensor's encoding,
 * type or dimensions (in the op table and the I/O tables alike), copy a graph under a new name.
 * Every edit returns a new model; the parsed original is never changed. The dump writer
 * (src/render/dump-text.ts) turns an edited model back into `qairt-dlc-info` text.
 */
import type { DlcModel, Encoding, Graph, IoRow, PrintedNumber, Tensor, TensorEncoding } from '../../src/model.js';

const FIXED12 = { style: 'fixed', decimals: 12 } as const;

function n(value: number): PrintedNumber {
  return { value, precision: FIXED12 };
}

/** A grid as a `%.12f` dump prints it. */
export function grid(bitwidth: number, min: number, max: number, scale: number, offset: number, channel?: number): Encoding {
  return { ...(channel !== undefined ? { channel } : {}), bitwidth, min: n(min), max: n(max), scale: n(scale), offset: n(offset), at: { file: 'constructed' } };
}

/** The unsigned grid of `bitwidth` bits with this scale and offset (min = offset·scale). */
export function gridOfScale(bitwidth: number, scale: number, offset: number, channel?: number): Encoding {
  return grid(bitwidth, offset * scale, (offset + 2 ** bitwidth - 1) * scale, scale, offset, channel);
}

/** A plain copy of a parsed tensor encoding with its channels mapped by `edit` (plain copies otherwise). */
export function editChannels(te: TensorEncoding, edit: (e: Encoding) => Encoding = plain): TensorEncoding {
  return {
    layout: te.layout,
    channels: te.channels.map((c) => edit(c)),
    ...(te.axis !== undefined ? { axis: te.axis } : {}),
    ...(te.channelCount !== undefined ? { channelCount: te.channelCount } : {}),
    allChannelsPresent: te.allChannelsPresent,
    ...(te.isOverridden !== undefined ? { isOverridden: te.isOverridden } : {}),
  };
}

export function perTensor(e: Encoding): TensorEncoding {
  return { layout: 'per-tensor', channels: [e], allChannelsPresent: true };
}

/**
 * A plain copy of a parsed encoding. Parsed encodings may read their numbers through getters (the
 * dump parser keeps them in shared pages), so `{...e}` would lose them: read every field.
 */
export function plain(e: Encoding): Encoding {
  return {
    ...(e.channel !== undefined ? { channel: e.channel } : {}),
    bitwidth: e.bitwidth,
    min: { value: e.min.value, precision: e.min.precision },
    max: { value: e.max.value, precision: e.max.precision },
    scale: { value: e.scale.value, precision: e.scale.precision },
    offset: { value: e.offset.value, precision: e.offset.precision },
    ...(e.isSymmetric !== undefined ? { isSymmetric: e.isSymmetric } : {}),
    at: e.at,
  };
}

/** The same grid moved by `steps` of its own scale (min and max both; offset follows). */
export function moved(e: Encoding, steps: number): Encoding {
  const p = plain(e);
  const s = p.scale.value;
  return { ...p, min: n(p.min.value + steps * s), max: n(p.max.value + steps * s), offset: n(p.offset.value + steps) };
}

export function editGraph(model: DlcModel, graphName: string, edit: (g: Graph) => Graph): DlcModel {
  if (!model.graphs.some((g) => g.name === graphName)) throw new Error(`no graph ${graphName} in ${model.file}`);
  return { ...model, graphs: model.graphs.map((g) => (g.name === graphName ? edit(g) : g)) };
}

export function onlyGraph(model: DlcModel): Graph {
  if (model.graphs.length !== 1) throw new Error(`${model.file} has ${model.graphs.length} graphs`);
  return model.graphs[0]!;
}

/** Renames a tensor everywhere a dump names it: the tensor, the ops, the I/O tables. */
export function renameTensor(g: Graph, from: string, to: string): Graph {
  if (!g.tensors.has(from)) throw new Error(`no tensor ${from} in ${g.name}`);
  if (g.tensors.has(to)) throw new Error(`tensor ${to} already in ${g.name}`);
  const swap = (name: string): string => (name === from ? to : name);
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of g.tensors) tensors.set(swap(name), name === from ? { ...t, name: to } : t);
  const row = (r: IoRow): IoRow => (r.name === from ? { ...r, name: to } : r);
  return {
    ...g,
    tensors,
    ops: g.ops.map((op) => ({ ...op, inputs: op.inputs.map(swap), outputs: op.outputs.map(swap) })),
    inputs: g.inputs.map(row),
    outputs: g.outputs.map(row),
  };
}

export interface TensorPatch {
  readonly dtype?: string;
  readonly dims?: readonly number[];
  /** `null` removes the encoding (a float tensor). */
  readonly encoding?: TensorEncoding | null;
}

/** Changes a tensor's type, dimensions or encoding, in its op-table entry and its I/O-table row. */
export function patchTensor(g: Graph, name: string, patch: TensorPatch): Graph {
  const t = g.tensors.get(name);
  if (t === undefined) throw new Error(`no tensor ${name} in ${g.name}`);
  const { encoding: _old, ...rest } = t;
  const encoding = patch.encoding === null ? undefined : (patch.encoding ?? t.encoding);
  const next: Tensor = {
    ...rest,
    ...(patch.dtype !== undefined ? { dtype: patch.dtype } : {}),
    ...(patch.dims !== undefined ? { dims: patch.dims } : {}),
    ...(encoding !== undefined ? { encoding } : {}),
  };
  const tensors = new Map(g.tensors);
  tensors.set(name, next);
  const row = (r: IoRow): IoRow => {
    if (r.name !== name) return r;
    const { encoding: _e, ...base } = r;
    const e0 = encoding?.channels[0];
    return {
      ...base,
      ...(patch.dtype !== undefined ? { dtype: patch.dtype } : {}),
      ...(patch.dims !== undefined ? { dims: patch.dims.join(',') } : {}),
      ...(e0 !== undefined ? { encoding: e0 } : {}),
    };
  };
  const outDims = (op: Graph['ops'][number]): readonly string[] =>
    patch.dims === undefined ? op.outDims : op.outputs.map((o, i) => (o === name ? patch.dims!.join('x') : (op.outDims[i] ?? '')));
  return { ...g, tensors, ops: g.ops.map((op) => ({ ...op, outDims: outDims(op) })), inputs: g.inputs.map(row), outputs: g.outputs.map(row) };
}

/** A copy of graph `from` under a new name, added to the model (edited by `edit` first). */
export function copyGraph(model: DlcModel, from: string, newName: string, edit: (g: Graph) => Graph = (g) => g): DlcModel {
  const g = model.graphs.find((x) => x.name === from);
  if (g === undefined) throw new Error(`no graph ${from} in ${model.file}`);
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of g.tensors) tensors.set(name, { ...t, graph: newName });
  return { ...model, graphs: [...model.graphs, edit({ ...g, name: newName, tensors })] };
}

export function renameGraph(model: DlcModel, from: string, to: string): DlcModel {
  return editGraph(model, from, (g) => {
    const tensors = new Map<string, Tensor>();
    for (const [name, t] of g.tensors) tensors.set(name, { ...t, graph: to });
    return { ...g, name: to, tensors };
  });
}
