/**
 * `dlcverify show FILE`: what dlcverify reads from one file (a model or a source), as a table,
 * JSON or CSV.
 */
import type { CliIo, CommonOptions } from './context.js';
import { inputSide, readModel, readSource } from '../parse/load.js';
import { InputError } from '../model.js';
import { renderModelChunks } from '../render/show-model.js';
import { renderSourceChunks } from '../render/show-source.js';

export interface ShowOptions extends CommonOptions {
  readonly file: string;
}

export async function runShow(options: ShowOptions, io: CliIo): Promise<number> {
  const input = io.openInput(options.file);
  const side = inputSide(input);
  if (side === 'source') {
    for (const chunk of renderSourceChunks(readSource(input), options)) await io.stdout(chunk);
    return 0;
  }
  const model = readModel(input);
  for (const chunk of renderModelChunks(model, options)) await io.stdout(chunk);
  if (options.strict && model.diagnostics.some((d) => d.severity !== 'info')) {
    throw new InputError('STRICT_DIAGNOSTICS', `${options.file}: ${model.diagnostics.length} diagnostic(s) under --strict`);
  }
  return 0;
}
