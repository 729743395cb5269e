import { InputError } from '../../model.js';
import type { DiagnosticList } from './build.js';
import type { Layer1x, Param1x } from './graph1x.js';

export function readV2Model(_body: Uint8Array, file: string, _diags: DiagnosticList): { layers: Layer1x[]; params: Param1x[] } {
  throw new InputError('BAD_DLC', `${file}: v2 (SNPE 1.19–1.2x) DLC bodies are not read yet`);
}
