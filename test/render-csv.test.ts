import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/index.js';
import { textCell } from '../src/render/csv.js';
import { diffReport, FORMULA_NAME, PIPE_NAME, verifyReport, XSS_NAME } from './fixtures/render/reports.js';

const quiet = { color: false, verbose: false } as const;

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records) for the tests. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      expect(field).toBe(''); // a quote only opens a field
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      expect(c).not.toBe('\n'); // bare LF only inside quotes
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

function table(text: string): Map<string, string>[] {
  const [head, ...rows] = parseCsv(text);
  for (const r of rows) expect(r).toHaveLength(head!.length);
  return rows.map((r) => new Map(head!.map((h, i) => [h, r[i]!])));
}

describe('csv report', () => {
  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'csv', quiet)).toMatchFileSnapshot('fixtures/render/verify.csv');
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'csv', quiet)).toMatchFileSnapshot('fixtures/render/diff.csv');
  });

  it('one row per result, then notes and diagnostics, every record as wide as the header', () => {
    const rows = table(renderReport(verifyReport(), 'csv', quiet));
    expect(rows).toHaveLength(16);
    expect(rows.slice(-2).map((r) => r.get('section'))).toEqual(['note', 'diagnostic']);
    expect(rows.at(-1)!.get('code')).toBe('DUMP_ELIDED_ROWS');
    expect(rows.filter((r) => r.get('section') === 'result')).toHaveLength(12);
    expect(rows.filter((r) => r.get('section') === 'pipeline')).toHaveLength(2);
    expect(table(renderReport(verifyReport(), 'csv', { ...quiet, verbose: true })).filter((r) => r.get('section') === 'result')).toHaveLength(13);
  });

  it('numbers stay numbers (negative ones too); names round-trip, formulas are guarded', () => {
    const rows = table(renderReport(verifyReport(), 'csv', quiet));
    const weight = rows.find((r) => r.get('tensor') === 'model.0.conv.weight' && r.get('channel') === '1')!;
    expect(weight.get('dlc_offset')).toBe('-128');
    expect(weight.get('min_steps')).toBe('-25.5');
    expect(weight.get('code')).toBe('REAL_MISMATCH');
    expect(weight.get('line')).toBe('99');
    const names = rows.map((r) => r.get('tensor'));
    expect(names).toContain(XSS_NAME);
    expect(names).toContain(`'${FORMULA_NAME}`);
    expect(table(renderReport(verifyReport(), 'csv', { ...quiet, verbose: true })).map((r) => r.get('tensor'))).toContain(PIPE_NAME);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+2', "'=1+2"],
    ['+x', "'+x"],
    ['-x', "'-x"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=a,b', `"'=a,b"`],
    ['\tx', "'\tx"],
  ])('textCell(%j) = %j', (input, output) => {
    expect(textCell(input)).toBe(output);
  });

  it('diff: before/after values and grids in their columns', () => {
    const rows = table(renderReport(diffReport(), 'csv', quiet));
    const float = rows.find((r) => r.get('code') === 'BECAME_FLOAT')!;
    expect(float.get('before_bitwidth')).toBe('8');
    expect(float.get('after_value')).toBe('Float_32');
    expect(float.get('status')).toBe('failed');
    const moved = rows.find((r) => r.get('code') === 'ENCODING_CHANGED')!;
    expect(moved.get('deviation_steps')).toBe('3');
    expect(rows[0]!.get('status')).toBe('failed');
  });
});
