/**
 * Float32 arithmetic and print quanta: the units every tolerance in dlcverify is built from.
 * Shared by parse (sanity checks), verify (classification) and diff.
 */
import type { Precision, PrintedNumber } from './model.js';

/** 2^0 … 2^64, exact. */
const POWERS_OF_TWO: readonly number[] = Array.from({ length: 65 }, (_, n) => 2 ** n);

/**
 * 2^n, from a table for the integer n of bitwidths (0 … 64): `2 ** n` with a variable n is a call
 * into the C library's pow, and bitwidths are raised to it for every channel of every tensor.
 */
export function pow2(n: number): number {
  return POWERS_OF_TWO[n] ?? 2 ** n;
}

/** The spacing of float32 values around x (the unit in the last place), for finite x. */
export function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (!Number.isFinite(a)) return Number.NaN;
  if (a < 2 ** -126) return 2 ** -149; // subnormal spacing
  const exponent = Math.floor(Math.log2(a));
  // log2 can be off by one right at powers of two: correct it.
  const e = 2 ** exponent > a ? exponent - 1 : 2 ** (exponent + 1) <= a ? exponent + 1 : exponent;
  return 2 ** (e - 23);
}

/**
 * Half a unit of the last printed digit: how far the printed value may be from the stored one.
 * `%.12f` -> 5e-13; `%f` -> 5e-7; `%.4g` of 0.006863 -> 5e-7; binary float32/float64 -> 0.
 */
export function printQuantum(n: PrintedNumber): number {
  return quantumOf(n.value, n.precision);
}

/** `0.5 · 10^−d` for `%.{d}f`, d = 0..31 (computed exactly as the fallback computes it). */
const FIXED_QUANTA: readonly number[] = Array.from({ length: 32 }, (_, d) => 0.5 * 10 ** -d);

export function quantumOf(value: number, precision: Precision): number {
  switch (precision.style) {
    case 'fixed':
      // Looked up: verify asks this for every field of every channel (millions of times).
      return FIXED_QUANTA[precision.decimals] ?? 0.5 * 10 ** -precision.decimals;
    case 'significant': {
      if (value === 0 || !Number.isFinite(value)) return 0;
      const magnitude = Math.floor(Math.log10(Math.abs(value)));
      return 0.5 * 10 ** (magnitude - precision.digits + 1);
    }
    case 'float32':
    case 'float64':
      return 0;
  }
}

/** Round half away from zero (C `round`), unlike `Math.round` which rounds -0.5 up. */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Prints a PrintedNumber the way the dump printed it (`%.12f`, `%f`, `%.4g`): for tables. */
export function formatPrinted(n: PrintedNumber): string {
  const { value, precision } = n;
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  switch (precision.style) {
    case 'fixed':
      return value.toFixed(precision.decimals);
    case 'significant':
      return formatG(value, precision.digits);
    case 'float32':
    case 'float64':
      return String(value);
  }
}

/** C `%.Ng`: N significant digits, trailing zeros removed, exponent outside [-4, N). */
function formatG(value: number, digits: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(digits)))));
  if (exponent < -4 || exponent >= digits) {
    const [mantissa = '', exp = '0'] = value.toExponential(digits - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const e = Number(exp);
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = value.toFixed(Math.max(0, digits - 1 - exponent));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
