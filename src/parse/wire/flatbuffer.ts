/**
 * A bounds-checked FlatBuffer table reader (no schema, slots by number).
 *
 * Why not the `flatbuffers` runtime: its ByteBuffer reads past the end or at negative positions
 * without any check (it trusts the buffer, like the C++ runtime without a Verifier), so a
 * corrupted .dlc would give garbage or a RangeError deep inside. Here every vtable, table,
 * vector and string position is checked against the buffer, and a work budget bounds how many
 * vector elements a hostile file can make us visit. Problems throw FlatBufferError, which the
 * caller turns into InputError('BAD_DLC').
 */

export class FlatBufferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatBufferError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Random access to bytes that are not all in memory (a stored zip entry read through `InputFile.read`). */
export interface ByteSource {
  readonly length: number;
  /** Exactly `length` bytes at `offset` (the caller checks bounds first). */
  read(offset: number, length: number): Uint8Array;
}

/** Pages of a ByteSource, read on first touch: a v3 `model.params` is mostly weight bytes never touched. */
class PagedBytes {
  private readonly pages = new Map<number, Uint8Array>();
  pagesRead = 0;
  constructor(
    private readonly source: ByteSource,
    private readonly pageSize = 4096,
  ) {}

  private page(index: number): Uint8Array {
    let page = this.pages.get(index);
    if (page === undefined) {
      const start = index * this.pageSize;
      page = this.source.read(start, Math.min(this.pageSize, this.source.length - start));
      this.pages.set(index, page);
      this.pagesRead++;
    }
    return page;
  }

  /** `size` bytes at `pos` (in bounds): a view when inside one page, a copy across pages. */
  get(pos: number, size: number): Uint8Array {
    const first = Math.floor(pos / this.pageSize);
    const last = Math.floor((pos + Math.max(size, 1) - 1) / this.pageSize);
    if (first === last) {
      const at = pos - first * this.pageSize;
      return this.page(first).subarray(at, at + size);
    }
    const out = new Uint8Array(size);
    let done = 0;
    for (let index = first; index <= last; index++) {
      const page = this.page(index);
      const from = index === first ? pos - first * this.pageSize : 0;
      const take = Math.min(page.length - from, size - done);
      out.set(page.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }
}

export class FlatBuffer {
  /** The whole buffer when in memory; undefined for a paged source. */
  private readonly whole: Uint8Array | undefined;
  private readonly view: DataView | undefined;
  private readonly paged: PagedBytes | undefined;
  readonly length: number;
  /** Vector elements we may still visit: bounds the work on crafted files (shared sub-tables). */
  private budget: number;

  constructor(bytes: Uint8Array | ByteSource) {
    if (bytes instanceof Uint8Array) {
      this.whole = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.paged = undefined;
    } else {
      this.whole = undefined;
      this.view = undefined;
      this.paged = new PagedBytes(bytes);
    }
    this.length = bytes.length;
    this.budget = 64 * this.length + 1_000_000;
  }

  /** How many pages a paged source has read so far (0 for an in-memory buffer). */
  get pagesRead(): number {
    return this.paged?.pagesRead ?? 0;
  }

  check(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || size < 0 || pos + size > this.length) {
      throw new FlatBufferError(`${what} at byte ${pos} (+${size}) is outside the ${this.length}-byte buffer`);
    }
  }

  spend(count: number): void {
    this.budget -= count;
    if (this.budget < 0) throw new FlatBufferError('the buffer references far more elements than it can hold (corrupted offsets?)');
  }

  /** `size` checked bytes at `pos`. */
  slice(pos: number, size: number, what: string): Uint8Array {
    this.check(pos, size, what);
    return this.whole ? this.whole.subarray(pos, pos + size) : this.paged!.get(pos, size);
  }

  /** A DataView over `size` checked bytes and the position of `pos` in it. */
  private at(pos: number, size: number, what: string): [DataView, number] {
    this.check(pos, size, what);
    if (this.view) return [this.view, pos];
    const b = this.paged!.get(pos, size);
    return [new DataView(b.buffer, b.byteOffset, b.byteLength), 0];
  }

  u8(pos: number): number {
    const [v, p] = this.at(pos, 1, 'a byte');
    return v.getUint8(p);
  }
  u16(pos: number): number {
    const [v, p] = this.at(pos, 2, 'a uint16');
    return v.getUint16(p, true);
  }
  i32(pos: number): number {
    const [v, p] = this.at(pos, 4, 'an int32');
    return v.getInt32(p, true);
  }
  u32(pos: number): number {
    const [v, p] = this.at(pos, 4, 'a uint32');
    return v.getUint32(p, true);
  }
  f32(pos: number): number {
    const [v, p] = this.at(pos, 4, 'a float32');
    return v.getFloat32(p, true);
  }
  f64(pos: number): number {
    const [v, p] = this.at(pos, 8, 'a float64');
    return v.getFloat64(p, true);
  }
  i64(pos: number): number {
    const [v, p] = this.at(pos, 8, 'an int64');
    return Number(v.getBigInt64(p, true));
  }

  /** The 4-character file identifier at bytes 4..8, or '' when not printable. */
  identifier(): string {
    if (this.length < 8) return '';
    const id = String.fromCharCode(...this.slice(4, 4, 'the file identifier'));
    return /^[\x20-\x7e]{4}$/.test(id) ? id : '';
  }

  /** The root table (uoffset at byte 0). */
  root(): Table {
    return this.tableAt(this.u32(0), 'the root table');
  }

  tableAt(pos: number, what: string): Table {
    this.check(pos, 4, what);
    const vtable = pos - this.i32(pos);
    this.check(vtable, 4, `the vtable of ${what}`);
    const vtableLength = this.u16(vtable);
    const tableLength = this.u16(vtable + 2);
    if (vtableLength < 4 || vtableLength % 2 !== 0) throw new FlatBufferError(`the vtable of ${what} has a bad length ${vtableLength}`);
    this.check(vtable, vtableLength, `the vtable of ${what}`);
    this.check(pos, tableLength, what);
    return new Table(this, pos, vtable, vtableLength, tableLength);
  }

  /** Follows the uoffset stored at `pos`. */
  deref(pos: number, what: string): number {
    const target = pos + this.u32(pos);
    this.check(target, 0, what);
    return target;
  }

  stringAt(pos: number, what: string): string {
    const length = this.u32(pos);
    return utf8.decode(this.slice(pos + 4, length, what));
  }

  /** [start of the elements, element count] of the vector at `pos`, checked for `elementSize`. */
  vectorAt(pos: number, elementSize: number, what: string): [number, number] {
    const count = this.u32(pos);
    this.check(pos + 4, count * elementSize, what);
    this.spend(count);
    return [pos + 4, count];
  }
}

/** One table: fields by vtable slot (0-based). Absent fields give the default. */
export class Table {
  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableLength: number,
    private readonly tableLength: number,
  ) {}

  /** Position of slot `slot`'s field, or 0 when absent. */
  field(slot: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtableLength) return 0;
    const offset = this.fb.u16(this.vtable + entry);
    if (offset === 0) return 0;
    if (offset >= this.tableLength) throw new FlatBufferError(`field ${slot} of the table at byte ${this.pos} lies outside the table`);
    return this.pos + offset;
  }

  has(slot: number): boolean {
    return this.field(slot) !== 0;
  }

  u8(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.u8(at);
  }
  bool(slot: number, fallback = false): boolean {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.u8(at) !== 0;
  }
  i32(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.i32(at);
  }
  u32(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.u32(at);
  }
  f32(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.f32(at);
  }
  f64(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.f64(at);
  }
  i64(slot: number, fallback = 0): number {
    const at = this.field(slot);
    return at === 0 ? fallback : this.fb.i64(at);
  }

  string(slot: number): string | undefined {
    const at = this.field(slot);
    return at === 0 ? undefined : this.fb.stringAt(this.fb.deref(at, 'a string'), `string field ${slot}`);
  }

  table(slot: number): Table | undefined {
    const at = this.field(slot);
    return at === 0 ? undefined : this.fb.tableAt(this.fb.deref(at, 'a sub-table'), `sub-table field ${slot}`);
  }

  tables(slot: number): Table[] {
    const at = this.field(slot);
    if (at === 0) return [];
    const [start, count] = this.fb.vectorAt(this.fb.deref(at, 'a vector'), 4, `table vector field ${slot}`);
    const out: Table[] = [];
    for (let i = 0; i < count; i++) {
      const p = start + 4 * i;
      out.push(this.fb.tableAt(this.fb.deref(p, 'a vector element'), `element ${i} of vector field ${slot}`));
    }
    return out;
  }

  strings(slot: number): string[] {
    const at = this.field(slot);
    if (at === 0) return [];
    const [start, count] = this.fb.vectorAt(this.fb.deref(at, 'a vector'), 4, `string vector field ${slot}`);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const p = start + 4 * i;
      out.push(this.fb.stringAt(this.fb.deref(p, 'a vector element'), `string ${i} of vector field ${slot}`));
    }
    return out;
  }

  /** Vector of scalars: 'i32' | 'u32' | 'f32' | 'u8'. */
  scalars(slot: number, kind: 'i32' | 'u32' | 'f32' | 'u8'): number[] {
    const at = this.field(slot);
    if (at === 0) return [];
    const size = kind === 'u8' ? 1 : 4;
    const [start, count] = this.fb.vectorAt(this.fb.deref(at, 'a vector'), size, `scalar vector field ${slot}`);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const p = start + size * i;
      out.push(kind === 'u8' ? this.fb.u8(p) : kind === 'i32' ? this.fb.i32(p) : kind === 'u32' ? this.fb.u32(p) : this.fb.f32(p));
    }
    return out;
  }

  /** Length of a vector field without reading its elements (weights: never read). */
  vectorLength(slot: number): number {
    const at = this.field(slot);
    if (at === 0) return 0;
    return this.fb.u32(this.fb.deref(at, 'a vector'));
  }

  /** Slots present in the vtable (for diagnostics and exploration). */
  slotCount(): number {
    return (this.vtableLength - 4) / 2;
  }
}
