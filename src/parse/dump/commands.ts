/**
 * Converter / quantizer command lines of the dump header or footer, parsed into `key=value` options.
 *
 * Up to 2.22 the options are separated by single spaces:
 *   `snpe-onnx-to-dlc adjust_nms_features_dims=True … out_names=['output', '329'] quantization_overrides= …`
 * from 2.25 by `; `:
 *   `snpe-onnx-to-dlc; adjust_nms_features_dims=True; align_matmul_ranks=True; …`
 * Values may be empty (`quantization_overrides=`), bracketed (`input_list=[/a/b.txt]`), quoted
 * lists with spaces (`out_names=['output', '329']`) or nested (`input_dim=[['lambda/div', '1,6,80,160']]`):
 * a separator only counts outside brackets and quotes. One linear scan, no regex (these lines
 * reach 1,500+ characters).
 */
import type { Command } from '../../model.js';

/** Parses the text after `Converter command: ` / `Quantizer command: `. */
export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  // The tool is the first word; in 2.25+ it is followed by `;`.
  let toolEnd = 0;
  while (toolEnd < trimmed.length && trimmed.charCodeAt(toolEnd) !== 32 && trimmed.charCodeAt(toolEnd) !== 59) toolEnd++;
  const tool = trimmed.slice(0, toolEnd);
  const semicolons = trimmed.charCodeAt(toolEnd) === 59;
  const options = new Map<string, string>();
  const items = splitTopLevel(trimmed, semicolons ? toolEnd + 1 : toolEnd, semicolons);
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === -1) {
      // A bare word (a flag written without a value): keep it, value empty.
      options.set(item, '');
    } else {
      const key = item.slice(0, eq);
      options.delete(key); // a repeated key keeps its last value, in its last position
      options.set(key, item.slice(eq + 1));
    }
  }
  return { text: trimmed, tool, options };
}

/** Splits on spaces (or on `;` when `semicolons`) outside brackets and quotes; drops empty items. */
function splitTopLevel(text: string, start: number, semicolons: boolean): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = 0;
  let itemStart = start;
  const separator = semicolons ? 59 : 32;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 39 || c === 34) {
      // Quotes only open inside a value (`['a b']`), never in a key: an apostrophe in a path
      // outside brackets would otherwise swallow the rest of the line.
      if (depth > 0) quote = c;
    } else if (c === 91 || c === 40 || c === 123) depth++;
    else if ((c === 93 || c === 41 || c === 125) && depth > 0) depth--;
    else if (c === separator && depth === 0) {
      pushItem(items, text, itemStart, i);
      itemStart = i + 1;
    }
  }
  pushItem(items, text, itemStart, text.length);
  return items;
}

function pushItem(items: string[], text: string, start: number, end: number): void {
  const item = text.slice(start, end).trim();
  if (item.length > 0) items.push(item);
}
