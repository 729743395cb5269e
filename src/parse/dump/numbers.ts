/**
 * Printed numbers of `snpe-dlc-info`: every value keeps how it was printed, because the verifier
 * derives its tolerance from that (half a unit of the last printed digit).
 *
 * Formats seen (DLC-INFO-FORMAT.md §1):
 * - `%.12f` (SNPE 1.4x–1.6x, all of 2.x): `-128.000000000000`, `0.007812500000`
 * - `%f` (some 1.x builds): `-0.029826`, `-2147483648.000000`
 * - `%.4g` (SNPE 1.17–1.3x): `-0.8784`, `0.006863`, `-128`, `1.2e-05`
 * - non-finite in every format: `inf`, `-inf`, `nan`, `-nan`
 *
 * A hand-rolled scanner (no regex): these run on every encoding of 200 MB dumps.
 */
import type { Precision, PrintedNumber } from '../../model.js';

/** How a family prints its numbers: fixed decimals (read from the text) or `%.4g`. */
export type NumberStyle = 'fixed' | 'g4';

/** One shared Precision per count of decimals / significant digits. */
const FIXED: Precision[] = [];
const SIGNIFICANT: Precision[] = [];
/** Counts beyond this (a pathological 100,000-digit number) get a Precision of their own. */
const MAX_SHARED_COUNT = 40;

export function fixed(decimals: number): Precision {
  return FIXED[decimals] ?? remember(FIXED, decimals, { style: 'fixed', decimals });
}

function significantPrecision(digits: number): Precision {
  return SIGNIFICANT[digits] ?? remember(SIGNIFICANT, digits, { style: 'significant', digits });
}

/** `precision`, frozen, and kept in `cache` at `count` unless the count is beyond MAX_SHARED_COUNT. */
function remember(cache: Precision[], count: number, precision: Precision): Precision {
  const frozen = Object.freeze(precision);
  if (count <= MAX_SHARED_COUNT) cache[count] = frozen;
  return frozen;
}
const SIGNIFICANT_4 = significantPrecision(4);

/** Exact powers of ten (10^0 … 10^22 are exact doubles). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parses `text[start, end)` as one printed number, or returns undefined when it is not one.
 * `fixed` style: the precision is the number of decimals actually printed (`%f` gives 6, `%.12f`
 * 12; an exponent, never printed by `%f`, falls back to the significant digits printed).
 * `g4` style: always 4 significant digits, whatever trailing zeros `%g` removed.
 */
export function parsePrintedNumber(text: string, style: NumberStyle, start = 0, end = text.length): PrintedNumber | undefined {
  const slot = new NumberSlot();
  return scanPrintedNumber(text, style, start, end, slot) ? { value: slot.value, precision: slot.precision } : undefined;
}

/** Where `scanPrintedNumber` writes a number: reused across calls (no object per number read). */
export class NumberSlot {
  value = 0;
  precision: Precision = fixed(0);
}

/**
 * `parsePrintedNumber` into a reused slot: true when `text[start, end)` is one printed number
 * (then `slot` holds it), false otherwise (then `slot` is unspecified). The hot path of the dump
 * parser: four numbers per encoding line, hundreds of thousands of lines.
 */
export function scanPrintedNumber(text: string, style: NumberStyle, start: number, end: number, slot: NumberSlot): boolean {
  if (start >= end) return false;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  if (i >= end) return false;
  const c0 = text.charCodeAt(i);
  if (!isDigit(c0) && c0 !== 46 /* . */) {
    // inf / nan (glibc prints `-nan` too); case-insensitive for `INF`/`NaN` from other printers.
    const word = text.slice(i, end).toLowerCase();
    const precision = style === 'g4' ? SIGNIFICANT_4 : fixed(0);
    slot.precision = precision;
    if (word === 'inf' || word === 'infinity') slot.value = negative ? -Infinity : Infinity;
    else if (word === 'nan') slot.value = Number.NaN;
    else return false;
    return true;
  }
  // The digits are accumulated as they are scanned: with at most 15 significant digits (every
  // `%.12f` value below 1000, every `%.4g`) and no exponent, mantissa / 10^decimals is the correctly
  // rounded double, the same as `Number(text)`, without slicing a string per number.
  let intDigits = 0;
  let mantissa = 0;
  let significant = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) break;
    if (significant > 0 || c !== 48) {
      mantissa = mantissa * 10 + (c - 48);
      significant++;
    }
    i++;
    intDigits++;
  }
  let decimals = 0;
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) break;
      if (significant > 0 || c !== 48) {
        mantissa = mantissa * 10 + (c - 48);
        significant++;
      }
      i++;
      decimals++;
    }
  }
  if (intDigits + decimals === 0) return false;
  let hasExponent = false;
  if (i < end && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69) /* e E */) {
    hasExponent = true;
    i++;
    if (i < end && (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 43)) i++;
    let expDigits = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) return false;
  }
  if (i !== end) return false;
  let value: number;
  if (!hasExponent && significant <= 15 && decimals <= 22) {
    const magnitude = mantissa / POW10[decimals]!;
    value = negative ? -magnitude : magnitude;
  } else {
    value = Number(text.slice(start, end));
    if (Number.isNaN(value)) return false;
  }
  slot.value = value;
  if (style === 'g4') slot.precision = SIGNIFICANT_4;
  else if (hasExponent) slot.precision = significantPrecision(significantDigits(text, start, end));
  else slot.precision = fixed(decimals);
  return true;
}

/** Significant digits of a mantissa (`1.250e-05` -> 4), for the rare exponent in a fixed family. */
function significantDigits(text: string, start: number, end: number): number {
  let digits = 0;
  let leading = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) break;
    if (!isDigit(c)) continue;
    if (leading && c === 48) continue;
    leading = false;
    digits++;
  }
  return Math.max(1, digits);
}
