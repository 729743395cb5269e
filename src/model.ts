/**
 * Every shared type of dlcverify: the DLC side (what a dump, a CSV, a .dlc or a QNN `_net.json`
 * says), the source side (what the user meant: overrides JSON, FakeQuant graph, range file),
 * diagnostics, verification results and diff results.
 *
 * Dependency direction: model <- parse, verify, render <- cli <- bin. This module imports nothing.
 *
 * Conventions:
 * - Names that can be chosen by users (tensors, ops, option keys) live in `Map`s or arrays, never
 *   as keys of plain objects (`__proto__`, `constructor` are real tensor names in the wild).
 * - Numbers read from text keep how they were printed (`PrintedNumber`): the verifier derives its
 *   tolerance from that, never from a global epsilon.
 */

// ---------------------------------------------------------------------------------------------
// Locations and diagnostics
// ---------------------------------------------------------------------------------------------

/** Where something came from. Every field is optional: a .dlc has no lines, a dump has no pointer. */
export interface Location {
  readonly file?: string;
  /** 1-based line number in `file`. */
  readonly line?: number;
  /** 1-based column, where known (JSON syntax errors). */
  readonly column?: number;
  /** RFC 6901 JSON pointer into a JSON source (`/activation_encodings/conv1~1Relu:0/0`). */
  readonly pointer?: string;
  /** A node of a TensorFlow graph, or a zip entry of a .dlc (`model`, `dlc.metadata`). */
  readonly node?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Something odd in the data, found while reading it. Parsers never throw on odd data: they emit
 * these and go on. The code's title and default severity live in `findings.ts`; `detail` is the
 * specific sentence with its numbers ("separator line of 120 characters, table lines are 180").
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly detail: string;
  readonly at: Location;
}

/**
 * Every diagnostic code. Each area keeps its own block (merges stay clean); `findings.ts` must have
 * words for every code (`satisfies Record<DiagnosticCode, …>`).
 */
export type DiagnosticCode =
  // --- dump parser (text and CSV) ---
  | 'DUMP_PREAMBLE_SKIPPED'
  | 'DUMP_UNPARSED_ROW'
  | 'DUMP_UNPARSED_ENCODING'
  | 'DUMP_COLUMN_COUNT'
  | 'DUMP_ELIDED_ROWS'
  | 'DUMP_TRUNCATED'
  | 'DUMP_SEPARATOR_LENGTH'
  | 'DUMP_ENCODING_CONFLICT'
  | 'DUMP_ORPHAN_ENCODING'
  | 'DUMP_UNKNOWN_LINE'
  | 'DUMP_ANSI_STRIPPED'
  | 'DUMP_HEADER_MISSING'
  | 'DUMP_CRLF'
  // --- sources (overrides JSON, range files, GraphDef) ---
  | 'SOURCE_DUPLICATE_NAME'
  | 'SOURCE_INCONSISTENT_ENTRY'
  | 'SOURCE_POSITIVE_OFFSET'
  | 'SOURCE_SECTION_SUSPICIOUS'
  | 'SOURCE_UNKNOWN_KEY'
  | 'SOURCE_BAD_VALUE'
  | 'SOURCE_EXPERIMENTAL'
  | 'SOURCE_UNKNOWN_VERSION'
  | 'SOURCE_UNATTRIBUTED'
  | 'SOURCE_NO_FAKEQUANT'
  // --- .dlc binary and QNN net.json ---
  | 'DLC_SANITY'
  | 'DLC_EXPERIMENTAL'
  | 'DLC_UNREADABLE_PART';

// ---------------------------------------------------------------------------------------------
// Numbers as printed
// ---------------------------------------------------------------------------------------------

/**
 * How a number was printed, which bounds how far the printed value may be from the stored one.
 * - `fixed`: `%.12f`, `%f` (decimals = 6) — the quantum is 0.5·10^-decimals.
 * - `significant`: `%.4g` — half a unit in the last significant digit.
 * - `float32`: read from binary float32 storage (a .dlc): exact, no print quantum.
 * - `float64`: a JSON number or any double given as is (QNN `_net.json`, overrides files).
 */
export type Precision =
  | { readonly style: 'fixed'; readonly decimals: number }
  | { readonly style: 'significant'; readonly digits: number }
  | { readonly style: 'float32' }
  | { readonly style: 'float64' };

export interface PrintedNumber {
  readonly value: number;
  readonly precision: Precision;
}

// ---------------------------------------------------------------------------------------------
// The DLC side
// ---------------------------------------------------------------------------------------------

/** The generation of `snpe-dlc-info` text, or the kind of binary/JSON the model was read from. */
export type DumpFamily =
  | 'snpe-1.17'
  | 'snpe-1.2x-1.3x'
  | 'snpe-1.4x-1.6x'
  | 'snpe-2.5'
  | 'snpe-2.12'
  | 'qairt-2.2x'
  | 'dlc-v2'
  | 'dlc-v3'
  | 'dlc-v4'
  | 'qnn-net-json';

export type ModelFormat = 'dlc-info-text' | 'dlc-info-csv' | 'dlc' | 'qnn-net-json';

/** One quantization grid: what the SDK stores for a tensor or for one channel of it. */
export interface Encoding {
  /** Channel index for per-channel encodings; absent for per-tensor. */
  readonly channel?: number;
  readonly bitwidth: number;
  readonly min: PrintedNumber;
  readonly max: PrintedNumber;
  /** `scale` in 2.x; SNPE 1.x calls the same field `delta`. */
  readonly scale: PrintedNumber;
  /** QNN offset (≤ 0 for asymmetric encodings). Printed as a float in dumps (`-128.000000000000`). */
  readonly offset: PrintedNumber;
  /** Only binary DLCs and QNN net.json carry this flag. */
  readonly isSymmetric?: boolean;
  readonly at: Location;
}

export type EncodingLayout = 'per-tensor' | 'per-channel' | 'per-block' | 'lpbq' | 'vector';

/** Everything known about how one tensor is quantized. */
export interface TensorEncoding {
  readonly layout: EncodingLayout;
  /** One element for per-tensor; one per printed/stored channel otherwise (ordered by channel). */
  readonly channels: readonly Encoding[];
  /** Quantization axis of per-channel encodings (`axis-quant: axis: 3`). */
  readonly axis?: number;
  /** How many channels the tensor has (`num_elements`), whether or not all were printed. */
  readonly channelCount?: number;
  /**
   * False when a dump printed only channel 0 (no `-d`): verify checks channel 0 and the count.
   * SNPE 1.x per-channel weights (`weight encoding: …` then `axis-quant: axis: A, num_elements: N`):
   * the dump prints one overall encoding and never the channels. The dump parser keeps it as the
   * only element of `channels` WITHOUT a `channel` index (it is not channel 0), with layout
   * `per-channel`, `axis` A, `channelCount` N and `allChannelsPresent` false: a verifier can check
   * the count and compare the overall grid with the source's envelope, never channel by channel.
   */
  readonly allChannelsPresent: boolean;
  /** v4 `isOverridden` / QNN `is_overridden`: the SDK says this came from the overrides file. */
  readonly isOverridden?: boolean;
  /** Block, LPBQ and vector layouts: read, reported, not compared (no real file seen yet). */
  readonly experimental?: boolean;
  /** Extra layout data for block/LPBQ/vector (block size, block scale bitwidth, …). */
  readonly layoutInfo?: ReadonlyMap<string, number>;
}

/** What a tensor is for, seen from the graph. */
export type TensorRole = 'activation' | 'param' | 'graph-input' | 'graph-output';

export interface Tensor {
  readonly name: string;
  readonly graph: string;
  /** As printed (`uFxp_8`, `Float_32`, `sFxp_8`…) or mapped from a binary code to those names. */
  readonly dtype?: string;
  readonly dims?: readonly number[];
  /** `APP_WRITE`, `APP_READ`, `NATIVE`, `STATIC`, `UPDATEABLE_*`, `NULL`. Absent in SNPE 1.x. */
  readonly tensorType?: string;
  readonly role: TensorRole;
  /** The op that writes this tensor (none for graph inputs and params). */
  readonly producer?: { readonly op: string; readonly type: string };
  readonly consumers: readonly string[];
  readonly encoding?: TensorEncoding;
  /**
   * SNPE 1.x params: the layer whose `weight encoding` / `bias encoding` this is. 1.x encoding lines
   * do not name their tensor, so the dump parser names them after the layer, as Qualcomm's own
   * comparer does: `weight encoding` -> `<layer>.weight`, `weight encoding K` (K ≥ 1, e.g. LSTM
   * gates) -> `<layer>.weight_K`, `bias encoding` -> `<layer>.bias`. Their role is `param`, their
   * only consumer the layer. (`output encoding` lines go to the layer's output buffers by position.)
   */
  readonly layer?: string;
  readonly paramKind?: 'weight' | 'bias';
  /** First line (or entry) where this tensor was seen. */
  readonly at: Location;
}

/** A `key: value` entry of an op's Parameters list (attributes, `param count`, …). */
export interface OpParam {
  readonly name: string;
  readonly value: string;
  readonly at: Location;
}

export interface Op {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly outDims: readonly string[];
  readonly params: readonly OpParam[];
  readonly at: Location;
}

/** A row of the 2.x `Input Name | Dimensions | Type | Encoding Info` tables. */
export interface IoRow {
  readonly name: string;
  readonly dims: string;
  readonly dtype: string;
  /** Absent when the row says `No encoding info for this tensor`. */
  readonly encoding?: Encoding;
  readonly at: Location;
}

export interface Graph {
  /**
   * `Info of graph: <name>` in 2.2x+ dumps. Single-graph dumps (SNPE 1.x, 2.5, 2.12) have no graph
   * name: the dump parser uses the DLC's file name without `.dlc` from the `DLC info for:` line.
   */
  readonly name: string;
  readonly ops: readonly Op[];
  /** Every tensor by name, in first-seen order. Names repeat across graphs, never within one. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  readonly inputs: readonly IoRow[];
  readonly outputs: readonly IoRow[];
  /** Footer lines of this graph (`Total parameters`, `Ops used by Graph`, …) by label. */
  readonly footer: ReadonlyMap<string, string>;
  /**
   * The graph was rebuilt from a saved list of encodings (a saved `show --format json` without a
   * tensor list): a tensor without an encoding is unknown here, not absent. Readers of real models
   * leave it unset.
   */
  readonly encodingsOnly?: boolean;
}

/** A converter or quantizer command line, parsed into its `key=value` options. */
export interface Command {
  readonly text: string;
  /** The program (`snpe-onnx-to-dlc`, `snpe-dlc-quant`, `qairt-converter`). */
  readonly tool: string;
  /** Options in order of appearance; a repeated key keeps its last value. */
  readonly options: ReadonlyMap<string, string>;
}

export interface ModelMetadata {
  readonly modelVersion?: string;
  readonly copyright?: string;
  readonly converterCommand?: Command;
  /**
   * `null` when the dump says `Quantizer command: N/A` (the DLC was never quantized); absent when
   * the dump prints no quantizer line at all (SNPE 1.17).
   */
  readonly quantizerCommand?: Command | null;
  readonly converterVersion?: string;
  /** Other header/footer lines by label (`Total parameters`, `Layers used by DLC`, …). */
  readonly other: ReadonlyMap<string, string>;
}

/** What a dump, CSV, .dlc or QNN net.json says: the model as the SDK stored it. */
export interface DlcModel {
  readonly format: ModelFormat;
  readonly family: DumpFamily;
  readonly file: string;
  readonly metadata: ModelMetadata;
  readonly graphs: readonly Graph[];
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// The source side: what the user meant
// ---------------------------------------------------------------------------------------------

export type SourceFormat =
  | 'aimet-legacy'
  | 'aimet-1.0.0'
  | 'aimet-2.0.0'
  | 'aimet-2.1.0'
  | 'adaround-params'
  | 'tf-graphdef'
  | 'tf-graphdef-text'
  | 'range-csv'
  | 'range-json';

/** One channel (or the only grid) of a source entry: every field exactly as given, absent stays absent. */
export interface SourceGrid {
  readonly channel?: number;
  readonly min?: number;
  readonly max?: number;
  readonly scale?: number;
  readonly offset?: number;
}

/** What the TensorFlow FakeQuant reader knows about where a range came from. */
export interface FakeQuantInfo {
  readonly node: string;
  readonly op: 'FakeQuantWithMinMaxVars' | 'FakeQuantWithMinMaxArgs' | 'FakeQuantWithMinMaxVarsPerChannel';
  readonly numBits: number;
  readonly narrowRange: boolean;
  /** The op type of the tensor's producer (activation FakeQuant), e.g. `Relu`: min is forced to 0. */
  readonly producerType?: string;
  /** The layer consuming the weights (weight FakeQuant), e.g. `Conv2D`. */
  readonly consumer?: { readonly op: string; readonly type: string };
}

export interface SourceEntry {
  /** The tensor name as the source spells it. */
  readonly name: string;
  /** Where the file placed it (AIMET `activation_encodings` / `param_encodings`). */
  readonly section: 'activation' | 'param';
  readonly dtype: 'int' | 'float';
  readonly bitwidth?: number;
  readonly layout: EncodingLayout;
  readonly axis?: number;
  /** One element for per-tensor entries; one per channel otherwise. Empty for dtype-only entries. */
  readonly grids: readonly SourceGrid[];
  /** Normalised from `"True"`/`"False"`, booleans, `is_sym`; absent when the file does not say. */
  readonly isSymmetric?: boolean;
  /** 1.0.0 PER_BLOCK / LPBQ / VECTOR extras (block_size, compressed_bw, …). */
  readonly layoutInfo?: ReadonlyMap<string, number>;
  readonly fakeQuant?: FakeQuantInfo;
  readonly at: Location;
}

export interface SourceSet {
  readonly format: SourceFormat;
  /** The file's `version` key, if any. */
  readonly version?: string;
  readonly file: string;
  readonly entries: readonly SourceEntry[];
  /** Top-level keys that were accepted but not used (`quantizer_args`, `excluded_layers`, …). */
  readonly ignoredKeys: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Verification results
// ---------------------------------------------------------------------------------------------

/** Verdicts of ENCODINGS.md §4; wording, kind and help live in `findings.ts`. */
export type Verdict =
  | 'EXACT'
  | 'FLOAT32_ROUNDING'
  | 'OFFSET_SIGN_NORMALIZED'
  | 'SYMMETRIC_OFFSET_FORCED'
  | 'ZERO_POINT_NUDGED'
  | 'MIN_RANGE_ENFORCED'
  | 'TF_NARROW_RANGE_IGNORED'
  | 'RELU_MIN_CLAMPED'
  | 'SYMMETRIC_FORCED'
  | 'OP_FIXED_ENCODING'
  | 'BITWIDTH_CONVERTED'
  | 'PRINT_PRECISION_LIMITED'
  | 'SCALE_NOT_COMPUTED'
  | 'FLOAT_OVERRIDE_OK'
  | 'FLOAT_OVERRIDE_IGNORED'
  | 'FLOAT_FALLBACK'
  | 'BITWIDTH_MISMATCH'
  | 'REAL_MISMATCH'
  | 'MISSING_IN_DLC'
  | 'NOT_IN_SOURCE'
  | 'AMBIGUOUS_MATCH'
  | 'NOT_COMPARED';

/** Extra flags that combine with a verdict (ENCODINGS.md §4 "flag, combines"). */
export type VerdictTag = 'JSON_INCONSISTENT' | 'OVERRIDE_FLAG_SET' | 'OVERRIDE_FLAG_CLEAR' | 'CHANNEL_0_ONLY';

/** ok: as meant; info: nothing to compare; warn: look at it; fail: the encoding was not applied. */
export type ResultKind = 'ok' | 'info' | 'warn' | 'fail';

/** The numbers of one grid, plain (what was expected from the source, what the DLC has). */
export interface GridNumbers {
  readonly bitwidth?: number;
  readonly min?: number;
  readonly max?: number;
  readonly scale?: number;
  readonly offset?: number;
}

/** How far the DLC grid is from the expected one. */
export interface Deviation {
  /** |Δmin| / scale of the DLC grid. */
  readonly minSteps?: number;
  readonly maxSteps?: number;
  /** DLC scale / expected scale. */
  readonly scaleRatio?: number;
  readonly offsetDelta?: number;
}

export type MatchRule =
  | 'exact'
  | 'colon-zero'
  | 'tf-read-suffix'
  | 'converter-suffix'
  | 'sanitized'
  | 'qnn-sanitized'
  | 'user-rename'
  | 'snpe1-output-buffer'
  | 'snpe1-layer-param'
  | 'tf-scope'
  /** A weight FakeQuant, matched to the params of the layer that consumes it. */
  | 'fakequant-consumer';

export interface TensorMatch {
  readonly rule: MatchRule;
  readonly sourceName: string;
  readonly dlcName: string;
  /** For `user-rename`: the rule text that fired. */
  readonly detail?: string;
}

/**
 * One judged tensor or channel. `actual`, `expected`, `deviation` and `sentence` may be getters
 * computed on read (verify returns one result per channel: hundreds of thousands on an LLM), so
 * copy a result by reading its fields, not with `{...result}`.
 */
export interface VerifyResult {
  readonly tensor: string;
  readonly graph?: string;
  readonly channel?: number;
  readonly role?: TensorRole;
  readonly verdict: Verdict;
  readonly kind: ResultKind;
  readonly tags: readonly VerdictTag[];
  readonly expected?: GridNumbers;
  readonly actual?: GridNumbers;
  readonly deviation?: Deviation;
  readonly match?: TensorMatch;
  /** For REAL_MISMATCH: the closest explanation tried and how far it still is. */
  readonly hypothesis?: { readonly verdict: Verdict; readonly deviation: Deviation };
  /** One sentence with the numbers, that a user can act on. */
  readonly sentence: string;
  /** Set by policy: a waiver matched (the result keeps its verdict, it no longer fails the run). */
  readonly waivedBy?: string;
  /** Where the DLC side and the source side were read. */
  readonly dlcAt?: Location;
  readonly sourceAt?: Location;
}

export type PipelineCode =
  | 'OVERRIDES_NOT_GIVEN'
  | 'OVERRIDES_OTHER_FILE'
  | 'OVERRIDES_SAME_FILE'
  | 'OVERRIDE_PARAMS_FALSE'
  | 'SYMMETRIC_WEIGHTS_CONFLICT'
  | 'BITWIDTH_FLAG_CONFLICT'
  | 'NOT_QUANTIZED'
  | 'FLOAT_DLC'
  | 'NO_COMMANDS';

/**
 * A pipeline check's finding: its code and what the header says (with the option values and file
 * names); the sentence is composed from both by `pipelineSentence` in findings.ts.
 */
/**
 * An accepted finding (`--waive GLOB[:CODE]`, the config file's waivers, a diff baseline entry): it
 * accepts the findings whose subject (a tensor, op or graph name, a metadata label) matches its
 * glob, optionally only one code and one graph. verify/waivers.ts reads and applies them.
 */
export interface Waiver {
  /** Glob on the finding's subject: `*` any run, `?` one character; `/` is not special. */
  readonly subject: string;
  /** Only this code (a verdict or pipeline code for verify, a DiffCode for diff, a CheckCode for check). */
  readonly code?: string;
  /** Only in graphs matching this glob. */
  readonly graph?: string;
  /** What `waivedBy` says on a finding it accepted. */
  readonly label: string;
}

/** The config file's `tolerances`: extra absolute tolerance for the tensors a glob names. */
export interface ToleranceOverride {
  /** Glob on tensor names. */
  readonly tensor: string;
  /** Added to the tolerance of every field (absolute, in the field's unit). */
  readonly absolute: number;
}

export interface PipelineFinding {
  readonly code: PipelineCode;
  readonly kind: ResultKind;
  /** What the header says, with its numbers and names: the sentence after the title. */
  readonly detail: string;
  readonly at?: Location;
  readonly waivedBy?: string;
}

export interface Coverage {
  readonly sourceEntries: number;
  readonly matched: number;
  readonly sourceOnly: number;
  readonly dlcOnly: number;
  /** How many matches each rule made. */
  readonly byRule: ReadonlyMap<MatchRule, number>;
}

export interface InputRef {
  readonly file: string;
  readonly format: string;
  readonly family?: string;
}

export interface VerifyReport {
  readonly kind: 'verify';
  readonly schemaVersion: string;
  readonly dlc: InputRef;
  readonly source: InputRef;
  readonly results: readonly VerifyResult[];
  readonly pipeline: readonly PipelineFinding[];
  readonly coverage: Coverage;
  readonly diagnostics: readonly Diagnostic[];
  /** What could not be done ("only channel 0 printed for 12 tensors", "graph X skipped"). */
  readonly notes: readonly string[];
  readonly summary: Summary;
}

export interface Summary {
  readonly byVerdict: ReadonlyMap<string, number>;
  readonly byKind: ReadonlyMap<ResultKind, number>;
  /** 0 verified / no regression, 1 failed / regression. (2 is never a report: it is an error.) */
  readonly exitCode: 0 | 1;
  /** A one-line human verdict for the whole run. */
  readonly headline: string;
}

// ---------------------------------------------------------------------------------------------
// Diff results
// ---------------------------------------------------------------------------------------------

export type DiffCode =
  | 'TENSOR_ADDED'
  | 'TENSOR_REMOVED'
  | 'BITWIDTH_CHANGED'
  | 'DTYPE_CHANGED'
  | 'BECAME_FLOAT'
  | 'BECAME_QUANTIZED'
  | 'ENCODING_CHANGED'
  | 'ENCODING_SAME'
  | 'LAYOUT_CHANGED'
  | 'SHAPE_CHANGED'
  | 'OP_ADDED'
  | 'OP_REMOVED'
  | 'OP_RETYPED'
  | 'GRAPH_ADDED'
  | 'GRAPH_REMOVED'
  | 'METADATA_CHANGED';

export interface DiffChange {
  readonly code: DiffCode;
  /** regression fails the run; change is shown; info is context. */
  readonly kind: 'regression' | 'change' | 'info';
  readonly graph?: string;
  /** Tensor or op name, or the metadata label. */
  readonly subject: string;
  readonly channel?: number;
  readonly before?: GridNumbers | string;
  readonly after?: GridNumbers | string;
  readonly deviation?: Deviation;
  readonly sentence: string;
  readonly waivedBy?: string;
  readonly beforeAt?: Location;
  readonly afterAt?: Location;
}

export interface DiffReport {
  readonly kind: 'diff';
  readonly schemaVersion: string;
  readonly before: InputRef;
  readonly after: InputRef;
  readonly changes: readonly DiffChange[];
  /**
   * Unified diff of the op lists, per graph whose list changed (`name  type` per line: ids are left
   * out because removing one op renumbers every later one).
   */
  readonly opListDiff: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly notes: readonly string[];
  readonly summary: Summary;
}

// ---------------------------------------------------------------------------------------------
// Check results (`dlcverify check MODEL…`): the model alone, no source
// ---------------------------------------------------------------------------------------------

/** Codes of `dlcverify check`; wording, kind and the action sentence live in `findings.ts`. */
export type CheckCode =
  // --- seams: a graph output of one part read as a graph input of the next ---
  | 'SEAM_MATCH'
  | 'SEAM_BITWIDTH_MISMATCH'
  | 'SEAM_GRID_MISMATCH'
  | 'SEAM_DTYPE_MISMATCH'
  | 'SEAM_SHAPE_MISMATCH'
  // --- weights shared by several graphs (or models) ---
  | 'SHARED_WEIGHT_SAME'
  | 'SHARED_WEIGHT_DIFFERS'
  // --- encodings no one should ship ---
  | 'ENCODING_NON_FINITE'
  | 'SCALE_NOT_POSITIVE'
  | 'RANGE_ABSURD'
  | 'CHANNEL_SCALE_COLLAPSED'
  | 'OFFSET_OUTSIDE_GRID'
  | 'MIN_ABOVE_MAX'
  | 'SYMMETRIC_OFFSET_WRONG'
  | 'CONVERTED_CONSISTENT'
  | 'CONVERTED_INCONSISTENT';

/** A graph of one of the checked models: the file names it (several models may share graph names). */
export interface GraphRef {
  readonly file: string;
  readonly graph: string;
}

export interface CheckFinding {
  readonly code: CheckCode;
  readonly kind: ResultKind;
  /** The tensor (for a seam: the consumer's input; for a mapped seam `OUT=>IN`). */
  readonly tensor: string;
  readonly channel?: number;
  /** Where the finding is: the consumer graph of a seam, the first graph of a shared weight. */
  readonly where: GraphRef;
  /** The other side: the producer graph of a seam, every other graph holding a shared weight. */
  readonly related?: readonly GraphRef[];
  /** Seam: the producer's grid; shared weight: the first graph's; converted: the grid expected from its source. */
  readonly expected?: GridNumbers;
  /** Seam: the consumer's grid; shared weight: the differing graph's; otherwise the tensor's own. */
  readonly actual?: GridNumbers;
  /** Seams and shared weights: steps of the consumer's (first graph's) grid. */
  readonly deviation?: Deviation;
  /** The rule's own numbers with their unit in the name (`thresholdScale`, `medianChannelScale`). */
  readonly numbers?: ReadonlyMap<string, number>;
  /** One sentence with the numbers, that a user can act on. */
  readonly sentence: string;
  readonly waivedBy?: string;
  readonly at?: Location;
  readonly relatedAt?: Location;
}

/** One ordered pair of graphs looked at for seams, and how many tensors crossed it. */
export interface SeamPair {
  readonly producer: GraphRef;
  readonly consumer: GraphRef;
  /** Graph outputs of the producer and graph inputs of the consumer. */
  readonly outputs: number;
  readonly inputs: number;
  /** Output/input pairs found (same name or a `--seam` mapping). */
  readonly seams: number;
}

export interface CheckCoverage {
  readonly models: number;
  readonly graphs: number;
  /** Encoded tensors whose encodings went through the shipping rules, and their channels. */
  readonly encodings: number;
  readonly channels: number;
  readonly seamPairs: readonly SeamPair[];
  readonly seams: number;
  /** Static tensors found in two or more graphs, and how many graph-to-graph comparisons they took. */
  readonly sharedWeights: number;
  readonly sharedComparisons: number;
  /** `_converted_` tensors compared with the tensor they were converted from. */
  readonly converted: number;
}

export interface CheckReport {
  readonly kind: 'check';
  readonly schemaVersion: string;
  readonly models: readonly InputRef[];
  readonly findings: readonly CheckFinding[];
  readonly coverage: CheckCoverage;
  readonly diagnostics: readonly Diagnostic[];
  readonly notes: readonly string[];
  readonly summary: Summary;
}

export type Report = VerifyReport | DiffReport | CheckReport;

// ---------------------------------------------------------------------------------------------
// Errors that stop a run (exit 2)
// ---------------------------------------------------------------------------------------------

export type InputErrorCode =
  | 'USAGE'
  | 'NOT_FOUND'
  | 'UNREADABLE'
  | 'UNRECOGNISED_INPUT'
  | 'EMPTY_INPUT'
  | 'BAD_JSON'
  | 'BAD_SOURCE'
  | 'BAD_DLC'
  | 'BAD_GRAPHDEF'
  | 'UNFROZEN_GRAPH'
  | 'WRONG_FILE'
  | 'STRICT_DIAGNOSTICS'
  | 'BAD_CONFIG';

/** Bad usage or unreadable input: printed as one line (JSON under `--format json`), exit 2. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly at: Location | undefined;
  constructor(code: InputErrorCode, message: string, at?: Location) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.at = at;
  }
}

// ---------------------------------------------------------------------------------------------
// Input files, as the parsers see them (io.ts makes them from paths; tests from buffers)
// ---------------------------------------------------------------------------------------------

/** A file to read. Parsers pull what they need: lines for text, ranges for zips, all bytes for JSON. */
export interface InputFile {
  /** The path as the user gave it (used in messages and locations). */
  readonly name: string;
  readonly size: number;
  /** The first bytes (up to 64 KiB): enough to recognise the format. */
  readonly head: Uint8Array;
  /** Lines split on `\n` (a trailing `\r` is kept: the parser decides), streamed. */
  lines(): Iterable<string>;
  /** The whole file. Only for inputs that must be whole (JSON, protobuf). */
  bytes(): Uint8Array;
  /** Random access (zip central directory, lazily read entries). */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: like `read`, into `target` at `targetOffset`; returns how many bytes were read. Lets a
   * streaming reader (the JSON sources) reuse one buffer instead of a fresh one per read.
   */
  readInto?(target: Uint8Array, targetOffset: number, length: number, offset: number): number;
}
