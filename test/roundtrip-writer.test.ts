/**
 * The dump writer itself (src/testing/dump-text.ts, dump-csv.ts): printf-exact numbers and the
 * table rules of DLC-INFO-FORMAT.md §2 (padded cells, same-length lines, continuation rows).
 * The round trip through the real parser is in roundtrip.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { formatFixed, formatSignificant, writeDumpText } from '../src/testing/dump-text.js';
import { csvRecord, writeDumpCsv } from '../src/testing/dump-csv.js';
import { parseDump } from '../src/parse/dump/index.js';
import { splitLines } from '../src/parse/input.js';
import { buildModel, type ModelSpec } from './helpers/model-builder.js';

describe('printf numbers', () => {
  it.each([
    // %.4g values seen in the real SNPE 1.17 dump (oracle/snpe117), and exponent forms.
    [0.003922, '0.003922'],
    [-8.263, '-8.263'],
    [0.04152, '0.04152'],
    [-199, '-199'],
    [0, '0'],
    [1, '1'],
    [0.0009586, '0.0009586'],
    [1.2e-5, '1.2e-05'],
    [12345, '1.234e+04'],
    [1234.5, '1234'],
    [9999.5, '1e+04'],
    [0.00012345, '0.0001234'],
    // exact ties round to even as glibc does (JS toPrecision would round them up)
    [0.5, '0.5'],
    [2.5, '2.5'],
    [1.0625, '1.062'],
    [1.1875, '1.188'],
    [-1.0625, '-1.062'],
    [99995, '1e+05'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%%.4g of %s is %s', (value, text) => {
    expect(formatSignificant(value, 4)).toBe(text);
  });

  it.each([
    [-128, 12, '-128.000000000000'],
    [0.0078125, 12, '0.007812500000'],
    [1e-10, 12, '0.000000000100'],
    [4e-13, 12, '0.000000000000'],
    [-1e-15, 12, '-0.000000000000'],
    [0.029826, 6, '0.029826'],
    [-2147483648, 6, '-2147483648.000000'],
    [1e22, 2, '10000000000000000000000.00'],
    [NaN, 12, 'nan'],
    // exact ties: 2^-13 = 0.0001220703125 prints ...312 in C (round half to even)
    [2 ** -13, 12, '0.000122070312'],
    [3 * 2 ** -14, 12, '0.000183105469'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [2.5, 0, '2'],
    [-2.5, 0, '-2'],
  ])('%%.Nf of %s (N=%s) is %s', (value, decimals, text) => {
    expect(formatFixed(value, decimals)).toBe(text);
  });
});

const TWO_OPS: ModelSpec = {
  graphs: [
    {
      name: 'g0',
      inputs: [{ name: 'images', dims: [1, 8, 8, 3], encoding: { scale: 0.0078125, offset: -128 } }],
      ops: [
        {
          name: '/conv/Conv',
          type: 'Conv2d',
          inputs: ['images'],
          weights: [{ name: 'conv.weight', dims: [3, 3, 3, 4], channels: [0.01, 0.02, 0.03, 0.04] }],
          outputs: [{ name: '/conv/Conv_output_0', dims: [1, 8, 8, 4], encoding: { scale: 0.05, offset: -10 } }],
          params: [['packageName', 'qti.aisw']],
        },
        {
          name: 'softmax',
          type: 'Softmax',
          inputs: ['/conv/Conv_output_0'],
          outputs: [{ name: 'probs', dims: [1, 4], tensorType: 'APP_READ', encoding: { scale: 1 / 65536, offset: 0, bitwidth: 16 } }],
          params: [],
        },
      ],
    },
  ],
};

describe('text tables', () => {
  const text = writeDumpText(buildModel(TWO_OPS), { family: 'qairt-2.2x' });
  const lines = text.split('\n');

  it('pads every line of the op table to the same length', () => {
    const start = lines.findIndex((l) => l.startsWith('| Id'));
    const table = lines.slice(start - 1, lines.findIndex((l, i) => i > start && l.startsWith('Note:')));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('writes one line per channel with -d, then the axis-quant line', () => {
    const channelLines = lines.filter((l) => l.includes('conv.weight encoding for channel_'));
    expect(channelLines).toHaveLength(4);
    expect(lines.some((l) => l.includes('| axis-quant: axis: 3, num_elements: 4 '))).toBe(true);
  });

  it('without -d prints channel 0 only and says so', () => {
    const partial = writeDumpText(buildModel(TWO_OPS), { family: 'qairt-2.2x', displayAll: false });
    expect(partial.split('\n').filter((l) => l.includes('encoding for channel_'))).toHaveLength(1);
    expect(partial).toContain('axis-quant: axis: 3, num_elements: 4 (above encoding is only for the first (channel_0) of 4 channels)');
  });

  it('without -d parses back as channel 0 of 4 (the parser marks it partial)', () => {
    const partial = writeDumpText(buildModel(TWO_OPS), { family: 'qairt-2.2x', displayAll: false });
    const parsed = parseDump(splitLines(partial), 'partial.txt');
    const enc = parsed.graphs[0]!.tensors.get('conv.weight')!.encoding!;
    expect([enc.layout, enc.channels.length, enc.channelCount, enc.axis, enc.allChannelsPresent]).toEqual(['per-channel', 1, 4, 3, false]);
  });

  it('starts a continuation line with an empty Id cell and keeps params in their own list', () => {
    const first = lines.find((l) => l.startsWith('| 0  | /conv/Conv'))!;
    expect(first).toContain('images (data type: uFxp_8; tensor dimension: [1,8,8,3]; tensor type: APP_WRITE) [NW Input]');
    expect(first).toContain('images encoding : bitwidth 8, min -1.000000000000, max 0.992187500000, scale 0.007812500000, offset -128.000000000000');
    const next = lines[lines.indexOf(first) + 1]!;
    expect(next.startsWith('|    |')).toBe(true);
    expect(next).toContain('conv.weight (data type: sFxp_8;');
  });

  it('writes the 1.17 family with %.4g and 7 columns', () => {
    const old = writeDumpText(buildModel(TWO_OPS, { snpe1: true }), { family: 'snpe-1.17' });
    expect(old.startsWith('DLC info for ')).toBe(true);
    expect(old).toContain('output encoding: min -0.5, max 12.25, delta 0.05, offset -10 bitwidth 8');
    expect(old).toContain('weight encoding: min -1.28, max 1.27, delta 0.01, offset -128 bitwidth 8');
    expect(old.split('\n').find((l) => l.startsWith('| Id'))!.split('|')).toHaveLength(9);
  });

  it('writes the 1.4x-1.6x family with delta, %.12f and bias encodings', () => {
    const old = writeDumpText(buildModel(TWO_OPS, { snpe1: true }), { family: 'snpe-1.4x-1.6x' });
    expect(old.startsWith('DLC info for: ')).toBe(true);
    expect(old).toContain('output encoding: min -0.500000000000, max 12.250000000000, delta 0.050000000000, offset -10.000000000000 bitwidth 8');
    expect(old).toContain('axis-quant: axis: 3, num_elements: 4');
    expect(old.split('\n').find((l) => l.startsWith('| Id'))!.split('|')).toHaveLength(10);
  });
});

describe('CSV', () => {
  it.each([
    [['a', 'b'], 'a,b'],
    [['a,b', 'c'], '"a,b",c'],
    [['say "x"'], '"say ""x"""'],
    [[''], '""'],
    [['', '', ''], ',,'],
  ])('record %j -> %s', (cells, text) => {
    expect(csvRecord(cells)).toBe(text);
  });

  it('writes unpadded rows with CRLF and no separator lines', () => {
    const csv = writeDumpCsv(buildModel(TWO_OPS), { family: 'qairt-2.2x' });
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = csv.split('\r\n');
    expect(records).toContain('Id,Name,Type,Inputs,Outputs,Out Dims,Runtimes,Parameters');
    expect(records.some((r) => r.startsWith('---') || r.startsWith('==='))).toBe(false);
    expect(records).toContain('""');
    expect(records.find((r) => r.startsWith('0,/conv/Conv,Conv2d,'))).toContain('"images (data type: uFxp_8; tensor dimension: [1,8,8,3]; tensor type: APP_WRITE) [NW Input]"');
  });
});
