/**
 * `dlcverify diff BEFORE AFTER`: what changed between two DLCs' encodings.
 */
import type { CliIo, CommonOptions } from './context.js';
import { InputError } from '../model.js';

export interface DiffOptions extends CommonOptions {
  readonly before: string;
  readonly after: string;
  readonly baseline?: string;
  readonly waive: readonly string[];
}

// Placeholder until issue 5 lands.
export function runDiff(options: DiffOptions, _io: CliIo): number {
  throw new InputError('USAGE', `diff ${options.before} ${options.after}: not implemented yet`);
}
