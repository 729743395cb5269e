/**
 * `dlcverify check MODEL…`: read every model (any form `diff` reads), check seams, shared weights
 * and encodings no one should ship, apply policy, render. Exit 0 nothing fails, 1 a finding fails,
 * 2 usage or unreadable input.
 */
import type { CliIo, CommonOptions } from './context.js';
import { REPORT_FORMATS } from '../render/index.js';
import { check } from '../check/index.js';
import { readDiffSide } from '../parse/load.js';
import { loadConfig } from './verify.js';
import { checkWritable, writeReports } from './reports.js';

export interface CheckCommandOptions extends CommonOptions {
  readonly models: readonly string[];
  readonly seam: readonly string[];
  readonly waive: readonly string[];
  readonly failOn: readonly string[];
  readonly config?: string;
}

export async function runCheck(options: CheckCommandOptions, io: CliIo): Promise<number> {
  checkWritable('check', options, REPORT_FORMATS, true);
  const config = loadConfig(options.config, io);
  const models = options.models.map((path) => readDiffSide(io.openInput(path)));
  const report = check(models, {
    seams: options.seam,
    waivers: [...options.waive, ...(config?.waivers ?? [])],
    // The command line wins over the config file.
    ...(options.failOn.length > 0 ? { failOn: options.failOn } : config?.failOn ? { failOn: config.failOn } : {}),
    ...(config ? { tolerances: config.tolerances } : {}),
    ...(options.graph !== undefined ? { graph: options.graph } : {}),
    strict: options.strict,
  });
  // Policy (--strict included) was applied inside check: what is written now is final.
  await writeReports(report, options, io);
  return report.summary.exitCode;
}
