/**
 * Entries of the Parameters column (and the I/O tables' Encoding Info cell) that carry encodings.
 *
 * SNPE 1.x (no tensor name; no comma before `bitwidth`; `delta` is the SDK's name for the scale):
 *   `output encoding: min -66.366264343262, max 61.841293334961, delta 0.502774715424, offset -132.000000000000 bitwidth 8`
 *   `weight encoding: min -2.175, max 0.4916, delta 0.01046, offset -208 bitwidth 8`       (1.17, %.4g)
 *   `weight encoding 1: …`, `bias encoding: …`, `axis-quant: axis: 3, num_elements: 32`
 * SNPE 2.x (every line names its tensor):
 *   `images encoding : bitwidth 8, min -1.000000000000, max 0.992187500000, scale 0.007812500000, offset -128.000000000000` (2.12+)
 *   `images encoding:  bitwidth 8, …`                                                          (2.5)
 *   `w_dq encoding for channel_0: bitwidth 8, min -0.683360815048, …`
 *   `axis-quant: axis: 0, num_elements: 4 (above encoding is only for the first (channel_0) of 4 channels)`
 * I/O tables: `bitwidth 8, min …, max …, scale …, offset …` or `No encoding info for this tensor`.
 *
 * Scanners, not regexes: a Parameters cell can be very long in a pathological file.
 */
import { fixed, NumberSlot, scanPrintedNumber, type NumberStyle } from './numbers.js';

/**
 * The fields of one encoding body, filled in place by `readEncodingBody`: one per parse, reused for
 * every line (a 200 MB dump has hundreds of thousands of encoding lines; objects per line were
 * most of the parser's garbage). Copy what you keep before the next read.
 */
export class EncodingFields {
  bitwidth = 0;
  readonly min = new NumberSlot();
  readonly max = new NumberSlot();
  readonly scale = new NumberSlot();
  readonly offset = new NumberSlot();
  /** Keys that were not understood (kept out of the encoding; the caller reports them). */
  unknownKeys: string[] | undefined;
}

function isSpaceOrComma(c: number): boolean {
  return c === 32 || c === 44 || c === 9;
}

/** `text[start, end)` as a number when it is 1 to 9 plain digits (bitwidths, channels), else undefined. */
function digitsValue(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 9) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

const enum Key {
  Bitwidth,
  Min,
  Max,
  Scale,
  Offset,
  Unknown,
}

/**
 * The key in `text[start, end)`, by length and character codes (no slice, no `startsWith` call:
 * five keys on every one of hundreds of thousands of lines).
 */
function keyOf(text: string, start: number, end: number): Key {
  const c0 = text.charCodeAt(start);
  switch (end - start) {
    case 3:
      // min, max
      if (c0 === 109 /* m */) {
        const c1 = text.charCodeAt(start + 1);
        const c2 = text.charCodeAt(start + 2);
        if (c1 === 105 /* i */ && c2 === 110 /* n */) return Key.Min;
        if (c1 === 97 /* a */ && c2 === 120 /* x */) return Key.Max;
      }
      return Key.Unknown;
    case 5:
      // scale, delta (SNPE 1.x)
      if (c0 === 115 /* s */ && sameChars(text, start + 1, 'cale')) return Key.Scale;
      if (c0 === 100 /* d */ && sameChars(text, start + 1, 'elta')) return Key.Scale;
      return Key.Unknown;
    case 6:
      return c0 === 111 /* o */ && sameChars(text, start + 1, 'ffset') ? Key.Offset : Key.Unknown;
    case 8:
      return c0 === 98 /* b */ && sameChars(text, start + 1, 'itwidth') ? Key.Bitwidth : Key.Unknown;
    default:
      return Key.Unknown;
  }
}

/** `text` at `at` holds `word` (the caller checked the length). */
function sameChars(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Reads `key value` pairs separated by spaces and/or commas, in any order: the 1.x order
 * (`min, max, delta, offset bitwidth`) and the 2.x order (`bitwidth, min, max, scale, offset`),
 * into `fields`. Returns undefined when all five were read, else why the body is unreadable.
 */
export function readEncodingBody(text: string, start: number, style: NumberStyle, fields: EncodingFields): string | undefined {
  if (style === 'fixed' && readCanonicalBody(text, start, fields)) return undefined;
  // Bit k set: key k was read (Key.Bitwidth … Key.Offset).
  let seen = 0;
  fields.unknownKeys = undefined;
  let i = start;
  const end = text.length;
  while (i < end) {
    while (i < end && isSpaceOrComma(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const keyStart = i;
    while (i < end && !isSpaceOrComma(text.charCodeAt(i))) i++;
    const key = keyOf(text, keyStart, i);
    while (i < end && text.charCodeAt(i) === 32) i++;
    const valueStart = i;
    while (i < end && !isSpaceOrComma(text.charCodeAt(i))) i++;
    if (valueStart === i) return `no value after \`${text.slice(keyStart, valueStart).trim()}\``;
    if (key === Key.Bitwidth) {
      const bw = digitsValue(text, valueStart, i) ?? Number(text.slice(valueStart, i));
      if (!Number.isInteger(bw) || bw < 0) return `bitwidth \`${text.slice(valueStart, i)}\` is not an integer`;
      fields.bitwidth = bw;
      seen |= 1 << Key.Bitwidth;
      continue;
    }
    if (key === Key.Unknown) {
      (fields.unknownKeys ??= []).push(text.slice(keyStart, valueStart).trim());
      if (!scanPrintedNumber(text, style, valueStart, i, UNKNOWN_VALUE)) return notANumber(text, keyStart, valueStart, i);
      continue;
    }
    const slot = key === Key.Min ? fields.min : key === Key.Max ? fields.max : key === Key.Scale ? fields.scale : fields.offset;
    if (!scanPrintedNumber(text, style, valueStart, i, slot)) return notANumber(text, keyStart, valueStart, i);
    seen |= 1 << key;
  }
  if (seen === ALL_KEYS) return undefined;
  const missing = [
    (seen & (1 << Key.Bitwidth)) === 0 ? 'bitwidth' : '',
    (seen & (1 << Key.Min)) === 0 ? 'min' : '',
    (seen & (1 << Key.Max)) === 0 ? 'max' : '',
    (seen & (1 << Key.Scale)) === 0 ? 'scale/delta' : '',
    (seen & (1 << Key.Offset)) === 0 ? 'offset' : '',
  ].filter((s) => s !== '');
  return `missing ${missing.join(', ')}`;
}

/**
 * The body every 2.x dump prints, and the one on hundreds of thousands of lines of a big one:
 *   ` bitwidth 8, min -0.672807812691, max 0.667551517487, scale 0.005256311037, offset -128.000000000000`
 * (2.12+: one space after the colon; 2.5: two). Matched whole by one sticky regex, which V8 runs
 * natively (half the time of the general scanner's charCodeAt loop); every other body goes
 * through the general scanner. Linear: each group is a run of one character class bounded by a
 * character outside it, and the lengths are capped, so nothing backtracks.
 */
const CANONICAL_BODY = / {1,2}bitwidth (\d{1,9}), min (-?\d{1,15}\.\d{1,15}), max (-?\d{1,15}\.\d{1,15}), scale (\d{1,15}\.\d{1,15}), offset (-?\d{1,15}\.\d{1,15})$/y;

/** Reads the canonical body into `fields`, or returns false (nothing read) when the body is not one. */
function readCanonicalBody(text: string, start: number, fields: EncodingFields): boolean {
  CANONICAL_BODY.lastIndex = start;
  const m = CANONICAL_BODY.exec(text);
  if (m === null) return false;
  fields.bitwidth = Number(m[1]);
  fixedNumber(m[2]!, fields.min);
  fixedNumber(m[3]!, fields.max);
  fixedNumber(m[4]!, fields.scale);
  fixedNumber(m[5]!, fields.offset);
  fields.unknownKeys = undefined;
  return true;
}

/**
 * `-0.672807812691` (digits, a point, digits) into a slot: `Number` rounds correctly, as the
 * scanner does, so both paths give the same double; the precision is the decimals printed.
 */
function fixedNumber(digits: string, slot: NumberSlot): void {
  slot.value = Number(digits);
  slot.precision = fixed(digits.length - digits.indexOf('.') - 1);
}

const ALL_KEYS = (1 << Key.Bitwidth) | (1 << Key.Min) | (1 << Key.Max) | (1 << Key.Scale) | (1 << Key.Offset);
/** Where the value of an unknown key is checked (and dropped). */
const UNKNOWN_VALUE = new NumberSlot();

function notANumber(text: string, keyStart: number, valueStart: number, valueEnd: number): string {
  return `\`${text.slice(valueStart, valueEnd)}\` after \`${text.slice(keyStart, valueStart).trim()}\` is not a number`;
}

/**
 * Text that holds an encoding entry of any family, by plain substring tests (no regex on possibly
 * huge lines): `images encoding : bitwidth 8, …` (2.12+), `w encoding for channel_0: …`,
 * `x encoding:  bitwidth` (2.5), `output encoding: min …` / `weight encoding …` / `bias encoding: min …` (1.x).
 * Where an entry turns up outside an op table, it is reported, never dropped.
 */
export function mentionsEncodingEntry(text: string): boolean {
  if (!text.includes('encoding')) return false;
  return (
    text.includes(' encoding : bitwidth') ||
    text.includes(' encoding for channel_') ||
    text.includes(' encoding:  bitwidth') ||
    text.includes('output encoding: min') ||
    text.includes('weight encoding') ||
    text.includes('bias encoding: min')
  );
}

/** What one Parameters entry is. */
export type ParamEntry =
  /** 2.x: `<tensor> encoding : …` / `<tensor> encoding:  …` / `<tensor> encoding for channel_K: …`. */
  | { readonly kind: 'named-encoding'; readonly tensor: string; readonly channel?: number; readonly bodyStart: number }
  /** 1.x: `output encoding: …`, `weight encoding: …`, `weight encoding 1: …`, `bias encoding: …`. */
  | { readonly kind: 'layer-encoding'; readonly what: 'output' | 'weight' | 'bias'; readonly index: number; readonly bodyStart: number }
  | { readonly kind: 'axis-quant'; readonly axis?: number; readonly numElements?: number; readonly firstChannelOnly: boolean }
  | { readonly kind: 'attribute'; readonly name: string; readonly value: string };

const ENCODING = ' encoding';
const FOR_CHANNEL = ' for channel_';

/** Classifies a 2.x Parameters entry (tensor names can hold spaces, `:`, `.`, `(`: cut from the right). */
export function classifyParam2x(text: string): ParamEntry {
  if (text.startsWith('axis-quant:')) return parseAxisQuant(text);
  const at = text.lastIndexOf(ENCODING);
  if (at > 0) {
    let i = at + ENCODING.length;
    if (text.startsWith(FOR_CHANNEL, i)) {
      i += FOR_CHANNEL.length;
      const digitsStart = i;
      while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i > digitsStart && text.charCodeAt(i) === 58 /* : */) {
        return { kind: 'named-encoding', tensor: text.slice(0, at), channel: digitsValue(text, digitsStart, i) ?? Number(text.slice(digitsStart, i)), bodyStart: i + 1 };
      }
    } else {
      // ` : ` (2.12+), `:  ` (2.5), `: ` (tolerated).
      if (text.charCodeAt(i) === 32) i++;
      if (text.charCodeAt(i) === 58 && (i + 1 === text.length || text.charCodeAt(i + 1) === 32)) {
        return { kind: 'named-encoding', tensor: text.slice(0, at), bodyStart: i + 1 };
      }
    }
  }
  return attribute(text);
}

/** Classifies a 1.x Parameters entry. */
export function classifyParam1x(text: string): ParamEntry {
  if (text.startsWith('axis-quant:')) return parseAxisQuant(text);
  let what: 'output' | 'weight' | 'bias' | undefined;
  if (text.startsWith('output encoding')) what = 'output';
  else if (text.startsWith('weight encoding')) what = 'weight';
  else if (text.startsWith('bias encoding')) what = 'bias';
  if (what !== undefined) {
    let i = what.length + ENCODING.length;
    let index = 0;
    if (text.charCodeAt(i) === 32) {
      // `weight encoding 1:`
      i++;
      const digitsStart = i;
      while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i > digitsStart) index = Number(text.slice(digitsStart, i));
    }
    if (text.charCodeAt(i) === 58) return { kind: 'layer-encoding', what, index, bodyStart: i + 1 };
  }
  // A 2.x named encoding in a 1.x table (a damaged header made the dump look 1.x): the caller
  // reports it instead of keeping it as an attribute.
  return classifyParam2x(text);
}

function attribute(text: string): ParamEntry {
  const colon = text.indexOf(':');
  if (colon === -1) return { kind: 'attribute', name: text.trim(), value: '' };
  return { kind: 'attribute', name: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}

/** `axis-quant: axis: 3, num_elements: 8` with the optional `(above encoding is only for the first …)`. */
function parseAxisQuant(text: string): ParamEntry {
  const axis = numberAfter(text, 'axis: ', 'axis-quant:'.length);
  const numElements = numberAfter(text, 'num_elements: ', 0);
  return {
    kind: 'axis-quant',
    ...(axis === undefined ? {} : { axis }),
    ...(numElements === undefined ? {} : { numElements }),
    firstChannelOnly: text.includes('above encoding is only for the first'),
  };
}

function numberAfter(text: string, label: string, from: number): number | undefined {
  const at = text.indexOf(label, from);
  if (at === -1) return undefined;
  let i = at + label.length;
  const start = i;
  if (text.charCodeAt(i) === 45) i++;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === start || (i === start + 1 && text.charCodeAt(start) === 45)) return undefined;
  return Number(text.slice(start, i));
}
