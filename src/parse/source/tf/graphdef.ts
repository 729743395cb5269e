/**
 * Frozen TensorFlow GraphDefs as a source of ranges: binary protobuf (`.pb`) and text format
 * (`.pbtxt`). Both are decoded into the small `TfGraph` of `tf-graph.ts`, then `fakequant.ts` turns
 * the FakeQuant nodes into source entries.
 *
 * The binary schema subset, from TensorFlow's `.proto` files (field numbers):
 *   GraphDef    { 1 repeated NodeDef node; 2 FunctionDefLibrary library; 3 int32 version (deprecated);
 *                 4 VersionDef versions; 5 GraphDebugInfo debug_info }
 *   NodeDef     { 1 name; 2 op; 3 repeated input; 4 device; 5 map<string, AttrValue> attr
 *                 (entries {1 key, 2 value}); 6 debug info; 7 full type }
 *   AttrValue   oneof { 1 ListValue list; 2 bytes s; 3 int64 i; 4 float f; 5 bool b; 6 DataType type;
 *                 7 TensorShapeProto shape; 8 TensorProto tensor; 9 placeholder; 10 func }
 *   TensorProto { 1 dtype; 2 tensor_shape; 4 bytes tensor_content; 5 float_val; 6 double_val;
 *                 7 int_val; 13 half_val } (repeated numbers packed or not)
 *   TensorShapeProto { 2 repeated Dim dim {1 int64 size}; 3 bool unknown_rank }
 *   VersionDef  { 1 int32 producer }   FunctionDefLibrary { 1 repeated FunctionDef function }
 * A bare protobuf has no magic number, so the GraphDef shape itself is checked strictly (known
 * top-level fields with their wire types, every node named and typed): random bytes, a PNG, a
 * TFLite flatbuffer or a SavedModel fail on the first field that does not fit.
 */
import { InputError, type InputFile, type SourceSet } from '../../../model.js';
import {
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  WireError,
  fieldFloat32,
  fieldFloat64,
  packedFloat32,
  packedFloat64,
  packedInt64,
  readFields,
  type WireField,
} from '../../wire/protobuf.js';
import { fakeQuantSources } from './fakequant.js';
import { parseTextGraphDef } from './pbtxt.js';
import type { TfAttrValue, TfGraph, TfNode, TfTensor } from './tf-graph.js';

/** Reads a binary GraphDef (`.pb`). Throws InputError BAD_GRAPHDEF / UNFROZEN_GRAPH. */
export function readGraphDef(input: InputFile): SourceSet {
  const bytes = input.bytes();
  let graph: TfGraph;
  try {
    graph = decodeGraphDef(bytes);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    throw new InputError('BAD_GRAPHDEF', `${input.name}: not a TensorFlow GraphDef (${err.message}${hintFor(bytes)})`, {
      file: input.name,
    });
  }
  return fakeQuantSources(graph, input.name, 'tf-graphdef');
}

/** Reads a text GraphDef (`.pbtxt`). Throws InputError BAD_GRAPHDEF / UNFROZEN_GRAPH. */
export function readGraphDefText(input: InputFile): SourceSet {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(input.bytes());
  const graph = parseTextGraphDef(text, input.name);
  return fakeQuantSources(graph, input.name, 'tf-graphdef-text');
}

/** What the bytes look like instead, for the error sentence. */
function hintFor(bytes: Uint8Array): string {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && ascii(4, 8) === 'TFL3') return '; it is a TensorFlow Lite flatbuffer';
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return '; it is a PNG image';
  if (bytes.length >= 4 && ascii(0, 4) === 'PK\x03\x04') return '; it is a zip archive (a .dlc?)';
  if (bytes[0] !== 0x08) return '';
  // Both start with field 1 as a varint. SavedModel { 1 int64 saved_model_schema_version;
  // 2 repeated MetaGraphDef meta_graphs (a message: starts with its field 1, 0x0a) }.
  // ONNX ModelProto { 1 int64 ir_version; 2 string producer_name; …; 7 GraphProto graph; 8 opset_import }.
  try {
    let seen = 0;
    for (const f of readFields(bytes)) {
      if (f.field === 2 && f.wireType === WIRE_LEN && f.bytes) {
        if (f.bytes[0] === 0x0a && f.bytes.length > 64) return '; it looks like a SavedModel: freeze it to a GraphDef first';
        if (f.bytes.length <= 64 && f.bytes.every((b) => b >= 0x20 && b <= 0x7e)) return '; it looks like an ONNX model';
      }
      if ((f.field === 7 || f.field === 8) && f.wireType === WIRE_LEN) return '; it looks like an ONNX model';
      if (++seen >= 8) break;
    }
  } catch {
    // Unreadable further on: no better guess.
  }
  return '';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function expectWireType(f: WireField, wireType: number, what: string): void {
  if (f.wireType !== wireType) {
    const expected = ['a varint', 'a 64-bit value', 'length-delimited', '', '', 'a 32-bit value'][wireType] ?? `wire type ${wireType}`;
    throw new WireError(`${what} (field ${f.field}) has wire type ${f.wireType}, expected ${expected},`, f.offset);
  }
}

function text(f: WireField, what: string): string {
  expectWireType(f, WIRE_LEN, what);
  try {
    return strictUtf8.decode(f.bytes);
  } catch {
    throw new WireError(`${what} is not UTF-8 text,`, f.offset);
  }
}

/** Decodes the GraphDef's node list (attrs shallowly, tensors on demand). Throws WireError. */
export function decodeGraphDef(bytes: Uint8Array): TfGraph {
  const nodes: TfNode[] = [];
  let producer: number | undefined;
  let functionCount = 0;
  for (const f of readFields(bytes)) {
    switch (f.field) {
      case 1:
        expectWireType(f, WIRE_LEN, 'a node');
        nodes.push(decodeNode(f.bytes!, f.offset));
        break;
      case 2:
        expectWireType(f, WIRE_LEN, 'the function library');
        for (const g of readFields(f.bytes!, f.offset)) if (g.field === 1) functionCount++;
        break;
      case 3:
        expectWireType(f, WIRE_VARINT, 'the version');
        break;
      case 4:
        expectWireType(f, WIRE_LEN, 'the versions');
        for (const g of readFields(f.bytes!, f.offset)) {
          if (g.field === 1 && g.wireType === WIRE_VARINT) producer = g.int64!;
        }
        break;
      case 5:
        expectWireType(f, WIRE_LEN, 'the debug info');
        break;
      default:
        throw new WireError(`field ${f.field} is not a GraphDef field,`, f.offset);
    }
  }
  return producer === undefined ? { nodes, functionCount } : { nodes, functionCount, producer };
}

function decodeNode(bytes: Uint8Array, base: number): TfNode {
  let name = '';
  let op = '';
  const inputs: string[] = [];
  const attrs = new Map<string, TfAttrValue>();
  for (const f of readFields(bytes, base)) {
    switch (f.field) {
      case 1:
        name = text(f, 'a node name');
        break;
      case 2:
        op = text(f, 'a node op');
        break;
      case 3:
        inputs.push(text(f, 'a node input'));
        break;
      case 5: {
        expectWireType(f, WIRE_LEN, 'a node attr');
        let key = '';
        let value: TfAttrValue = { kind: 'other', what: 'empty' };
        for (const g of readFields(f.bytes!, f.offset)) {
          if (g.field === 1) key = text(g, 'an attr key');
          else if (g.field === 2) {
            expectWireType(g, WIRE_LEN, 'an attr value');
            value = decodeAttrValue(g.bytes!, g.offset);
          }
        }
        attrs.set(key, value);
        break;
      }
      default:
        break; // device, debug info, full type: not needed
    }
  }
  if (name === '' || op === '') throw new WireError(`a node without ${name === '' ? 'a name' : 'an op'},`, base);
  return { name, op, inputs, attrs, at: {} };
}

function decodeAttrValue(bytes: Uint8Array, base: number): TfAttrValue {
  let value: TfAttrValue = { kind: 'other', what: 'empty' };
  // A oneof: the last field present wins, as in protobuf.
  for (const f of readFields(bytes, base)) {
    switch (f.field) {
      case 2:
        expectWireType(f, WIRE_LEN, 'an attr string');
        value = { kind: 's', value: new TextDecoder().decode(f.bytes) };
        break;
      case 3:
        expectWireType(f, WIRE_VARINT, 'an attr int');
        value = { kind: 'i', value: f.int64! };
        break;
      case 4:
        expectWireType(f, WIRE_I32, 'an attr float');
        value = { kind: 'f', value: fieldFloat32(f) };
        break;
      case 5:
        expectWireType(f, WIRE_VARINT, 'an attr bool');
        value = { kind: 'b', value: f.varint !== 0 };
        break;
      case 6:
        expectWireType(f, WIRE_VARINT, 'an attr type');
        value = { kind: 'type', value: f.varint! };
        break;
      case 8: {
        expectWireType(f, WIRE_LEN, 'an attr tensor');
        const tensorBytes = f.bytes!;
        const at = f.offset;
        value = { kind: 'tensor', tensor: () => decodeTensorSafely(tensorBytes, at) };
        break;
      }
      default:
        value = { kind: 'other', what: ['', 'list', '', '', '', '', '', 'shape', '', 'placeholder', 'func'][f.field] ?? `field ${f.field}` };
    }
  }
  return value;
}

function decodeTensorSafely(bytes: Uint8Array, base: number): TfTensor | string {
  try {
    return decodeTensor(bytes, base);
  } catch (err) {
    if (err instanceof WireError) return `malformed TensorProto (${err.message})`;
    throw err;
  }
}

/** Repeated numbers arrive packed (one LEN field) or one by one; both are valid protobuf. */
function pushNumbers(out: number[], f: WireField, kind: 'f32' | 'f64' | 'varint'): void {
  if (f.wireType === WIRE_LEN) {
    out.push(...(kind === 'f32' ? packedFloat32(f) : kind === 'f64' ? packedFloat64(f) : packedInt64(f)));
  } else if (kind === 'f32' && f.wireType === WIRE_I32) out.push(fieldFloat32(f));
  else if (kind === 'f64' && f.wireType === WIRE_I64) out.push(fieldFloat64(f));
  else if (kind === 'varint' && f.wireType === WIRE_VARINT) out.push(f.int64!);
  else throw new WireError(`a tensor value (field ${f.field}) has wire type ${f.wireType},`, f.offset);
}

function decodeTensor(bytes: Uint8Array, base: number): TfTensor {
  let dtype = 0;
  let shape: number[] | undefined = [];
  let content: Uint8Array | undefined;
  const floatVal: number[] = [];
  const doubleVal: number[] = [];
  const intVal: number[] = [];
  const halfVal: number[] = [];
  for (const f of readFields(bytes, base)) {
    switch (f.field) {
      case 1:
        expectWireType(f, WIRE_VARINT, 'a tensor dtype');
        dtype = f.varint!;
        break;
      case 2:
        expectWireType(f, WIRE_LEN, 'a tensor shape');
        shape = decodeShape(f.bytes!, f.offset);
        break;
      case 4:
        expectWireType(f, WIRE_LEN, 'a tensor content');
        content = f.bytes;
        break;
      case 5:
        pushNumbers(floatVal, f, 'f32');
        break;
      case 6:
        pushNumbers(doubleVal, f, 'f64');
        break;
      case 7:
        pushNumbers(intVal, f, 'varint');
        break;
      case 13:
        pushNumbers(halfVal, f, 'varint');
        break;
      default:
        break;
    }
  }
  const tensor = { dtype, floatVal, doubleVal, intVal, halfVal };
  return {
    ...tensor,
    ...(shape === undefined ? {} : { shape }),
    ...(content === undefined ? {} : { content }),
  };
}

function decodeShape(bytes: Uint8Array, base: number): number[] | undefined {
  const dims: number[] = [];
  let unknownRank = false;
  for (const f of readFields(bytes, base)) {
    if (f.field === 2) {
      expectWireType(f, WIRE_LEN, 'a shape dim');
      let size = 0;
      for (const g of readFields(f.bytes!, f.offset)) {
        if (g.field === 1 && g.wireType === WIRE_VARINT) size = g.int64!;
      }
      dims.push(size);
    } else if (f.field === 3 && f.wireType === WIRE_VARINT) unknownRank = f.varint !== 0;
  }
  return unknownRank ? undefined : dims;
}
