/**
 * `dlcverify diff BEFORE AFTER`: what changed between two DLCs' encodings, for a release gate.
 * Each side is a dump (text or CSV), a .dlc, a QNN net.json, or a saved `dlcverify show --format
 * json` result. Exit 0 no (unwaived) regression, 1 regression, 2 error.
 */
import type { CliIo, CommonOptions } from './context.js';
import { checkWritable, writeReports } from './reports.js';
import { REPORT_FORMATS } from '../render/index.js';
import { InputError, type DlcModel, type InputFile } from '../model.js';
import { detectInput } from '../parse/detect.js';
import { readModel } from '../parse/load.js';
import { isSavedResult, modelFromSavedResult } from '../parse/result-json.js';
import { parseBaseline } from '../verify/baseline.js';
import { parseWaiver, type Waiver } from '../verify/waivers.js';
import { diffModels } from '../verify/diff.js';

export interface DiffOptions extends CommonOptions {
  readonly before: string;
  readonly after: string;
  readonly baseline?: string;
  readonly waive: readonly string[];
}

/** A side of the diff: a saved result when the JSON says so, otherwise whatever `readModel` reads. */
export function readDiffSide(input: InputFile): DlcModel {
  // Saved results and reports carry `family` or `kind` near the top; a QNN net.json (possibly
  // hundreds of MB) does not, and is parsed once, by its own reader.
  const head = new TextDecoder().decode(input.head);
  if (detectInput(input) === 'json' && (head.includes('"family"') || head.includes('"kind"'))) {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(input.bytes()).replace(/^\uFEFF/, ''));
    } catch {
      doc = undefined; // not JSON after all: let readModel say what it expected
    }
    if (isSavedResult(doc)) return modelFromSavedResult(doc, input.name);
    const kind = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['kind'] : undefined;
    if (kind === 'verify' || kind === 'diff') {
      throw new InputError(
        'WRONG_FILE',
        `${input.name}: a saved ${kind} report holds ${kind === 'verify' ? 'verdicts' : 'changes'}, not the model's encodings; diff a dump, a .dlc, or a saved \`dlcverify show MODEL --format json\``,
        { file: input.name },
      );
    }
  }
  return readModel(input);
}

export async function runDiff(options: DiffOptions, io: CliIo): Promise<number> {
  // Usage problems first, before any reading.
  checkWritable('diff', options, REPORT_FORMATS, true);
  const waivers: Waiver[] = options.waive.map((text) => parseWaiver(text, 'diff'));
  let maxEncodingSteps: number | undefined;
  if (options.baseline !== undefined) {
    const input = io.openInput(options.baseline);
    const baseline = parseBaseline(new TextDecoder().decode(input.bytes()), options.baseline);
    waivers.unshift(...baseline.waivers);
    maxEncodingSteps = baseline.maxEncodingSteps;
  }
  const before = readDiffSide(io.openInput(options.before));
  const after = readDiffSide(io.openInput(options.after));
  if (options.graph !== undefined && ![...before.graphs, ...after.graphs].some((g) => g.name === options.graph)) {
    // A typo must not pass the gate with nothing compared.
    const names = [...new Set([...before.graphs, ...after.graphs].map((g) => g.name))];
    throw new InputError('USAGE', `--graph ${options.graph}: neither side has a graph of that name (graphs: ${names.join(', ') || 'none'})`);
  }
  const report = diffModels(before, after, {
    strict: options.strict,
    waivers,
    ...(maxEncodingSteps !== undefined ? { maxEncodingSteps } : {}),
    ...(options.graph !== undefined ? { graph: options.graph } : {}),
  });
  // Policy (--strict included) was applied inside diffModels: what is written now is final.
  await writeReports(report, options, io);
  return report.summary.exitCode;
}
