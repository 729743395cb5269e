/**
 * Tensor cells of the Inputs / Outputs columns.
 *
 * - SNPE 1.x: a bare buffer name (`conv2d/BiasAdd:0`, `122`).
 * - SNPE 2.5: `images (Float_32) [NW Input]`.
 * - SNPE 2.12: `name (data type: uFxp_8; tensor dimension: [1, 224, 224, 3]; tensor type: NATIVE)`.
 * - 2.2x+: `images (data type: uFxp_8; tensor dimension: [1,640,640,3]; tensor type: APP_WRITE) [NW Input]`.
 * Names can contain spaces and parentheses: cut from the right (the last ` (data type: `).
 */

export type CellStyle = 'bare' | 'paren-dtype' | 'data-type';

export interface TensorCell {
  readonly name: string;
  readonly dtype?: string;
  readonly dims?: readonly number[];
  readonly tensorType?: string;
  /** 2.12 writes dims with spaces (`[1, 224, 224, 3]`), 2.2x+ without: a family hint. */
  readonly dimsSpaced?: boolean;
}

const DATA_TYPE = ' (data type: ';

/** Strips a trailing ` [NW Input]`-like marker. */
function withoutMarker(cell: string): string {
  if (cell.charCodeAt(cell.length - 1) !== 93 /* ] */) return cell;
  const open = cell.lastIndexOf(' [');
  const close = cell.lastIndexOf(')');
  return open > close && close !== -1 ? cell.slice(0, open) : cell;
}

/** Which style a cell is written in (used once, on the first tensor cell of a dump). */
export function cellStyle(cell: string): CellStyle {
  const c = withoutMarker(cell);
  if (c.lastIndexOf(DATA_TYPE) > 0 && c.endsWith(')')) return 'data-type';
  if (c.endsWith(')')) {
    const open = c.lastIndexOf(' (');
    if (open > 0 && isDtypeWord(c, open + 2, c.length - 1)) return 'paren-dtype';
  }
  return 'bare';
}

/** `Float_32`, `uFxp_8`, `Int_64`, `Bool_8`, `Undefined`, `Invalid`: one word of letters, digits, `_`. */
function isDtypeWord(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!ok) return false;
  }
  return true;
}

export function parseTensorCell(cell: string, style: CellStyle): TensorCell {
  if (style === 'bare') return { name: cell };
  const c = withoutMarker(cell);
  if (style === 'paren-dtype') {
    const open = c.lastIndexOf(' (');
    if (open > 0 && c.endsWith(')') && isDtypeWord(c, open + 2, c.length - 1)) {
      return { name: c.slice(0, open), dtype: c.slice(open + 2, c.length - 1) };
    }
    return { name: cell };
  }
  const at = c.lastIndexOf(DATA_TYPE);
  if (at <= 0 || !c.endsWith(')')) return { name: cell };
  const inner = c.slice(at + DATA_TYPE.length, c.length - 1);
  // `uFxp_8; tensor dimension: [1,640,640,3]; tensor type: APP_WRITE`
  const semi = inner.indexOf(';');
  const dtype = (semi === -1 ? inner : inner.slice(0, semi)).trim();
  let dims: number[] | undefined;
  let dimsSpaced: boolean | undefined;
  let tensorType: string | undefined;
  const dimsAt = inner.indexOf('tensor dimension: [');
  if (dimsAt !== -1) {
    const open = dimsAt + 'tensor dimension: '.length;
    const close = inner.indexOf(']', open);
    if (close !== -1) {
      const list = inner.slice(open + 1, close);
      dimsSpaced = list.includes(', ');
      dims = list.trim() === '' ? [] : list.split(',').map((d) => Number(d.trim()));
    }
  }
  const typeAt = inner.lastIndexOf('tensor type: ');
  if (typeAt !== -1) tensorType = inner.slice(typeAt + 'tensor type: '.length).trim();
  return {
    name: c.slice(0, at),
    dtype,
    ...(dims === undefined ? {} : { dims }),
    ...(dimsSpaced === undefined ? {} : { dimsSpaced }),
    ...(tensorType === undefined ? {} : { tensorType }),
  };
}
