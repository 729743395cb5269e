/**
 * The `snpe-dlc-info` / `qairt-dlc-info` dump parser: text or `-s` CSV, every SDK generation
 * (DLC-INFO-FORMAT.md). Streams: each line is looked at once and dropped; memory follows the
 * model, not the file.
 *
 * Before the `DLC info for:`/`DLC info of:` line: shell prompts and `[INFO]` log lines, skipped and
 * reported. Each line: a trailing `\r` (CRLF files, `\r\r\n` from Windows CSV) and ANSI colour
 * codes are removed. Text or CSV is decided by the first line that can only be one of them
 * (a `|` row or a dash separator: text; a quoted field, `""`, or `Id,Name,…`: CSV); until then
 * both read the same (header lines are one-cell rows in CSV).
 */
import { InputError, type DlcModel } from '../../model.js';
import { DumpBuilder } from './builder.js';
import { mentionsEncodingEntry } from './encoding-line.js';
import { CsvRecords } from './csv.js';
import { DiagnosticSink } from './diagnostics.js';
import { isBlankLine, separatorChar } from './table.js';
import { textLine } from './text.js';

type Mode = 'preamble' | 'undecided' | 'text' | 'csv';

/**
 * Index of `DLC info for` / `DLC info of` at the start of a line (after blanks, or the `"` of a
 * quoted CSV cell), or -1. Only at the start: a README or a log that mentions `DLC info for:` in
 * a sentence is not a dump.
 */
function headerAt(line: string): number {
  let at = 0;
  while (line.charCodeAt(at) === 32 || line.charCodeAt(at) === 9) at++;
  if (line.charCodeAt(at) === 34 /* " */) at++;
  if (!line.startsWith('DLC info ', at)) return -1;
  return line.startsWith('for', at + 9) || line.startsWith('of', at + 9) ? at : -1;
}

/** Removes ANSI escape sequences (`\x1b[91m`, `\x1b[00m`, `\x1b[0;31m`…) in one pass. */
export function stripAnsi(line: string): string {
  let out = '';
  let from = 0;
  let esc = line.indexOf('\x1b');
  while (esc !== -1) {
    out += line.slice(from, esc);
    let i = esc + 1;
    if (line.charCodeAt(i) === 91 /* [ */) {
      i++;
      // parameters and intermediates, then one final byte in @–~
      while (i < line.length) {
        const c = line.charCodeAt(i);
        i++;
        if (c >= 64 && c <= 126) break;
      }
    }
    from = i;
    esc = line.indexOf('\x1b', from);
  }
  return out + line.slice(from);
}

export function parseDump(lines: Iterable<string>, file: string): DlcModel {
  const diags = new DiagnosticSink(file);
  const builder = new DumpBuilder(file, diags);
  const csv = new CsvRecords((cells, lineNo) => {
    if (!builder.hasStarted) {
      const first = cells[0] ?? '';
      const at = headerAt(first);
      if (at !== -1) builder.header(first.slice(at), lineNo);
      return;
    }
    if (cells.length === 1) {
      const only = cells[0]!;
      const t = only.trim();
      if (t === '...' || t === '…') builder.elision(lineNo);
      else if (only.includes('\n')) for (const part of only.split('\n')) builder.textLine(part, lineNo);
      else builder.textLine(only, lineNo);
    } else {
      builder.row(cells, lineNo);
    }
  });

  let mode: Mode = 'preamble';
  let lineNo = 0;
  let preamble = 0;
  let preambleFirst = 0;
  let infoLines = 0;
  let crLines = 0;
  let ansiLines = 0;
  let ansiFirst = 0;
  let pendingSeparator: { line: number; text: string } | undefined;

  for (const raw of lines) {
    lineNo++;
    let line = raw;
    if (line.charCodeAt(line.length - 1) === 13) {
      let end = line.length - 1;
      while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
      line = line.slice(0, end);
      crLines++;
    }
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.indexOf('\x1b') !== -1) {
      line = stripAnsi(line);
      if (ansiLines++ === 0) ansiFirst = lineNo;
    }

    switch (mode) {
      case 'preamble': {
        const at = headerAt(line);
        if (at !== -1) {
          if (line.charCodeAt(0) === 34 /* " */) {
            mode = 'csv';
            csv.line(line, lineNo);
          } else {
            builder.header(line.slice(at), lineNo);
            mode = 'undecided';
          }
          break;
        }
        const sep = separatorChar(line);
        if (line.charCodeAt(0) === 124 /* | */ || line.startsWith('Info of graph:')) {
          // A fragment: op rows or a graph block with no `DLC info` line before them.
          builder.startFragment(lineNo);
          mode = 'text';
          if (pendingSeparator !== undefined) {
            // The separator just before the fragment belongs to it, not to the preamble.
            preamble--;
            textLine(builder, pendingSeparator.text, pendingSeparator.line);
          }
          pendingSeparator = undefined;
          textLine(builder, line, lineNo);
          break;
        }
        if (sep === '-' && line.length >= 20) {
          pendingSeparator = { line: lineNo, text: line };
        } else {
          pendingSeparator = undefined;
        }
        if (preamble++ === 0) preambleFirst = lineNo;
        if (line.includes('[INFO]') || line.includes('[WARNING]') || line.includes('[ERROR]')) infoLines++;
        else if (mentionsEncodingEntry(line)) {
          // Table rows before the header (a dump missing its first lines, then a later `DLC info`
          // line: two dumps pasted together): never skip an encoding without saying so.
          diags.add('DUMP_UNPARSED_ENCODING', 'an encoding entry before the `DLC info` header was not read (is the header of this dump missing, or were two dumps pasted together?)', lineNo);
        }
        break;
      }
      case 'undecided': {
        const c = line.charCodeAt(0);
        if (c === 34 /* " */ || line.startsWith('Id,Name,') || line.startsWith('Input Name,') || line.startsWith('Output Name,')) {
          mode = 'csv';
          csv.line(line, lineNo);
        } else {
          if (c === 124 /* | */ || separatorChar(line) !== undefined || (line.length >= 20 && isBlankLine(line))) mode = 'text';
          textLine(builder, line, lineNo);
        }
        break;
      }
      case 'text':
        textLine(builder, line, lineNo);
        break;
      case 'csv':
        csv.line(line, lineNo);
        break;
    }
  }

  if (!builder.hasStarted) {
    throw new InputError(
      'UNRECOGNISED_INPUT',
      `${file}: expected a snpe-dlc-info/qairt-dlc-info dump (a line starting with \`DLC info for:\` or \`DLC info of:\`), but found none in ${lineNo} line(s)`,
      { file },
    );
  }
  const unterminated = csv.end();
  if (unterminated !== undefined) {
    diags.add('DUMP_TRUNCATED', `a quoted CSV field opened at line ${unterminated} never closes`, unterminated);
  }
  if (preamble > 0 && mode !== 'preamble') {
    const noise = infoLines > 0 ? ` (${infoLines} of them \`[INFO]\`/\`[WARNING]\` log lines)` : '';
    diags.add('DUMP_PREAMBLE_SKIPPED', `${preamble} line(s) before the \`DLC info\` header were skipped${noise}`, preambleFirst);
  }
  if (ansiLines > 0) diags.add('DUMP_ANSI_STRIPPED', `ANSI colour codes removed from ${ansiLines} line(s)`, ansiFirst);
  const format = mode === 'csv' ? 'dlc-info-csv' : 'dlc-info-text';
  if (crLines > 0 && format === 'dlc-info-text') {
    diags.add('DUMP_CRLF', `CRLF line endings: \`\\r\` removed from ${crLines} line(s)`, 1);
  }
  const model = builder.finish(lineNo, format);
  return { ...model, diagnostics: diags.finish() };
}
