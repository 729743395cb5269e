/**
 * The dump parser on constructed fixtures (test/fixtures/dump/, one per family and per quirk; all
 * constructed by us, see test/fixtures/dump/README.md) and its small scanners.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openInput } from '../src/io.js';
import { InputError, type DlcModel, type Tensor } from '../src/model.js';
import { parseDump } from '../src/parse/dump/index.js';
import { parsePrintedNumber } from '../src/parse/dump/numbers.js';
import { parseCommand } from '../src/parse/dump/commands.js';
import { classifyParam1x, classifyParam2x, EncodingFields, readEncodingBody } from '../src/parse/dump/encoding-line.js';
import { CsvRecords } from '../src/parse/dump/csv.js';
import { splitTextRow } from '../src/parse/dump/table.js';
import { parseTensorCell } from '../src/parse/dump/cells.js';
import { splitLines } from '../src/parse/input.js';
import { REPO_ROOT } from './helpers/corpus.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'dump');

function fixture(name: string): DlcModel {
  const path = join(FIXTURES, name);
  return parseDump(openInput(path).lines(), name);
}

function codes(model: DlcModel): string[] {
  return model.diagnostics.map((d) => d.code);
}

function tensor(model: DlcModel, name: string, graph = 0): Tensor {
  const t = model.graphs[graph]?.tensors.get(name);
  if (t === undefined) throw new Error(`no tensor ${name}`);
  return t;
}

function encodedCount(model: DlcModel): number {
  return model.graphs.reduce((n, g) => n + [...g.tensors.values()].filter((t) => t.encoding !== undefined).length, 0);
}

describe('printed numbers', () => {
  it.each([
    ['-128.000000000000', 'fixed', -128, { style: 'fixed', decimals: 12 }],
    ['0.007812500000', 'fixed', 0.0078125, { style: 'fixed', decimals: 12 }],
    ['-0.029826', 'fixed', -0.029826, { style: 'fixed', decimals: 6 }],
    ['0.000000', 'fixed', 0, { style: 'fixed', decimals: 6 }],
    ['-128', 'g4', -128, { style: 'significant', digits: 4 }],
    ['0.5', 'g4', 0.5, { style: 'significant', digits: 4 }],
    ['1.2e-05', 'g4', 1.2e-5, { style: 'significant', digits: 4 }],
    ['2.384e-06', 'g4', 2.384e-6, { style: 'significant', digits: 4 }],
    ['-1.5E+10', 'g4', -1.5e10, { style: 'significant', digits: 4 }],
    ['inf', 'fixed', Infinity, { style: 'fixed', decimals: 0 }],
    ['-inf', 'g4', -Infinity, { style: 'significant', digits: 4 }],
  ] as const)('%s (%s)', (text, style, value, precision) => {
    expect(parsePrintedNumber(text, style)).toEqual({ value, precision });
  });

  it('reads nan and -nan as NaN', () => {
    expect(parsePrintedNumber('nan', 'fixed')?.value).toBeNaN();
    expect(parsePrintedNumber('-nan', 'fixed')?.value).toBeNaN();
  });

  it('reads every value exactly as Number() does, on and off the fast path (≤ 15 significant digits)', () => {
    // Printed the way dumps print: `%.12f` of float32 values, `%f`, `%.4g`, big offsets, -0.
    const texts = ['-0.000000000000', '-2147483648.000000', '1234.567890123456', '999.999999999999', '0.000000000001', '.5', '5.', '+3.25', '00012.50'];
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 16 }), (x, decimals) => {
        const text = x.toFixed(decimals);
        expect(Object.is(parsePrintedNumber(text, 'fixed')?.value, Number(text))).toBe(true);
      }),
      { seed: 7, numRuns: 2000 },
    );
    for (const text of texts) expect(Object.is(parsePrintedNumber(text, 'fixed')?.value, Number(text))).toBe(true);
  });

  it.each(['', '-', '.', '1.2.3', '1e', 'abc', ' 1', '1 ', '0x10', '1,5'])('rejects %j', (text) => {
    expect(parsePrintedNumber(text, 'fixed')).toBeUndefined();
  });
});

describe('encoding entries', () => {
  it('reads the 1.x `%f` weight encoding of snpe1x_weight_encoding_line.txt style with 6 decimals', () => {
    const line = 'weight encoding: min -0.029826, max 0.029826, delta 0.000000, offset -2147483648.000000 bitwidth 32';
    const entry = classifyParam1x(line);
    expect(entry).toMatchObject({ kind: 'layer-encoding', what: 'weight', index: 0 });
    if (entry.kind !== 'layer-encoding') throw new Error('unreachable');
    const fields = new EncodingFields();
    expect(readEncodingBody(line, entry.bodyStart, 'fixed', fields)).toBeUndefined();
    expect(fields.bitwidth).toBe(32);
    expect({ ...fields.min }).toEqual({ value: -0.029826, precision: { style: 'fixed', decimals: 6 } });
    expect({ ...fields.scale }).toEqual({ value: 0, precision: { style: 'fixed', decimals: 6 } });
    expect(fields.offset.value).toBe(-2147483648);
    expect(fields.unknownKeys).toBeUndefined();
  });

  it('classifies 2.x named encodings cut from the right (names with spaces, colons, parentheses)', () => {
    expect(classifyParam2x('a b: (c) encoding : bitwidth 8, min 0.0, max 1.0, scale 0.1, offset 0.0')).toMatchObject({ kind: 'named-encoding', tensor: 'a b: (c)' });
    expect(classifyParam2x('x encoding:  bitwidth 8, min 0.0, max 1.0, scale 0.1, offset 0.0')).toMatchObject({ kind: 'named-encoding', tensor: 'x' });
    expect(classifyParam2x('w.0 encoding for channel_12: bitwidth 8, min 0.0, max 1.0, scale 0.1, offset 0.0')).toMatchObject({ kind: 'named-encoding', tensor: 'w.0', channel: 12 });
    expect(classifyParam2x('axis-quant: axis: 3, num_elements: 32 (above encoding is only for the first (channel_0) of 32 channels)')).toEqual({
      kind: 'axis-quant',
      axis: 3,
      numElements: 32,
      firstChannelOnly: true,
    });
    expect(classifyParam2x('bias_op_name: ')).toEqual({ kind: 'attribute', name: 'bias_op_name', value: '' });
    expect(classifyParam2x('pad_amount: [[1, 1], [1, 1]]')).toEqual({ kind: 'attribute', name: 'pad_amount', value: '[[1, 1], [1, 1]]' });
  });

  it('classifies `weight encoding 1` and says why a body is unreadable', () => {
    expect(classifyParam1x('weight encoding 1: min 0, max 1, delta 0.1, offset 0 bitwidth 8')).toMatchObject({ kind: 'layer-encoding', what: 'weight', index: 1 });
    const fields = new EncodingFields();
    expect(readEncodingBody('bitwidth 8, min 0.0, max x', 0, 'fixed', fields)).toBe('`x` after `max` is not a number');
    expect(readEncodingBody('bitwidth 8, min 0.0, max 1.0', 0, 'fixed', fields)).toBe('missing scale/delta, offset');
    expect(readEncodingBody('bitwidth 8, min 0.0, max 1.0, scale', 0, 'fixed', fields)).toBe('no value after `scale`');
    expect(readEncodingBody('bitwidth 8.5, min 0.0', 0, 'fixed', fields)).toBe('bitwidth `8.5` is not an integer');
  });

  it('reuses one EncodingFields: every read starts clean and the last value of a repeated key wins', () => {
    const fields = new EncodingFields();
    expect(readEncodingBody('bitwidth 8, min -1.0, max 1.0, scale 0.5, offset -2.0, zp 3.0', 0, 'fixed', fields)).toBeUndefined();
    expect(fields.unknownKeys).toEqual(['zp']);
    expect(readEncodingBody('bitwidth 16, min -2.00, max 2.0, scale 0.25, offset -4.0, min -3.000', 0, 'fixed', fields)).toBeUndefined();
    expect(fields.unknownKeys).toBeUndefined();
    expect(fields.bitwidth).toBe(16);
    expect({ ...fields.min }).toEqual({ value: -3, precision: { style: 'fixed', decimals: 3 } });
    expect(readEncodingBody('bitwidth 8, min -1.0, max 1.0, scale 0.5, zp x', 0, 'fixed', fields)).toBe('`x` after `zp` is not a number');
  });
});

describe('commands', () => {
  it('space-separated (≤2.22) with empty, bracketed, quoted and nested values', () => {
    const c = parseCommand(
      "snpe-onnx-to-dlc batch=None custom_io= out_names=['output', '329'] input_dim=[['lambda/div', '1,6,80,160']] preserve_io=[['layout']] input_list=[/a/b.txt]",
    );
    expect(c.tool).toBe('snpe-onnx-to-dlc');
    expect([...c.options]).toEqual([
      ['batch', 'None'],
      ['custom_io', ''],
      ['out_names', "['output', '329']"],
      ['input_dim', "[['lambda/div', '1,6,80,160']]"],
      ['preserve_io', "[['layout']]"],
      ['input_list', '[/a/b.txt]'],
    ]);
  });

  it('`; `-separated (≥2.25)', () => {
    const c = parseCommand("snpe-onnx-to-dlc; adjust_nms_features_dims=True; converter_op_package_lib=; out_names=['a b', 'c']; quantization_overrides=/x/y z.json");
    expect(c.tool).toBe('snpe-onnx-to-dlc');
    expect(c.options.get('converter_op_package_lib')).toBe('');
    expect(c.options.get('out_names')).toBe("['a b', 'c']");
    expect(c.options.get('quantization_overrides')).toBe('/x/y z.json');
  });

  it('keeps `__proto__` as an option name', () => {
    const c = parseCommand('tool __proto__=1 constructor=2');
    expect(c.options.get('__proto__')).toBe('1');
    expect(c.options.get('constructor')).toBe('2');
  });
});

describe('rows, cells and CSV records', () => {
  it('splits a text row, keeping inner spaces and dropping padding', () => {
    expect(splitTextRow('| 0   | conv  1 | Conv2d | a (b) |   | x |')).toEqual(['0', 'conv  1', 'Conv2d', 'a (b)', '', 'x']);
  });

  it('parses 2.2x, 2.12 and 2.5 tensor cells from the right', () => {
    expect(parseTensorCell('my (odd) name (data type: uFxp_8; tensor dimension: [1,640,640,3]; tensor type: APP_WRITE) [NW Input]', 'data-type')).toEqual({
      name: 'my (odd) name',
      dtype: 'uFxp_8',
      dims: [1, 640, 640, 3],
      dimsSpaced: false,
      tensorType: 'APP_WRITE',
    });
    expect(parseTensorCell('x (data type: Float_32; tensor dimension: [1, 224, 224, 3]; tensor type: NATIVE)', 'data-type')).toMatchObject({ dims: [1, 224, 224, 3], dimsSpaced: true });
    expect(parseTensorCell('images (Float_32) [NW Input]', 'paren-dtype')).toEqual({ name: 'images', dtype: 'Float_32' });
  });

  it('reads Python csv records: quotes, doubled quotes, `""`, fields spanning lines', () => {
    const out: [string[], number][] = [];
    const csv = new CsvRecords((cells, line) => out.push([cells, line]));
    const lines = ['a,"b,c","d ""e"""', '""', ',,x', '1,"two', 'lines",3', 'tail'];
    lines.forEach((l, i) => csv.line(l, i + 1));
    expect(csv.end()).toBeUndefined();
    expect(out).toEqual([
      [['a', 'b,c', 'd "e"'], 1],
      [[''], 2],
      [['', '', 'x'], 3],
      [['1', 'two\nlines', '3'], 4],
      [['tail'], 6],
    ]);
  });

  it('reports an unterminated quoted field at the end', () => {
    const csv = new CsvRecords(() => undefined);
    csv.line('1,"never closed', 7);
    expect(csv.end()).toBe(7);
  });
});

describe('families (constructed fixtures)', () => {
  it('SNPE 1.17: 7 columns, %.4g with exponents, header without colon, no bias', () => {
    const m = fixture('snpe117-seven-columns-g4.txt');
    expect(m.family).toBe('snpe-1.17');
    expect(codes(m)).toEqual([]);
    expect(m.graphs[0]!.ops.map((o) => o.id)).toEqual([0, 1, 2]);
    const relu = tensor(m, 'tiny/Relu:0');
    expect(relu.role).toBe('graph-output');
    expect(relu.encoding?.channels[0]?.max).toEqual({ value: 1.2e-5, precision: { style: 'significant', digits: 4 } });
    const w = tensor(m, 'conv/Conv2D.weight');
    expect(w).toMatchObject({ role: 'param', layer: 'conv/Conv2D', paramKind: 'weight', consumers: ['conv/Conv2D'] });
    expect(w.encoding?.channels[0]?.scale.value).toBe(2.384e-6);
    expect(tensor(m, 'input:0').role).toBe('graph-input');
    expect(m.metadata.other.get('Total parameters')).toBe('112 (0 MB assuming single precision float)');
    expect(m.metadata.quantizerCommand).toBeUndefined();
    expect(m.metadata.converterCommand?.options.get('input_dim')).toBe("[['input', '1,8,8,3']]");
  });

  it('SNPE 1.2x–1.3x: `DLC info for:` with 7 columns', () => {
    const m = fixture('snpe13x-seven-columns.txt');
    expect(m.family).toBe('snpe-1.2x-1.3x');
    expect(codes(m)).toEqual([]);
    expect(tensor(m, 'fc.bias').encoding?.channels[0]).toMatchObject({ bitwidth: 8, offset: { value: -85, precision: { style: 'significant', digits: 4 } } });
    expect(encodedCount(m)).toBe(4);
  });

  it('SNPE 1.4x–1.6x: outputs by position, weight/weight_1/bias params, axis-quant', () => {
    const m = fixture('snpe159-weight-bias-axis-quant.txt');
    expect(m.family).toBe('snpe-1.4x-1.6x');
    expect(codes(m)).toEqual([]);
    expect(tensor(m, 's0').encoding?.channels[0]?.max.value).toBe(2);
    expect(tensor(m, 's1').encoding?.channels[0]?.max.value).toBe(1);
    const w = tensor(m, 'conv 1 (main).weight');
    expect(w.encoding).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 4, allChannelsPresent: false });
    expect(w.encoding?.channels).toHaveLength(1);
    expect(w.encoding?.channels[0]?.channel).toBeUndefined();
    expect(tensor(m, 'conv 1 (main).bias').encoding?.layout).toBe('per-tensor');
    expect(tensor(m, 'lstm.weight_1')).toMatchObject({ paramKind: 'weight', layer: 'lstm' });
    expect(tensor(m, 'lstm.weight_1').encoding?.channels[0]?.max).toEqual({ value: 0.7, precision: { style: 'fixed', decimals: 12 } });
    expect(encodedCount(m)).toBe(10);
    const conv = m.graphs[0]!.ops[1]!;
    expect(conv.params.map((p) => p.name)).toEqual(['padding x', 'param count']);
    expect(m.metadata.quantizerCommand?.options.get('act_bitwidth')).toBe('[16]');
  });

  it('SNPE 2.5: `name (dtype)` cells and `encoding:  `', () => {
    const m = fixture('snpe25-named-encodings.txt');
    expect(m.family).toBe('snpe-2.5');
    expect(codes(m)).toEqual([]);
    expect(tensor(m, 'x')).toMatchObject({ role: 'graph-input', dtype: 'uFxp_8' });
    expect(tensor(m, 'w').role).toBe('param');
    expect(tensor(m, 'y').role).toBe('graph-output');
    expect(tensor(m, 'b').encoding?.channels[0]).toMatchObject({ bitwidth: 32, offset: { value: -2147483648 } });
    expect(m.graphs[0]!.inputs).toHaveLength(1);
  });

  it('SNPE 2.12: `encoding :`, spaced dims, channel_0 only with axis-quant', () => {
    const m = fixture('snpe212-per-channel-first-only.txt');
    expect(m.family).toBe('snpe-2.12');
    expect(codes(m)).toEqual([]);
    const w = tensor(m, 'w');
    expect(w.encoding).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 4, allChannelsPresent: false });
    expect(w.encoding?.channels.map((c) => c.channel)).toEqual([0]);
    expect(tensor(m, 'x').dims).toEqual([1, 8, 8, 3]);
    expect(m.graphs[0]!.outputs[0]?.encoding?.max.value).toBe(2);
  });

  it('QAIRT 2.2x multi-graph: ids restart, names repeat, `-d` prints every channel', () => {
    const m = fixture('qairt-multigraph-repeated-names.txt');
    expect(m.family).toBe('qairt-2.2x');
    expect(codes(m)).toEqual([]);
    expect(m.graphs.map((g) => g.name)).toEqual(['prompt_processor', 'token_generator']);
    expect(m.graphs.map((g) => g.ops.map((o) => o.id))).toEqual([[0, 1], [0, 1]]);
    expect(tensor(m, 'c', 0).encoding?.channels[0]?.max.value).toBe(2);
    expect(tensor(m, 'c', 1).encoding?.channels[0]?.max.value).toBe(4);
    expect(tensor(m, 'c', 1).graph).toBe('token_generator');
    const w = tensor(m, 'w', 1);
    expect(w.encoding).toMatchObject({ layout: 'per-channel', axis: 3, channelCount: 2, allChannelsPresent: true });
    expect(w.encoding?.channels.map((c) => c.channel)).toEqual([0, 1]);
    expect(m.metadata.quantizerCommand).toBeNull();
    expect(m.metadata.converterCommand?.options.get('input_dim')).toBe("[['x', '1,8,8,3']]");
    expect(m.graphs[1]!.footer.get('Ops used by Graph')).toBe('Conv2d, ElementWiseNeuron');
  });
});

describe('quirks (constructed fixtures)', () => {
  const clean = fixture('preamble-info-noise.txt');

  it('preamble and [INFO] noise are skipped and reported', () => {
    expect(codes(clean)).toEqual(['DUMP_PREAMBLE_SKIPPED']);
    expect(clean.diagnostics[0]!.detail).toContain('4 line(s)');
    expect(clean.diagnostics[0]!.detail).toContain('2 of them');
    expect(encodedCount(clean)).toBe(4);
  });

  it('CRLF line endings give the same model', () => {
    const m = fixture('crlf-line-endings.txt');
    expect(codes(m)).toEqual(['DUMP_CRLF']);
    expect(m.graphs).toHaveLength(1);
    expect(m.graphs[0]!.ops.map((o) => [o.id, o.name, o.inputs, o.outputs])).toEqual(clean.graphs[0]!.ops.map((o) => [o.id, o.name, o.inputs, o.outputs]));
    expect([...m.graphs[0]!.tensors.keys()]).toEqual([...clean.graphs[0]!.tensors.keys()]);
    expect(m.graphs[0]!.tensors.get('c')?.encoding?.channels[0]?.scale).toEqual(clean.graphs[0]!.tensors.get('c')?.encoding?.channels[0]?.scale);
  });

  it('ANSI colour codes are stripped and reported', () => {
    const m = fixture('ansi-codes.txt');
    expect(codes(m)).toEqual(['DUMP_ANSI_STRIPPED']);
    expect(m.graphs[0]!.name).toBe('small');
  });

  it('a dump cut inside the op table is DUMP_TRUNCATED, with what was read kept', () => {
    const m = fixture('truncated-dump.txt');
    expect(codes(m)).toEqual(['DUMP_TRUNCATED']);
    expect(m.graphs[0]!.ops).toHaveLength(1);
    expect(encodedCount(m)).toBe(3);
  });

  it('`__proto__` is an ordinary tensor name', () => {
    const m = fixture('proto-tensor-name.txt');
    expect(codes(m)).toEqual([]);
    const t = tensor(m, '__proto__');
    expect(t).toMatchObject({ role: 'activation', producer: { op: 'conv', type: 'Conv2d' }, consumers: ['relu'] });
    expect(t.encoding?.channels[0]?.min.value).toBe(-2);
  });

  it('a tensor printed twice with different encodings is DUMP_ENCODING_CONFLICT (first kept)', () => {
    const m = fixture('encoding-conflict.txt');
    expect(codes(m)).toEqual(['DUMP_ENCODING_CONFLICT']);
    expect(m.diagnostics[0]!.at.line).toBe(19);
    expect(tensor(m, 'c').encoding?.channels[0]?.min.value).toBe(-2);
  });

  it('inf, -inf and nan are values, not errors', () => {
    const m = fixture('non-finite-values.txt');
    expect(codes(m)).toEqual([]);
    const g = tensor(m, 'c').encoding!.channels[0]!;
    expect(g.min.value).toBe(-Infinity);
    expect(g.max.value).toBe(Infinity);
    expect(g.scale.value).toBeNaN();
  });

  it('damaged lines each get a diagnostic with their line number', () => {
    const m = fixture('damaged-lines.txt');
    expect(m.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ['DUMP_ELIDED_ROWS', 14],
      ['DUMP_COLUMN_COUNT', 15],
      ['DUMP_SEPARATOR_LENGTH', 37],
      ['DUMP_UNKNOWN_LINE', 38],
    ]);
    expect(m.graphs[0]!.ops.map((o) => o.name)).toEqual(['conv', 'relu']);
  });

  it('CSV quoting: commas and quotes in names, a parameter spanning two lines, `""` rows', () => {
    const m = fixture('csv-quoting.csv');
    expect(m.format).toBe('dlc-info-csv');
    expect(m.family).toBe('qairt-2.2x');
    expect(codes(m)).toEqual([]);
    const odd = tensor(m, 'a,"b" c');
    expect(odd.encoding?.channels[0]?.max.value).toBe(2);
    expect(odd.consumers).toEqual(['relu']);
    expect(m.graphs[0]!.ops[1]!.params).toContainEqual(expect.objectContaining({ name: 'note', value: 'two\nlines' }));
    expect(m.graphs[0]!.inputs[0]).toMatchObject({ name: 'x', dims: '1,8,8,3', dtype: 'uFxp_8' });
  });
});

describe('not a dump', () => {
  it('lines without any `DLC info` header throw one InputError sentence', () => {
    const run = () => parseDump(splitLines('{"activation_encodings": {}}\n'), 'x.json');
    expect(run).toThrow(InputError);
    expect(run).toThrow(/x\.json: expected a snpe-dlc-info\/qairt-dlc-info dump/);
  });

  it('garbage after a header is diagnosed, not thrown', () => {
    const m = parseDump(splitLines('DLC info of: /x.dlc\n\u0001\u0002garbage\n| a | b |\n'), 'g.txt');
    expect(m.graphs.every((g) => g.ops.length === 0)).toBe(true);
    expect(codes(m)).toContain('DUMP_TRUNCATED');
  });

  it('a 10 MB line stays linear', () => {
    const long = `| 0 | op | T | ${'x'.repeat(10_000_000)} | y | 1 | A D G C | p: 1 |`;
    const started = Date.now();
    const m = parseDump(['DLC info for: /a.dlc', '-----', '| Id | Name | Type | Inputs | Outputs | Out Dims | Runtimes | Parameters |', '-----', long], 'long.txt');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(m.graphs[0]!.ops).toHaveLength(1);
    expect(codes(m)).toContain('DUMP_TRUNCATED');
  });
});

describe('samples/ (constructed)', () => {
  it('samples/seed/seed_dlc_info.txt: SNPE 1.59 style, the seed article encodings, no diagnostic', () => {
    const path = join(REPO_ROOT, 'samples', 'seed', 'seed_dlc_info.txt');
    const m = parseDump(openInput(path).lines(), path);
    expect(m.family).toBe('snpe-1.4x-1.6x');
    expect(m.diagnostics).toEqual([]);
    const P = 'inference/coefficients/splat_cond';
    const g = m.graphs[0]!;
    expect(g.tensors.get(`${P}/conv1/BiasAdd:0`)?.encoding?.channels[0]).toMatchObject({ bitwidth: 16, min: { value: -3.243889331818 }, offset: { value: -798 } });
    expect(g.tensors.get(`${P}/conv1/LeakyRelu:0`)?.encoding?.channels[0]).toMatchObject({ bitwidth: 16, scale: { value: 0.002702242229 }, offset: { value: -236 } });
    expect(g.tensors.get(`${P}/res1_1/conv1/BiasAdd:0`)?.encoding?.channels[0]).toMatchObject({ bitwidth: 16, max: { value: 297.325622558594 }, offset: { value: -459 } });
    expect(g.tensors.get(`${P}/conv1/Conv2D.weight`)?.encoding?.channels[0]).toMatchObject({ bitwidth: 8, max: { value: 0.708421051502 }, offset: { value: -127 } });
    expect(g.tensors.get(`${P}/res1_1/conv1/Conv2D.weight`)?.encoding?.channels[0]).toMatchObject({ bitwidth: 8, min: { value: -1.480895876884 }, offset: { value: -111 } });
    expect(m.metadata.converterCommand?.options.get('quantization_overrides')).toBe('/home/user/seed/encoding.json');
    expect(m.metadata.quantizerCommand?.options.get('override_params')).toBe('true');
    expect(m.metadata.quantizerCommand?.options.get('act_bitwidth')).toBe('[16]');
  });

  it('samples/seed/encoding.json: not float32 values that round to the dump\'s float32 within half a unit of 12 decimals', () => {
    const path = join(REPO_ROOT, 'samples', 'seed', 'encoding.json');
    const json = JSON.parse(new TextDecoder().decode(openInput(path).bytes())) as Record<string, Record<string, { min: number; max: number; scale: number }[]>>;
    const dump = parseDump(openInput(join(REPO_ROOT, 'samples', 'seed', 'seed_dlc_info.txt')).lines(), 'seed');
    const P = 'inference/coefficients/splat_cond';
    const pairs: [string, string][] = [
      [`${P}/conv1/BiasAdd:0`, `${P}/conv1/BiasAdd:0`],
      [`${P}/conv1/LeakyRelu:0`, `${P}/conv1/LeakyRelu:0`],
      [`${P}/res1_1/conv1/BiasAdd:0`, `${P}/res1_1/conv1/BiasAdd:0`],
      [`${P}/conv1/weights/read:0`, `${P}/conv1/Conv2D.weight`],
      [`${P}/res1_1/conv1/weights/read:0`, `${P}/res1_1/conv1/Conv2D.weight`],
    ];
    const all = { ...json['activation_encodings'], ...json['param_encodings'] };
    expect(Object.keys(all)).toHaveLength(6);
    expect(dump.graphs[0]!.tensors.has(`${P}/res1_1/conv2/Conv2D.weight`)).toBe(false);
    for (const [source, dlc] of pairs) {
      const entry = all[source]![0]!;
      const grid = dump.graphs[0]!.tensors.get(dlc)!.encoding!.channels[0]!;
      for (const key of ['min', 'max', 'scale'] as const) {
        const value = entry[key];
        expect(Math.fround(value), `${source} ${key} is a float32`).not.toBe(value);
        expect(Math.abs(Math.fround(value) - grid[key].value), `${source} ${key}`).toBeLessThan(5e-13);
        expect(Math.abs(value - grid[key].value)).toBeLessThan(5e-13);
      }
    }
  });

  it('samples/qairt/tiny_qairt225_dlc_info.txt: QAIRT 2.2x style, 4 encodings, no diagnostic', () => {
    const path = join(REPO_ROOT, 'samples', 'qairt', 'tiny_qairt225_dlc_info.txt');
    const m = parseDump(openInput(path).lines(), path);
    expect(m.family).toBe('qairt-2.2x');
    expect(m.diagnostics).toEqual([]);
    expect(encodedCount(m)).toBe(4);
    expect(m.metadata.converterCommand?.options.get('quantization_overrides')).toBe('/home/user/tiny/tiny.encodings');
  });
});

describe('headers', () => {
  it.each([
    ['DLC info of: /a/m.dlc', 'qairt-2.2x'],
    ['DLC info of /a/m.dlc', 'qairt-2.2x'],
    ['DLC info for /a/m.dlc', 'snpe-1.17'],
  ] as const)('%s -> %s', (header, family) => {
    const m = parseDump([header, 'Model Version: N/A'], 'h.txt');
    expect(m.family).toBe(family);
    expect(m.graphs).toEqual([]);
  });

  it('a second header in the same file is reported, not merged silently', () => {
    const lines = [...splitLines('DLC info for: /a.dlc\nModel Version: N/A\nDLC info for: /b.dlc\n')];
    const m = parseDump(lines, 'two.txt');
    expect(m.diagnostics.map((d) => [d.code, d.at.line])).toContainEqual(['DUMP_UNKNOWN_LINE', 3]);
  });
});

describe('CSV twins of each family (constructed with Python csv from the text fixtures)', () => {
  it.each(['snpe13x-seven-columns', 'snpe159-weight-bias-axis-quant', 'snpe25-named-encodings', 'snpe212-per-channel-first-only', 'qairt-multigraph-repeated-names'])(
    '%s.csv gives the model of %s.txt',
    (name) => {
      const text = fixture(`${name}.txt`);
      const csv = fixture(`${name}.csv`);
      expect(csv.format).toBe('dlc-info-csv');
      expect(csv.family).toBe(text.family);
      expect(codes(csv)).toEqual([]);
      const shape = (m: DlcModel) =>
        m.graphs.map((g) => ({
          name: g.name,
          ops: g.ops.map((o) => [o.id, o.name, o.type, o.inputs, o.outputs, o.outDims, o.params.map((p) => [p.name, p.value])]),
          tensors: [...g.tensors.values()].map((t) => [t.name, t.role, t.dtype, t.layer, t.encoding?.layout, t.encoding?.axis, t.encoding?.channelCount, t.encoding?.channels.map((c) => [c.channel, c.bitwidth, c.min, c.max, c.scale, c.offset])]),
          io: [...g.inputs, ...g.outputs].map((r) => [r.name, r.dims, r.dtype, r.encoding?.scale]),
        }));
      expect(shape(csv)).toEqual(shape(text));
      expect([...(csv.metadata.converterCommand?.options ?? [])]).toEqual([...(text.metadata.converterCommand?.options ?? [])]);
    },
  );
});

describe('pathological lines stay linear and small', () => {
  it.each([
    ['a line of 5 million bars', `|${'|'.repeat(5_000_000)}`],
    ['a 5 MB Parameters cell of `encoding for channel_`', `| 0 | n | T |  |  |  |  | ${'x encoding for channel_'.repeat(220_000)} |`],
    ['a 5 MB converter command of brackets', `Converter command: tool a=${'['.repeat(5_000_000)}`],
  ])('%s', (_what, line) => {
    const started = Date.now();
    const m = parseDump(['DLC info of: /a.dlc', 'Info of graph: g', '| Id | Name | Type | Inputs | Outputs | Out Dims | Runtimes | Parameters |', line, 'Total parameters: 0'], 'p.txt');
    expect(Date.now() - started).toBeLessThan(3000);
    for (const d of m.diagnostics) expect(d.detail.length).toBeLessThanOrEqual(601);
  });
});

describe('encodings before the header are reported, never skipped silently', () => {
  it('a CSV dump whose first lines were lost, then a later `DLC info` line (found by the fuzzer)', () => {
    const lines = [
      'Id,Name,Type,Inputs,Outputs,Out Dims,Runtimes,Parameters',
      '0,x,data,x,x,3x4x5,A D G C,"output encoding: min -23.039215087891, max 23.960784912109, delta 0.184313729405, offset -125.000000000000 bitwidth 8"',
      '1,abs,elementwise_unary_op,x,y,3x4x5,A D G C,"output encoding: min 0.000000000000, max 24.000000000000, delta 0.094117648900, offset 0.000000000000 bitwidth 8"',
      'DLC info of: /data/other.dlc',
    ];
    const model = parseDump(lines, 'pasted.csv');
    const unparsed = model.diagnostics.filter((d) => d.code === 'DUMP_UNPARSED_ENCODING').map((d) => d.at.line);
    expect(unparsed).toEqual([2, 3]);
    expect(model.diagnostics.map((d) => d.code)).toContain('DUMP_PREAMBLE_SKIPPED');
  });

  it('a shell prompt and [INFO] lines before the header stay plain preamble', () => {
    const model = parseDump(['$ snpe-dlc-info -i m.dlc', '[INFO] loading', 'DLC info of: /m.dlc'], 'm.txt');
    expect(model.diagnostics.filter((d) => d.code === 'DUMP_UNPARSED_ENCODING')).toEqual([]);
  });
});

describe('a header row merged with the row after it (a lost line break)', () => {
  it('reports the encoding the merged row holds', () => {
    const lines = [
      'DLC info for: /data/x.dlc',
      'Id,Name,Type,Inputs,Outputs,Out Dims,Runtimes,Parameters\u00010,x,data,x,x,3x4x5,A D G C,"output encoding: min -1.000000000000, max 0.992187500000, delta 0.007812500000, offset -128.000000000000 bitwidth 8"',
    ];
    const model = parseDump(lines, 'merged.csv');
    expect(model.diagnostics.filter((d) => d.code === 'DUMP_UNPARSED_ENCODING').map((d) => d.at.line)).toEqual([2]);
  });
});

describe('an encoding entry of no known shape is reported, never kept as an attribute', () => {
  // Found by the corpus fuzzer (seed 31337): `channel_0` with its digit flipped to NUL.
  const text = new TextDecoder().decode(openInput(join(FIXTURES, 'qairt-multigraph-repeated-names.txt')).bytes());
  it.each([
    ['a NUL for the channel digit', 'encoding for channel_\u0000:'],
    ['a letter for the channel digit', 'encoding for channel_x:'],
    ['no colon after the channel', 'encoding for channel_1 '],
  ])('%s', (_name, damage) => {
    const at = text.indexOf('encoding for channel_1:');
    expect(at).toBeGreaterThan(0);
    const damaged = text.slice(0, at) + damage + text.slice(at + 'encoding for channel_1:'.length);
    const line = damaged.slice(0, at).split('\n').length;
    const model = parseDump(splitLines(damaged), 'damaged.txt');
    const reported = model.diagnostics.filter((d) => d.code === 'DUMP_UNPARSED_ENCODING').map((d) => d.at.line);
    expect(reported).toContain(line);
    const attributes = model.graphs.flatMap((g) => g.ops.flatMap((o) => o.params.map((p) => p.name)));
    expect(attributes.filter((name) => name.includes(' encoding for channel_'))).toEqual([]);
  });
});
