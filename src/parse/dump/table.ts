/**
 * Rows of the text tables. A row line is `| ` + each cell left-justified and padded + `| `, the
 * final space dropped (DLC-INFO-FORMAT.md §2):
 *   `| 0   | /model.0/conv/Conv   | Conv2d   | images (data type: uFxp_8; …) [NW Input]   | … |`
 * Cells never wrap; names can hold spaces, `:`, `/`, `(`: only the one leading space and the
 * trailing padding are dropped. Split with indexOf (linear on 10 MB lines).
 */

/** More cells than any dump table has (8): a line of bars is garbage, not 10 million cells. */
const MAX_CELLS = 64;

/**
 * A blank cell and its closing bar, matched in place: most cells of a dump are padding (every
 * per-channel continuation row is seven blank cells and one Parameters cell), and the compiled
 * regex skips them far faster than a charCodeAt loop or a slice + trim per cell. Matches the
 * `    |` runs of `|    |                                                  |        | …`.
 * Linear: one run of spaces, then one character.
 */
const BLANK_CELL = / *\|/y;

/**
 * Splits a `|` row into its cells, or returns undefined when the line is not a row. A line with
 * more than MAX_CELLS cells is cut there (the caller reports the wrong column count).
 */
export function splitTextRow(line: string): string[] | undefined {
  if (line.charCodeAt(0) !== 124 /* | */) return undefined;
  const cells: string[] = [];
  let start = 1;
  for (;;) {
    if (cells.length > MAX_CELLS) return cells;
    BLANK_CELL.lastIndex = start;
    if (BLANK_CELL.test(line)) {
      cells.push('');
      start = BLANK_CELL.lastIndex;
      continue;
    }
    const bar = line.indexOf('|', start);
    if (bar === -1) {
      // After the closing bar: nothing (or blanks). Text here is a row cut short: keep it as a cell.
      if (start < line.length) {
        const rest = cell(line, start, line.length);
        if (rest.length > 0) cells.push(rest);
      }
      return cells;
    }
    cells.push(cell(line, start, bar));
    start = bar + 1;
  }
}

/** `\|(?: *\|){n}` per n: a row's opening bar and its first n cells, all blank. */
const BLANK_CELLS: RegExp[] = [];

/**
 * The last cell of a row whose first `blankCells` cells are blank, or undefined when the row is
 * not that (or that cell is blank too): the per-channel continuation rows of a big dump, which are
 * seven blank cells and a Parameters entry,
 *   `|     |                  |                   |  …  |          | w encoding for channel_1: bitwidth 8, … |`
 * read with one regex instead of a cell at a time. Undefined means "split it with splitTextRow",
 * which gives the same cells for every row this accepts.
 */
export function lastCellAfterBlanks(line: string, blankCells: number): string | undefined {
  if (blankCells > MAX_CELLS) return undefined;
  // Linear: each repetition is a run of spaces ended by the one character that is not a space.
  const blanks = (BLANK_CELLS[blankCells] ??= new RegExp(`\\|(?: *\\|){${blankCells}}`, 'y'));
  blanks.lastIndex = 0;
  if (!blanks.test(line)) return undefined;
  const start = blanks.lastIndex;
  const bar = line.indexOf('|', start);
  if (bar === -1) return undefined;
  for (let i = bar + 1; i < line.length; i++) if (line.charCodeAt(i) !== 32) return undefined;
  const last = cell(line, start, bar);
  return last === '' ? undefined : last;
}

/** `line[start, end)` without its one leading space and its trailing padding (one slice, no trim copy). */
function cell(line: string, start: number, end: number): string {
  if (line.charCodeAt(start) === 32) start++;
  while (end > start && isTrailingBlank(line.charCodeAt(end - 1))) end--;
  return start >= end ? '' : line.slice(start, end);
}

/** What `trimEnd` removes from a cell: the padding, and any other white space. */
function isTrailingBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isBlank(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (line.charCodeAt(i) !== 32) return false;
  return true;
}

/** `-----…` or `=====…` (2.2x+ graph blocks), at least 3 characters. */
export function separatorChar(line: string): '-' | '=' | undefined {
  if (line.length < 3) return undefined;
  const c = line.charCodeAt(0);
  if (c !== 45 && c !== 61) return undefined;
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 32) end--;
  for (let i = 1; i < end; i++) if (line.charCodeAt(i) !== c) return undefined;
  return c === 45 ? '-' : '=';
}

/** True for a line of spaces only (the 100-space line of 2.2x headers, blank lines). */
export function isBlankLine(line: string): boolean {
  return isBlank(line, 0, line.length);
}

/** A hand-elided row: `...`, `…`, `| ... |` (the 1.54 report pastes `...` between rows). */
export function isElision(line: string): boolean {
  const t = line.trim();
  if (t === '...' || t === '…') return true;
  if (t.startsWith('|') && t.length < 64) {
    // `|     | ...  |` (short lines only): bars and blanks around dots.
    const inner = t.replace(/[|\s]/g, '');
    return /^(?:\.\.\.|…)+$/.test(inner);
  }
  return false;
}
