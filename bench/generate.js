// Benchmark inputs, generated at run time (never stored in the repository): a multi-graph,
// LLM-shaped qairt-2.2x `-d` dump written by dlcverify's own dump writer, and the matching AIMET
// legacy overrides JSON (per-channel lists, `json.dump(indent=4, sort_keys=True)` layout).
//
// The model is a small decoder-only transformer split into N graphs the way QAIRT splits LLMs
// (`…_1_of_8`, …): per layer RMSNorm, q/k/v/o projections, attention MatMuls and Softmax, a gated
// MLP; ONNX-export names (`/model/layers.12/self_attn/q_proj/Conv`, `model.layers.12.self_attn.
// q_proj.weight`). Weights are 8-bit per-channel (every channel printed, as with `-d`),
// activations 16-bit per-tensor. Values are float32 and deterministic (a seeded PRNG); one
// activation in 500 is given a deliberately different range so verify has real findings to report.
import { closeSync, openSync, writeSync } from 'node:fs';
import { dumpTextGraphLines, dumpTextHeaderLines, resolveWriteOptions } from '../dist/testing/dump-text.js';

const f32 = Math.fround;
const AT = Object.freeze({});
const PRINTED = Object.freeze({ style: 'float32' });

/** mulberry32: small, fast, deterministic. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const num = (value) => ({ value, precision: PRINTED });

/** A grid as the SDK stores it: float32 scale, integer offset, min/max on the grid. */
function grid(bitwidth, scale, offset, channel) {
  const s = f32(scale);
  const levels = 2 ** bitwidth - 1;
  const enc = {
    bitwidth,
    min: num(f32(offset * s)),
    max: num(f32((levels + offset) * s)),
    scale: num(s),
    offset: num(offset),
    at: AT,
  };
  return channel === undefined ? enc : { channel, ...enc };
}

export const DEFAULT_SHAPE = Object.freeze({ hidden: 512, kv: 128, mlp: 1536, seq: 128 });

/**
 * Builds one graph of `layers` decoder layers starting at `firstLayer`. Returns the Graph (model.ts
 * shape) and the overrides entries it implies: [{name, section, grids, symmetric}].
 */
export function llmGraph({ name, firstLayer, layers, inputName, shape = DEFAULT_SHAPE, random }) {
  const { hidden, kv, mlp, seq } = shape;
  const tensors = new Map();
  const ops = [];
  const overrides = [];
  const consumers = new Map();
  const addTensor = (t) => {
    tensors.set(t.name, t);
    return t.name;
  };
  const activation = (tname, dims, tensorType = 'NATIVE', producer) => {
    const scale = 1e-5 + random() * 4e-4;
    const offset = -Math.floor(random() * 65535);
    const enc = grid(16, scale, offset);
    // One in 500 overrides asks for another range than the DLC holds: a REAL_MISMATCH to report.
    const meant = random() < 0.002 ? grid(16, scale * 1.5, offset) : enc;
    overrides.push({ name: tname, section: 'activation', grids: [meant], symmetric: false, bitwidth: 16 });
    return addTensor({
      name: tname,
      graph: name,
      dtype: 'uFxp_16',
      dims,
      tensorType,
      role: tensorType === 'APP_WRITE' ? 'graph-input' : tensorType === 'APP_READ' ? 'graph-output' : 'activation',
      ...(producer ? { producer } : {}),
      consumers: [],
      encoding: { layout: 'per-tensor', channels: [enc], allChannelsPresent: true },
      at: AT,
    });
  };
  const weight = (tname, dims, channels, perChannel) => {
    let encoding;
    if (perChannel) {
      const grids = [];
      for (let c = 0; c < channels; c++) grids.push(grid(8, 1e-4 + random() * 2e-2, -128, c));
      encoding = { layout: 'per-channel', channels: grids, axis: 3, channelCount: channels, allChannelsPresent: true };
      overrides.push({ name: tname, section: 'param', grids, symmetric: true, bitwidth: 8 });
    } else {
      const g = grid(16, 1e-5 + random() * 1e-3, -32768);
      encoding = { layout: 'per-tensor', channels: [g], allChannelsPresent: true };
      overrides.push({ name: tname, section: 'param', grids: [g], symmetric: true, bitwidth: 16 });
    }
    return addTensor({
      name: tname,
      graph: name,
      dtype: perChannel ? 'sFxp_8' : 'uFxp_16',
      dims,
      tensorType: 'STATIC',
      role: 'param',
      consumers: [],
      encoding,
      at: AT,
    });
  };
  const op = (opName, type, inputs, outputs, outDims, params) => {
    for (const i of inputs) {
      const list = consumers.get(i);
      if (list) list.push(opName);
      else consumers.set(i, [opName]);
    }
    ops.push({
      id: ops.length,
      name: opName,
      type,
      inputs,
      outputs,
      outDims,
      params: params.map(([pname, value]) => ({ name: pname, value, at: AT })),
      at: AT,
    });
  };
  const dims3 = (c) => [1, 1, seq, c];
  const outDims = (c) => `1x1x${seq}x${c}`;

  let hiddenIn = activation(inputName, dims3(hidden), 'APP_WRITE');
  const graphInput = hiddenIn;
  const lastLayer = firstLayer + layers - 1;
  for (let l = firstLayer; l <= lastLayer; l++) {
    const p = `/model/layers.${l}`;
    const w = `model.layers.${l}`;
    const norm = (which, input) => {
      const opName = `${p}/${which}/RMSNorm`;
      const out = activation(`${opName}_output_0`, dims3(hidden), 'NATIVE', { op: opName, type: 'RmsNorm' });
      const gamma = weight(`${w}.${which}.weight`, [hidden], hidden, false);
      op(opName, 'RmsNorm', [input, gamma], [out], [outDims(hidden)], [['axes', '[3]'], ['epsilon', '1e-06'], ['packageName', 'qti.aisw']]);
      return out;
    };
    const proj = (scope, which, input, cin, cout, outType = 'NATIVE') => {
      const opName = `${p}/${scope}/${which}/Conv`;
      const out = activation(`${opName}_output_0`, dims3(cout), outType, { op: opName, type: 'Conv2d' });
      const wt = weight(`${w}.${scope}.${which}.weight`, [1, 1, cin, cout], cout, true);
      op(opName, 'Conv2d', [input, wt], [out], [outDims(cout)], [
        ['bias_op_name', ''],
        ['dilation', '[1, 1]'],
        ['group', '1'],
        ['packageName', 'qti.aisw'],
        ['pad_amount', '[[0, 0], [0, 0]]'],
        ['padding_size_strategy', '5'],
        ['stride', '[1, 1]'],
        ['param count', `${cin * cout} (${((100 * cin * cout) / 1e8).toFixed(3)}%)`],
        ['MACs per inference', `${Math.round((cin * cout * seq) / 1e6)}M (0.5%)`],
      ]);
      return out;
    };
    const binary = (opName, type, inputs, c, operation) => {
      const out = activation(`${opName}_output_0`, dims3(c), 'NATIVE', { op: opName, type });
      op(opName, type, inputs, [out], [outDims(c)], [['operation', String(operation)], ['packageName', 'qti.aisw']]);
      return out;
    };
    const ln1 = norm('input_layernorm', hiddenIn);
    const q = proj('self_attn', 'q_proj', ln1, hidden, hidden);
    const k = proj('self_attn', 'k_proj', ln1, hidden, kv);
    const v = proj('self_attn', 'v_proj', ln1, hidden, kv);
    const scores = binary(`${p}/self_attn/MatMul`, 'MatMul', [q, k], seq, 0);
    const softmaxName = `${p}/self_attn/Softmax`;
    const probs = activation(`${softmaxName}_output_0`, dims3(seq), 'NATIVE', { op: softmaxName, type: 'Softmax' });
    op(softmaxName, 'Softmax', [scores], [probs], [outDims(seq)], [['axis', '3'], ['beta', '1'], ['packageName', 'qti.aisw']]);
    const attn = binary(`${p}/self_attn/MatMul_1`, 'MatMul', [probs, v], hidden, 0);
    const o = proj('self_attn', 'o_proj', attn, hidden, hidden);
    const res1 = binary(`${p}/Add`, 'Eltwise_Binary', [hiddenIn, o], hidden, 0);
    const ln2 = norm('post_attention_layernorm', res1);
    const gate = proj('mlp', 'gate_proj', ln2, hidden, mlp);
    const siluName = `${p}/mlp/act_fn/Sigmoid`;
    const sig = activation(`${siluName}_output_0`, dims3(mlp), 'NATIVE', { op: siluName, type: 'ElementWiseNeuron' });
    op(siluName, 'ElementWiseNeuron', [gate], [sig], [outDims(mlp)], [['operation', '6'], ['packageName', 'qti.aisw']]);
    const silu = binary(`${p}/mlp/act_fn/Mul`, 'Eltwise_Binary', [gate, sig], mlp, 13);
    const up = proj('mlp', 'up_proj', ln2, hidden, mlp);
    const gated = binary(`${p}/mlp/Mul`, 'Eltwise_Binary', [silu, up], mlp, 13);
    const down = proj('mlp', 'down_proj', gated, mlp, hidden);
    hiddenIn = binary(`${p}/Add_1`, 'Eltwise_Binary', [res1, down], hidden, 0);
  }
  // The last Add of the graph is its output (APP_READ), read by the next graph as its input.
  const last = tensors.get(hiddenIn);
  tensors.set(hiddenIn, { ...last, tensorType: 'APP_READ', role: 'graph-output' });
  for (const [t, list] of consumers) {
    const tensor = tensors.get(t);
    if (tensor) tensors.set(t, { ...tensor, consumers: list });
  }
  const io = (tname) => {
    const t = tensors.get(tname);
    return { name: tname, dims: t.dims.join(','), dtype: t.dtype, encoding: t.encoding.channels[0], at: AT };
  };
  const graph = {
    name,
    ops,
    tensors,
    inputs: [io(graphInput)],
    outputs: [io(hiddenIn)],
    footer: new Map([
      ['Total parameters', `${layers * 12} (0 MB assuming single precision float. This does not represent the actual memory requirement for the model. It provides a rough estimate of the contribution from the parameters 4xNo of Params in bytes)`],
      ['Total MACs per inference', `${layers * 300}M (100%)`],
      ['Ops used by Graph', 'Conv2d, ElementWiseNeuron, Eltwise_Binary, MatMul, RmsNorm, Softmax'],
      ['Est. Steady-State Memory Needed to Run', `${(layers * 10.5).toFixed(1)} MiB`],
    ]),
  };
  return { graph, overrides, output: hiddenIn };
}

/** The model header (no graphs): written once, graphs are streamed after it. */
export function benchModelHeader(path, overridesPath) {
  return {
    format: 'dlc-info-text',
    family: 'qairt-2.2x',
    file: path,
    metadata: {
      modelVersion: 'N/A',
      copyright: 'N/A',
      converterCommand: {
        text: `qairt-converter; input_network=/models/llama_small.onnx; quantization_overrides=${overridesPath}; preserve_io=[['layout']]; float_bitwidth=32`,
        tool: 'qairt-converter',
        options: new Map([['quantization_overrides', overridesPath]]),
      },
      quantizerCommand: {
        text: 'qairt-quantizer; input_dlc=[/models/llama_small_fp.dlc]; act_bitwidth=[16]; weights_bitwidth=[8]; bias_bitwidth=[32]; override_params=true; use_per_channel_quantization=true',
        tool: 'qairt-quantizer',
        options: new Map([['override_params', 'true']]),
      },
      converterVersion: '2.25.0.240728104910_97711',
      other: new Map(),
    },
    graphs: [],
    diagnostics: [],
  };
}

/** Buffered synchronous writer (the generator is a script: simple beats clever). */
class Out {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
    this.written = 0;
  }
  write(text) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 4 << 20) this.flush();
  }
  flush() {
    const chunk = this.parts.join('');
    this.written += Buffer.byteLength(chunk);
    writeSync(this.fd, chunk);
    this.parts = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
    return this.written;
  }
}

/** AIMET writes Python floats of float32 values: JS shortest round-trip text is the same digits. */
function jsonNumber(x) {
  if (Number.isInteger(x)) return Number.isFinite(x) ? `${x}.0` : 'null';
  return String(x);
}

function jsonEntry(entry, indent) {
  const pad = ' '.repeat(indent);
  const items = entry.grids.map(
    (g) =>
      `${pad}    {\n` +
      `${pad}        "bitwidth": ${entry.bitwidth},\n` +
      `${pad}        "dtype": "int",\n` +
      `${pad}        "is_symmetric": "${entry.symmetric ? 'True' : 'False'}",\n` +
      `${pad}        "max": ${jsonNumber(g.max.value)},\n` +
      `${pad}        "min": ${jsonNumber(g.min.value)},\n` +
      `${pad}        "offset": ${g.offset.value},\n` +
      `${pad}        "scale": ${jsonNumber(g.scale.value)}\n` +
      `${pad}    }`,
  );
  return `${pad}${JSON.stringify(entry.name)}: [\n${items.join(',\n')}\n${pad}]`;
}

/**
 * Writes a dump of about `targetBytes` and its overrides JSON. Returns sizes and counts.
 * `graphs` graphs, layers spread evenly; layer count chosen from a measured bytes-per-layer.
 */
export function generateBenchPair({ dumpPath, jsonPath, targetBytes, graphs, seed = 7, shape = DEFAULT_SHAPE }) {
  const random = prng(seed);
  const header = benchModelHeader('/models/llama_small_w8a16.dlc', '/models/llama_small.encodings');
  const options = resolveWriteOptions(header, { family: 'qairt-2.2x', displayAll: true });
  // Calibrate: bytes per layer of a one-layer graph.
  const probe = llmGraph({ name: 'probe', firstLayer: 0, layers: 2, inputName: 'probe_input', shape, random: prng(seed + 1) });
  let probeBytes = 0;
  for (const line of dumpTextGraphLines(probe.graph, options)) probeBytes += line.length + 1;
  const bytesPerLayer = probeBytes / 2;
  const totalLayers = Math.max(graphs, Math.round(targetBytes / bytesPerLayer));

  const dump = new Out(dumpPath);
  for (const line of dumpTextHeaderLines(header, options)) dump.write(line + '\n');
  // Activations and params go to two sections of one JSON object; params are held as text until
  // the end (the JSON is about half the dump: fine for a generator).
  const json = new Out(jsonPath);
  json.write('{\n    "activation_encodings": {\n');
  const paramTexts = [];
  let firstActivation = true;
  let inputName = 'inputs_embeds';
  let layer = 0;
  let encodings = 0;
  let channelLines = 0;
  for (let g = 0; g < graphs; g++) {
    const layers = Math.floor(totalLayers / graphs) + (g < totalLayers % graphs ? 1 : 0);
    const { graph, overrides, output } = llmGraph({
      name: `llama_small_prompt_ar128_cl2048_${g + 1}_of_${graphs}`,
      firstLayer: layer,
      layers,
      inputName,
      shape,
      random,
    });
    for (const line of dumpTextGraphLines(graph, options)) dump.write(line + '\n');
    for (const entry of overrides) {
      // A graph input repeats the previous graph's output: one JSON entry per name.
      if (entry.section === 'activation' && entry.name === inputName && g > 0) continue;
      encodings++;
      if (entry.grids.length > 1) channelLines += entry.grids.length;
      if (entry.section === 'activation') {
        json.write((firstActivation ? '' : ',\n') + jsonEntry(entry, 8));
        firstActivation = false;
      } else {
        paramTexts.push(jsonEntry(entry, 8));
      }
    }
    layer += layers;
    inputName = output;
  }
  const dumpBytes = dump.close();
  json.write('\n    },\n    "param_encodings": {\n');
  for (let i = 0; i < paramTexts.length; i++) json.write((i === 0 ? '' : ',\n') + paramTexts[i]);
  json.write('\n    },\n    "quantizer_args": {\n        "activation_bitwidth": 16,\n        "param_bitwidth": 8,\n        "per_channel_quantization": true\n    },\n    "version": "0.6.1"\n}\n');
  const jsonBytes = json.close();
  return { dumpBytes, jsonBytes, graphs, layers: layer, encodings, channelLines };
}
