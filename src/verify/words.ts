/**
 * Numbers in sentences: how a verdict sentence writes a value, a step count, a ratio or a grid.
 */
import type { Encoding, GridNumbers } from '../model.js';

export function fmt(x: number | undefined): string {
  if (x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(15)));
}

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
