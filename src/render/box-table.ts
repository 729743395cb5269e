/**
 * A box-drawn table in one linear pass: the layout cli-table3 draws (`┌─┬─┐`, one space of padding
 * each side, lines too wide cut with `…`), without its cost. cli-table3 re-measures a cell's whole
 * text for every line it draws and truncates character by character (quadratic in a cell's length),
 * which took 127 s for `show` of a 19,500-row model.
 *
 * Widths count code points outside ANSI colour codes: every cell this tool writes is ASCII or
 * narrow symbols (`—`, `−`, `…`); East Asian wide characters in a tensor name would count as one.
 */

export interface BoxTableOptions {
  readonly head: readonly string[];
  /** Re-iterable when `colWidths` is not given (see `boxTableLines`). */
  readonly rows: Iterable<readonly string[]>;
  /** Column widths including the padding; by default each column fits its widest line. */
  readonly colWidths?: readonly number[];
  /** A `├─┼─┤` line after the head and between rows (default true). */
  readonly rowLines?: boolean;
  /** Applied to the head cells' padded text (bold, colours). */
  readonly headStyle?: (text: string) => string;
  /** Applied to the border characters. */
  readonly borderStyle?: (text: string) => string;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a line takes on a terminal (code points, colour codes excluded). */
export function displayWidth(line: string): number {
  let plain = line;
  if (line.includes('\u001b')) plain = line.replace(ANSI, '');
  // ASCII (the usual case) is one column per UTF-16 unit; otherwise count code points.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(plain) ? plain.length : [...plain].length;
}

/** `line` cut to `width` columns with `…` when wider, then padded with spaces to `width`. */
function fit(line: string, width: number): string {
  const w = displayWidth(line);
  if (w <= width) return line + ' '.repeat(width - w);
  const plain = line.replace(ANSI, '');
  const cut = [...plain].slice(0, Math.max(0, width - 1)).join('');
  return cut + '…' + ' '.repeat(Math.max(0, width - displayWidth(cut) - 1));
}

function rule(widths: readonly number[], left: string, middle: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w)).join(middle) + right;
}

/** Each column's widest line (head included) plus the padding. */
function measure(head: readonly (readonly string[])[], rows: Iterable<readonly string[]>): number[] {
  const widths = head.map((cell) => Math.max(...cell.map(displayWidth)) + 2);
  for (const row of rows) {
    row.forEach((cell, c) => {
      for (const line of cell.split('\n')) widths[c] = Math.max(widths[c] ?? 2, displayWidth(line) + 2);
    });
  }
  return widths;
}

/**
 * The table's lines, one at a time. Without `colWidths` the rows are read twice (once to measure,
 * once to draw), so `rows` must then be re-iterable (an array, or an object whose iterator makes
 * the rows afresh): a big table is then never held whole, only the line being drawn.
 */
export function* boxTableLines(options: BoxTableOptions): Generator<string> {
  const head = options.head.map((h) => h.split('\n'));
  const widths = options.colWidths ?? measure(head, options.rows);
  const rowLines = options.rowLines ?? true;
  const border = options.borderStyle ?? ((text: string) => text);
  const bar = border('│');
  const separator = border(rule(widths, '├', '┼', '┤'));
  function* draw(cells: readonly (readonly string[])[], style?: (text: string) => string): Generator<string> {
    const height = Math.max(1, ...cells.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      // Joined, not concatenated with +=: one flat string per line, not a rope of pieces (a
      // --verbose table has a line per channel).
      const parts: string[] = [bar];
      for (let c = 0; c < widths.length; c++) {
        const text = ` ${fit(cells[c]?.[i] ?? '', widths[c]! - 2)} `;
        parts.push(style ? style(text) : text, bar);
      }
      yield parts.join('');
    }
  }
  yield border(rule(widths, '┌', '┬', '┐'));
  yield* draw(head, options.headStyle);
  for (const row of options.rows) {
    if (rowLines) yield separator;
    yield* draw(row.map((cell) => cell.split('\n')));
  }
  yield border(rule(widths, '└', '┴', '┘'));
}

export function boxTable(options: BoxTableOptions): string {
  return [...boxTableLines(options)].join('\n');
}

/**
 * Greedy word wrap to `width` columns; words longer than a line (tensor names) are cut hard.
 * Done before drawing, so long names are wrapped, never truncated with an ellipsis.
 */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let w = word;
      while (w.length > width) {
        if (line.length > 0) {
          lines.push(line);
          line = '';
        }
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (line.length === 0) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
