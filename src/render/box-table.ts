/**
 * A box-drawn table in one linear pass: the layout cli-table3 draws (`┌─┬─┐`, one space of padding
 * each side, lines too wide cut with `…`), without its cost. cli-table3 re-measures a cell's whole
 * text for every line it draws and truncates character by character (quadratic in a cell's length),
 * which took 127 s for `show` of a 19,500-row model.
 *
 * Widths are terminal columns (`terminalWidth`, as cli-table3 measured them): a tensor name in
 * CJK or with an emoji takes two columns a character, and the borders stay aligned.
 */
import stringWidth from 'string-width';

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

/**
 * Columns a line takes as cli-table3 0.6 measured them: its own colour-code pattern removed, then
 * string-width 4 (East Asian wide characters and emoji two columns; control characters and
 * combining accents none).
 */
export function terminalWidth(line: string): number {
  // Printable ASCII, the usual case, is one column a character.
  if (/^[\x20-\x7e]*$/.test(line)) return line.length;
  return stringWidth(line.replace(/\u001b\[(?:\d*;){0,5}\d*m/g, ''));
}

/** `line` cut to `width` columns with `…` when wider, then padded with spaces to `width`. */
function fit(line: string, width: number): string {
  const w = terminalWidth(line);
  if (w <= width) return line + ' '.repeat(width - w);
  const cut = takeColumns(line.replace(ANSI, ''), Math.max(0, width - 1));
  return cut + '…' + ' '.repeat(Math.max(0, width - terminalWidth(cut) - 1));
}

/** The longest start of `text` (whole code points) that fits in `columns`. */
function takeColumns(text: string, columns: number): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text.slice(0, columns);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = terminalWidth(ch);
    if (used + w > columns) break;
    out += ch;
    used += w;
  }
  return out;
}

function rule(widths: readonly number[], left: string, middle: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w)).join(middle) + right;
}

/** Each column's widest line (head included) plus the padding. */
function measure(head: readonly (readonly string[])[], rows: Iterable<readonly string[]>): number[] {
  const widths = head.map((cell) => Math.max(...cell.map(terminalWidth)) + 2);
  for (const row of rows) {
    row.forEach((cell, c) => {
      for (const line of cell.split('\n')) widths[c] = Math.max(widths[c] ?? 2, terminalWidth(line) + 2);
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
 * Greedy word wrap to `width` terminal columns; words longer than a line (tensor names) are cut
 * hard. Done before drawing, so long names are wrapped, never truncated with an ellipsis.
 */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      let w = word;
      let wWidth = terminalWidth(w);
      while (wWidth > width) {
        if (line.length > 0) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        // At least one code point per line, even one wider than the line.
        const head = takeColumns(w, width) || String.fromCodePoint(w.codePointAt(0)!);
        lines.push(head);
        w = w.slice(head.length);
        wWidth = terminalWidth(w);
      }
      if (line.length === 0) {
        line = w;
        lineWidth = wWidth;
      } else if (lineWidth + 1 + wWidth <= width) {
        line += ` ${w}`;
        lineWidth += 1 + wWidth;
      } else {
        lines.push(line);
        line = w;
        lineWidth = wWidth;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** cli-table3's colour codes and its pattern for them (`\u001b[31m`, `\u001b[1;4m`). */
const CLI_TABLE3_CODE = /\u001b\[((?:\d*;){0,5}\d*)m/g;
const STYLE_CODES: Readonly<Record<string, { readonly on: string; readonly off: string }>> = {
  bold: { on: '\u001b[1m', off: '\u001b[22m' },
  italics: { on: '\u001b[3m', off: '\u001b[23m' },
  underline: { on: '\u001b[4m', off: '\u001b[24m' },
  inverse: { on: '\u001b[7m', off: '\u001b[27m' },
  strikethrough: { on: '\u001b[9m', off: '\u001b[29m' },
};

/** The colours left on at the end of `line`, in the order cli-table3 (utils.readState) kept them. */
interface ColourState {
  foreground?: string;
  background?: string;
  /** Style name -> on, in the order first set since the last reset. */
  styles: Map<string, boolean>;
}

function colourStateAfter(line: string): ColourState {
  const state: ColourState = { styles: new Map() };
  for (const match of line.matchAll(CLI_TABLE3_CODE)) {
    const code = match[1] ? parseInt(match[1].split(';')[0]!, 10) : 0;
    if ((code >= 30 && code <= 39) || (code >= 90 && code <= 97)) state.foreground = match[0];
    else if ((code >= 40 && code <= 49) || (code >= 100 && code <= 107)) state.background = match[0];
    else if (code === 0) {
      delete state.foreground;
      delete state.background;
      state.styles.clear();
    } else {
      for (const [name, codes] of Object.entries(STYLE_CODES)) {
        if (match[0] === codes.on) state.styles.set(name, true);
        else if (match[0] === codes.off) state.styles.set(name, false);
      }
    }
  }
  return state;
}

/**
 * A cell's text with colours that span lines closed at each line's end and reopened at the next
 * line's start, as cli-table3 did (utils.colorizeLines): only tensor names that hold raw escape
 * codes have any, and their table stays byte for byte what cli-table3 drew.
 */
export function carryColours(text: string): string {
  if (!text.includes('\u001b')) return text;
  let open: ColourState = { styles: new Map() };
  const out: string[] = [];
  for (const original of text.split('\n')) {
    let line = original;
    for (const [name, on] of open.styles) if (on) line = STYLE_CODES[name]!.on + line;
    if (open.background !== undefined && open.background !== '\u001b[49m') line = open.background + line;
    if (open.foreground !== undefined && open.foreground !== '\u001b[39m') line = open.foreground + line;
    open = colourStateAfter(line);
    let closed = line;
    for (const [name, on] of open.styles) if (on) closed += STYLE_CODES[name]!.off;
    if (open.background !== undefined && open.background !== '\u001b[49m') closed += '\u001b[49m';
    if (open.foreground !== undefined && open.foreground !== '\u001b[39m') closed += '\u001b[39m';
    out.push(closed);
  }
  return out.join('\n');
}
