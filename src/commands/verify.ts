/**
 * `dlcverify DUMP SOURCE`: read both sides, load the config, verify, apply policy, render, exit code.
 */
import { join } from 'node:path';
import type { CliIo, CommonOptions } from './context.js';
import type { DlcModel, InputFile, SourceSet } from '../model.js';
import { readModel, readSource } from '../parse/load.js';
import { verify } from '../verify/index.js';
import { parseConfig, type VerifyConfig } from '../verify/policy.js';
import { checkWritable, writeReports } from './reports.js';
import { REPORT_FORMATS } from '../render/index.js';

export interface VerifyOptions extends CommonOptions {
  readonly dlc: string;
  readonly source: string;
  readonly rename: readonly string[];
  readonly waive: readonly string[];
  readonly failOn: readonly string[];
  readonly config?: string;
}

export const CONFIG_FILE = 'dlcverify.config.json';

/** The config given with `--config`, else `./dlcverify.config.json` when present, else none. */
export function loadConfig(explicit: string | undefined, io: CliIo): VerifyConfig | undefined {
  const path = explicit ?? join(io.cwd, CONFIG_FILE);
  if (explicit === undefined && !io.fileExists(path)) return undefined;
  const text = new TextDecoder('utf-8').decode(io.openInput(path).bytes());
  return parseConfig(text, path);
}

/**
 * Sources from this size up are read on a worker thread while the model is parsed here (the 200 MB
 * dump + 100 MB overrides benchmark: 1 s less). Below it, starting a thread costs more than it saves.
 */
export const ASIDE_MIN_BYTES = 8 * 1024 * 1024;

async function readBoth(options: VerifyOptions, io: CliIo): Promise<{ model: DlcModel; source: SourceSet }> {
  const modelInput = io.openInput(options.dlc);
  let sourceInput: InputFile | undefined;
  try {
    sourceInput = io.openInput(options.source);
  } catch {
    // Reported below, after the model's own errors (opened again there, to throw).
  }
  const pending = sourceInput !== undefined && sourceInput.size >= ASIDE_MIN_BYTES ? io.readSourceAside?.(sourceInput) : undefined;
  let model: DlcModel;
  try {
    model = readModel(modelInput);
  } catch (err) {
    pending?.cancel();
    throw err;
  }
  const source = pending !== undefined ? await pending.result : readSource(sourceInput ?? io.openInput(options.source));
  return { model, source };
}

export async function runVerify(options: VerifyOptions, io: CliIo): Promise<number> {
  checkWritable('verify', options, REPORT_FORMATS, true);
  const config = loadConfig(options.config, io);
  const { model, source } = await readBoth(options, io);
  const report = verify(model, source, {
    renames: [...options.rename, ...(config?.renames ?? [])],
    waivers: [...options.waive, ...(config?.waivers ?? [])],
    // The command line wins over the config file.
    ...(options.failOn.length > 0 ? { failOn: options.failOn } : config?.failOn ? { failOn: config.failOn } : {}),
    ...(config ? { tolerances: config.tolerances } : {}),
    ...(options.graph !== undefined ? { graph: options.graph } : {}),
    strict: options.strict,
  });
  // Policy (--strict included) was applied inside verify: what is written now is final.
  await writeReports(report, options, io);
  return report.summary.exitCode;
}
