import { InputError } from '../../model.js';
import type { TfGraph } from './tf-graph.js';

export function parseTextGraphDef(_text: string, file: string): TfGraph {
  throw new InputError('UNRECOGNISED_INPUT', `${file}: reading text GraphDefs is not implemented yet`);
}
