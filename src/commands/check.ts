/**
 * `dlcverify check MODEL…`: read every model (any form `diff` reads), check seams, shared weights
 * and encodings no one should ship, apply policy, render. Exit 0 nothing fails, 1 a finding fails,
 * 2 usage or unreadable input.
 */
import type { CliIo, CommonOptions } from './context.js';
import { InputError } from '../model.js';
import { check } from '../check/index.js';
import { readDiffSide } from './diff.js';
import { loadConfig } from './verify.js';
import { writeReports } from './reports.js';

export interface CheckCommandOptions extends CommonOptions {
  readonly models: readonly string[];
  readonly seam: readonly string[];
  readonly waive: readonly string[];
  readonly failOn: readonly string[];
  readonly config?: string;
}

export async function runCheck(options: CheckCommandOptions, io: CliIo): Promise<number> {
  const config = loadConfig(options.config, io);
  const models = options.models.map((path) => readDiffSide(io.openInput(path)));
  if (options.strict) {
    const serious = models.flatMap((m) => m.diagnostics).filter((d) => d.severity !== 'info');
    if (serious.length > 0) {
      const first = serious[0]!;
      throw new InputError(
        'STRICT_DIAGNOSTICS',
        `--strict: ${serious.length} parser diagnostic(s), first: ${first.at.file ?? ''}${first.at.line !== undefined ? `:${first.at.line}` : ''} ${first.code} ${first.detail}`,
        first.at,
      );
    }
  }
  const report = check(models, {
    seams: options.seam,
    waivers: [...options.waive, ...(config?.waivers ?? [])],
    // The command line wins over the config file.
    ...(options.failOn.length > 0 ? { failOn: options.failOn } : config?.failOn ? { failOn: config.failOn } : {}),
    ...(config ? { tolerances: config.tolerances } : {}),
    ...(options.graph !== undefined ? { graph: options.graph } : {}),
  });
  await writeReports(report, options, io);
  return report.summary.exitCode;
}
