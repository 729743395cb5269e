/**
 * `dlcverify DUMP SOURCE`: read both sides, verify, apply policy, render, exit code.
 */
import type { CliIo, CommonOptions } from './context.js';
import { InputError } from '../model.js';

export interface VerifyOptions extends CommonOptions {
  readonly dlc: string;
  readonly source: string;
  readonly rename: readonly string[];
  readonly waive: readonly string[];
  readonly failOn: readonly string[];
  readonly config?: string;
}

// Placeholder until issue 4 lands.
export function runVerify(options: VerifyOptions, _io: CliIo): number {
  throw new InputError('USAGE', `verify ${options.dlc} ${options.source}: not implemented yet`);
}
