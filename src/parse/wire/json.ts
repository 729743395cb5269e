/**
 * A JSON reader of our own, for overrides/encodings files that can be hundreds of megabytes.
 *
 * Why not `JSON.parse`:
 * - it needs the whole file as one string (V8 strings stop near 512 MB) and builds every object
 *   at once; a 100 MB per-channel file would cost several times its size in memory;
 * - it turns `{"__proto__": …}` into a prototype change on plain objects, and silently keeps the
 *   last of two duplicate keys (the SDK does the same, but the user should be told);
 * - its errors give a character offset, not `line:column`.
 *
 * Two ways to read, sharing one tokenizer over the bytes (never one big string):
 * - pull (streaming): `beginObject()` / `nextMember()` / `beginArray()` / `nextItem()` walk the
 *   big outer levels without building them;
 * - `readValue()` builds one (small) subtree: objects keep their members in arrays with the line
 *   of every value (so `__proto__` is plain data and duplicates stay visible), arrays of numbers
 *   are plain `number[]` (unboxed doubles in V8).
 * Nothing recurses: a file of 100 000 `[` gives a clean error (or a tree), never a stack overflow.
 *
 * Lines are 1-based and count `\n` (CRLF files count right: `\r` is whitespace). Columns are
 * 1-based byte columns. A UTF-8 byte order mark at the start is skipped.
 *
 * `NaN`, `Infinity` and `-Infinity` (what Python's `json.dump` writes for non-finite floats) are
 * not JSON. By default they are a syntax error with a sentence saying so; with
 * `nonFinite: 'accept'` they are read as numbers and every occurrence is listed in
 * `nonFiniteAt`, so a reader can warn and drop just that field.
 */
import { InputError } from '../../model.js';

export type JsonValue = null | boolean | number | string | JsonArray | JsonObject;

/** A JSON object: members in file order, duplicates kept (lookups return the last, like the SDK). */
export class JsonObject {
  readonly kind = 'object' as const;
  readonly keys: string[] = [];
  readonly values: JsonValue[] = [];
  /** Line of each member's value. */
  readonly lines: number[] = [];
  private index: Map<string, number> | undefined;
  /** Keys seen more than once, with the lines of every occurrence, in file order. */
  duplicates: Map<string, number[]> | undefined;

  constructor(
    readonly line: number,
    readonly column: number,
  ) {}

  get size(): number {
    return this.keys.length;
  }

  /** Adds a member; a repeated key is recorded in `duplicates` and wins lookups. */
  add(key: string, value: JsonValue, line: number): void {
    const previous = this.find(key);
    if (previous !== -1) {
      this.duplicates ??= new Map();
      const seen = this.duplicates.get(key);
      if (seen) seen.push(line);
      else this.duplicates.set(key, [this.lines[previous]!, line]);
    }
    const at = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    this.lines.push(line);
    if (this.index) this.index.set(key, at);
    else if (at >= 16) {
      // Small objects (the usual entry) are scanned; big ones get a Map so lookups stay O(1).
      this.index = new Map();
      for (let i = 0; i <= at; i++) this.index.set(this.keys[i]!, i);
    }
  }

  private find(key: string): number {
    if (this.index) return this.index.get(key) ?? -1;
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i] === key) return i;
    return -1;
  }

  has(key: string): boolean {
    return this.find(key) !== -1;
  }

  /** The last value given for `key`. */
  get(key: string): JsonValue | undefined {
    const i = this.find(key);
    return i === -1 ? undefined : this.values[i];
  }

  /** The line of the last value given for `key`. */
  lineOf(key: string): number | undefined {
    const i = this.find(key);
    return i === -1 ? undefined : this.lines[i];
  }
}

export class JsonArray {
  readonly kind = 'array' as const;
  readonly items: JsonValue[] = [];
  constructor(
    readonly line: number,
    readonly column: number,
  ) {}
}

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'end';

export interface JsonReaderOptions {
  /** `reject` (default): `NaN`/`Infinity` are errors. `accept`: read them and list them. */
  readonly nonFinite?: 'reject' | 'accept';
  /** Streaming: bytes kept ahead of the position (default 1 MiB; tests use a few bytes to force retries). */
  readonly lookaheadBytes?: number;
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function jsonPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + pointerSegment(s);
  return out;
}

/** The JSON type name of a value, for messages ("expected a list, got a string"). */
export function jsonTypeOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'object') return value.kind === 'object' ? 'an object' : 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  return 'a boolean';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const NL = 0x0a;

/** Exact powers of ten for the fast number path (10^0 … 10^22 are exact doubles). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The engine's unique copy of a string (as property names and literals are): comparing it with
 * `'scale'` or with another cached key is then a pointer comparison, not a character loop. The
 * readers look fields up by name in every channel object, hundreds of thousands of times.
 */
function internalized(s: string): string {
  const holder = Object.create(null) as Record<string, true>;
  holder[s] = true;
  return Object.keys(holder)[0] ?? s;
}

/** A Node Buffer over the same memory, for native latin1 decoding (absent outside Node). */
function viewOf(bytes: Uint8Array): Buffer | undefined {
  return typeof Buffer === 'function' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
}

interface Frame {
  readonly container: JsonObject | JsonArray;
  key: string;
}

/**
 * Where a streaming reader gets its bytes: an `InputFile` is one (`size` and `read`). The reader
 * keeps a window of the file (about 1 MiB ahead), never the whole file.
 */
export interface JsonByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
  /** When present, used instead of `read`: the window's buffer is filled in place. */
  readInto?(target: Uint8Array, targetOffset: number, length: number, offset: number): number;
}

/** Bytes decoded at a time for number text (see `textOf`). */
const TEXT_WINDOW_BYTES = 64 * 1024;

/** Bytes kept ahead of the reading position in streaming mode (doubled for a longer value). */
const LOOKAHEAD_BYTES = 1024 * 1024;

/**
 * A pull reader over the bytes of one JSON document: all of them in memory, or a window over a
 * `JsonByteSource`.
 *
 * Streaming: every scanning loop already stops at the end of the bytes it is given (an `undefined`
 * byte). Each pull call runs with at least LOOKAHEAD_BYTES ahead of it; a call that reached the end
 * of the window (it may have read a cut value as complete, or failed on it) is undone — position,
 * line, open containers — and run again with twice the lookahead, until it ends inside the window
 * or the window reaches the end of the file. Entries of an overrides file are far smaller than the
 * lookahead, so a retry is rare (a 10 MB name), and a real syntax error is reported exactly as when
 * the whole file is in memory, once the window reaches the end of the file.
 */
export class JsonReader {
  private pos: number;
  private lineNo = 1;
  private lineStart = 0;
  /** Open containers of the pull API: 0 = no member read yet, 1 = after a member. */
  private readonly open: number[] = [];
  private readonly acceptNonFinite: boolean;
  /** Where non-finite literals were read (with `nonFinite: 'accept'`). */
  readonly nonFiniteAt: { line: number; column: number; text: string }[] = [];
  /** Line of the last key read by `nextMember()`. */
  keyLine = 0;
  /** The bytes in memory: the whole document, or the current window (ending at its last byte). */
  private bytes: Uint8Array;
  /** A Node Buffer view of the same memory (no copy): native latin1 slicing for number text. */
  private view: Buffer | undefined;
  /** `textOf`'s decoded text: `bytes[textStart, textStart + text.length)` of `textBytes`. */
  private text = '';
  private textStart = 0;
  private textBytes: Uint8Array | undefined;
  /** Short ASCII keys seen before (direct-mapped): AIMET repeats `bitwidth`, `scale`, … millions of times. */
  private readonly keyCache: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);
  /** Streaming only: the source, the file offset of the window's end, the window's storage. */
  private readonly source: JsonByteSource | undefined;
  private sourceOffset = 0;
  private store: Uint8Array = new Uint8Array(0);
  private lookahead: number;
  /** The bytes in memory reach the end of the document (always, when not streaming). */
  private complete: boolean;

  constructor(
    input: Uint8Array | JsonByteSource,
    private readonly file: string,
    options: JsonReaderOptions = {},
  ) {
    this.acceptNonFinite = options.nonFinite === 'accept';
    // At least the 3 bytes of a byte order mark, looked at before the first pull call.
    this.lookahead = Math.max(3, options.lookaheadBytes ?? LOOKAHEAD_BYTES);
    if (input instanceof Uint8Array) {
      this.bytes = input;
      this.complete = true;
      this.source = undefined;
    } else {
      this.bytes = new Uint8Array(0);
      this.complete = false;
      this.source = input;
      this.pos = 0;
      this.refill();
    }
    const bytes = this.bytes;
    // UTF-8 byte order mark (Windows editors write one).
    this.pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    this.lineStart = this.pos;
    this.view = viewOf(bytes);
  }

  /**
   * Streaming: keeps `lookahead` bytes after the position in the window (or all that is left),
   * dropping the bytes before the position. Lines and columns are unaffected: `lineStart` moves
   * with the bytes (it may go negative when a line began before the window).
   */
  private refill(): void {
    const source = this.source;
    const kept = this.bytes.length - this.pos;
    if (source === undefined || this.complete || kept >= this.lookahead) return;
    // Never more than what is left of the file (a syntax error widens the window to the end).
    const capacity = Math.max(this.store.length, kept + Math.min(this.lookahead, source.size - this.sourceOffset));
    const store = capacity > this.store.length ? new Uint8Array(capacity) : this.store;
    if (store === this.store) store.copyWithin(0, this.pos, this.bytes.length);
    else store.set(this.bytes.subarray(this.pos));
    this.lineStart -= this.pos;
    this.pos = 0;
    let end = kept;
    while (end < store.length && this.sourceOffset < source.size) {
      const length = Math.min(store.length - end, source.size - this.sourceOffset);
      let n: number;
      if (source.readInto !== undefined) {
        n = source.readInto(store, end, length, this.sourceOffset);
      } else {
        const chunk = source.read(this.sourceOffset, length);
        store.set(chunk, end);
        n = chunk.length;
      }
      if (n === 0) break;
      end += n;
      this.sourceOffset += n;
    }
    this.complete = end < store.length || this.sourceOffset >= source.size;
    this.store = store;
    this.bytes = store.subarray(0, end);
    this.view = viewOf(this.bytes);
  }

  /** Runs one pull call; streaming, retries it with a longer window when it reached the window's end. */
  private guarded<T>(call: () => T): T {
    if (this.complete) return call();
    for (;;) {
      this.refill();
      if (this.complete) return call();
      const { pos, lineNo, lineStart, keyLine } = this;
      // A pull call changes at most the top of the open stack: it sets it, pops it, or pushes one.
      const depth = this.open.length;
      const top = this.open[depth - 1];
      const nonFinite = this.nonFiniteAt.length;
      try {
        const result = call();
        if (this.pos < this.bytes.length) return result;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
      this.pos = pos;
      this.lineNo = lineNo;
      this.lineStart = lineStart;
      this.keyLine = keyLine;
      this.open.length = Math.min(this.open.length, depth);
      if (top !== undefined) {
        if (this.open.length < depth) this.open.push(top);
        else this.open[depth - 1] = top;
      }
      this.nonFiniteAt.length = nonFinite;
      this.lookahead *= 2;
    }
  }

  /**
   * `bytes[start, end)` as text, sliced from a latin1 string of the bytes around it that is decoded
   * once per 64 KiB: most numbers of an AIMET file have 16–17 significant digits (Python's float
   * repr), too many for the exact fast path, and a native decode per number cost more than the
   * parse itself.
   */
  private textOf(start: number, end: number): string {
    if (start < this.textStart || end > this.textStart + this.text.length || this.textBytes !== this.bytes) {
      this.textBytes = this.bytes;
      this.textStart = start;
      this.text = this.latin1(start, Math.min(this.bytes.length, Math.max(end, start + TEXT_WINDOW_BYTES)));
    }
    return this.text.slice(start - this.textStart, end - this.textStart);
  }

  private latin1(start: number, end: number): string {
    if (this.view) return this.view.toString('latin1', start, end);
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }

  /** Line of the next token (after whitespace). */
  get line(): number {
    return this.guarded(() => {
      this.skipWs();
      return this.lineNo;
    });
  }

  get column(): number {
    return this.guarded(() => {
      this.skipWs();
      return this.pos - this.lineStart + 1;
    });
  }

  private fail(message: string, line = this.lineNo, column = this.pos - this.lineStart + 1): never {
    throw new InputError('BAD_JSON', `${this.file}:${line}:${column}: ${message}`, { file: this.file, line, column });
  }

  private skipWs(): void {
    const b = this.bytes;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === 0x20 || c === 0x09 || c === 0x0d) p++;
      else if (c === NL) {
        p++;
        this.lineNo++;
        this.lineStart = p;
      } else break;
    }
    this.pos = p;
  }

  /** What the next value is, without reading it. */
  peek(): JsonKind {
    return this.guarded(() => this.peekNow());
  }

  private peekNow(): JsonKind {
    this.skipWs();
    const c = this.bytes[this.pos];
    switch (c) {
      case undefined:
        return 'end';
      case LBRACE:
        return 'object';
      case LBRACKET:
        return 'array';
      case QUOTE:
        return 'string';
      case 0x74: // t
      case 0x66: // f
        return 'boolean';
      case 0x6e: // n
        return 'null';
      default:
        return 'number';
    }
  }

  /** After the document's value: only whitespace may follow. */
  expectEnd(): void {
    this.guarded(() => this.expectEndNow());
  }

  private expectEndNow(): void {
    this.skipWs();
    if (this.pos < this.bytes.length) this.fail(`unexpected ${this.describeHere()} after the end of the JSON document`);
  }

  private describeHere(): string {
    const c = this.bytes[this.pos];
    if (c === undefined) return 'end of file';
    if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
    return `byte 0x${c.toString(16).padStart(2, '0')}`;
  }

  // --- pull API --------------------------------------------------------------------------------

  beginObject(): void {
    this.guarded(() => this.beginObjectNow());
  }

  private beginObjectNow(): void {
    this.skipWs();
    if (this.bytes[this.pos] !== LBRACE) this.fail(`expected an object ('{'), found ${this.describeHere()}`);
    this.pos++;
    this.open.push(0);
  }

  /** The next member's key (its value is next), or undefined after the closing `}`. */
  nextMember(): string | undefined {
    return this.guarded(() => this.nextMemberNow());
  }

  private nextMemberNow(): string | undefined {
    this.skipWs();
    const depth = this.open.length - 1;
    const state = this.open[depth];
    if (state === undefined) throw new Error('nextMember() without beginObject()');
    const c = this.bytes[this.pos];
    if (c === RBRACE) {
      this.pos++;
      this.open.pop();
      return undefined;
    }
    if (state === 1) {
      if (c !== COMMA) this.fail(`expected ',' or '}' after an object member, found ${this.describeHere()}`);
      this.pos++;
      this.skipWs();
    }
    this.open[depth] = 1;
    return this.readKey();
  }

  beginArray(): void {
    this.guarded(() => this.beginArrayNow());
  }

  private beginArrayNow(): void {
    this.skipWs();
    if (this.bytes[this.pos] !== LBRACKET) this.fail(`expected a list ('['), found ${this.describeHere()}`);
    this.pos++;
    this.open.push(0);
  }

  /** True when another element follows (read it next), false after the closing `]`. */
  nextItem(): boolean {
    return this.guarded(() => this.nextItemNow());
  }

  private nextItemNow(): boolean {
    this.skipWs();
    const depth = this.open.length - 1;
    const state = this.open[depth];
    if (state === undefined) throw new Error('nextItem() without beginArray()');
    const c = this.bytes[this.pos];
    if (c === RBRACKET) {
      this.pos++;
      this.open.pop();
      return false;
    }
    if (state === 1) {
      if (c !== COMMA) this.fail(`expected ',' or ']' after a list element, found ${this.describeHere()}`);
      this.pos++;
    }
    this.open[depth] = 1;
    return true;
  }

  private readKey(): string {
    this.skipWs();
    if (this.bytes[this.pos] !== QUOTE) {
      this.fail(`expected a quoted member name, found ${this.describeHere()}`);
    }
    this.keyLine = this.lineNo;
    const key = this.readKeyString();
    this.skipWs();
    if (this.bytes[this.pos] !== COLON) this.fail(`expected ':' after the member name "${key}", found ${this.describeHere()}`);
    this.pos++;
    return key;
  }

  /** Skips one value of any depth, validating it but building nothing (no recursion either). */
  skipValue(): void {
    this.guarded(() => this.skipValueNow());
  }

  private skipValueNow(): void {
    // 1 = inside an object, 2 = inside a list.
    const open: number[] = [];
    for (;;) {
      this.skipWs();
      const c = this.bytes[this.pos];
      if (c === LBRACE || c === LBRACKET) {
        this.pos++;
        this.skipWs();
        const close = c === LBRACE ? RBRACE : RBRACKET;
        if (this.bytes[this.pos] === close) {
          this.pos++;
        } else {
          open.push(c === LBRACE ? 1 : 2);
          if (c === LBRACE) this.readKey();
          continue;
        }
      } else if (c === QUOTE) {
        this.skipString();
      } else {
        this.readScalar();
      }
      // A value ended: close what ends here, or go on after a comma.
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined) return;
        this.skipWs();
        const next = this.bytes[this.pos];
        if (next === COMMA) {
          this.pos++;
          if (top === 1) this.readKey();
          break;
        }
        if (next === (top === 1 ? RBRACE : RBRACKET)) {
          this.pos++;
          open.pop();
          continue;
        }
        this.fail(
          top === 1
            ? `expected ',' or '}' after an object member, found ${this.describeHere()}`
            : `expected ',' or ']' after a list element, found ${this.describeHere()}`,
        );
      }
    }
  }

  /** Skips a string (validating escapes and control characters) without building it. */
  private skipString(): void {
    const b = this.bytes;
    const start = this.pos + 1;
    for (let p = start; ; p++) {
      const c = b[p];
      if (c === QUOTE) {
        this.pos = p + 1;
        return;
      }
      if (c === BACKSLASH || c === undefined || c < 0x20) {
        // Rare: let the full reader validate escapes and report errors with their position.
        this.readString();
        return;
      }
    }
  }

  /** Reads one value of any depth into a tree, without recursion. */
  readValue(): JsonValue {
    return this.guarded(() => this.readValueNow());
  }

  private readValueNow(): JsonValue {
    const stack: Frame[] = [];
    for (;;) {
      // A value starts here.
      this.skipWs();
      const line = this.lineNo;
      const column = this.pos - this.lineStart + 1;
      const c = this.bytes[this.pos];
      let value: JsonValue;
      if (c === LBRACE) {
        this.pos++;
        const obj = new JsonObject(line, column);
        this.skipWs();
        if (this.bytes[this.pos] === RBRACE) {
          this.pos++;
          value = obj;
        } else {
          stack.push({ container: obj, key: this.readKey() });
          continue;
        }
      } else if (c === LBRACKET) {
        this.pos++;
        const arr = new JsonArray(line, column);
        this.skipWs();
        if (this.bytes[this.pos] === RBRACKET) {
          this.pos++;
          value = arr;
        } else {
          stack.push({ container: arr, key: '' });
          continue;
        }
      } else {
        value = this.readScalar();
      }
      // Attach the value, then close every container that ends here.
      let valueLine = line;
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return value;
        const container = top.container;
        if (container.kind === 'object') container.add(top.key, value, valueLine);
        else container.items.push(value);
        this.skipWs();
        const next = this.bytes[this.pos];
        if (next === COMMA) {
          this.pos++;
          if (container.kind === 'object') top.key = this.readKey();
          break;
        }
        if (container.kind === 'object' ? next === RBRACE : next === RBRACKET) {
          this.pos++;
          stack.pop();
          value = container;
          valueLine = container.line;
          continue;
        }
        this.fail(
          container.kind === 'object'
            ? `expected ',' or '}' after an object member, found ${this.describeHere()}`
            : `expected ',' or ']' after a list element, found ${this.describeHere()}`,
        );
      }
    }
  }

  private readScalar(): null | boolean | number | string {
    const b = this.bytes;
    const c = b[this.pos];
    // Through the short-string cache too: AIMET repeats `"int"`, `"True"`, `"False"` per channel.
    if (c === QUOTE) return this.readKeyString();
    if (c === 0x74 && this.literal('true')) return true;
    if (c === 0x66 && this.literal('false')) return false;
    if (c === 0x6e && this.literal('null')) return null;
    if (c === 0x4e && this.literal('NaN')) return this.nonFinite('NaN', Number.NaN);
    if (c === 0x49 && this.literal('Infinity')) return this.nonFinite('Infinity', Number.POSITIVE_INFINITY);
    if (c === MINUS && b[this.pos + 1] === 0x49) {
      this.pos++;
      if (this.literal('Infinity')) return this.nonFinite('-Infinity', Number.NEGATIVE_INFINITY);
      this.pos--;
    }
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return this.readNumber();
    if (c === undefined) this.fail('unexpected end of file: a value was expected');
    if (c === RBRACE || c === RBRACKET) this.fail(`expected a value, found ${this.describeHere()} (a trailing comma?)`);
    if (c === 0x27) this.fail("expected a value, found a single quote: JSON strings use double quotes");
    return this.fail(`expected a value, found ${this.describeHere()}`);
  }

  private literal(word: string): boolean {
    const b = this.bytes;
    for (let i = 0; i < word.length; i++) if (b[this.pos + i] !== word.charCodeAt(i)) return false;
    const after = b[this.pos + word.length];
    // `trueish` is not `true`.
    if (after !== undefined && ((after >= 0x41 && after <= 0x5a) || (after >= 0x61 && after <= 0x7a) || (after >= ZERO && after <= NINE))) {
      return false;
    }
    this.pos += word.length;
    return true;
  }

  private nonFinite(text: string, value: number): number {
    const column = this.pos - text.length - this.lineStart + 1;
    if (!this.acceptNonFinite) {
      this.fail(
        `${text} is not a JSON number (Python's json.dump writes it for a non-finite float); replace it with a finite number or remove the entry`,
        this.lineNo,
        column,
      );
    }
    this.nonFiniteAt.push({ line: this.lineNo, column, text });
    return value;
  }

  /**
   * A number, parsed from the bytes: exactly when its significant digits form an integer below
   * 2^53 (every 15-digit one, about half of the 16-digit ones Python prints) and the exponent is
   * small (the classic exact fast path: both operands are exact doubles, one rounding), else by
   * `Number()` on its few characters. The accumulated digits stay exact while below 2^53 and only
   * grow, so a final value below 2^53 proves every step was exact.
   */
  private readNumber(): number {
    const b = this.bytes;
    const start = this.pos;
    let p = start;
    let negative = false;
    if (b[p] === MINUS) {
      negative = true;
      p++;
    }
    let mantissa = 0;
    let digits = 0;
    let exponent = 0;
    let c = b[p];
    if (c === ZERO) {
      p++;
      c = b[p];
      if (c !== undefined && c >= ZERO && c <= NINE) this.fail('a number cannot start with 0 followed by digits', this.lineNo, start - this.lineStart + 1);
    } else if (c !== undefined && c >= 0x31 && c <= NINE) {
      while (c !== undefined && c >= ZERO && c <= NINE) {
        if (digits > 0 || c !== ZERO) {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
        }
        p++;
        c = b[p];
      }
    } else {
      this.pos = p;
      this.fail(`expected a digit, found ${this.describeHere()}`);
    }
    if (c === DOT) {
      p++;
      c = b[p];
      if (c === undefined || c < ZERO || c > NINE) {
        this.pos = p;
        this.fail(`expected a digit after the decimal point, found ${this.describeHere()}`);
      }
      while (c !== undefined && c >= ZERO && c <= NINE) {
        if (digits > 0 || c !== ZERO) {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
        }
        exponent--;
        p++;
        c = b[p];
      }
    }
    if (c === 0x65 || c === 0x45) {
      p++;
      c = b[p];
      let expNegative = false;
      if (c === MINUS || c === PLUS) {
        expNegative = c === MINUS;
        p++;
        c = b[p];
      }
      if (c === undefined || c < ZERO || c > NINE) {
        this.pos = p;
        this.fail(`expected a digit in the exponent, found ${this.describeHere()}`);
      }
      let e = 0;
      while (c !== undefined && c >= ZERO && c <= NINE) {
        if (e < 100000) e = e * 10 + (c - ZERO);
        p++;
        c = b[p];
      }
      exponent += expNegative ? -e : e;
    }
    this.pos = p;
    if (mantissa <= Number.MAX_SAFE_INTEGER) {
      if (mantissa === 0) return negative ? -0 : 0;
      if (exponent >= 0 && exponent <= 22) return negative ? -(mantissa * POW10[exponent]!) : mantissa * POW10[exponent]!;
      if (exponent < 0 && exponent >= -22) return negative ? -(mantissa / POW10[-exponent]!) : mantissa / POW10[-exponent]!;
    }
    return Number(this.textOf(start, p));
  }

  /**
   * A member name (or a string value): short plain ASCII strings are interned in a small
   * direct-mapped cache keyed by length and end bytes (one string for a million `"scale"`s, and no
   * hashing loop); anything else is read by `readString`.
   */
  private readKeyString(): string {
    const b = this.bytes;
    const start = this.pos + 1;
    let p = start;
    for (; p - start <= 32; p++) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c === undefined || c === BACKSLASH || c < 0x20 || c >= 0x80) return this.readString();
    }
    const length = p - start;
    if (b[p] !== QUOTE || length === 0) return this.readString();
    const slot = ((length << 5) ^ b[start]! ^ (b[p - 1]! << 3) ^ (b[start + (length >> 1)]! << 1)) & 1023;
    const cached = this.keyCache[slot];
    this.pos = p + 1;
    if (cached !== undefined && cached.length === length) {
      let i = 0;
      while (i < length && cached.charCodeAt(i) === b[start + i]) i++;
      if (i === length) return cached;
    }
    const key = internalized(this.latin1(start, p));
    this.keyCache[slot] = key;
    return key;
  }

  /** A string starting at the opening quote; ASCII without escapes is the fast path. */
  private readString(): string {
    const b = this.bytes;
    const start = this.pos + 1;
    let p = start;
    let ascii = true;
    for (;;) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c === undefined) this.fail('unexpected end of file inside a string', this.lineNo, start - this.lineStart);
      if (c === BACKSLASH) return this.readEscapedString(start);
      if (c < 0x20) {
        this.pos = p;
        this.fail(c === NL ? 'a string is not closed before the end of the line' : `control character 0x${c.toString(16).padStart(2, '0')} inside a string (escape it)`);
      }
      if (c >= 0x80) ascii = false;
      p++;
    }
    this.pos = p + 1;
    return ascii ? this.latin1(start, p) : utf8.decode(b.subarray(start, p));
  }

  private readEscapedString(start: number): string {
    const b = this.bytes;
    let p = start;
    let out = '';
    let chunk = start;
    for (;;) {
      const c = b[p];
      if (c === undefined) this.fail('unexpected end of file inside a string', this.lineNo, start - this.lineStart);
      if (c === QUOTE) break;
      if (c < 0x20) {
        this.pos = p;
        this.fail(c === NL ? 'a string is not closed before the end of the line' : `control character 0x${c.toString(16).padStart(2, '0')} inside a string (escape it)`);
      }
      if (c !== BACKSLASH) {
        p++;
        continue;
      }
      out += utf8.decode(b.subarray(chunk, p));
      const e = b[p + 1];
      let consumed = 2;
      switch (e) {
        case QUOTE:
          out += '"';
          break;
        case BACKSLASH:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          let code = 0;
          for (let i = 2; i < 6; i++) {
            const h = b[p + i];
            const v = h === undefined ? -1 : h >= ZERO && h <= NINE ? h - ZERO : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
            if (v < 0) {
              this.pos = p;
              this.fail('expected four hex digits after \\u');
            }
            code = code * 16 + v;
          }
          out += String.fromCharCode(code);
          consumed = 6;
          break;
        }
        default:
          this.pos = p;
          this.fail(`invalid escape \\${e === undefined ? '' : String.fromCharCode(e)} in a string`);
      }
      p += consumed;
      chunk = p;
    }
    out += utf8.decode(b.subarray(chunk, p));
    this.pos = p + 1;
    return out;
  }
}

/** Parses a whole document into a tree (small documents; sources stream with `JsonReader`). */
export function parseJson(bytes: Uint8Array, file: string, options: JsonReaderOptions = {}): JsonValue {
  const reader = new JsonReader(bytes, file, options);
  if (reader.peek() === 'end') {
    throw new InputError('EMPTY_INPUT', `${file}: the file is empty (or only whitespace): expected a JSON document`, { file });
  }
  const value = reader.readValue();
  reader.expectEnd();
  return value;
}
