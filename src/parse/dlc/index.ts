import { InputError, type DlcModel, type InputFile } from '../../model.js';

// Placeholder until the .dlc reader lands (issue 6).
export function readDlc(input: InputFile): DlcModel {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading .dlc files is not implemented yet`);
}
