/**
 * The library API. `readModel` / `readSource` take an InputFile (`inputFromBytes`, `inputFromText`,
 * or your own); everything returned is plain data described in `model.ts`.
 */
export * from './model.js';
export { DIAGNOSTICS, VERDICTS, PIPELINE, DIFF, TAGS } from './findings.js';
export { readModel, readSource } from './parse/load.js';
export { detectInput } from './parse/detect.js';
export { inputFromBytes, inputFromText } from './parse/input.js';
export { parseDump } from './parse/dump/index.js';
export { readDlc } from './parse/dlc/index.js';
export { readQnnNetJson } from './parse/qnn/net-json.js';
