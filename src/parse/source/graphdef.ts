import { InputError, type InputFile, type SourceSet } from '../../model.js';

// Placeholders until the GraphDef reader lands (issue 3).
export function readGraphDef(input: InputFile): SourceSet {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading GraphDefs is not implemented yet`);
}
export function readGraphDefText(input: InputFile): SourceSet {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading text GraphDefs is not implemented yet`);
}
