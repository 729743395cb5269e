/**
 * Text mode: physical lines -> builder events. Table rows start with `|`; separators are dashes
 * (`=` before each graph in 2.2x+); everything else is a header/footer line.
 */
import type { DumpBuilder } from './builder.js';
import { isBlankLine, isElision, lastCellAfterBlanks, separatorChar, splitTextRow } from './table.js';

export function textLine(builder: DumpBuilder, line: string, lineNo: number): void {
  if (line.charCodeAt(0) === 124 /* | */) {
    if (line.length < 64 && isElision(line)) {
      builder.elision(lineNo);
      return;
    }
    const blankCells = builder.blankCellsBeforeParams;
    if (blankCells !== undefined) {
      const param = lastCellAfterBlanks(line, blankCells);
      if (param !== undefined) {
        builder.paramRow(param, lineNo);
        return;
      }
    }
    builder.row(splitTextRow(line) ?? [], lineNo, trimmedLength(line));
    return;
  }
  const sep = separatorChar(line);
  if (sep === '-') {
    builder.separator(lineNo, trimmedLength(line));
    return;
  }
  if (sep === '=') {
    // The `=====` line before `Info of graph:` (2.2x+): not part of a table.
    builder.separator(lineNo, undefined);
    return;
  }
  if (isBlankLine(line)) {
    builder.textLine('', lineNo);
    return;
  }
  if (isElision(line)) {
    builder.elision(lineNo);
    return;
  }
  builder.textLine(line, lineNo);
}

/** Length without trailing spaces (pasted copies lose or gain trailing blanks). */
function trimmedLength(line: string): number {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 32) end--;
  return end;
}
