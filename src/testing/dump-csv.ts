/**
 * A dump WRITER for `snpe-dlc-info -s FILE` CSV (DLC-INFO-FORMAT.md §5): the same rows as the text
 * table, unpadded; header and footer lines as one-cell rows; no separator lines, no 100-space
 * line; Python `csv` default dialect (fields holding `,`, `"`, CR or LF are quoted, `\r\n` line
 * endings, a row of one empty string is `""`). Used for round-trip properties, not verification.
 *
 * 1.17 has no CSV mode; asked for it, this writes the 7-column table the 1.2x–1.3x tools would.
 */
import type { DlcModel, Graph } from '../model.js';
import {
  dumpTextHeaderLines,
  footer1xLines,
  footerLines,
  graphOpRows,
  noteLines,
  ioCells,
  opHeader,
  resolveWriteOptions,
  type DumpWriteOptions,
  type ResolvedWriteOptions,
} from './dump-text.js';

/** Python csv QUOTE_MINIMAL: quote when the field holds the delimiter, the quote or a line break. */
export function csvField(value: string): string {
  if (value.includes(',') || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One CSV record without its line ending. Python writes a lone empty field as `""`. */
export function csvRecord(cells: readonly string[]): string {
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map(csvField).join(',');
}


function* graphRecords(graph: Graph, options: ResolvedWriteOptions, model: DlcModel): Generator<string> {
  if (options.family === 'qairt-2.2x') yield csvRecord([`Info of graph: ${graph.name}`]);
  yield csvRecord(opHeader(options.family));
  for (const row of graphOpRows(graph, options)) yield csvRecord(row);
  for (const line of noteLines(graph, model)) yield csvRecord([line]);
  yield csvRecord(['']);
  if (options.family === 'snpe-1.4x-1.6x' || options.family === 'snpe-1.2x-1.3x' || options.family === 'snpe-1.17') return;
  yield csvRecord(['Input Name', 'Dimensions', 'Type', 'Encoding Info']);
  for (const row of graph.inputs) yield csvRecord(ioCells(row, options));
  yield csvRecord(['Output Name', 'Dimensions', 'Type', 'Encoding Info']);
  for (const row of graph.outputs) yield csvRecord(ioCells(row, options));
  for (const line of footerLines(graph.footer, options.family)) yield csvRecord([line]);
}

/** CSV records (no line endings), streamed. */
export function* dumpCsvRecords(model: DlcModel, options: DumpWriteOptions = {}): Generator<string> {
  const resolved = resolveWriteOptions(model, options);
  for (const line of dumpTextHeaderLines(model, resolved)) {
    if (line.trim().length === 0) continue; // the 100-space line is not written
    yield csvRecord([line]);
  }
  const graphs = resolved.family === 'qairt-2.2x' ? model.graphs : model.graphs.slice(0, 1);
  for (const graph of graphs) yield* graphRecords(graph, resolved, model);
  if (resolved.family !== 'qairt-2.2x' && resolved.family !== 'snpe-2.12') {
    for (const line of footer1xLines(model, resolved)) yield csvRecord([line]);
  }
}

/** The whole CSV as one string with `\r\n` line endings, as Python's csv module writes it. */
export function writeDumpCsv(model: DlcModel, options: DumpWriteOptions = {}): string {
  const parts: string[] = [];
  for (const record of dumpCsvRecords(model, options)) parts.push(record);
  return parts.join('\r\n') + '\r\n';
}
