/**
 * v3 bodies (SNPE 1.35–1.6x): `model` is a FlatBuffer `NETD`, `model.params` a FlatBuffer `NETP`.
 * Slots (DLC-BINARY.md "v3"):
 * - Model: 1 [Layer], 4 [Attribute] (model level: `BufferInfos` = {buffer: {dims, …}}).
 * - Layer: 0 id, 1 name, 2 type, 3 inputs [string], 4 outputs [string], 5 [Attribute].
 * - ModelParameters: 0 [LayerParams {0 layer name, 1 [Tensor {0 name, 1 shape, 2 TensorData, 3 [Attribute]}]}].
 * Encodings: layer/tensor attribute `DataEncoding` (≥1.56) = list per output of
 * `{DataEncodingElement: [{delta, max, min, offset, precision}…], axis}`, or `FxpData` (≤1.4x) =
 * list per output of `{min, max, delta, offset, precision}`. Fields are float32 (offset too) and a
 * field equal to 0 is omitted (FlatBuffers default). `precision` = 520 (0x208) on every 8-bit
 * sample seen: its low byte is taken as the bitwidth [guess, held on 648 real encodings].
 */
import type { Location, OpParam, TensorEncoding } from '../../model.js';
import { FlatBuffer, type ByteSource } from '../wire/flatbuffer.js';
import { attrText, children, findAttr, numberOf, readAttrs, type Attr } from './attributes.js';
import { FLOAT32, perChannelEncoding, toEncoding, type DiagnosticList, type RawGrid } from './build.js';
import { dumpTypeName, type Layer1x, type Param1x } from './graph1x.js';

function isArrayAttr(a: Attr | undefined): boolean {
  const list = children(a);
  return list.length > 0 && list.every((c, i) => c.name === String(i));
}

function gridOf(element: readonly Attr[]): RawGrid {
  const get = (name: string) => numberOf(findAttr(element, name));
  const precision = get('precision');
  return {
    bitwidth: precision & 0xff,
    min: get('min'),
    max: get('max'),
    scale: get('delta'),
    offset: get('offset'),
  };
}

function encodingFromGrids(grids: readonly RawGrid[], axis: number, at: Location): TensorEncoding | undefined {
  if (grids.length === 0) return undefined;
  if (axis < 0 || grids.length === 1) {
    return { layout: 'per-tensor', channels: [toEncoding(grids[0]!, at, FLOAT32)], allChannelsPresent: true };
  }
  return perChannelEncoding(grids, axis, at);
}

/** Encodings per output index from a layer's (or a param tensor's) attributes. */
export function encodingsOf(attrs: readonly Attr[], at: Location): (TensorEncoding | undefined)[] {
  const data = findAttr(attrs, 'DataEncoding');
  if (data) {
    const perOutput = isArrayAttr(data) ? children(data) : [data];
    return perOutput.map((out) => {
      const fields = children(out);
      const elementsAttr = findAttr(fields, 'DataEncodingElement');
      const elements = isArrayAttr(elementsAttr) ? children(elementsAttr) : elementsAttr ? [elementsAttr] : [];
      const grids = elements.map((e) => gridOf(children(e)));
      const axisAttr = findAttr(fields, 'axis');
      // axis is an int attribute; absent means 0 (FlatBuffers default), present -1 means per tensor.
      const axis = axisAttr ? numberOf(axisAttr) : grids.length > 1 ? 0 : -1;
      return encodingFromGrids(grids, axis, at);
    });
  }
  const fxp = findAttr(attrs, 'FxpData');
  if (fxp) {
    const perOutput = isArrayAttr(fxp) ? children(fxp) : [fxp];
    return perOutput.map((out) => encodingFromGrids([gridOf(children(out))], -1, at));
  }
  return [];
}

const LAYER_ENCODING_ATTRS = new Set(['DataEncoding', 'FxpData', 'OutputDims']);

export interface V3Body {
  readonly layers: Layer1x[];
  /** Buffer dims from the model-level `BufferInfos`. */
  readonly bufferDims: Map<string, number[]>;
}

export function readV3Model(body: Uint8Array, file: string, diags: DiagnosticList): V3Body {
  const fb = new FlatBuffer(body);
  const root = fb.root();
  const bufferDims = new Map<string, number[]>();
  for (const a of readAttrs(root, 4)) {
    if (a.name !== 'BufferInfos') continue;
    for (const info of children(a)) {
      const dims = findAttr(children(info), 'dims');
      if (dims?.value.kind === 'ints') bufferDims.set(info.name, [...dims.value.values]);
    }
  }
  const layers: Layer1x[] = [];
  root.tables(1).forEach((t, index) => {
    const name = t.string(1) ?? `layer_${index}`;
    const at: Location = { file, node: `model: layer ${name}` };
    const attrs = readAttrs(t, 5);
    const outputs = t.strings(4);
    const outDimsAttr = findAttr(attrs, 'OutputDims');
    const outDims = outputs.map((o, i) => {
      const d = children(outDimsAttr)[i];
      return d?.value.kind === 'ints' ? [...d.value.values] : bufferDims.get(o);
    });
    const encodings = encodingsOf(attrs, at);
    if (encodings.length > outputs.length) {
      diags.add('DLC_UNREADABLE_PART', `layer ${name}: ${encodings.length} encodings for ${outputs.length} outputs; the extra ones are ignored`, at);
    }
    const params: OpParam[] = attrs
      .filter((a) => !LAYER_ENCODING_ATTRS.has(a.name))
      .map((a) => ({ name: a.name, value: attrText(a.value), at }));
    layers.push({
      id: t.i32(0, index),
      name,
      type: dumpTypeName(t.string(2) ?? ''),
      inputs: t.strings(3),
      outputs,
      outDims,
      params,
      encodings,
      at,
    });
  });
  return { layers, bufferDims };
}

/** Weight/bias tensors and their encodings from `model.params` (the weight bytes are never read). */
export function readV3Params(body: Uint8Array | ByteSource, file: string): Param1x[] {
  const fb = new FlatBuffer(body);
  const root = fb.root();
  const out: Param1x[] = [];
  for (const lp of root.tables(0)) {
    const layer = lp.string(0) ?? '';
    for (const t of lp.tables(1)) {
      const stored = t.string(0) ?? '';
      const at: Location = { file, node: `model.params: ${layer}/${stored}` };
      const encoding = encodingsOf(readAttrs(t, 3), at)[0];
      const dims = t.scalars(1, 'i32');
      out.push({ layer, stored, dims, ...(encoding ? { encoding } : {}), at });
    }
  }
  return out;
}
