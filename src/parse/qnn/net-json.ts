import { InputError, type DlcModel, type InputFile } from '../../model.js';

// Placeholder until the QNN net.json reader lands (issue 6).
export function readQnnNetJson(input: InputFile): DlcModel {
  throw new InputError('UNRECOGNISED_INPUT', `${input.name}: reading QNN _net.json is not implemented yet`);
}
