/**
 * TensorFlow GraphDefs in protobuf text format (`.pbtxt`), the subset TF writes:
 *
 *   node {                                     # comments run to the end of the line
 *     name: "act_quant/min"
 *     op: "Const"
 *     attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 186 } }
 *                                          tensor_content: "\217\245\177\301\005@d\276" } } }
 *   }
 *
 * Messages open with `{` (or `<`), the `:` before them is optional, scalars are words (numbers,
 * enum names, `true`) or strings with C escapes (`\ooo` octal, `\xHH`, `\n`, `\'`, …; adjacent
 * strings concatenate), repeated scalars may be written as `[a, b]`, and `,`/`;` may separate
 * fields. Parsing is iterative with a depth limit, so hostile nesting cannot overflow the stack.
 * Strings are kept as source spans and unescaped only when needed (weights stay undecoded).
 */
import { InputError } from '../../../model.js';
import { DATA_TYPE_BY_NAME, type TfAttrValue, type TfGraph, type TfNode, type TfTensor } from './tf-graph.js';

/** GraphDef nests `node > attr > value > tensor > tensor_shape > dim` (6); functions a few more. */
const MAX_DEPTH = 64;

interface Position {
  readonly line: number;
  readonly column: number;
}

/** A string literal: the spans between its quotes (several when adjacent literals concatenate). */
interface TextString {
  readonly kind: 'string';
  readonly spans: ReadonlyArray<readonly [number, number]>;
}
type TextScalar = { readonly kind: 'word'; readonly text: string } | TextString;

export interface TextMessage {
  readonly fields: TextField[];
}

interface TextField extends Position {
  readonly name: string;
  readonly value: TextMessage | TextScalar;
}

class SyntaxProblem extends Error {
  readonly at: Position;
  constructor(message: string, at: Position) {
    super(message);
    this.at = at;
  }
}

type Token =
  | { readonly type: 'word'; readonly text: string; readonly at: Position }
  | { readonly type: 'string'; readonly span: readonly [number, number]; readonly at: Position }
  | { readonly type: 'punct'; readonly text: string; readonly at: Position }
  | { readonly type: 'end'; readonly at: Position };

const isWordChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2b || c === 0x2d;

class Tokenizer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private peeked: Token | undefined;

  constructor(private readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private here(): Position {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  private scan(): Token {
    const { text } = this;
    for (;;) {
      if (this.pos >= text.length) return { type: 'end', at: this.here() };
      const c = text.charCodeAt(this.pos);
      if (c === 0x0a) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xfeff) this.pos++;
      else if (c === 0x23 /* # */) {
        const nl = text.indexOf('\n', this.pos);
        this.pos = nl === -1 ? text.length : nl;
      } else break;
    }
    const at = this.here();
    const c = text.charCodeAt(this.pos);
    if (c === 0x22 || c === 0x27) {
      // "…" or '…': find the closing quote, skipping escaped characters; no raw newline inside.
      const start = this.pos + 1;
      let i = start;
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === c) break;
        if (d === 0x0a) throw new SyntaxProblem('a string is not closed before the end of its line', at);
        if (d === 0x5c /* \ */) i++;
      }
      if (i >= text.length) throw new SyntaxProblem('a string is not closed before the end of the file', at);
      this.pos = i + 1;
      return { type: 'string', span: [start, i], at };
    }
    if (isWordChar(c)) {
      let i = this.pos + 1;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(this.pos, i);
      this.pos = i;
      return { type: 'word', text: word, at };
    }
    const ch = text[this.pos]!;
    if ('{}<>:[],;'.includes(ch)) {
      this.pos++;
      return { type: 'punct', text: ch, at };
    }
    throw new SyntaxProblem(`unexpected character '${ch}'`, at);
  }
}

function describeToken(t: Token): string {
  if (t.type === 'end') return 'the end of the file';
  if (t.type === 'string') return 'a string';
  return `'${t.text}'`;
}

/** Reads a scalar value: a word (`-6.5`, `DT_FLOAT`, `true`) or one or more adjacent strings. */
function readScalar(tokens: Tokenizer): TextScalar {
  const t = tokens.next();
  if (t.type === 'word') return { kind: 'word', text: t.text };
  if (t.type === 'string') {
    const spans: (readonly [number, number])[] = [t.span];
    for (let n = tokens.peek(); n.type === 'string'; n = tokens.peek()) spans.push((tokens.next() as { span: readonly [number, number] }).span);
    return { kind: 'string', spans };
  }
  throw new SyntaxProblem(`expected a value, found ${describeToken(t)}`, t.at);
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses protobuf text into a field tree (schema-free). Throws SyntaxProblem. */
export function parseTextMessage(text: string): TextMessage {
  const tokens = new Tokenizer(text);
  const root: TextMessage = { fields: [] };
  const stack: { message: TextMessage; close: string; at: Position }[] = [];
  let current = root;
  for (;;) {
    const t = tokens.next();
    if (t.type === 'end') {
      const open = stack[stack.length - 1];
      if (open) throw new SyntaxProblem(`the message opened at line ${open.at.line} is not closed`, t.at);
      return root;
    }
    if (t.type === 'punct' && (t.text === '}' || t.text === '>')) {
      const open = stack.pop();
      if (!open || open.close !== t.text) throw new SyntaxProblem(`unexpected '${t.text}'`, t.at);
      current = stack.length > 0 ? stack[stack.length - 1]!.message : root;
      continue;
    }
    if (t.type === 'punct' && (t.text === ',' || t.text === ';')) continue;
    if (t.type !== 'word' || !FIELD_NAME.test(t.text)) {
      const what = t.type === 'punct' && t.text === '[' ? "'[' (extension and Any fields are not supported)" : describeToken(t);
      throw new SyntaxProblem(`expected a field name, found ${what}`, t.at);
    }
    const name = t.text;
    let next = tokens.peek();
    const colon = next.type === 'punct' && next.text === ':';
    if (colon) {
      tokens.next();
      next = tokens.peek();
    }
    if (next.type === 'punct' && (next.text === '{' || next.text === '<')) {
      tokens.next();
      if (stack.length >= MAX_DEPTH) throw new SyntaxProblem(`messages nest deeper than ${MAX_DEPTH} levels`, next.at);
      const message: TextMessage = { fields: [] };
      current.fields.push({ name, value: message, ...t.at });
      stack.push({ message, close: next.text === '{' ? '}' : '>', at: next.at });
      current = message;
      continue;
    }
    if (!colon) throw new SyntaxProblem(`expected ':' or '{' after '${name}', found ${describeToken(next)}`, next.at);
    if (next.type === 'punct' && next.text === '[') {
      // `float_val: [1.0, 2.0]`: a repeated scalar written as a list.
      tokens.next();
      if (tokens.peek().type === 'punct' && (tokens.peek() as { text: string }).text === ']') tokens.next();
      else {
        for (;;) {
          current.fields.push({ name, value: readScalar(tokens), ...t.at });
          const sep = tokens.next();
          if (sep.type === 'punct' && sep.text === ']') break;
          if (!(sep.type === 'punct' && sep.text === ',')) throw new SyntaxProblem(`expected ',' or ']' in a list, found ${describeToken(sep)}`, sep.at);
        }
      }
      continue;
    }
    current.fields.push({ name, value: readScalar(tokens), ...t.at });
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['n', 0x0a],
  ['t', 0x09],
  ['r', 0x0d],
  ['a', 0x07],
  ['b', 0x08],
  ['f', 0x0c],
  ['v', 0x0b],
  ['\\', 0x5c],
  ["'", 0x27],
  ['"', 0x22],
  ['?', 0x3f],
]);

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** The bytes a string literal stands for (C escapes decoded), or a sentence saying why not. */
function unescape(text: string, value: TextString): Uint8Array | string {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (const [start, end] of value.spans) {
    let plainFrom = start;
    const flush = (to: number) => {
      if (to > plainFrom) for (const b of encoder.encode(text.slice(plainFrom, to))) out.push(b);
    };
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) !== 0x5c) continue;
      flush(i);
      const e = text[i + 1];
      if (e === undefined) return 'a string ends with a lone backslash';
      const simple = SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) {
        out.push(simple);
        i += 1;
      } else if (isOctal(e)) {
        let j = i + 1;
        let code = 0;
        while (j < end && j < i + 4 && isOctal(text[j])) code = code * 8 + Number(text[j++]);
        out.push(code & 0xff);
        i = j - 1;
      } else if (e === 'x' || e === 'X') {
        let j = i + 2;
        let code = 0;
        while (j < end && j < i + 4 && isHex(text[j])) code = code * 16 + parseInt(text[j++]!, 16);
        if (j === i + 2) return '`\\x` without hex digits in a string';
        out.push(code);
        i = j - 1;
      } else if (e === 'u' || e === 'U') {
        const digits = e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (hex.length !== digits || ![...hex].every(isHex)) return `\`\\${e}\` needs ${digits} hex digits`;
        const codePoint = parseInt(hex, 16);
        if (codePoint > 0x10ffff) return `\`\\${e}${hex}\` is not a Unicode code point`;
        for (const b of encoder.encode(String.fromCodePoint(codePoint))) out.push(b);
        i += 1 + digits;
      } else return `unknown escape \`\\${e}\` in a string`;
      plainFrom = i + 1;
    }
    flush(end);
  }
  return Uint8Array.from(out);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function asString(value: TextField['value']): TextString | undefined {
  return 'kind' in value && value.kind === 'string' ? value : undefined;
}

function stringValue(text: string, field: TextField): string {
  const literal = asString(field.value);
  if (!literal) throw new SyntaxProblem(`'${field.name}' must be a string`, field);
  const bytes = unescape(text, literal);
  if (typeof bytes === 'string') throw new SyntaxProblem(bytes, field);
  return utf8.decode(bytes);
}

function word(field: TextField): string | undefined {
  return 'kind' in field.value && field.value.kind === 'word' ? field.value.text : undefined;
}

/** Integers as protobuf text writes them: decimal, `0x` hex, or negative. */
function parseInteger(text: string): number | undefined {
  if (/^-?\d{1,16}$/.test(text)) return Number(text);
  if (/^-?0[xX][0-9A-Fa-f]{1,13}$/.test(text)) return (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^-?0[xX]/, ''), 16);
  return undefined;
}

/** Floats: `1.5`, `-14.066669`, `1e-3`, `2.0f`, `inf`, `-infinity`, `nan`. */
function parseFloatWord(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (text.length > 64) return undefined;
  const body = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?f?$/.test(lower) ? lower.replace(/f$/, '') : undefined;
  return body === undefined ? parseInteger(text) : Number(body);
}

function integerField(field: TextField): number {
  const w = word(field);
  const value = w === undefined ? undefined : parseInteger(w);
  if (value === undefined) throw new SyntaxProblem(`'${field.name}' must be an integer`, field);
  return value;
}

function floatField(field: TextField): number {
  const w = word(field);
  const value = w === undefined ? undefined : parseFloatWord(w);
  if (value === undefined) throw new SyntaxProblem(`'${field.name}' must be a number`, field);
  return value;
}

function boolField(field: TextField): boolean {
  const w = word(field);
  if (w === 'true' || w === 'True' || w === 't' || w === '1') return true;
  if (w === 'false' || w === 'False' || w === 'f' || w === '0') return false;
  throw new SyntaxProblem(`'${field.name}' must be true or false`, field);
}

/** `dtype: DT_FLOAT` or `dtype: 1`. */
function dataTypeField(field: TextField): number {
  const w = word(field) ?? '';
  const value = DATA_TYPE_BY_NAME.get(w.replace(/_REF$/, '')) ?? parseInteger(w);
  if (value === undefined) throw new SyntaxProblem(`'${w}' is not a TensorFlow DataType`, field);
  return w.endsWith('_REF') ? value + 100 : value;
}

function message(field: TextField): TextMessage {
  if ('fields' in field.value) return field.value;
  throw new SyntaxProblem(`'${field.name}' must be a message ({ … })`, field);
}

// ---------------------------------------------------------------------------------------------
// GraphDef
// ---------------------------------------------------------------------------------------------

/** Parses a text GraphDef. Throws InputError BAD_GRAPHDEF with the line and column of the problem. */
export function parseTextGraphDef(text: string, file: string): TfGraph {
  try {
    const root = parseTextMessage(text);
    const nodes: TfNode[] = [];
    let producer: number | undefined;
    let functionCount = 0;
    for (const field of root.fields) {
      switch (field.name) {
        case 'node':
          nodes.push(toNode(text, field));
          break;
        case 'versions':
          for (const f of message(field).fields) if (f.name === 'producer') producer = integerField(f);
          break;
        case 'library':
          functionCount += message(field).fields.filter((f) => f.name === 'function').length;
          break;
        case 'version':
        case 'debug_info':
          break;
        default:
          throw new SyntaxProblem(`'${field.name}' is not a GraphDef field`, field);
      }
    }
    return producer === undefined ? { nodes, functionCount } : { nodes, functionCount, producer };
  } catch (err) {
    if (!(err instanceof SyntaxProblem)) throw err;
    throw new InputError(
      'BAD_GRAPHDEF',
      `${file}: not a TensorFlow text GraphDef (${err.message} at line ${err.at.line}, column ${err.at.column})`,
      { file, line: err.at.line, column: err.at.column },
    );
  }
}

function toNode(text: string, field: TextField): TfNode {
  let name = '';
  let op = '';
  const inputs: string[] = [];
  const attrs = new Map<string, TfAttrValue>();
  for (const f of message(field).fields) {
    if (f.name === 'name') name = stringValue(text, f);
    else if (f.name === 'op') op = stringValue(text, f);
    else if (f.name === 'input') inputs.push(stringValue(text, f));
    else if (f.name === 'attr') {
      let key = '';
      let value: TfAttrValue = { kind: 'other', what: 'empty' };
      for (const g of message(f).fields) {
        if (g.name === 'key') key = stringValue(text, g);
        else if (g.name === 'value') value = toAttrValue(text, g);
      }
      attrs.set(key, value);
    }
  }
  if (name === '' || op === '') throw new SyntaxProblem(`a node without ${name === '' ? 'a name' : 'an op'}`, field);
  return { name, op, inputs, attrs, at: { line: field.line } };
}

function toAttrValue(text: string, field: TextField): TfAttrValue {
  let value: TfAttrValue = { kind: 'other', what: 'empty' };
  for (const f of message(field).fields) {
    switch (f.name) {
      case 'i':
        value = { kind: 'i', value: integerField(f) };
        break;
      case 'f':
        value = { kind: 'f', value: Math.fround(floatField(f)) };
        break;
      case 'b':
        value = { kind: 'b', value: boolField(f) };
        break;
      case 's':
        value = { kind: 's', value: stringValue(text, f) };
        break;
      case 'type':
        value = { kind: 'type', value: dataTypeField(f) };
        break;
      case 'tensor': {
        const tensor = message(f);
        value = { kind: 'tensor', tensor: () => toTensor(text, tensor) };
        break;
      }
      default:
        value = { kind: 'other', what: f.name };
    }
  }
  return value;
}

function toTensor(text: string, tensor: TextMessage): TfTensor | string {
  try {
    let dtype = 0;
    let shape: number[] | undefined = [];
    let content: Uint8Array | undefined;
    const floatVal: number[] = [];
    const doubleVal: number[] = [];
    const intVal: number[] = [];
    const halfVal: number[] = [];
    for (const f of tensor.fields) {
      switch (f.name) {
        case 'dtype':
          dtype = dataTypeField(f);
          break;
        case 'tensor_shape': {
          const dims: number[] = [];
          let unknownRank = false;
          for (const g of message(f).fields) {
            if (g.name === 'dim') for (const d of message(g).fields) if (d.name === 'size') dims.push(integerField(d));
            if (g.name === 'unknown_rank') unknownRank = boolField(g);
          }
          shape = unknownRank ? undefined : dims;
          break;
        }
        case 'tensor_content': {
          const literal = asString(f.value);
          if (!literal) throw new SyntaxProblem("'tensor_content' must be a string", f);
          const bytes = unescape(text, literal);
          if (typeof bytes === 'string') throw new SyntaxProblem(bytes, f);
          content = bytes;
          break;
        }
        case 'float_val':
          floatVal.push(floatField(f));
          break;
        case 'double_val':
          doubleVal.push(floatField(f));
          break;
        case 'int_val':
          intVal.push(integerField(f));
          break;
        case 'half_val':
          halfVal.push(integerField(f));
          break;
        default:
          break;
      }
    }
    return {
      dtype,
      floatVal,
      doubleVal,
      intVal,
      halfVal,
      ...(shape === undefined ? {} : { shape }),
      ...(content === undefined ? {} : { content }),
    };
  } catch (err) {
    if (err instanceof SyntaxProblem) return `${err.message} at line ${err.at.line}`;
    throw err;
  }
}
