/**
 * The dump parser's fast paths for the lines a big dump is made of (issue 7) must read exactly what
 * the general paths read: the one-regex continuation row against `splitTextRow`, the canonical
 * 2.x encoding body against the key/value scanner. Properties over generated rows and numbers,
 * plus the near misses that must fall back.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { EncodingFields, readEncodingBody } from '../src/parse/dump/encoding-line.js';
import { lastCellAfterBlanks, splitTextRow } from '../src/parse/dump/table.js';
import { parsePrintedNumber } from '../src/parse/dump/numbers.js';

const SEED = Number(process.env['DLCVERIFY_FUZZ_SEED'] ?? 20261126);

/** What the general path makes of a row: the last cell when every other is blank and there are n + 1. */
function generalLastCell(line: string, blankCells: number): string | undefined {
  const cells = splitTextRow(line);
  if (cells === undefined || cells.length !== blankCells + 1) return undefined;
  if (cells.slice(0, blankCells).some((c) => c !== '')) return undefined;
  const last = cells[blankCells]!;
  return last === '' ? undefined : last;
}

describe('continuation rows read by one regex', () => {
  const cellText = fc.oneof(
    fc.constant(''),
    fc.constant('w encoding for channel_1: bitwidth 8, min -1.000000000000, max 0.992187500000, scale 0.007812500000, offset -128.000000000000'),
    fc.string({ unit: fc.constantFrom(' ', '\t', '|', 'a', ':', '…', '\u00a0'), maxLength: 12 }),
  );
  const padding = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 4 });

  it('agrees with splitTextRow on generated rows (blank, tabbed, barred and padded cells; text after the last bar)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.array(fc.tuple(cellText, padding), { minLength: 1, maxLength: 10 }), padding, fc.constantFrom('', 'x', ' '), (blankCells, cells, end, tail) => {
        const line = '|' + cells.map(([text, pad]) => ` ${text}${pad}|`).join('') + end + tail;
        const fast = lastCellAfterBlanks(line, blankCells);
        // The fast path may decline (undefined) a row the general path reads, never read it differently.
        if (fast !== undefined) expect(fast).toBe(generalLastCell(line, blankCells));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  // The rows a dump is made of (blank cells of spaces, one text cell, spaces after the last bar):
  // the fast path must READ every one of them, not decline it to the general path.
  it('reads every canonical continuation row, as splitTextRow does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ':', ' ', '.', '_', '…', '[', ']', ','), minLength: 1, maxLength: 40 }).filter((t) => t.trim() !== '');
    const spaces = (max: number) => fc.integer({ min: 0, max }).map((n) => ' '.repeat(n));
    fc.assert(
      fc.property(fc.array(spaces(12), { maxLength: 9 }), text, spaces(6), spaces(3), (blanks, last, pad, end) => {
        const line = '|' + blanks.map((b) => `${b}|`).join('') + ` ${last}${pad}|` + end;
        const fast = lastCellAfterBlanks(line, blanks.length);
        expect(fast).not.toBeUndefined();
        expect(fast).toBe(generalLastCell(line, blanks.length));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it.each([
    ['|     |      | p: 1  |', 2, 'p: 1'],
    ['|     |      | p: 1  |   ', 2, 'p: 1'],
    ['|     |      | p: 1  | x', 2, undefined], // text after the last bar: a cell more
    ['|     | a    | p: 1  |', 2, undefined], // a non-blank cell before
    ['|     |      |        |', 2, undefined], // the last cell is blank too
    ['|     |      |  p | q |', 2, undefined], // a bar inside: more cells
    ['| \t  |      |  p: 1  |', 2, undefined], // a tab: declined (the general path reads it)
    ['|     |      |  p: 1', 2, undefined], // no closing bar
  ])('%j with %i blank cells -> %j', (line, blankCells, expected) => {
    expect(lastCellAfterBlanks(line, blankCells)).toBe(expected);
  });
});

describe('the canonical 2.x encoding body read by one regex', () => {
  const fixedText = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }))
    .map(([negative, digits, intDigits, decimals]) => {
      const all = digits.toString().padStart(intDigits + decimals, '0');
      const text = `${all.slice(0, all.length - decimals)}.${all.slice(all.length - decimals)}`;
      return negative ? `-${text}` : text;
    });

  it('gives the doubles and precisions the general scanner gives (up to 15 + 15 digits, signs, zeros)', () => {
    const fields = new EncodingFields();
    // Both paths fill the same fields, so the one-regex path is watched where it runs: every
    // canonical body must be MATCHED by it (a regex that stopped matching would fall back silently).
    let canonicalTries = 0;
    let canonicalMatches = 0;
    const exec = RegExp.prototype.exec;
    const spy = vi.spyOn(RegExp.prototype, 'exec').mockImplementation(function (this: RegExp, s: string) {
      const m = exec.call(this, s);
      if (this.source.startsWith(' {1,2}bitwidth')) {
        canonicalTries++;
        if (m !== null) canonicalMatches++;
      }
      return m;
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fixedText, fixedText, fixedText, fixedText, fc.constantFrom(' ', '  '), (bitwidth, min, max, scale, offset, space) => {
        const scaleText = scale.replace('-', '');
        const body = `${space}bitwidth ${bitwidth}, min ${min}, max ${max}, scale ${scaleText}, offset ${offset}`;
        expect(readEncodingBody(`x encoding :${body}`, 'x encoding :'.length, 'fixed', fields)).toBeUndefined();
        expect(fields.bitwidth).toBe(bitwidth);
        for (const [slot, text] of [
          [fields.min, min],
          [fields.max, max],
          [fields.scale, scaleText],
          [fields.offset, offset],
        ] as const) {
          const general = parsePrintedNumber(text, 'fixed');
          expect(Object.is(slot.value, general?.value)).toBe(true);
          expect(slot.precision).toEqual(general?.precision);
        }
        expect(fields.unknownKeys).toBeUndefined();
      }),
      { seed: SEED, numRuns: 3000 },
    );
    spy.mockRestore();
    expect(canonicalTries).toBeGreaterThanOrEqual(3000);
    expect(canonicalMatches).toBe(canonicalTries);
  });

  it.each([
    ['bitwidth 8, min -1.0, max 1.0, scale 0.5, offset -2.0, zp 1.0', { unknownKeys: ['zp'] }],
    ['min -1.0, max 1.0, scale 0.5, offset -2.0, bitwidth 8', { bitwidth: 8 }], // another order
    ['bitwidth 8, min -1e-05, max 1.0, scale 0.5, offset -2.0', { min: { value: -1e-5, precision: { style: 'significant', digits: 1 } } }],
    ['bitwidth 8, min -inf, max 1.0, scale 0.5, offset -2.0', { min: { value: -Infinity, precision: { style: 'fixed', decimals: 0 } } }],
    ['bitwidth 8, min -1.0000000000000001, max 1.0, scale 0.5, offset -2.0', { min: { value: -1, precision: { style: 'fixed', decimals: 16 } } }],
  ])('`%s` falls back to the general scanner and reads the same', (body, expected) => {
    const fields = new EncodingFields();
    expect(readEncodingBody(` ${body}`, 0, 'fixed', fields)).toBeUndefined();
    const { unknownKeys, bitwidth, min } = expected as { unknownKeys?: string[]; bitwidth?: number; min?: object };
    if (unknownKeys !== undefined) expect(fields.unknownKeys).toEqual(unknownKeys);
    if (bitwidth !== undefined) expect(fields.bitwidth).toBe(bitwidth);
    if (min !== undefined) expect({ ...fields.min }).toEqual(min);
  });

  it('a `%.4g` family never takes the fixed-decimals path', () => {
    const fields = new EncodingFields();
    expect(readEncodingBody(' bitwidth 8, min -1.000000000000, max 1.0, scale 0.5, offset -2.0', 0, 'g4', fields)).toBeUndefined();
    expect(fields.min.precision).toEqual({ style: 'significant', digits: 4 });
  });
});
