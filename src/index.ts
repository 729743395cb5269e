/**
 * The library API. `readModel` / `readSource` take an InputFile (`inputFromBytes`, `inputFromText`,
 * or your own); everything returned is plain data described in `model.ts`.
 */
export * from './model.js';
export { DIAGNOSTICS, VERDICTS, PIPELINE, DIFF, TAGS, CHECKS } from './findings.js';
export { readModel, readSource } from './parse/load.js';
export { detectInput } from './parse/detect.js';
export { inputFromBytes, inputFromText } from './parse/input.js';
export { parseDump } from './parse/dump/index.js';
export { diffModels, type DiffModelOptions } from './verify/diff.js';
export { parseBaseline, type Baseline } from './parse/baseline.js';
export { parseWaiver, globMatch } from './verify/waivers.js';
export { readSavedResult } from './parse/result-json.js';
export { verify, VERIFY_SCHEMA_VERSION, type VerifyOptions } from './verify/index.js';
export { parseFailOn } from './verify/policy.js';
export { parseConfig, type VerifyConfig } from './parse/config.js';
export type { ToleranceOverride } from './model.js';
export { check, CHECK_SCHEMA_VERSION, type CheckOptions } from './check/index.js';
export { matchNames, sanitizeName } from './verify/match.js';
export { checkPipeline } from './verify/pipeline.js';
export { renderReport, REPORT_FORMATS, isReportFormat, type ReportFormat } from './render/index.js';
export type { RenderOptions } from './render/options.js';
export { readDlc } from './parse/dlc/index.js';
export { readQnnNetJson } from './parse/qnn/net-json.js';
