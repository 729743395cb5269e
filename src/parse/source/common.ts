/**
 * What every source reader shares: collecting entries with the warnings of ENCODINGS.md §1
 * (duplicate names, self-inconsistent entries, positive offsets, entries in the wrong section),
 * unknown keys listed once, and typed field access on JSON objects that reports bad values with
 * their JSON pointer and line instead of throwing.
 */
import { DIAGNOSTICS } from '../../findings.js';
import type { Diagnostic, DiagnosticCode, Location, SourceEntry, SourceFormat, SourceGrid, SourceSet } from '../../model.js';
import { jsonPointer, jsonTypeOf, type JsonObject, type JsonValue } from '../wire/json.js';
import { pow2 } from '../../numeric.js';

export type Section = SourceEntry['section'];

// A TF/ONNX/PyTorch parameter name: `conv1.weight`, `model.0.conv.bias`, `conv2d/kernel:0`,
// `MobilenetV1/Conv2d_0/weights/read:0`, `dense/bias/ReadVariableOp:0`, `Conv2d/weights`.
const PARAM_NAME = /(?:^|[./_])(?:weight|weights|bias|biases|kernel|filter|gamma|beta|moving_mean|moving_variance)$/i;

/** Strips `:0`, `/read` and `/ReadVariableOp` (TF reads of a variable) before looking at a name. */
function baseName(name: string): string {
  let n = name;
  const colon = n.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(n.slice(colon + 1))) n = n.slice(0, colon);
  for (const suffix of ['/read', '/ReadVariableOp']) if (n.endsWith(suffix)) n = n.slice(0, -suffix.length);
  return n;
}

export function looksLikeParam(name: string): boolean {
  return PARAM_NAME.test(baseName(name));
}

/**
 * An activation name: ONNX `/model.22/Sigmoid_output_0`, PyTorch-exported numeric `"137"` or
 * `/ssd/685` (a last path segment of digits), or a TF `…:0` output that is not a parameter.
 */
export function looksLikeActivation(name: string): boolean {
  if (looksLikeParam(name)) return false;
  if (/_output_\d+$/.test(name)) return true;
  if (/:\d+$/.test(name)) return true;
  const last = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('.')) + 1);
  return /^\d+$/.test(last);
}

export class SourceBuilder {
  private readonly entries: (SourceEntry | undefined)[] = [];
  private readonly bySectionName = new Map<string, number>();
  private readonly sectionOf = new Map<string, { section: Section; line: number | undefined }>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly ignored: string[] = [];
  private readonly unknown = new Map<string, { count: number; at: Location }>();

  constructor(readonly file: string) {}

  report(code: DiagnosticCode, detail: string, at: Location): void {
    this.diagnostics.push({ code, severity: DIAGNOSTICS[code].severity, detail, at: { file: this.file, ...at } });
  }

  at(segments: readonly (string | number)[], line: number | undefined): Location {
    return line === undefined ? { file: this.file, pointer: jsonPointer(segments) } : { file: this.file, pointer: jsonPointer(segments), line };
  }

  /** A top-level key that is known and deliberately not used (`quantizer_args`, `producer`, …). */
  ignoreKey(key: string): void {
    if (!this.ignored.includes(key)) this.ignored.push(key);
  }

  /** A key nobody knows; `pattern` names where (`/activation_encodings/*\/*\/foo`). Listed once. */
  unknownKey(pattern: string, at: Location | (() => Location)): void {
    const seen = this.unknown.get(pattern);
    if (seen) seen.count++;
    else this.unknown.set(pattern, { count: 1, at: typeof at === 'function' ? at() : at });
  }

  /** Adds an entry with its checks. A repeated name in the same section replaces the earlier one. */
  add(entry: SourceEntry, sectionLabel: string): void {
    const key = `${entry.section}\u0000${entry.name}`;
    const earlier = this.bySectionName.get(key);
    if (earlier !== undefined) {
      const before = this.entries[earlier];
      this.report(
        'SOURCE_DUPLICATE_NAME',
        `"${entry.name}" is given twice in ${sectionLabel} (lines ${before?.at.line ?? '?'} and ${entry.at.line ?? '?'}): the SDK keeps the last, so the first is ignored`,
        entry.at,
      );
      this.entries[earlier] = undefined;
    } else {
      const other = this.sectionOf.get(entry.name);
      if (other && other.section !== entry.section) {
        this.report(
          'SOURCE_DUPLICATE_NAME',
          `"${entry.name}" is given as ${other.section === 'activation' ? 'an activation' : 'a param'} (line ${other.line ?? '?'}) and as ${entry.section === 'activation' ? 'an activation' : 'a param'} (line ${entry.at.line ?? '?'}): both are kept`,
          entry.at,
        );
      }
    }
    this.bySectionName.set(key, this.entries.length);
    this.sectionOf.set(entry.name, { section: entry.section, line: entry.at.line });
    this.entries.push(entry);
    this.check(entry, sectionLabel);
  }

  private check(entry: SourceEntry, sectionLabel: string): void {
    if (entry.section === 'param' && looksLikeActivation(entry.name)) {
      this.report('SOURCE_SECTION_SUSPICIOUS', `"${entry.name}" looks like an activation but is under ${sectionLabel}`, entry.at);
    } else if (entry.section === 'activation' && looksLikeParam(entry.name)) {
      this.report('SOURCE_SECTION_SUSPICIOUS', `"${entry.name}" looks like a parameter but is under ${sectionLabel}`, entry.at);
    }
    const positive = entry.grids.filter((g) => g.offset !== undefined && g.offset > 0);
    if (positive.length > 0) {
      const first = positive[0]!;
      this.report(
        'SOURCE_POSITIVE_OFFSET',
        `"${entry.name}" has offset ${first.offset}${positive.length > 1 ? ` (and ${positive.length - 1} more channel(s))` : ''}, a zero point: the SDK stores ${-first.offset!}`,
        entry.at,
      );
    }
    if (entry.dtype !== 'int' || entry.bitwidth === undefined) return;
    let bad = 0;
    let firstDetail = '';
    for (const grid of entry.grids) {
      const detail = inconsistency(grid, entry.bitwidth);
      if (detail === undefined) continue;
      if (bad === 0) firstDetail = grid.channel === undefined ? detail : `channel ${grid.channel}: ${detail}`;
      bad++;
    }
    if (bad > 0) {
      this.report(
        'SOURCE_INCONSISTENT_ENTRY',
        `"${entry.name}" disagrees with itself: ${firstDetail}${bad > 1 ? ` (${bad} channels)` : ''}; the SDK stores each field as given`,
        entry.at,
      );
    }
  }

  finish(format: SourceFormat, version: string | undefined): SourceSet {
    const ignoredKeys = [...this.ignored];
    for (const [pattern, { count, at }] of this.unknown) {
      ignoredKeys.push(pattern);
      this.report('SOURCE_UNKNOWN_KEY', `${pattern}: not a key of this format, ignored (${count} time${count === 1 ? '' : 's'})`, at);
    }
    const entries = this.entries.filter((e): e is SourceEntry => e !== undefined);
    return { format, ...(version !== undefined ? { version } : {}), file: this.file, entries, ignoredKeys, diagnostics: this.diagnostics };
  }
}

/**
 * Float32 noise around x: a bound of about 8 float32 ulps (ulp32(x) ≤ |x|·2^-23), cheap enough
 * for millions of channels.
 */
function float32Noise(x: number): number {
  return Math.abs(x) * FLOAT32_NOISE_RATIO;
}

const FLOAT32_NOISE_RATIO = 2 ** -20;

/**
 * Why a grid disagrees with itself, or undefined. "Beyond float32 noise": a few float32 ulps of
 * the numbers involved (AIMET writes float32 values as doubles; dlc-info pastes have 12 decimals).
 */
export function inconsistency(grid: SourceGrid, bitwidth: number): string | undefined {
  const { min, max, scale, offset } = grid;
  if (scale === undefined || !(scale > 0)) return undefined;
  if (min !== undefined && offset !== undefined) {
    const qnnOffset = offset > 0 ? -offset : offset;
    const expectedMin = qnnOffset * scale;
    const tolerance = Math.max(float32Noise(Math.max(Math.abs(min), Math.abs(expectedMin))), 1e-6 * scale);
    if (Math.abs(expectedMin - min) > tolerance) {
      const steps = Math.abs(expectedMin - min) / scale;
      return `offset ${qnnOffset}${offset > 0 ? ` (from ${offset})` : ''} × scale ${scale} = ${expectedMin} but min is ${min} (${steps.toPrecision(3)} steps apart)`;
    }
  }
  if (min !== undefined && max !== undefined && bitwidth >= 1 && bitwidth <= 32) {
    const steps = pow2(bitwidth) - 1;
    const expectedScale = (max - min) / steps;
    const tolerance = float32Noise(scale) + (float32Noise(max) + float32Noise(min)) / steps;
    if (Math.abs(expectedScale - scale) > tolerance) {
      return `(max − min)/${steps} = ${expectedScale} but scale is ${scale} (ratio ${(scale / expectedScale).toPrecision(6)})`;
    }
  }
  return undefined;
}

/**
 * Typed reads of one JSON object's fields. A wrong type is a SOURCE_BAD_VALUE diagnostic with the
 * field's pointer and line, and the field is treated as absent.
 */
export class FieldReader {
  constructor(
    private readonly builder: SourceBuilder,
    readonly obj: JsonObject,
    private readonly parent: readonly (string | number)[],
    /**
     * What the entry is called in messages (`"conv1.weight"`), or how to say it from the index
     * (built only for a message: per-channel entries have hundreds of thousands of objects).
     */
    private readonly name: string | ((index: number | undefined) => string),
    /** The object's index in `parent` (a channel), appended only when a pointer is needed. */
    private readonly index?: number,
  ) {}

  private get label(): string {
    return typeof this.name === 'string' ? this.name : this.name(this.index);
  }

  /** The object's JSON pointer segments (built on demand: most objects never need them). */
  get segments(): readonly (string | number)[] {
    return this.index === undefined ? this.parent : [...this.parent, this.index];
  }

  at(key?: string): Location {
    return key === undefined
      ? this.builder.at(this.segments, this.obj.line)
      : this.builder.at([...this.segments, key], this.obj.lineOf(key) ?? this.obj.line);
  }

  bad(key: string, detail: string): void {
    this.builder.report('SOURCE_BAD_VALUE', `${this.label}: \`${key}\` ${detail}`, this.at(key));
  }

  has(key: string): boolean {
    return this.obj.has(key);
  }

  raw(key: string): JsonValue | undefined {
    return this.obj.get(key);
  }

  number(key: string): number | undefined {
    const v = this.obj.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') {
      this.bad(key, `should be a number, got ${jsonTypeOf(v)}${typeof v === 'string' ? ` ("${v.slice(0, 40)}")` : ''}: ignored`);
      return undefined;
    }
    if (!Number.isFinite(v)) {
      this.bad(key, `is ${v}, not a finite number: ignored`);
      return undefined;
    }
    return v;
  }

  integer(key: string, lowest: number, highest: number): number | undefined {
    const v = this.number(key);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < lowest || v > highest) {
      this.bad(key, `is ${v}, expected an integer from ${lowest} to ${highest}: ignored`);
      return undefined;
    }
    return v;
  }

  string(key: string): string | undefined {
    const v = this.obj.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.bad(key, `should be a string, got ${jsonTypeOf(v)}: ignored`);
      return undefined;
    }
    return v;
  }

  /** `true`/`false`, or the strings `"True"`/`"False"` AIMET ≤ 1.x writes (any case). */
  boolean(key: string): boolean | undefined {
    const v = this.obj.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      // AIMET writes `"True"`/`"False"`: answered without building a lower-case copy.
      if (v === 'True') return true;
      if (v === 'False') return false;
      const lower = v.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
    this.bad(key, `should be true/false (or "True"/"False"), got ${jsonTypeOf(v)}${typeof v === 'string' ? ` ("${v.slice(0, 40)}")` : ''}: ignored`);
    return undefined;
  }

  /** Lists keys outside `known` as unknown, under `pattern` + `/key`. */
  unknownKeys(known: ReadonlySet<string>, pattern: string): void {
    for (let i = 0; i < this.obj.keys.length; i++) {
      const key = this.obj.keys[i]!;
      if (!known.has(key)) {
        const line = this.obj.lines[i];
        this.builder.unknownKey(`${pattern}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, () => this.builder.at([...this.segments, key], line));
      }
    }
  }

  /** Duplicate keys inside this object (the last wins, as in the SDK's Python json). */
  reportDuplicateKeys(): void {
    if (!this.obj.duplicates) return;
    for (const [key, lines] of this.obj.duplicates) {
      this.builder.report(
        'SOURCE_DUPLICATE_NAME',
        `${this.label}: key \`${key}\` is given ${lines.length} times (lines ${lines.join(', ')}): the last is used`,
        this.at(key),
      );
    }
  }
}

/** A grid with only the fields that were given. */
export function grid(channel: number | undefined, min?: number, max?: number, scale?: number, offset?: number): SourceGrid {
  if (min !== undefined && max !== undefined && scale !== undefined && offset !== undefined) {
    // The usual complete grid as one literal: properties added one by one to `{}` spill the fifth
    // into an out-of-object store (~40 bytes more per channel, hundreds of thousands of them).
    return channel === undefined ? { min, max, scale, offset } : { channel, min, max, scale, offset };
  }
  const g: { channel?: number; min?: number; max?: number; scale?: number; offset?: number } = {};
  if (channel !== undefined) g.channel = channel;
  if (min !== undefined) g.min = min;
  if (max !== undefined) g.max = max;
  if (scale !== undefined) g.scale = scale;
  if (offset !== undefined) g.offset = offset;
  return g;
}
