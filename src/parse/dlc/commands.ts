/**
 * Converter / quantizer command lines as the SDK records them, parsed into `key=value` options.
 *
 * Written here because the dump parser's commands parser (branch `dump`) did not exist yet when
 * the .dlc reader landed; switch to it once both are on main. Real shapes:
 * - 1.x / 2.x: `snpe-onnx-to-dlc adjust_nms_features_dims=False input_dim=[['images', '1,3,320,320']] …`
 * - QAIRT 2.25: `snpe-onnx-to-dlc; adjust_nms_features_dims=True; align_matmul_ranks=True; …`
 * - quantizer: `snpe-dlc-quantize help=false … input_dlc=[/data0/yolov5n.dlc] …`
 * Values may hold spaces inside brackets or quotes, so this is a small tokenizer, not a regex.
 */
import type { Command } from '../../model.js';

/** Splits on whitespace and `;` outside brackets and quotes. Linear, no backtracking. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quote = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
      current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === '[' || ch === '(' || ch === '{') {
      depth++;
      current += ch;
    } else if ((ch === ']' || ch === ')' || ch === '}') && depth > 0) {
      depth--;
      current += ch;
    } else if (depth === 0 && (ch === ' ' || ch === '\t' || ch === ';')) {
      if (current !== '') out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

export function parseCommand(text: string): Command {
  const parts = tokens(text.trim());
  const options = new Map<string, string>();
  let tool = '';
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    if (i === 0 && eq < 0) {
      tool = part;
      return;
    }
    const key = (eq < 0 ? part : part.slice(0, eq)).replace(/^--?/, '');
    options.set(key, eq < 0 ? '' : part.slice(eq + 1));
  });
  return { text: text.trim(), tool, options };
}
