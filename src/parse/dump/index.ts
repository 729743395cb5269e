import { InputError, type DlcModel } from '../../model.js';

// Placeholder until the dump parser lands (issue 2).
export function parseDump(_lines: Iterable<string>, file: string): DlcModel {
  throw new InputError('UNRECOGNISED_INPUT', `${file}: dump parsing is not implemented yet`);
}
