/**
 * `dlcverify show FILE`: what dlcverify reads from one file (a model or a source), as a table,
 * JSON or CSV.
 */
import type { CliIo, CommonOptions } from './context.js';
import { inputSide, readModel, readSource } from '../parse/load.js';
import { renderModelChunks, SHOW_FORMATS } from '../render/show-model.js';
import { decide, passedOrThrow } from '../verify/policy.js';
import { checkWritable } from './reports.js';
import { renderSourceChunks } from '../render/show-source.js';

export interface ShowOptions extends CommonOptions {
  readonly file: string;
}

export async function runShow(options: ShowOptions, io: CliIo): Promise<number> {
  checkWritable('show', options, SHOW_FORMATS, false);
  const input = io.openInput(options.file);
  if (inputSide(input) === 'source') {
    const source = readSource(input);
    passedOrThrow(decide([], source.diagnostics, { strict: options.strict }));
    for (const chunk of renderSourceChunks(source, options)) await io.stdout(chunk);
    return 0;
  }
  const model = readModel(input);
  passedOrThrow(decide([], model.diagnostics, { strict: options.strict }));
  for (const chunk of renderModelChunks(model, options)) await io.stdout(chunk);
  return 0;
}
