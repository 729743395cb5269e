import { InputError, type InputFile, type SourceSet } from '../../model.js';

// Placeholders until the source readers land (issue 3).
export function readJsonSource(input: InputFile): SourceSet {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading encodings JSON is not implemented yet`);
}
export function readRangeCsv(input: InputFile): SourceSet {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading range CSV is not implemented yet`);
}
