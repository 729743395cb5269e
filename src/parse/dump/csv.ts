/**
 * CSV mode (`snpe-dlc-info -s FILE`, SNPE 1.2x+): Python's `csv` default dialect. Fields holding
 * `,`, `"` or a line break are quoted, `"` doubled inside; rows end in `\r\n`; a one-cell row holding
 * an empty string is written `""`. Table rows keep their empty cells (`,,,,,,,input_type: default`);
 * header and footer lines are one-cell rows. A quoted field may span physical lines: the record
 * continues until its quotes balance.
 *   `1,Conv_0,convolutional,images,122,1x160x160x16,A D G C,"output encoding: min -66.366264343262, …"`
 */

export type RecordSink = (cells: string[], firstLine: number) => void;

export class CsvRecords {
  private cells: string[] = [];
  private field = '';
  private inQuotes = false;
  private pending = false;
  private startLine = 0;

  constructor(private readonly emit: RecordSink) {}

  /** Feeds one physical line (its `\r` already removed). */
  line(text: string, lineNo: number): void {
    if (!this.pending) {
      if (text.indexOf('"') === -1) {
        this.emit(text.split(','), lineNo);
        return;
      }
      this.cells = [];
      this.field = '';
      this.startLine = lineNo;
    } else {
      this.field += '\n';
    }
    let i = 0;
    const n = text.length;
    while (i <= n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          this.field += text.slice(i);
          this.pending = true;
          return;
        }
        this.field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      // Outside quotes: up to the next comma or quote.
      const comma = text.indexOf(',', i);
      const quote = text.indexOf('"', i);
      if (quote !== -1 && (comma === -1 || quote < comma)) {
        this.field += text.slice(i, quote);
        if (this.field === '') this.inQuotes = true;
        else this.field += '"'; // a stray quote inside an unquoted field: literal, as Python reads it
        i = quote + 1;
        continue;
      }
      if (comma === -1) {
        this.field += text.slice(i);
        break;
      }
      this.field += text.slice(i, comma);
      this.cells.push(this.field);
      this.field = '';
      i = comma + 1;
    }
    this.cells.push(this.field);
    this.field = '';
    this.pending = false;
    const cells = this.cells;
    this.cells = [];
    this.emit(cells, this.startLine);
  }

  /** At the end of input: returns the first line of an unterminated quoted record (emitted as is). */
  end(): number | undefined {
    if (!this.pending) return undefined;
    this.cells.push(this.field);
    this.pending = false;
    this.inQuotes = false;
    const cells = this.cells;
    this.cells = [];
    this.field = '';
    this.emit(cells, this.startLine);
    return this.startLine;
  }
}
