/**
 * "Counts reported equal counts present" for dumps (issue 7 item 4): every line of a dump that
 * holds an encoding, in the grammar of DLC-INFO-FORMAT.md, must be either parsed (some Encoding or
 * I/O row of the model points at that line) or reported (some Diagnostic points at it). A 2.x
 * tensor printed again in another consumer's row (APP_WRITE / STATIC inputs) may be a repeat of an
 * accounted line: same tensor, same text, same graph.
 *
 * The grammar, per family (DLC-INFO-FORMAT.md §1, §3, §4):
 *   2.12+  `<name> encoding : bitwidth 8, min …`      `<name> encoding for channel_3: bitwidth …`
 *   2.5    `<name> encoding:  bitwidth 8, min …`
 *   1.x    `output encoding: min …`  `weight encoding: min …`  `weight encoding 1: …`  `bias encoding: …`
 *   I/O    a cell starting `bitwidth 8, min …` in the Input/Output Name tables (text or CSV)
 * Plain substring tests: no regex runs on these (possibly huge) lines.
 *
 * What counts as "reported": a diagnostic at the line itself; for CSV, a diagnostic at the first
 * line of the record the line belongs to (a damaged quote makes one record of several lines, as
 * Python's csv reads it); for per-channel lines, a diagnostic at any line of the same run of
 * `<name> encoding for channel_K` lines (the parser reports a broken group once).
 */
import type { DlcModel } from '../../src/model.js';

const NAMED_MARKERS = [' encoding : bitwidth', ' encoding for channel_', ' encoding:  bitwidth'];
const LAYER_MARKERS = ['output encoding: min', 'weight encoding: min', 'bias encoding: min'];

/** Splits a CSV record (Python default dialect) into fields; linear, never throws. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          field += line.slice(i);
          i = line.length;
          break;
        }
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(field);
        return fields;
      }
      i = comma + 1;
      fields.push(field);
    } else {
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * Whether a CSV record is still inside a quoted field at the end of this line, as Python's csv
 * reads it: a quote opens a field only at the field's start; inside, `""` is a quote and `"`
 * closes; elsewhere a quote is a literal character.
 */
export function csvStillOpen(line: string, openAtStart: boolean): boolean {
  let inQuotes = openAtStart;
  let fieldStart = !openAtStart;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inQuotes) {
      if (c === 34 /* " */) {
        if (line.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 34 && fieldStart) inQuotes = true;
    fieldStart = c === 44 /* , */;
  }
  return inQuotes;
}

function cellsOf(line: string): string[] {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  return body.trimStart().startsWith('|') ? body.split('|').map((c) => c.trim()) : csvFields(body).map((c) => c.trim());
}

/** The encoding cell of a line, if the line holds one in the dump grammar. */
export function encodingCell(line: string): string | undefined {
  const hasNamed = NAMED_MARKERS.some((m) => line.includes(m));
  const hasLayer = !hasNamed && (LAYER_MARKERS.some((m) => line.includes(m)) || line.includes('weight encoding '));
  const hasIo = !hasNamed && !hasLayer && line.includes('bitwidth ') && line.includes(', min ');
  if (!hasNamed && !hasLayer && !hasIo) return undefined;
  for (const cell of cellsOf(line)) {
    if (hasNamed && NAMED_MARKERS.some((m) => cell.includes(m))) return cell;
    if (hasLayer && (LAYER_MARKERS.some((m) => cell.startsWith(m)) || /^weight encoding \d+: min /.test(cell))) return cell;
    if (hasIo && cell.startsWith('bitwidth ') && cell.includes(', min ')) return cell;
  }
  return undefined;
}

export interface EncodingLineAccount {
  /** 1-based numbers of lines holding an encoding. */
  readonly present: readonly number[];
  /** Of those, lines neither parsed nor reported nor an identical repeat of one that was. */
  readonly unaccounted: readonly number[];
  /**
   * Diagnostics the parser counted but did not list: past 50 of one code it reports
   * `N more CODE diagnostic(s) not listed` (memory stays bounded on a million odd lines).
   * Unaccounted lines are fine up to this many.
   */
  readonly unlisted: number;
}

/** The sum of `N more CODE diagnostic(s) not listed` summaries. */
export function unlistedDiagnostics(model: DlcModel): number {
  let n = 0;
  for (const d of model.diagnostics) {
    const m = /^(\d+) more [A-Z_]+ diagnostic/.exec(d.detail);
    if (m) n += Number(m[1]);
  }
  return n;
}

export function accountEncodingLines(text: string, model: DlcModel): EncodingLineAccount {
  const parsed = new Set<number>();
  for (const g of model.graphs) {
    for (const t of g.tensors.values()) for (const c of t.encoding?.channels ?? []) if (c.at.line !== undefined) parsed.add(c.at.line);
    for (const row of [...g.inputs, ...g.outputs]) {
      if (row.at.line !== undefined) parsed.add(row.at.line);
      if (row.encoding?.at.line !== undefined) parsed.add(row.encoding.at.line);
    }
  }
  const reported = new Set<number>();
  for (const d of model.diagnostics) if (d.at.line !== undefined) reported.add(d.at.line);

  const present: number[] = [];
  const cells = new Map<number, string>();
  let graphIndex = 0;
  const graphOf = new Map<number, number>();
  const lines = text.split('\n');
  const csv = model.format === 'dlc-info-csv';
  // CSV: the line where the record holding each line starts (an open quote continues a record).
  const recordStart: number[] = [];
  let open = false;
  let start = 1;
  // Per-channel runs: the first line of the run of `<name> encoding for channel_K` lines.
  const runStart: number[] = [];
  let runName: string | undefined;
  let runFirst = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    if (!open) start = n;
    recordStart[n] = start;
    if (csv) open = csvStillOpen(line, open);
    if (line.includes('Info of graph:')) graphIndex++;
    const cell = encodingCell(line);
    const channelAt = cell?.indexOf(' encoding for channel_') ?? -1;
    const name = cell !== undefined && channelAt > 0 ? cell.slice(0, channelAt) : undefined;
    if (name !== undefined) {
      if (name !== runName) runFirst = n;
      runStart[n] = runFirst;
    } else if (runName !== undefined && line.includes('axis-quant:')) {
      runStart[n] = runFirst; // the axis-quant line closes the run: a diagnostic there covers it
    }
    runName = name;
    if (cell === undefined) continue;
    present.push(n);
    cells.set(n, cell);
    graphOf.set(n, graphIndex);
  }
  const isAccounted = (n: number): boolean => {
    const r = recordStart[n] ?? n;
    return parsed.has(n) || reported.has(n) || parsed.has(r) || reported.has(r);
  };
  const reportedRuns = new Set<number>();
  for (const n of reported) if (runStart[n] !== undefined) reportedRuns.add(runStart[n]!);
  const accountedTexts = new Set<string>();
  for (const n of present) if (isAccounted(n)) accountedTexts.add(`${graphOf.get(n)}\u0000${cells.get(n)}`);
  const unaccounted = present.filter(
    (n) =>
      !isAccounted(n) &&
      !(cells.get(n)!.includes(' encoding for channel_') && reportedRuns.has(runStart[n]!)) &&
      !accountedTexts.has(`${graphOf.get(n)}\u0000${cells.get(n)}`),
  );
  return { present, unaccounted, unlisted: unlistedDiagnostics(model) };
}
