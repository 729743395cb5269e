/**
 * Read a `.dlc` itself, without the SDK: a zip holding `model` (the graph, with every encoding),
 * `model.params` (weights) and metadata. See DLC-BINARY.md. The result has the shape a dump
 * parser gives, with exact float32 numbers and every channel.
 *
 * Unreadable input (not a zip, no `model`, an unknown version, a truncated file, an offset out of
 * bounds) throws InputError('BAD_DLC') with one sentence; odd but readable data becomes diagnostics.
 */
import { InputError, type DlcModel, type DumpFamily, type Graph, type InputFile, type ModelMetadata } from '../../model.js';
import { WireError } from '../wire/protobuf.js';
import { DiagnosticList } from './build.js';
import { FlatBuffer, FlatBufferError } from '../wire/flatbuffer.js';
import { buildGraph1x, type Param1x } from './graph1x.js';
import { bodyIdentifier, KNOWN_MAJORS, readHeader } from './header.js';
import { emptyMetadata, parseJsonMetadata, parseKeyValueMetadata } from './metadata.js';
import { readV2Model } from './v2.js';
import { readV3Model, readV3Params } from './v3.js';
import { readV4Model } from './v4.js';
import { entryHead, listEntries, openEntry, readEntry, ZipError, type ZipEntry } from '../wire/zip.js';

/** The graph name of a 1.x DLC (which has none): the file name without `.dlc`. */
function graphNameOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.dlc$/i, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function bad(input: InputFile, sentence: string): InputError {
  return new InputError('BAD_DLC', `${input.name}: ${sentence}`, { file: input.name });
}

function readMetadata(input: InputFile, entries: readonly ZipEntry[], diags: DiagnosticList): ModelMetadata {
  const json = entries.find((e) => e.name.startsWith('dlc.metadata2'));
  if (json) return parseJsonMetadata(utf8.decode(readEntry(input, json)), diags, { file: input.name, node: json.name });
  const kv = entries.find((e) => e.name === 'dlc.metadata');
  if (kv) return parseKeyValueMetadata(utf8.decode(readEntry(input, kv)));
  return emptyMetadata();
}

/** Which body: the header's major version, or a bare FlatBuffer recognised by its layout. */
function versionOf(input: InputFile, model: Uint8Array): { major: number; body: Uint8Array } {
  const header = readHeader(model);
  if (header) {
    if (!KNOWN_MAJORS.includes(header.major)) {
      throw bad(input, `the model entry has DLC format version ${header.major}.${header.minor}, which this reader does not know (known: 2.x, 3.x, 4.x)`);
    }
    return { major: header.major, body: model.subarray(header.bodyOffset) };
  }
  if (bodyIdentifier(model) === 'NETD') {
    // A bare FlatBuffer: v4 keeps graphs in slot 0, v3 layers in slot 1.
    const root = new FlatBuffer(model).root();
    return { major: root.has(0) && !root.has(1) ? 4 : 3, body: model };
  }
  throw bad(input, 'the model entry has no DLC header (D5 0A …) and is not a NETD FlatBuffer');
}

function readUnchecked(input: InputFile): DlcModel {
  const entries = listEntries(input);
  const modelEntry = entries.find((e) => e.name === 'model');
  if (!modelEntry) {
    const names = entries.map((e) => e.name).slice(0, 8).join(', ');
    throw bad(input, `the zip has no "model" entry, so it is not a DLC (entries: ${names || 'none'})`);
  }
  const diags = new DiagnosticList();
  const metadata = readMetadata(input, entries, diags);
  const { major, body } = versionOf(input, readEntry(input, modelEntry));
  let graphs: Graph[];
  let family: DumpFamily;
  if (major === 4) {
    family = 'dlc-v4';
    // All v4 encodings sit on the tensors in `model`: `model.params` (NETP/NR64) is never read.
    graphs = readV4Model(body, input.name, diags);
  } else if (major === 3) {
    family = 'dlc-v3';
    const { layers } = readV3Model(body, input.name, diags);
    const paramsEntry = entries.find((e) => e.name === 'model.params');
    let params: Param1x[] = [];
    if (paramsEntry) {
      // Read lazily, page by page: only tables, names and encodings are touched, never the weights.
      const h = readHeader(entryHead(input, paramsEntry, 8));
      params = readV3Params(openEntry(input, paramsEntry, h ? h.bodyOffset : 0), input.name);
    }
    graphs = [buildGraph1x(graphNameOf(input.name), layers, params, diags)];
  } else {
    family = 'dlc-v2';
    const { layers, params } = readV2Model(body, input.name, diags);
    graphs = [buildGraph1x(graphNameOf(input.name), layers, params, diags)];
  }
  return { format: 'dlc', family, file: input.name, metadata, graphs, diagnostics: diags.items };
}

export function readDlc(input: InputFile): DlcModel {
  try {
    return readUnchecked(input);
  } catch (err) {
    if (err instanceof ZipError) throw bad(input, `not a readable DLC zip archive: ${err.message}`);
    if (err instanceof FlatBufferError) throw bad(input, `the FlatBuffer body is corrupt: ${err.message}`);
    if (err instanceof WireError) throw bad(input, `the v2 protobuf body is corrupt: ${err.message}`);
    throw err;
  }
}
