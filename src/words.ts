/**
 * Numbers in words, the one place for each: how a verify or diff sentence, and every report format,
 * writes a value (`fmt`), a step count (`fmtSteps`), a ratio (`fmtRatio`) or a grid; and the one
 * grid helper (`toGridNumbers`: an encoding's numbers). Machine cells that must round-trip use
 * render/common.ts's `numberText` (shortest exact form) instead.
 */
import type { Encoding, GridNumbers } from './model.js';

/**
 * A number for a sentence: at most 15 significant digits, so float noise does not show
 * (`0.30000000000000004` -> `0.3`). When the shortest form already has 15 digits or fewer it is
 * the answer (rounding the exact value to 15 digits lands on it: the 15-digit grid is coarser than
 * the double's rounding interval), and the slower `toPrecision` round trip is skipped.
 */
export function fmt(x: number | undefined): string {
  if (x === undefined) return '—';
  const shortest = String(x);
  if (!Number.isFinite(x) || Number.isInteger(x) || significantDigits(shortest) <= 15) return shortest;
  return String(Number(x.toPrecision(15)));
}

/** Significant digits of a number's shortest form (`-0.00125` -> 3, `1.5e-7` -> 2). */
function significantDigits(text: string): number {
  let digits = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 /* e */) break;
    if (c < 48 || c > 57) continue;
    if (leading && c === 48) continue;
    leading = false;
    digits++;
  }
  return digits;
}

/** A step count: `3.60`, `0.44`, `123`, `2.4e-3`; `n/a` when unknown, `∞` when unbounded. */
export function fmtSteps(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return '∞';
  if (x === 0) return '0';
  if (x < 0.01) return x.toExponential(1);
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

/** Ratios to 7 significant digits: enough for 254/255 (0.9960784), not float32 noise. */
export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(7))) : String(x);
}

export function gridWords(g: GridNumbers): string {
  return `bitwidth ${fmt(g.bitwidth)}, min ${fmt(g.min)}, max ${fmt(g.max)}, scale ${fmt(g.scale)}, offset ${fmt(g.offset)}`;
}

export function quote(name: string): string {
  return `\`${name}\``;
}

export function toGridNumbers(e: Encoding): GridNumbers {
  return { bitwidth: e.bitwidth, min: e.min.value, max: e.max.value, scale: e.scale.value, offset: e.offset.value };
}
