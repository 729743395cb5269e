/**
 * DLC metadata entries:
 * - `dlc.metadata` (v2/v3/v4.0): `key=value` lines, e.g. `converter-version=1.60.0.3313`,
 *   `quantizer-command=N/A` (never quantized);
 * - `dlc.metadata2.1.0` (v4.1, QAIRT 2.42): JSON
 *   `{header: {artifact_type, version}, dlcGenerationInfo: [{converterCommand: {tool, converterVersion, args}}]}`.
 */
import type { Command, Location, ModelMetadata } from '../../model.js';
import { parseCommand } from '../dump/commands.js';
import type { DiagnosticList } from './build.js';

interface MutableMetadata {
  modelVersion?: string;
  copyright?: string;
  converterCommand?: Command;
  quantizerCommand?: Command | null;
  converterVersion?: string;
  other: Map<string, string>;
}

export function emptyMetadata(): ModelMetadata {
  return { other: new Map() };
}

/** `key=value` lines (the value may contain `=`). */
export function parseKeyValueMetadata(text: string): ModelMetadata {
  const m: MutableMetadata = { other: new Map() };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    switch (key) {
      case 'converter-command':
        m.converterCommand = parseCommand(value);
        break;
      case 'quantizer-command':
        m.quantizerCommand = value === 'N/A' || value === '' ? null : parseCommand(value);
        break;
      case 'converter-version':
        m.converterVersion = value;
        break;
      case 'model-version':
        m.modelVersion = value;
        break;
      case 'model-copyright':
        m.copyright = value;
        break;
      default:
        m.other.set(key, value);
    }
  }
  return m;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function commandFromJson(c: Record<string, unknown>): Command {
  const tool = typeof c['tool'] === 'string' ? c['tool'] : '';
  const options = new Map<string, string>();
  const args = c['args'];
  if (isRecord(args)) {
    for (const [k, v] of Object.entries(args)) options.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const text = [tool, ...[...options].map(([k, v]) => `${k}=${v}`)].join(' ');
  return { text, tool, options };
}

/** The v4.1 JSON metadata. Odd content becomes a diagnostic, never an exception. */
export function parseJsonMetadata(text: string, diags: DiagnosticList, at: Location): ModelMetadata {
  const m: MutableMetadata = { other: new Map() };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    diags.add('DLC_UNREADABLE_PART', `the JSON metadata is not valid JSON (${(err as Error).message})`, at);
    return m;
  }
  if (!isRecord(doc)) return m;
  const header = doc['header'];
  if (isRecord(header)) {
    if (typeof header['artifact_type'] === 'string') m.other.set('artifact_type', header['artifact_type']);
    const v = header['version'];
    if (isRecord(v)) m.other.set('metadata_version', `${String(v['major'])}.${String(v['minor'])}.${String(v['patch'])}`);
  }
  const info = doc['dlcGenerationInfo'];
  if (Array.isArray(info)) {
    for (const step of info) {
      if (!isRecord(step)) continue;
      const conv = step['converterCommand'];
      if (isRecord(conv)) {
        m.converterCommand = commandFromJson(conv);
        if (typeof conv['converterVersion'] === 'string') m.converterVersion = conv['converterVersion'];
      }
      const quant = step['quantizerCommand'];
      if (isRecord(quant)) m.quantizerCommand = commandFromJson(quant);
    }
  }
  return m;
}
