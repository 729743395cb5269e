/**
 * `dlcverify diff BEFORE AFTER`: what changed between two DLCs' encodings, for a release gate.
 * Each side is a dump (text or CSV), a .dlc, a QNN net.json, or a saved `dlcverify show --format
 * json` result. Exit 0 no (unwaived) regression, 1 regression, 2 error.
 */
import type { CliIo, CommonOptions } from './context.js';
import { checkWritable, writeReports } from './reports.js';
import { REPORT_FORMATS } from '../render/index.js';
import { InputError, type Waiver } from '../model.js';
import { readDiffSide } from '../parse/load.js';
import { parseBaseline } from '../parse/baseline.js';
import { parseWaiver } from '../verify/waivers.js';
import { diffModels } from '../verify/diff.js';

export interface DiffOptions extends CommonOptions {
  readonly before: string;
  readonly after: string;
  readonly baseline?: string;
  readonly waive: readonly string[];
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
