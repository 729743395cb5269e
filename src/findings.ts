/**
 * One table per kind of finding: everything a code MEANS lives here, and nowhere else — its title,
 * its default kind (or severity), how it reads to a user (`status`, a Meaning), whether it is routine (listed
 * only with --verbose), what to do about it (`help`), and the README section that explains it
 * (`anchor`). Kept exhaustive with `satisfies Record<Code, …>`: adding a code fails the build until
 * it has its row. Renderers read this table; verify and diff hand over codes, typed numbers and a
 * detail clause, and the sentence is composed here (`verdictSentence`, `pipelineSentence`).
 */
import type { CheckCode, DiagnosticCode, DiffCode, PipelineCode, ResultKind, Severity, Verdict, VerdictTag } from './model.js';

/**
 * How a finding reads to a user, whatever its kind:
 * - `as meant`: the DLC holds what was meant (EXACT, FLOAT32_ROUNDING, FLOAT_OVERRIDE_OK, a
 *   pipeline check that passed);
 * - `expected deviation`: the DLC differs from the source for a known, harmless reason;
 * - `problem`: look at it; it fails or warns (a fail/warn verdict, a diff regression or change, a
 *   parser warning);
 * - `note`: nothing was compared or judged (NOT_IN_SOURCE, NOT_COMPARED, context).
 */
export type Meaning = 'as meant' | 'expected deviation' | 'problem' | 'note';

/** The columns every table shares. */
export interface FindingInfo {
  readonly title: string;
  readonly status: Meaning;
  /** Listed only with --verbose (always counted): rows that say "nothing to compare here". */
  readonly routine: boolean;
  /** What a user should do when they see it (one sentence, no numbers). */
  readonly help: string;
  /** The README section that explains it (a GitHub heading slug; a test checks it exists). */
  readonly anchor: string;
}

/** README sections the anchors point at. */
const VERIFY_DOC = 'verify-dlcverify-dlc-source';
const DIFF_DOC = 'release-gate-policy';
const SHOW_DOC = 'dlcverify-show-file-what-dlcverify-reads';
const CHECK_DOC = 'models-alone-dlcverify-check-model';

export interface DiagnosticWords extends FindingInfo {
  readonly severity: Severity;
}

/** A parser diagnostic: warnings are problems (fatal under --strict), infos are notes. */
function diagnostic(severity: Severity, title: string, help: string): DiagnosticWords {
  return { title, severity, status: severity === 'info' ? 'note' : 'problem', routine: false, help, anchor: SHOW_DOC };
}

const REDUMP = 'Re-create the dump with the SDK tool, unedited, and verify again.';

export const DIAGNOSTICS = {
  // --- dump parser (text and CSV) ---
  DUMP_PREAMBLE_SKIPPED: diagnostic('info', 'lines before the `DLC info` header were skipped', 'Nothing to do: shell prompts or tool logs before the dump are ignored.'),
  DUMP_UNPARSED_ROW: diagnostic('warning', 'a table line could not be parsed', REDUMP),
  DUMP_UNPARSED_ENCODING: diagnostic('warning', 'an encoding entry could not be parsed', REDUMP),
  DUMP_COLUMN_COUNT: diagnostic('warning', 'a table line has the wrong number of columns', REDUMP),
  DUMP_ELIDED_ROWS: diagnostic('warning', 'rows were elided by hand (`...`)', 'Verify against the full dump or the .dlc itself: elided rows are not checked.'),
  DUMP_TRUNCATED: diagnostic('warning', 'the dump ends before its footer (cut short?)', 'Verify against the complete dump or the .dlc itself: what was cut off is not checked.'),
  DUMP_SEPARATOR_LENGTH: diagnostic('info', 'a separator line has a different length than the table', 'Nothing to do: the table is read by its columns.'),
  DUMP_ENCODING_CONFLICT: diagnostic('warning', 'a tensor is printed twice with different encodings', 'Check which encoding the DLC holds: verify against the .dlc itself.'),
  DUMP_ORPHAN_ENCODING: diagnostic('warning', 'an encoding line could not be attached to a tensor', REDUMP),
  DUMP_UNKNOWN_LINE: diagnostic('info', 'a line outside the tables was not recognised', 'Nothing to do unless the line holds encodings: then report the dump format.'),
  DUMP_ANSI_STRIPPED: diagnostic('info', 'ANSI colour codes were removed', 'Nothing to do: colour codes from a terminal capture are ignored.'),
  DUMP_HEADER_MISSING: diagnostic('warning', 'the dump has no `DLC info` header (read as a fragment)', 'Give the whole dump: without its header the commands and the SDK family are unknown.'),
  DUMP_CRLF: diagnostic('info', 'CRLF line endings were normalised', 'Nothing to do.'),
  // --- sources ---
  SOURCE_DUPLICATE_NAME: diagnostic('warning', 'a tensor name appears twice (the SDK keeps the last)', 'Remove the duplicate entry so that the file says one thing.'),
  SOURCE_INCONSISTENT_ENTRY: diagnostic('warning', 'an entry disagrees with itself (offset·scale ≠ min or range/steps ≠ scale)', 'Fix the entry: the SDK uses some of its fields and ignores the others.'),
  SOURCE_POSITIVE_OFFSET: diagnostic('info', 'a positive offset (a zero point): the SDK stores −|offset|', 'Nothing to do; write QNN offsets (≤ 0) to silence this.'),
  SOURCE_SECTION_SUSPICIOUS: diagnostic('info', 'an entry looks placed in the wrong section', 'Check that activations and params are in their own sections.'),
  SOURCE_UNKNOWN_KEY: diagnostic('info', 'keys that were not understood were ignored', 'Check the key names against the encodings format of your SDK.'),
  SOURCE_BAD_VALUE: diagnostic('warning', 'a field has a value that cannot be used', 'Fix the value: the entry is compared without it.'),
  SOURCE_EXPERIMENTAL: diagnostic('info', 'an encoding kind that is read but not compared yet', 'Nothing to do: these entries are listed as not compared.'),
  SOURCE_UNKNOWN_VERSION: diagnostic('info', 'a version this reader does not know: read by the shape of the file', 'Check the results: the file was read by its shape.'),
  SOURCE_UNATTRIBUTED: diagnostic('warning', 'a FakeQuant range could not be attributed to a tensor', 'Give the range in an encodings file, or rename the node so that its tensor is found.'),
  SOURCE_NO_FAKEQUANT: diagnostic('warning', 'the TensorFlow graph has no FakeQuant node: nothing to verify', 'Give the QAT graph (with FakeQuant nodes) or an encodings file.'),
  // --- .dlc binary and QNN net.json ---
  DLC_SANITY: diagnostic('warning', 'a stored encoding fails a sanity check', 'Check that tensor in the SDK tool\'s own dump.'),
  DLC_EXPERIMENTAL: diagnostic('info', 'an experimental encoding layout (not verified against a real file)', 'Check these encodings against the SDK tool\'s own dump.'),
  DLC_UNREADABLE_PART: diagnostic('warning', 'part of the file could not be read', 'Verify against the SDK tool\'s dump of this DLC: the unread part is not checked.'),
} as const satisfies Record<DiagnosticCode, DiagnosticWords>;

export interface VerdictWords extends FindingInfo {
  readonly kind: ResultKind;
}

export const VERDICTS = {
  EXACT: { title: 'exact', kind: 'ok', status: 'as meant', routine: false, anchor: VERIFY_DOC, help: 'Nothing to do: the DLC holds the value you gave.' },
  FLOAT32_ROUNDING: {
    title: 'equal after float32 storage',
    kind: 'ok', status: 'as meant', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do: the SDK stores encodings as float32; the difference is that rounding alone.',
  },
  OFFSET_SIGN_NORMALIZED: {
    title: 'positive offset stored negated',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do: the SDK stores a positive offset (a zero point) as −|offset|. Write QNN offsets (≤ 0) to silence this.',
  },
  SYMMETRIC_OFFSET_FORCED: {
    title: 'symmetric offset forced',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do: a symmetric encoding is stored with offset −2^(bw−1) (or 0 when stored signed).',
  },
  ZERO_POINT_NUDGED: {
    title: 'zero point nudged onto the grid',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do: the quantizer moved min/max by less than a step so that 0 is exactly representable. Give scale and offset to pin the grid.',
  },
  MIN_RANGE_ENFORCED: {
    title: 'minimum range enforced',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do unless the range really should be that narrow: the quantizer widens ranges below 0.01 (or 0.0001).',
  },
  TF_NARROW_RANGE_IGNORED: {
    title: 'TensorFlow narrow_range ignored',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Expected: the SNPE converter uses 2^b−1 steps where TF narrow_range uses 2^b−2 (scale ratio 254/255 at 8 bits).',
  },
  RELU_MIN_CLAMPED: {
    title: 'min clamped to 0 after ReLU',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Expected: the converter forces min to 0 on a ReLU output.',
  },
  SYMMETRIC_FORCED: {
    title: 'made symmetric by the SDK',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Expected when symmetric weights are requested (use_symmetric_quantize_weights, per-channel or 16-bit weights); otherwise check your quantizer flags.',
  },
  OP_FIXED_ENCODING: {
    title: 'fixed encoding imposed by the op',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Expected: the backend imposes this encoding on the op output whatever the overrides say.',
  },
  BITWIDTH_CONVERTED: {
    title: 'bitwidth conversion tensor',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Expected: a Convert op between 8- and 16-bit regions re-expresses the same range on the other grid.',
  },
  PRINT_PRECISION_LIMITED: {
    title: 'consistent only within print precision',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'Probably fine, but the dump prints too few digits to be sure: verify against the .dlc itself for exact numbers.',
  },
  SCALE_NOT_COMPUTED: {
    title: 'stored, scale not computed yet',
    kind: 'ok', status: 'expected deviation', routine: false, anchor: VERIFY_DOC,
    help: 'The DLC has not been through the quantizer: min/max are stored, scale and offset are computed at quantization.',
  },
  FLOAT_OVERRIDE_OK: { title: 'float as requested', kind: 'ok', status: 'as meant', routine: false, anchor: VERIFY_DOC, help: 'Nothing to do: the tensor stays float as the source asks.' },
  FLOAT_OVERRIDE_IGNORED: {
    title: 'float override ignored',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'The source asks for a float tensor but the DLC quantized it: check that the converter ran with the overrides and a float-capable backend (float_fallback).',
  },
  FLOAT_FALLBACK: {
    title: 'tensor left in float',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'The source gives an integer encoding but the DLC tensor is float: the DLC was not quantized, or fell back to float for this op.',
  },
  BITWIDTH_MISMATCH: {
    title: 'bitwidth differs',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'The DLC uses another bitwidth than the source: check act_bitwidth/weights_bitwidth/bias_bitwidth and that override_params was set.',
  },
  REAL_MISMATCH: {
    title: 'encoding differs',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing explains the difference: the override was probably recalibrated or not applied. Check override_params and the overrides file named in the converter command.',
  },
  MISSING_IN_DLC: {
    title: 'not found in the DLC',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'The override names a tensor the DLC does not have: it was renamed, folded away, or cut off. Add a --rename rule or waive it.',
  },
  NOT_IN_SOURCE: {
    title: 'calibrated by the quantizer',
    kind: 'info', status: 'note', routine: true, anchor: VERIFY_DOC,
    help: 'Nothing to do unless you meant to override it: the source does not name this tensor.',
  },
  AMBIGUOUS_MATCH: {
    title: 'ambiguous name match',
    kind: 'warn', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'More than one DLC tensor could be meant: add a --rename rule to pick one.',
  },
  NOT_COMPARED: {
    title: 'not compared',
    kind: 'info', status: 'note', routine: false, anchor: VERIFY_DOC,
    help: 'This encoding layout is read but not compared yet (block, LPBQ, vector).',
  },
} as const satisfies Record<Verdict, VerdictWords>;

export const TAGS = {
  JSON_INCONSISTENT: 'the source entry disagrees with itself; compared field by field',
  OVERRIDE_FLAG_SET: 'the DLC marks this encoding as overridden',
  OVERRIDE_FLAG_CLEAR: 'the DLC does not mark this encoding as overridden',
  CHANNEL_0_ONLY: 'the dump printed only channel 0: checked channel 0 and the channel count',
} as const satisfies Record<VerdictTag, string>;

export interface PipelineWords extends FindingInfo {
  readonly kind: ResultKind;
}

export const PIPELINE = {
  OVERRIDES_NOT_GIVEN: {
    title: 'the converter was given no overrides file',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Re-run the converter with --quantization_overrides naming the overrides file.',
  },
  OVERRIDES_OTHER_FILE: {
    title: 'the converter was given a different overrides file',
    kind: 'warn', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Check that you compare against the overrides file the converter was given.',
  },
  OVERRIDES_SAME_FILE: {
    title: 'the converter was given this overrides file',
    kind: 'ok', status: 'as meant', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do: the converter read the file you compare against.',
  },
  OVERRIDE_PARAMS_FALSE: {
    title: 'the quantizer recalibrated the overrides (override_params=false)',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Re-run the quantizer with --override_params (and without --ignore_encodings).',
  },
  SYMMETRIC_WEIGHTS_CONFLICT: {
    title: 'symmetric weights requested for asymmetric overrides',
    kind: 'warn', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Make the weight overrides symmetric or drop --use_symmetric_quantize_weights.',
  },
  BITWIDTH_FLAG_CONFLICT: {
    title: 'a bitwidth flag contradicts the overrides',
    kind: 'warn', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Check the verdicts of the tensors named: the overrides should win over the flag.',
  },
  NOT_QUANTIZED: {
    title: 'the DLC has not been through the quantizer',
    kind: 'info', status: 'note', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do if this is the converter-stage DLC: encodings are judged as stored.',
  },
  FLOAT_DLC: {
    title: 'the DLC is float: nothing was quantized',
    kind: 'fail', status: 'problem', routine: false, anchor: VERIFY_DOC,
    help: 'Run the quantizer (snpe-dlc-quant / qairt-quantizer) with the overrides and verify its output.',
  },
  NO_COMMANDS: {
    title: 'the dump has no converter/quantizer commands to check',
    kind: 'info', status: 'note', routine: false, anchor: VERIFY_DOC,
    help: 'Nothing to do; verify against a dump or .dlc that records its commands to check the pipeline flags.',
  },
} as const satisfies Record<PipelineCode, PipelineWords>;

export interface DiffWords extends FindingInfo {
  /**
   * The default kind. The diff's policy (src/verify/diff.ts) may raise or lower it per change, and
   * `help` says when: a change that follows from another one (a tensor removed with its op) is
   * `info`; a graph input/output removed, a bitwidth lowered, per-channel lost, or an encoding moved
   * beyond `maxEncodingSteps` (default 1 step of the before grid) is a `regression`.
   */
  readonly kind: 'regression' | 'change' | 'info';
}

export const DIFF = {
  TENSOR_ADDED: {
    title: 'tensor added',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A new tensor (info when its producer op was added too). Check that it is quantized as intended.',
  },
  TENSOR_REMOVED: {
    title: 'tensor removed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A tensor is gone: a regression when it was a graph input or output (the model interface changed); info when its producer op was removed too (reported there); otherwise usually a rename by the converter.',
  },
  BITWIDTH_CHANGED: {
    title: 'bitwidth changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A regression when the bitwidth went down (16 -> 8 bits: 256 times coarser steps); a change when it went up. Check act_bitwidth/weights_bitwidth and the overrides.',
  },
  DTYPE_CHANGED: {
    title: 'data type changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'The stored data type changed without the tensor gaining or losing quantization (uFxp_8 -> sFxp_8, Int_32 -> Int_64, Float_32 -> Float_16).',
  },
  BECAME_FLOAT: {
    title: 'quantized tensor became float',
    kind: 'regression', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'The tensor lost its encoding and runs in float: float_fallback, a dropped override, or an op the quantizer skipped. On a fixed-point backend (DSP/HTP) this adds conversions or fails.',
  },
  BECAME_QUANTIZED: {
    title: 'float tensor became quantized',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A tensor that was float now has an encoding: check that its range is the one you meant (dlcverify DLC SOURCE).',
  },
  ENCODING_CHANGED: {
    title: 'encoding changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'min/max moved beyond print precision and float32 rounding, measured in steps of the before grid: a regression beyond maxEncodingSteps (default 1 step), a change up to it. Recalibration moves many tensors; an override that stopped applying moves one.',
  },
  ENCODING_SAME: {
    title: 'encoding unchanged within print precision',
    kind: 'info', status: 'note', routine: true, anchor: DIFF_DOC,
    help: 'The numbers differ only as much as printing and float32 storage allow (a .dlc against its own dump): nothing to do.',
  },
  LAYOUT_CHANGED: {
    title: 'encoding layout changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A regression when per-channel encodings became per-tensor (one range for every channel); a change otherwise.',
  },
  SHAPE_CHANGED: {
    title: 'tensor dimensions changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'The tensor has other dimensions (input resolution, batch, channel count): intended if the model changed.',
  },
  OP_ADDED: { title: 'op added', kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC, help: 'A new op: check its output encodings.' },
  OP_REMOVED: {
    title: 'op removed',
    kind: 'regression', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'An op of the before graph is gone (removed, folded or renamed). Accept it in the baseline if the converter folded it on purpose.',
  },
  OP_RETYPED: {
    title: 'op type changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'The op with this name has another type: a converter translating the same layer differently.',
  },
  GRAPH_ADDED: { title: 'graph added', kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC, help: 'A new graph in the DLC.' },
  GRAPH_REMOVED: {
    title: 'graph removed',
    kind: 'regression', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'A graph of the before DLC is gone: the model no longer offers it.',
  },
  METADATA_CHANGED: {
    title: 'metadata changed',
    kind: 'change', status: 'problem', routine: false, anchor: DIFF_DOC,
    help: 'The SDK version, converter or quantizer command changed (option by option); derived footer numbers are info. Never fails the run.',
  },
} as const satisfies Record<DiffCode, DiffWords>;


/** The sentence of a verify result: its verdict's title, then what made it (numbers included). */
export function verdictSentence(verdict: Verdict, detail: string): string {
  return `${VERDICTS[verdict].title}: ${detail}`;
}

/** The sentence of a pipeline finding: its title, then what the header says. */
export function pipelineSentence(code: PipelineCode, detail: string): string {
  return `${PIPELINE[code].title}: ${detail}`;
}

/** A diagnostic in one line: its title, then the detail with its numbers. */
export function diagnosticSentence(code: DiagnosticCode, detail: string): string {
  return `${DIAGNOSTICS[code].title}: ${detail}`;
}

export interface CheckWords extends FindingInfo {
  /** The default kind; waivers and `--fail-on` are applied after (`decide`). */
  readonly kind: ResultKind;
}

/** A check that passed: as meant, listed only with --verbose (always counted). */
const CHECK_PASSED = { kind: 'ok', status: 'as meant', routine: true, anchor: CHECK_DOC } as const;
const CHECK_FAILS = { kind: 'fail', status: 'problem', routine: false, anchor: CHECK_DOC } as const;
const CHECK_WARNS = { kind: 'warn', status: 'problem', routine: false, anchor: CHECK_DOC } as const;

/**
 * `dlcverify check MODEL…`: what the models alone show. Thresholds are in README.md ("check"), and
 * in src/check/encodings.ts where they are applied.
 */
export const CHECKS = {
  SEAM_MATCH: {
    title: 'seam agrees',
    ...CHECK_PASSED,
    help: 'Nothing to do: the output of one part and the input of the next carry the same encoding, data type and dimensions.',
  },
  SEAM_BITWIDTH_MISMATCH: {
    title: 'seam changes bitwidth',
    ...CHECK_FAILS,
    help: 'The part boundary converts between bitwidths at every inference (16 -> 8 bits: 256 times coarser steps). Quantize both sides of the seam at the same bitwidth: override the consumer input (or the producer output) with the other side\'s encoding.',
  },
  SEAM_GRID_MISMATCH: {
    title: 'seam changes grid',
    ...CHECK_FAILS,
    help: 'The two parts quantize the same tensor on different grids: the runtime requantizes at every inference, and values outside the consumer\'s range clip. Give both parts the same encoding (one overrides file for every part, or override the consumer input with the producer output).',
  },
  SEAM_DTYPE_MISMATCH: {
    title: 'seam changes data type',
    ...CHECK_FAILS,
    help: 'One part writes the tensor in another data type than the next part reads (float against fixed point, signed against unsigned): a conversion at every inference. Convert both parts with the same quantization settings for this tensor.',
  },
  SEAM_SHAPE_MISMATCH: {
    title: 'seam changes dimensions',
    ...CHECK_FAILS,
    help: 'The output of one part and the input of the next have other dimensions: they cannot be connected as they are. Check the split point and the input dimensions given to the converter.',
  },
  SHARED_WEIGHT_SAME: {
    title: 'shared weight identical',
    ...CHECK_PASSED,
    help: 'Nothing to do: every graph holds this static tensor with the same encoding.',
  },
  SHARED_WEIGHT_DIFFERS: {
    title: 'shared weight differs between graphs',
    ...CHECK_FAILS,
    help: 'A weight that several graphs share has different encodings in them: the weights cannot be shared (a weight-shared context will not build, or holds two copies). Quantize the graphs with one encodings file, or from one calibration.',
  },
  ENCODING_NON_FINITE: {
    title: 'non-finite number in an encoding',
    ...CHECK_FAILS,
    help: 'An encoding holds NaN or infinity: calibration saw non-finite values (or none). Fix the calibration data or override this tensor with a finite range.',
  },
  SCALE_NOT_POSITIVE: {
    title: 'scale is zero or negative',
    ...CHECK_FAILS,
    help: 'A quantized tensor needs a positive scale: every value maps to one step or the sign flips. Recalibrate, or override the tensor with a real range.',
  },
  RANGE_ABSURD: {
    title: 'absurd range',
    ...CHECK_FAILS,
    help: 'The range is so wide (|min| or |max| >= 1e30, or scale >= 1e10) that every value quantizes to one or two steps: usually a float max (3.4e38) left by an op the calibration did not see. Override the tensor with a real range, or keep it in float.',
  },
  CHANNEL_SCALE_COLLAPSED: {
    title: 'collapsed channel',
    ...CHECK_WARNS,
    help: 'A channel\'s scale is below a millionth of the tensor\'s median channel scale: a dead channel (all weights zero or pruned) or a collapsed calibration. Harmless if the channel is truly dead; otherwise recalibrate or fix the weights.',
  },
  OFFSET_OUTSIDE_GRID: {
    title: 'offset outside its grid',
    ...CHECK_FAILS,
    help: 'The offset is not an integer in [-(2^bw - 1), 0]: zero is not on the grid and the stored range is not the one used. Recompute scale and offset from min/max (or override them).',
  },
  MIN_ABOVE_MAX: {
    title: 'min above max',
    ...CHECK_FAILS,
    help: 'The encoding\'s min is greater than its max: an inverted range quantizes nothing correctly. Recalibrate, or override the tensor.',
  },
  SYMMETRIC_OFFSET_WRONG: {
    title: 'symmetric encoding with an asymmetric offset',
    ...CHECK_FAILS,
    help: 'The encoding says it is symmetric but its offset is neither 0 (signed storage) nor -2^(bw-1): a backend that trusts the flag drops the offset and shifts every value. Requantize with consistent symmetric settings.',
  },
  CONVERTED_CONSISTENT: {
    title: 'bitwidth conversion consistent',
    ...CHECK_PASSED,
    help: 'Nothing to do: the converted tensor re-expresses the range of the tensor it was converted from.',
  },
  CONVERTED_INCONSISTENT: {
    title: 'bitwidth conversion inconsistent',
    ...CHECK_FAILS,
    help: 'A `_converted_` tensor should keep the min/max of its source tensor, with scale divided (offset multiplied) by 2^(bit difference): it does not, so the Convert op changes values. Requantize the model; report it to the converter\'s vendor if it persists.',
  },
} as const satisfies Record<CheckCode, CheckWords>;
