/**
 * Constructed fixtures (test/fixtures/source, see its README) for every format and quirk, and bad
 * input: each gives data with diagnostics, or one InputError sentence — never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, type InputFile, type SourceEntry, type SourceSet } from '../src/model.js';
import { inputFromBytes, inputFromText } from '../src/parse/input.js';
import { readSource } from '../src/parse/load.js';
import { MAX_JSON_SOURCE_BYTES, readJsonSource, readJsonSourceBytes } from '../src/parse/source/index.js';
import { inconsistency, looksLikeActivation, looksLikeParam } from '../src/parse/source/common.js';
import { splitCsvLine } from '../src/parse/source/ranges.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { errorOf } from './helpers/errors.js';

const fixture = (name: string): InputFile =>
  inputFromBytes(`fixtures/${name}`, new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'source', name))));
const readFixture = (name: string): SourceSet => readSource(fixture(name));
const readText = (text: string, name = 'x.json'): SourceSet => readSource(inputFromText(name, text));

function entry(set: SourceSet, name: string, section?: SourceEntry['section']): SourceEntry {
  const found = set.entries.filter((e) => e.name === name && (section === undefined || e.section === section));
  expect(found, `${name} found once`).toHaveLength(1);
  return found[0]!;
}

const refusal = errorOf;

const codes = (set: SourceSet): string[] => set.diagnostics.map((d) => d.code);

describe('AIMET legacy quirks (legacy-quirks-crlf.encodings, constructed)', () => {
  const set = readFixture('legacy-quirks-crlf.encodings');

  it('reads the format, version and accepted keys', () => {
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.6.1']);
    expect(set.entries.map((e) => `${e.section}:${e.name}`)).toEqual([
      'activation:input',
      'activation:conv1/Relu:0',
      'activation:zero_point_out',
      'activation:calibrate_me',
      'activation:fp16_out',
      'activation:twice',
      'param:conv1.weight',
      'param:conv1/Conv_output_0',
    ]);
    expect(set.ignoredKeys).toEqual(['excluded_layers', 'producer', 'quantizer_args', '/activation_encodings/*/*/comment', '/param_encodings/*/*/comment']);
  });

  it('normalises is_symmetric from "False", false and absence', () => {
    expect(entry(set, 'input').isSymmetric).toBe(false);
    expect(entry(set, 'conv1/Relu:0').isSymmetric).toBe(false);
    expect(entry(set, 'conv1.weight').isSymmetric).toBe(true);
    expect('isSymmetric' in entry(set, 'zero_point_out')).toBe(false);
  });

  it('keeps a positive offset and a float offset as given', () => {
    expect(entry(set, 'zero_point_out').grids).toEqual([{ min: -1.0039304197656937, max: 0.9960872825108046, scale: 0.007843206675594112, offset: 128 }]);
    expect(entry(set, 'conv1.weight').grids.map((g) => g.offset)).toEqual([-128, -128]);
  });

  it('dtype-only and fp16 entries have no grid', () => {
    expect(entry(set, 'calibrate_me')).toMatchObject({ dtype: 'int', bitwidth: 16, grids: [] });
    expect(entry(set, 'fp16_out')).toMatchObject({ dtype: 'float', bitwidth: 16, grids: [] });
  });

  it('a two-element list is per-channel with channel indices and no invented axis', () => {
    const w = entry(set, 'conv1.weight');
    expect(w.layout).toBe('per-channel');
    expect(w.axis).toBeUndefined();
    expect(w.grids).toEqual([
      { channel: 0, min: -0.128, max: 0.127, scale: 0.001, offset: -128 },
      { channel: 1, min: -0.256, max: 0.254, scale: 0.002, offset: -128 },
    ]);
  });

  it('counts CRLF lines right and gives pointers', () => {
    expect(entry(set, 'conv1/Relu:0').at).toEqual({ file: 'fixtures/legacy-quirks-crlf.encodings', pointer: '/activation_encodings/conv1~1Relu:0', line: 14 });
    expect(entry(set, 'conv1.weight').at.line).toBe(62);
  });

  it('warns: positive offset, duplicate (last kept), activation under params, unknown keys listed once', () => {
    expect(codes(set)).toEqual(['SOURCE_POSITIVE_OFFSET', 'SOURCE_DUPLICATE_NAME', 'SOURCE_SECTION_SUSPICIOUS', 'SOURCE_UNKNOWN_KEY', 'SOURCE_UNKNOWN_KEY']);
    expect(set.diagnostics.map((d) => d.at.line)).toEqual([25, 53, 83, 22, 80]);
    expect(entry(set, 'twice').grids).toEqual([{ min: 0, max: 2 }]);
    expect(set.diagnostics[1]!.detail).toContain('lines 46 and 53');
    expect(set.diagnostics[0]!.detail).toContain('the SDK stores -128');
  });
});

describe('AIMET 1.0.0 enc types (v1.0.0-all-enc-types.encodings, constructed)', () => {
  const set = readFixture('v1.0.0-all-enc-types.encodings');

  it('reads every enc_type with its layout, scales and offsets as given, no min/max', () => {
    expect([set.format, set.version]).toEqual(['aimet-1.0.0', '1.0.0']);
    expect(set.entries.map((e) => [e.name, e.layout, e.grids.length])).toEqual([
      ['input', 'per-tensor', 1],
      ['gelu_out', 'per-tensor', 0],
      ['sum', 'per-tensor', 1],
      ['conv.weight', 'per-channel', 3],
      ['fc.weight', 'per-block', 4],
      ['lm_head.weight', 'lpbq', 2],
      ['emb.weight', 'vector', 1],
    ]);
    expect(entry(set, 'input').grids).toEqual([{ scale: 0.00392156862745098, offset: 0 }]);
    expect(entry(set, 'gelu_out')).toMatchObject({ dtype: 'float', bitwidth: 16 });
    expect(entry(set, 'conv.weight').grids[2]).toEqual({ channel: 2, scale: 0.03, offset: -128 });
  });

  it('carries PER_BLOCK / LPBQ / VECTOR extras in layoutInfo with a SOURCE_EXPERIMENTAL note', () => {
    expect([...entry(set, 'fc.weight').layoutInfo!]).toEqual([['block_size', 64]]);
    expect([...entry(set, 'lm_head.weight').layoutInfo!]).toEqual([
      ['block_size', 64],
      ['compressed_bw', 8],
      ['per_block_int_scale.length', 4],
    ]);
    expect(entry(set, 'emb.weight').layoutInfo?.get('vector_dim')).toBe(2);
    expect(codes(set)).toEqual(['SOURCE_DUPLICATE_NAME', 'SOURCE_EXPERIMENTAL', 'SOURCE_EXPERIMENTAL', 'SOURCE_EXPERIMENTAL']);
  });

  it('a duplicate name keeps the last entry', () => {
    expect(entry(set, 'sum').grids).toEqual([{ scale: 0.0002, offset: -32768 }]);
    expect(set.diagnostics[0]!.at).toMatchObject({ line: 6, pointer: '/activation_encodings/3' });
  });
});

describe('AIMET 2.0.0 / 2.1.0 (constructed: no real export exists)', () => {
  it('converts ONNX zero points to QNN offsets for unsigned and signed dtypes', () => {
    const set = readFixture('v2.0.0-zero-points.encodings');
    expect([set.format, set.version]).toEqual(['aimet-2.0.0', '2.0.0']);
    const rows = set.entries.map((e) => [e.name, e.section, e.bitwidth, e.layout, e.grids.map((g) => g.offset)]);
    expect(rows).toEqual([
      ['input', 'activation', 8, 'per-tensor', [0]], // uint8, zero point omitted
      ['conv_out', 'activation', 8, 'per-tensor', [-17]], // uint8 zp 17
      ['tanh_out', 'activation', 8, 'per-tensor', [-128]], // int8, omitted zp: -0 - 2^7
      ['act16', 'activation', 16, 'per-tensor', [-32768]], // uint16 zp 32768
      ['sact16', 'activation', 16, 'per-tensor', [-32868]], // int16 zp 100: -100 - 2^15
      ['conv.weight', 'param', 8, 'per-channel', [-128, -128]],
      ['conv.bias', 'param', 32, 'per-channel', [-(2 ** 31), -(2 ** 31)]],
      ['w4.weight', 'param', 4, 'per-tensor', [-7]], // int4 zp -1: 1 - 8
      ['blk.weight', 'param', 4, 'per-block', [-8, -8, -8, -8]],
    ]);
    expect(entry(set, 'conv.weight')).toMatchObject({ axis: 0, grids: [{ channel: 0, scale: 0.01 }, { channel: 1, scale: 0.02 }] });
    expect(entry(set, 'act16').grids).toEqual([{ scale: 1.52587890625e-5, offset: -32768 }]);
    expect([...entry(set, 'blk.weight').layoutInfo!]).toEqual([
      ['channels', 2],
      ['blocks', 2],
      ['block_size', 32],
    ]);
    expect(entry(set, 'blk.weight').grids.map((g) => g.scale)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(codes(set)).toEqual(['SOURCE_EXPERIMENTAL']);
    expect(set.entries.every((e) => e.grids.every((g) => g.min === undefined && g.max === undefined))).toBe(true);
  });

  it('2.1.0 LPBQ y_scale objects: per-channel float scales carried, block data in layoutInfo', () => {
    const set = readFixture('v2.1.0-lpbq.encodings');
    expect([set.format, set.version]).toEqual(['aimet-2.1.0', '2.1.0']);
    expect(entry(set, 'x').grids).toEqual([{ scale: 0.1, offset: -128 }]);
    const w = entry(set, 'lm_head.weight');
    expect(w).toMatchObject({ layout: 'lpbq', bitwidth: 4, axis: 0 });
    expect(w.grids).toEqual([
      { channel: 0, scale: 0.01, offset: -8 },
      { channel: 1, scale: 0.02, offset: -8 },
    ]);
    expect(Object.fromEntries(w.layoutInfo!)).toEqual({ blocks: 3, 'x.length': 6, scale_axis: 1, block_size: 64 });
    expect(codes(set)).toEqual(['SOURCE_EXPERIMENTAL']);
  });

  it('an LPBQ object in a 2.0.0 file is read with a warning; a list without version is read as 2.0.0', () => {
    const set = readText('{"encodings": [{"name": "w.weight", "output_dtype": "int4", "y_scale": {"x": [[1]], "x_scale": [0.5], "axis": 1}}]}');
    expect(set.format).toBe('aimet-2.0.0');
    expect(codes(set)).toEqual(['SOURCE_EXPERIMENTAL', 'SOURCE_UNKNOWN_VERSION', 'SOURCE_BAD_VALUE']);
  });
});

describe('versions and shapes', () => {
  it('an unknown legacy version is read by shape with an info note', () => {
    const set = readText('{"activation_encodings": {"a": [{"bitwidth": 8, "min": 0, "max": 1}]}, "param_encodings": {}, "version": "0.7.0"}');
    expect([set.format, set.version]).toEqual(['aimet-legacy', '0.7.0']);
    expect(set.diagnostics.map((d) => [d.code, d.severity])).toEqual([['SOURCE_UNKNOWN_VERSION', 'info']]);
  });

  it('list sections without version are read as 1.0.0 with a note', () => {
    const set = readText('{"activation_encodings": [{"name": "a", "bw": 8, "scale": [0.1], "offset": [0]}], "param_encodings": []}');
    expect(set.format).toBe('aimet-1.0.0');
    expect(set.entries[0]).toMatchObject({ name: 'a', layout: 'per-tensor', grids: [{ scale: 0.1, offset: 0 }] });
    expect(codes(set)).toEqual(['SOURCE_UNKNOWN_VERSION']);
  });

  it('an empty section does not decide the shape', () => {
    const legacy = readText('{"activation_encodings": {"a": [{"bitwidth": 8, "min": 0, "max": 1}]}, "param_encodings": []}');
    expect(legacy.format).toBe('aimet-legacy');
    expect(legacy.diagnostics).toEqual([]);
    const v1 = readText('{"activation_encodings": {}, "param_encodings": [{"name": "w", "bw": 8, "scale": [0.1], "offset": [0]}], "version": "1.0.0"}');
    expect(v1.format).toBe('aimet-1.0.0');
    expect(v1.diagnostics).toEqual([]);
    expect(readText('{"activation_encodings": [], "param_encodings": [], "version": "1.0.0"}').format).toBe('aimet-1.0.0');
    expect(readText('{"activation_encodings": {}, "param_encodings": {}}').format).toBe('aimet-legacy');
  });

  it('channels that disagree on bitwidth are reported; the first channel sets the entry', () => {
    const set = readText('{"param_encodings": {"w.weight": [{"bitwidth": 8, "scale": 0.1, "offset": -128}, {"bitwidth": 4, "scale": 0.2, "offset": -8}]}}');
    expect(entry(set, 'w.weight')).toMatchObject({ bitwidth: 8, layout: 'per-channel' });
    expect(entry(set, 'w.weight').grids).toHaveLength(2);
    expect(codes(set)).toEqual(['SOURCE_BAD_VALUE']);
    expect(set.diagnostics[0]!.detail).toContain('channel 1 says bitwidth 4');
  });

  it('an empty encoding list is skipped with a warning', () => {
    const set = readText('{"activation_encodings": {"a": []}, "param_encodings": {}}');
    expect(set.entries).toEqual([]);
    expect(set.diagnostics.map((d) => [d.code, d.at.pointer])).toEqual([['SOURCE_BAD_VALUE', '/activation_encodings/a']]);
  });

  it('a 1.0.0 entry without a name is skipped; PER_TENSOR with many scales becomes per-channel', () => {
    const set = readText('{"version": "1.0.0", "activation_encodings": [{"bw": 8, "scale": [0.1]}], "param_encodings": [{"name": "w.weight", "enc_type": "PER_TENSOR", "bw": 8, "scale": [0.1, 0.2], "offset": [-128]}]}');
    expect(set.entries.map((e) => [e.name, e.layout, e.grids])).toEqual([
      ['w.weight', 'per-channel', [{ channel: 0, scale: 0.1, offset: -128 }, { channel: 1, scale: 0.2 }]],
    ]);
    expect(set.diagnostics.map((d) => [d.code, d.at.pointer])).toEqual([
      ['SOURCE_BAD_VALUE', '/activation_encodings/0'],
      ['SOURCE_BAD_VALUE', '/param_encodings/0/offset'],
      ['SOURCE_BAD_VALUE', '/param_encodings/0/scale'],
    ]);
  });
});

describe('many entries (constructed in memory)', () => {
  it('reads 200 per-channel tensors of 64 channels and a 1.0.0 list of 100 000 scales exactly', () => {
    const scaleOf = (t: number, c: number): number => Math.fround((t * 64 + c + 1) / 3e6);
    const tensors = Array.from({ length: 200 }, (_, t) => {
      const channels = Array.from({ length: 64 }, (_, c) => {
        const scale = scaleOf(t, c);
        return `{"bitwidth": 8, "dtype": "int", "is_symmetric": "True", "max": ${127 * scale}, "min": ${-128 * scale}, "offset": -128, "scale": ${scale}}`;
      });
      return `"layer${t}.weight": [\n${channels.join(',\n')}\n]`;
    });
    const legacy = readText(`{"activation_encodings": {}, "param_encodings": {\n${tensors.join(',\n')}\n}, "version": "0.6.1"}`);
    expect(legacy.entries).toHaveLength(200);
    expect(legacy.entries.reduce((n, e) => n + e.grids.length, 0)).toBe(12_800);
    expect(legacy.diagnostics).toEqual([]);
    const last = entry(legacy, 'layer199.weight');
    expect(last.at.line).toBe(1 + 199 * 66 + 1);
    expect(last.grids[63]).toEqual({ channel: 63, min: -128 * scaleOf(199, 63), max: 127 * scaleOf(199, 63), scale: scaleOf(199, 63), offset: -128 });

    const scales = Array.from({ length: 100_000 }, (_, i) => Math.fround((i + 1) / 1e7));
    const v1 = readText(
      `{"version": "1.0.0", "activation_encodings": [], "param_encodings": [{"name": "big.weight", "enc_type": "PER_CHANNEL", "bw": 8, "is_sym": true, "scale": [${scales.join(',')}], "offset": [${scales.map(() => -128).join(',')}]}]}`,
    );
    const big = entry(v1, 'big.weight');
    expect(big.grids).toHaveLength(100_000);
    expect(big.grids.every((g, i) => g.scale === scales[i] && g.offset === -128 && g.channel === i)).toBe(true);
  });
});

describe('range files', () => {
  it('CSV: header, CRLF, comments, quoted names, optional bitwidth, bad row skipped with its line', () => {
    const set = readFixture('ranges-crlf-quoted.csv');
    expect(set.format).toBe('range-csv');
    expect(set.entries.map((e) => [e.name, e.section, e.bitwidth, e.grids, e.at.line])).toEqual([
      ['input', 'activation', 8, [{ min: 0, max: 1 }], 4],
      ['conv1/Relu:0', 'activation', undefined, [{ min: 0, max: 6 }], 5],
      ['odd, "quoted" name', 'activation', 16, [{ min: -0.15, max: 0.15 }], 6],
      ['dense/kernel:0', 'param', 8, [{ min: -0.5, max: 0.5 }], 7],
    ]);
    expect(codes(set)).toEqual(['SOURCE_BAD_VALUE']);
    expect(set.diagnostics[0]!.at.line).toBe(8);
  });

  it('CSV without header is recognised by its first row', () => {
    const set = readText('a,0,1\nb,-1,1,16\n', 'r.csv');
    expect(set.format).toBe('range-csv');
    expect(set.entries.map((e) => e.name)).toEqual(['a', 'b']);
  });

  it('CSV header columns are found by name (bits/bw for bitwidth); extra columns are listed once', () => {
    const set = readText('name,min,max,bits,comment\nrelu:0,0,6,16,from calibration\nconv.weight,-1,1,8,x\n', 'r.csv');
    expect(set.entries.map((e) => [e.name, e.section, e.bitwidth, e.grids])).toEqual([
      ['relu:0', 'activation', 16, [{ min: 0, max: 6 }]],
      ['conv.weight', 'param', 8, [{ min: -1, max: 1 }]],
    ]);
    expect(set.ignoredKeys).toEqual(['column "comment"']);
    expect(codes(set)).toEqual(['SOURCE_UNKNOWN_KEY']);
  });

  it('CSV numbers: exponents and signs; a long non-number cell is rejected quickly', () => {
    const set = readText(`a,-1.5E-2,.5\nb,${'1'.repeat(50_000)}x,1\n`, 'r.csv');
    expect(entry(set, 'a').grids).toEqual([{ min: -0.015, max: 0.5 }]);
    expect(set.entries).toHaveLength(1);
    expect(codes(set)).toEqual(['SOURCE_BAD_VALUE']);
  });

  it('CSV fields: quotes, doubled quotes, unclosed quote', () => {
    expect(splitCsvLine('"a,b", 1 ,2')).toEqual(['a,b', '1', '2']);
    expect(splitCsvLine('"say ""hi""",0,1')).toEqual(['say "hi"', '0', '1']);
    expect(splitCsvLine('"open,0,1')).toBe('a quoted field is not closed');
  });

  it('JSON {name: {min, max, bitwidth}}: params by name, unknown keys listed', () => {
    const set = readFixture('ranges.json');
    expect(set.format).toBe('range-json');
    expect(set.entries.map((e) => [e.name, e.section, e.bitwidth, e.grids])).toEqual([
      ['input', 'activation', 8, [{ min: 0, max: 1 }]],
      ['conv1/Relu:0', 'activation', undefined, [{ min: 0, max: 6 }]],
      ['dense/kernel:0', 'param', 8, [{ min: -0.5, max: 0.5 }]],
    ]);
    expect(set.ignoredKeys).toEqual(['/*/note']);
    expect(codes(set)).toEqual(['SOURCE_UNKNOWN_KEY']);
  });
});

describe('self-consistency check (offset·scale = min, (max − min)/(2^bw − 1) = scale)', () => {
  const s = 0.0078125;
  it.each([
    ['on the grid', { min: -128 * s, max: 127 * s, scale: s, offset: -128 }, 8, false],
    ['float32-stored min (AIMET writes doubles of float32 values)', { min: Math.fround(-0.4755798280239105), max: 0.47186437249183655, scale: 0.003715467406436801, offset: -128 }, 8, false],
    ['12-decimal paste of a 16-bit grid', { min: 0, max: 0.99609375, scale: 0.00001519941634, offset: 0 }, 16, false],
    ['positive offset, negated before the check', { min: -128 * s, max: 127 * s, scale: s, offset: 128 }, 8, false],
    ['min one step off', { min: -129 * s, max: 126 * s, scale: s, offset: -128 }, 8, true],
    ['min 0.01 step off', { min: (-128 - 0.01) * s, max: 127 * s, scale: s, offset: -128 }, 8, true],
    ['scale 1 % off its range', { min: 0, max: 661.906005859375, scale: 0.00999514270612793, offset: 0 }, 16, true],
    ['no scale: nothing to check', { min: -1, max: 1 }, 8, false],
    ['no min: only the range check applies', { max: 1, scale: 1 / 255, offset: 0 }, 8, false],
  ])('%s', (_label, grid, bitwidth, inconsistent) => {
    expect(inconsistency(grid, bitwidth) !== undefined).toBe(inconsistent);
  });
});

describe('name heuristics', () => {
  it.each([
    ['conv1.weight', true],
    ['model.0.conv.bias', true],
    ['conv2d/kernel:0', true],
    ['MobilenetV1/Conv2d_0/weights/read:0', true],
    ['dense/bias/ReadVariableOp:0', true],
    ['Conv2d/weights', true],
    ['conv1/Relu:0', false],
    ['137', false],
    ['/model.22/Sigmoid_output_0', false],
  ])('looksLikeParam(%s) = %s', (name, param) => {
    expect(looksLikeParam(name)).toBe(param);
  });

  it.each([
    ['/model.22/Sigmoid_output_0', true],
    ['137', true],
    ['/ssd/685', true],
    ['conv1/Relu:0', true],
    ['conv2d/kernel:0', false],
    ['conv1_w_0', false],
    ['data_0', false],
  ])('looksLikeActivation(%s) = %s', (name, activation) => {
    expect(looksLikeActivation(name)).toBe(activation);
  });
});

describe('files that are something else', () => {
  it('AIMET *_torch.encodings shape is refused with a hint', () => {
    const err = refusal(() => readFixture('torch-module-style.encodings'));
    expect(err.code).toBe('WRONG_FILE');
    expect(err.message).toBe(
      'fixtures/torch-module-style.encodings:3: this is an AIMET *_torch.encodings file (encodings per module, "conv1": {"output": {"0": …}}), which the converter does not read: pass the .encodings file exported next to it',
    );
  });

  it('a QNN _net.json is refused: pass it as the first argument', () => {
    const err = refusal(() => readText('{"model.cpp": "m.cpp", "converter_command": "qnn-onnx-converter", "graph": {"tensors": {}}}'));
    expect(err.code).toBe('WRONG_FILE');
    expect(err.message).toContain('pass it as the first argument');
  });

  it('a saved dlcverify result is refused with a hint', () => {
    const err = refusal(() => readText('{"kind": "verify", "schemaVersion": "1", "results": []}'));
    expect(err.code).toBe('WRONG_FILE');
    expect(err.message).toContain('saved dlcverify result');
  });

  it('a JSON with no encodings says which keys it has', () => {
    const err = refusal(() => readText('{"foo": 1, "bar": [1, 2]}'));
    expect(err.code).toBe('BAD_SOURCE');
    expect(err.message).toContain('the top-level keys are "foo", "bar"');
  });

  it('a top-level list is BAD_SOURCE with the line', () => {
    const err = refusal(() => readText('\n[{"name": "a"}]'));
    expect(err.code).toBe('BAD_SOURCE');
    expect(err.message).toBe(
      'x.json:2: the top level is a list: expected an object with activation_encodings/param_encodings (AIMET) or encodings (AIMET 2.x)',
    );
  });
});

describe('bad input', () => {
  it('invalid JSON gives file:line:column (invalid-missing-comma.json)', () => {
    const err = refusal(() => readFixture('invalid-missing-comma.json'));
    expect(err.code).toBe('BAD_JSON');
    expect(err.message).toBe("fixtures/invalid-missing-comma.json:3:26: expected ',' or '}' after an object member, found '\"'");
    expect(err.at).toEqual({ file: 'fixtures/invalid-missing-comma.json', line: 3, column: 26 });
  });

  it('a section of the wrong type is BAD_SOURCE with its pointer', () => {
    const err = refusal(() => readText('{\n"activation_encodings": "none"}'));
    expect(err.code).toBe('BAD_SOURCE');
    expect(err.at).toMatchObject({ line: 2, pointer: '/activation_encodings' });
    expect(err.message).toContain('/activation_encodings should be an object of tensor names (legacy) or a list of encodings (1.0.0), got a string');
  });

  it('fields of the wrong type are diagnostics with the JSON pointer; the rest of the entry is kept', () => {
    const set = readText(
      '{"activation_encodings": {"a/b": [{"bitwidth": "8", "min": "0", "max": 1.5, "is_symmetric": "maybe", "dtype": "int8"}]}, "param_encodings": {"w": 5}}',
    );
    expect(entry(set, 'a/b')).toMatchObject({ dtype: 'int', grids: [{ max: 1.5 }] });
    expect(entry(set, 'a/b').bitwidth).toBeUndefined();
    expect(set.entries.map((e) => e.name)).toEqual(['a/b']);
    expect(set.diagnostics.map((d) => [d.code, d.at.pointer])).toEqual([
      ['SOURCE_BAD_VALUE', '/activation_encodings/a~1b/0/bitwidth'],
      ['SOURCE_BAD_VALUE', '/activation_encodings/a~1b/0/dtype'],
      ['SOURCE_BAD_VALUE', '/activation_encodings/a~1b/0/is_symmetric'],
      ['SOURCE_BAD_VALUE', '/activation_encodings/a~1b/0/min'],
      ['SOURCE_BAD_VALUE', '/param_encodings/w'],
    ]);
  });

  it('NaN / Infinity are accepted in sources, dropped from the entry with a warning on their line', () => {
    const set = readText('{"activation_encodings": {\n"a": [{"bitwidth": 8,\n "min": NaN,\n "max": Infinity, "scale": 0.1, "offset": 0}]}}');
    expect(entry(set, 'a').grids).toEqual([{ scale: 0.1, offset: 0 }]);
    expect(set.diagnostics.map((d) => [d.code, d.at.line, d.detail])).toEqual([
      ['SOURCE_BAD_VALUE', 3, '"a": `min` is NaN, not a finite number: ignored'],
      ['SOURCE_BAD_VALUE', 4, '"a": `max` is Infinity, not a finite number: ignored'],
    ]);
  });

  it('an empty file is EMPTY_INPUT, as is a whitespace-only JSON', () => {
    expect(refusal(() => readText('')).code).toBe('EMPTY_INPUT');
    expect(refusal(() => readText('   \n')).code).toBe('EMPTY_INPUT');
  });

  it('100 000 nested lists: a clean BAD_JSON or BAD_SOURCE, no stack overflow', () => {
    const depth = 100_000;
    expect(refusal(() => readText('['.repeat(depth))).code).toBe('BAD_JSON');
    expect(refusal(() => readText('['.repeat(depth) + ']'.repeat(depth))).code).toBe('BAD_SOURCE');
    const inEntry = refusal(() => readText(`{"activation_encodings": {"a": ${'['.repeat(depth)}`));
    expect(inEntry.code).toBe('BAD_JSON');
    const closed = readText(`{"activation_encodings": {"a": [${'['.repeat(depth)}${']'.repeat(depth)}]}}`);
    expect(closed.entries).toEqual([]);
    expect(codes(closed)).toEqual(['SOURCE_BAD_VALUE']);
  });

  it('__proto__ and constructor are tensor names like any other', () => {
    const set = readFixture('proto-constructor-names.encodings');
    expect(set.entries.map((e) => `${e.section}:${e.name}`)).toEqual(['activation:__proto__', 'activation:constructor', 'activation:hasOwnProperty', 'param:__proto__']);
    expect(entry(set, '__proto__', 'activation').grids).toEqual([{ min: 0, max: 1 }]);
    expect(entry(set, 'constructor').grids).toEqual([{ min: -1, max: 1 }]);
    expect(entry(set, 'hasOwnProperty')).toMatchObject({ dtype: 'float', bitwidth: 16 });
    expect(set.ignoredKeys).toEqual(['/param_encodings/*/*/__proto__']);
    expect(codes(set)).toEqual(['SOURCE_DUPLICATE_NAME', 'SOURCE_UNKNOWN_KEY']);
    expect(({} as Record<string, unknown>)['bitwidth']).toBeUndefined();
  });

  it('an unknown key seen many times is listed once with its count', () => {
    const channels = Array.from({ length: 5 }, (_, i) => `{"bitwidth": 8, "scale": 0.${i + 1}, "offset": -128, "note": ${i}}`).join(',');
    const set = readText(`{"activation_encodings": {}, "param_encodings": {"w.weight": [${channels}]}, "extra": true}`);
    expect(set.ignoredKeys).toEqual(['/param_encodings/*/*/note', '/extra']);
    expect(set.diagnostics.filter((d) => d.code === 'SOURCE_UNKNOWN_KEY').map((d) => d.detail)).toEqual([
      '/param_encodings/*/*/note: not a key of this format, ignored (5 times)',
      '/extra: not a key of this format, ignored (1 time)',
    ]);
  });

  it('duplicate keys inside one encoding are reported; the last is used', () => {
    const set = readText('{"activation_encodings": {"a": [{"bitwidth": 8,\n"min": 0, "max": 1,\n"max": 2}]}}');
    expect(entry(set, 'a').grids).toEqual([{ min: 0, max: 2 }]);
    expect(set.diagnostics.map((d) => [d.code, d.at.line])).toEqual([['SOURCE_DUPLICATE_NAME', 3]]);
  });

  it('a file over the size limit is refused before it is read (no 600 MB allocated)', () => {
    let read = false;
    const head = new TextEncoder().encode('{"activation_encodings": {');
    const huge: InputFile = {
      name: 'huge.encodings',
      size: 600 * 1024 * 1024,
      head,
      lines: () => [],
      bytes: () => {
        read = true;
        throw new Error('must not be called');
      },
      read: () => head,
    };
    const err = refusal(() => readJsonSource(huge));
    expect(err.code).toBe('UNREADABLE');
    expect(err.message).toBe(
      'huge.encodings: 600 MiB is too large for an encodings JSON (read whole; the limit is 256 MiB): is this really an overrides file? Split it, or verify a subset',
    );
    expect(read).toBe(false);
    expect(MAX_JSON_SOURCE_BYTES).toBe(256 * 1024 * 1024);
  });

  it('a BOM before the JSON is skipped', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"activation_encodings": {"a": [{"bitwidth": 8}]}}')]);
    expect(readSource(inputFromBytes('bom.json', bytes)).entries.map((e) => e.name)).toEqual(['a']);
  });
});

describe('streamed JSON sources', () => {
  it('read from a file in windows give the same SourceSet as the whole bytes, a 2 MB name and a late error included', () => {
    // Constructed: entries before and after a 2 MB tensor name (longer than the 1 MiB lookahead,
    // so the reader must widen its window), a per-channel entry, and `version` last (as AIMET sorts).
    const channel = (c: number) => `{"bitwidth": 8, "dtype": "int", "is_symmetric": "True", "max": ${0.5 + c}, "min": ${-0.5 - c}, "offset": -128, "scale": ${(1 + 2 * c) / 255}}`;
    const entries = Array.from({ length: 3000 }, (_, i) => `"t${i}": [${channel(i)}]`);
    entries.splice(1500, 0, `"${'n'.repeat(2_000_000)}": [${channel(0)}, ${channel(1)}]`);
    const text = `{"activation_encodings": {${entries.join(',\n')}}, "param_encodings": {"w": [${channel(2)}, ${channel(3)}, ${channel(4)}]}, "version": "0.6.1"}`;
    const bytes = new TextEncoder().encode(text);
    let reads = 0;
    const { readInto, ...base } = inputFromBytes('big.encodings', bytes);
    const input: InputFile = { ...base, bytes: () => expect.fail('read whole'), read: (offset, length) => (reads++, bytes.subarray(offset, offset + length)) };
    const streamed = readJsonSource(input);
    expect(reads).toBeGreaterThan(1);
    expect(streamed).toEqual(readJsonSourceBytes(bytes, 'big.encodings'));
    expect(streamed.entries).toHaveLength(3002);
    // The same through readInto (what io.ts files offer): the window's buffer filled in place.
    let readsInto = 0;
    const inPlace: InputFile = { ...base, bytes: () => expect.fail('read whole'), read: () => expect.fail('read'), readInto: (...args) => (readsInto++, readInto!(...args)) };
    expect(readJsonSource(inPlace)).toEqual(streamed);
    expect(readsInto).toBeGreaterThan(1);

    const broken = new TextEncoder().encode(text.replace('"t2999": [', '"t2999": [,'));
    const brokenInput: InputFile = { ...inputFromBytes('big.encodings', broken), bytes: () => expect.fail('read whole') };
    const expected = (() => {
      try {
        readJsonSourceBytes(broken, 'big.encodings');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(expected).toBeInstanceOf(InputError);
    expect(() => readJsonSource(brokenInput)).toThrow((expected as InputError).message);
  });
});
