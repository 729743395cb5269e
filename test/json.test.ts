import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArray, JsonObject, JsonReader, jsonPointer, parseJson, type JsonValue } from '../src/parse/wire/json.js';
import { errorOf } from './helpers/errors.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const parse = (text: string, nonFinite: 'reject' | 'accept' = 'reject'): JsonValue => parseJson(enc(text), 'f.json', { nonFinite });


describe('parseJson: values', () => {
  it('reads scalars, lists and objects', () => {
    const v = parse('{"a": 1, "b": [true, false, null, "x", -0.5e2], "c": {}}');
    expect(v).toBeInstanceOf(JsonObject);
    const o = v as JsonObject;
    expect(o.keys).toEqual(['a', 'b', 'c']);
    expect(o.get('a')).toBe(1);
    const b = o.get('b') as JsonArray;
    expect(b.items).toEqual([true, false, null, 'x', -50]);
    expect((o.get('c') as JsonObject).size).toBe(0);
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['0.996093750000', 0.99609375],
    ['0.00001519941634241', 0.00001519941634241],
    ['0.39145758748054504', 0.39145758748054504],
    ['7.319852011278272e-05', 7.319852011278272e-5],
    ['-128.0', -128],
    ['1E+3', 1000],
    ['123456789012345678901234567890', 123456789012345678901234567890],
    ['1e-400', 0],
    ['2.2250738585072011e-308', 2.2250738585072011e-308],
    ['9007199254740993', 9007199254740993],
    ['0.1', 0.1],
    ['-6.217965126037598', -6.217965126037598],
    // Around the 2^53 limit of the exact fast path.
    ['0.9007199254740991', 0.9007199254740991],
    ['0.9007199254740993', 0.9007199254740993],
    ['9.025698900222778', 9.025698900222778],
    ['-900719925474099.1', -900719925474099.1],
    ['9007199254740991e3', 9007199254740991e3],
    ['0.00028961148927919567', 0.00028961148927919567],
  ])('number %s reads as Number() does', (text, value) => {
    expect(Object.is(parse(text), value)).toBe(true);
    expect(parse(text)).toBe(Number(text));
  });

  it('any finite double printed by JSON.stringify reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(parse(JSON.stringify(x)), x === 0 ? JSON.parse(JSON.stringify(x)) : x)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('any decimal text reads as Number() reads it (property)', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 22 });
    fc.assert(
      fc.property(fc.boolean(), digits, fc.option(digits), fc.option(fc.integer({ min: -330, max: 330 })), (negative, int, frac, exp) => {
        const text = `${negative ? '-' : ''}${int.replace(/^0+(?=\d)/, '')}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`;
        expect(Object.is(parse(text), Number(text))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads string escapes and UTF-8', () => {
    expect(parse('"a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00"')).toBe('a"b\\c/d\n\té😀');
    expect(parse('"Überraschung/conv:0"')).toBe('Überraschung/conv:0');
  });

  it('keeps __proto__ and constructor as plain data', () => {
    const o = parse('{"__proto__": [1], "constructor": {"prototype": 2}}') as JsonObject;
    expect(o.keys).toEqual(['__proto__', 'constructor']);
    expect((o.get('__proto__') as JsonArray).items).toEqual([1]);
    expect(Object.getPrototypeOf(o)).toBe(JsonObject.prototype);
    expect(o.get('toString')).toBeUndefined();
  });

  it('keeps duplicate keys visible and returns the last (as the SDK does)', () => {
    const o = parse('{\n"a": 1,\n"b": 2,\n"a": 3\n}') as JsonObject;
    expect(o.get('a')).toBe(3);
    expect(o.lineOf('a')).toBe(4);
    expect([...(o.duplicates ?? new Map())]).toEqual([['a', [2, 4]]]);
  });

  it('finds members of big objects through an index, duplicates included', () => {
    const members = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`);
    members.push('"k3": 99');
    const o = parse(`{${members.join(',')}}`) as JsonObject;
    expect(o.get('k39')).toBe(39);
    expect(o.get('k3')).toBe(99);
    expect(o.duplicates?.get('k3')).toEqual([1, 1]);
  });

  it('records the line of every member value and of containers', () => {
    const o = parse('{\r\n  "a": 1,\r\n\r\n  "b":\r\n    [1, 2]\r\n}') as JsonObject;
    expect(o.line).toBe(1);
    expect(o.lineOf('a')).toBe(2);
    expect(o.lineOf('b')).toBe(5);
    expect((o.get('b') as JsonArray).line).toBe(5);
  });

  it('skips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{"a": 1}')]);
    expect((parseJson(bytes, 'bom.json') as JsonObject).get('a')).toBe(1);
  });

  it('does not recurse: 100 000 nested lists parse, and an unclosed one fails cleanly', () => {
    const depth = 100_000;
    const deep = parse('['.repeat(depth) + ']'.repeat(depth));
    let level = 0;
    let node: JsonValue = deep;
    while (node instanceof JsonArray && node.items.length > 0) {
      node = node.items[0]!;
      level++;
    }
    expect(level).toBe(depth - 1);
    const err = errorOf(() => parse('['.repeat(depth)));
    expect(err.code).toBe('BAD_JSON');
    expect(err.message).toBe(`f.json:1:${depth + 1}: unexpected end of file: a value was expected`);
  });
});

describe('parseJson: errors give line and column', () => {
  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', "f.json:3:3: expected ',' or '}' after an object member, found '\"'"],
    ['[1, 2\n3]', "f.json:2:1: expected ',' or ']' after a list element, found '3'"],
    ['{"a": 1,}', "f.json:1:9: expected a quoted member name, found '}'"],
    ['[1, 2,]', "f.json:1:7: expected a value, found ']' (a trailing comma?)"],
    ["{'a': 1}", "f.json:1:2: expected a quoted member name, found '''"],
    ['{"a" 1}', 'f.json:1:6: expected \':\' after the member name "a", found \'1\''],
    ['{"a": 01}', 'f.json:1:7: a number cannot start with 0 followed by digits'],
    ['{"a": 1.}', "f.json:1:9: expected a digit after the decimal point, found '}'"],
    ['{"a": "x\n"}', 'f.json:1:9: a string is not closed before the end of the line'],
    ['{"a": tru}', "f.json:1:7: expected a value, found 't'"],
    ['{"a": 1} x', "f.json:1:10: unexpected 'x' after the end of the JSON document"],
    ['{"a": "\\q"}', 'f.json:1:8: invalid escape \\q in a string'],
  ])('%j', (text, message) => {
    const err = errorOf(() => parse(text));
    expect(err.code).toBe('BAD_JSON');
    expect(err.message).toBe(message);
    expect(err.at?.line).toBe(Number(message.split(':')[1]));
    expect(err.at?.column).toBe(Number(message.split(':')[2]));
  });

  it('counts lines of CRLF files like LF files', () => {
    const err = errorOf(() => parse('{\r\n  "a": 1\r\n  "b": 2\r\n}'));
    expect(err.message).toContain('f.json:3:3:');
  });

  it('rejects NaN and Infinity by default, with the position and a sentence', () => {
    const err = errorOf(() => parse('{\n  "min": NaN\n}'));
    expect(err.code).toBe('BAD_JSON');
    expect(err.message).toMatch(/^f\.json:2:10: NaN is not a JSON number \(Python's json\.dump writes it/);
    expect(errorOf(() => parse('[-Infinity]')).message).toMatch(/^f\.json:1:2: -Infinity is not a JSON number/);
    expect(errorOf(() => parse('[Infinity]')).message).toMatch(/^f\.json:1:2: Infinity is not/);
  });

  it('accepts NaN and Infinity on request and lists where they were', () => {
    const reader = new JsonReader(enc('[NaN,\n -Infinity, Infinity]'), 'f.json', { nonFinite: 'accept' });
    const v = reader.readValue() as JsonArray;
    expect(v.items).toEqual([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(reader.nonFiniteAt).toEqual([
      { line: 1, column: 2, text: 'NaN' },
      { line: 2, column: 2, text: '-Infinity' },
      { line: 2, column: 13, text: 'Infinity' },
    ]);
  });

  it('says an empty file is empty', () => {
    const err = errorOf(() => parse('  \n '));
    expect(err.code).toBe('EMPTY_INPUT');
  });
});

describe('JsonReader pull API', () => {
  it('walks members and items without building the outer levels', () => {
    const r = new JsonReader(enc('{"s": {"a": [1], "b": [2, 3]}, "l": [{"n": 1}, {"n": 2}], "v": "1"}'), 'f.json');
    r.beginObject();
    const seen: string[] = [];
    for (let key = r.nextMember(); key !== undefined; key = r.nextMember()) {
      if (key === 's') {
        r.beginObject();
        for (let k = r.nextMember(); k !== undefined; k = r.nextMember()) seen.push(`${k}=${(r.readValue() as JsonArray).items.join('+')}`);
      } else if (key === 'l') {
        r.beginArray();
        while (r.nextItem()) seen.push(`n=${(r.readValue() as JsonObject).get('n')}`);
      } else {
        r.skipValue();
        seen.push(key);
      }
    }
    r.expectEnd();
    expect(seen).toEqual(['a=1', 'b=2+3', 'n=1', 'n=2', 'v']);
  });

  it('skipValue validates without building, at any depth, and reports errors like readValue', () => {
    const depth = 50_000;
    const doc = `{"skip": {"a": [1, "x\\"y", {"b": null}, []], "c": {}, "d": ${'['.repeat(depth)}${']'.repeat(depth)}}, "keep": 7}`;
    const r = new JsonReader(enc(doc), 'f.json');
    r.beginObject();
    expect(r.nextMember()).toBe('skip');
    r.skipValue();
    expect(r.nextMember()).toBe('keep');
    expect(r.readValue()).toBe(7);
    expect(r.nextMember()).toBeUndefined();
    r.expectEnd();
    for (const [bad, message] of [
      ['{"a": [1 2]}', "f.json:1:10: expected ',' or ']' after a list element, found '2'"],
      ['{"a": {"b": 1,}}', "f.json:1:15: expected a quoted member name, found '}'"],
      ['{"a": "\\q"}', 'f.json:1:8: invalid escape \\q in a string'],
      ['{"a": [NaN]}', "f.json:1:8: NaN is not a JSON number (Python's json.dump writes it for a non-finite float); replace it with a finite number or remove the entry"],
    ] as const) {
      const reader = new JsonReader(enc(bad), 'f.json');
      expect(() => reader.skipValue()).toThrow(message);
      expect(() => parse(bad)).toThrow(message);
    }
  });

  it('reports a missing comma between streamed members with its position', () => {
    const r = new JsonReader(enc('{"a": 1\n "b": 2}'), 'f.json');
    r.beginObject();
    expect(r.nextMember()).toBe('a');
    r.skipValue();
    expect(() => r.nextMember()).toThrow("f.json:2:2: expected ',' or '}' after an object member");
  });
});

describe('jsonPointer', () => {
  it('escapes ~ and / (RFC 6901)', () => {
    expect(jsonPointer(['activation_encodings', 'conv1/Relu:0', 0])).toBe('/activation_encodings/conv1~1Relu:0/0');
    expect(jsonPointer(['a~b'])).toBe('/a~0b');
  });
});

describe('JsonReader streaming over a byte source', () => {
  /** A source handing out at most `perRead` bytes per read (as a file read in small pieces would). */
  const source = (text: string, perRead: number) => {
    const bytes = enc(text);
    return { size: bytes.length, read: (offset: number, length: number) => bytes.subarray(offset, offset + Math.min(length, perRead)) };
  };
  const outcome = (read: () => JsonValue): { value: JsonValue } | { error: string } => {
    try {
      return { value: read() };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  const whole = (text: string) => outcome(() => parseJson(enc(text), 'f.json'));
  const streamed = (text: string, lookaheadBytes: number, perRead: number) =>
    outcome(() => {
      const reader = new JsonReader(source(text, perRead), 'f.json', { lookaheadBytes });
      if (reader.peek() === 'end') throw new Error('empty');
      const value = reader.readValue();
      reader.expectEnd();
      return value;
    });

  it.each([
    '{"a": 1, "b": [true, false, null, "x", -0.5e2], "c": {}}',
    '\uFEFF{"bom": 1}',
    '[NaN]',
    '{"a": 12345.678e-3, "long": "' + 'é'.repeat(300) + '", "t": true}',
    '{\n  "a": 1\n  "b": 2\n}',
    '{"a": 1.}',
    '{"a": tru}',
    '{"a": 1} x',
    '{"a": "\\q"}',
    '{"a": "x\n"}',
    '[1, 2,]',
    '{"a": 1',
    '{"a": [1, 2], "b": {"c": [3, {"d": "e\\u00e9"}]}}   \n\n',
    '{"a" 1}',
  ])('gives the same value or error as the whole bytes, with any window: %j', (text) => {
    const expected = whole(text);
    for (const lookahead of [1, 2, 3, 7, 64]) for (const perRead of [1, 5, 1 << 20]) expect(streamed(text, lookahead, perRead)).toEqual(expected);
  });

  it('any JSON document reads the same streamed through a tiny window (property)', () => {
    fc.assert(
      fc.property(fc.json(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }), (text, lookahead, perRead) => {
        expect(streamed(text, lookahead, perRead)).toEqual(whole(text));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('long numbers (Python float reprs, past the exact fast path) read exactly across text windows and refills', () => {
    // 17 significant digits: every one takes the `Number(text)` path, whose text is sliced from a
    // decoded 64 KiB window; 30,000 of them span several windows and many refills.
    const texts = Array.from({ length: 30_000 }, (_, i) => `${i % 2 === 0 ? '-' : ''}0.${String(90071992547409930 + i * 7919).padStart(17, '0')}`);
    const doc = `[${texts.join(', ')}]`;
    const expected = texts.map(Number);
    const read = (value: JsonValue | undefined) => (value as JsonArray).items;
    expect(read((whole(doc) as { value: JsonValue }).value)).toEqual(expected);
    for (const [lookahead, perRead] of [
      [1000, 777],
      [70_000, 1 << 20],
    ] as const) {
      const result = streamed(doc, lookahead, perRead) as { value: JsonValue };
      expect(read(result.value).every((v, i) => Object.is(v, expected[i]))).toBe(true);
      // Pulled one element at a time: the window moves between calls (the way sources are read).
      const reader = new JsonReader(source(doc, perRead), 'f.json', { lookaheadBytes: lookahead });
      const pulled: JsonValue[] = [];
      reader.beginArray();
      while (reader.nextItem()) pulled.push(reader.readValue());
      expect(pulled.length).toBe(expected.length);
      expect(pulled.every((v, i) => Object.is(v, expected[i]))).toBe(true);
    }
  });

  it('walks members with their lines across windows, and keeps lines and columns of errors', () => {
    const doc = `{\n "a": [1, 2, 3],\n "b": {"c": "${'x'.repeat(100)}"},\n "d": 4\n "e": 5}`;
    const r = new JsonReader(source(doc, 3), 'f.json', { lookaheadBytes: 4 });
    r.beginObject();
    const seen: string[] = [];
    for (let key = r.nextMember(); key !== undefined; key = r.nextMember()) {
      seen.push(`${key}@${r.keyLine}`);
      r.skipValue();
      if (key === 'd') expect(() => r.nextMember()).toThrow("f.json:5:2: expected ',' or '}' after an object member");
      if (key === 'd') break;
    }
    expect(seen).toEqual(['a@2', 'b@3', 'd@4']);
  });
});
