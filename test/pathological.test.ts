/**
 * Pathological inputs (issue 7 item 5): a 10 MB single line, a 1,000,000-tensor dump, a deeply
 * nested JSON, a 100,000-character name. Each is handled: a result or a clean InputError, never a
 * crash, never a hang; and in linear time — checked by comparing n with 8n loosely (linear is 8×, quadratic 64×; the
 * bound is 32×), never against an absolute number.
 */
import { describe, expect, it } from 'vitest';
import { InputError, type DlcModel, type SourceSet } from '../src/model.js';
import { parseDump } from '../src/parse/dump/index.js';
import { inputFromText, splitLines } from '../src/parse/input.js';
import { readModel, readSource } from '../src/parse/load.js';
import { writeDumpText } from '../src/testing/dump-text.js';
import { buildModel } from './helpers/model-builder.js';

/** Result or InputError; anything else fails the test. */
function outcome<T>(f: () => T): T | InputError {
  try {
    return f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

function seconds(f: () => void): number {
  const start = performance.now();
  f();
  return (performance.now() - start) / 1000;
}

/**
 * Best of three runs of n and of 8n: linear work grows 8×, quadratic 64×. The bound (32×, with a
 * floor for tiny timings) sits between the two so that a loaded CI machine cannot flip it.
 */
function expectLinear(label: string, run: (scale: number) => void): void {
  const time = (scale: number) => Math.min(seconds(() => run(scale)), seconds(() => run(scale)), seconds(() => run(scale)));
  const small = time(1);
  const big = time(8);
  expect(big, `${label}: n took ${small.toFixed(3)} s, 8n took ${big.toFixed(3)} s`).toBeLessThan(Math.max(32 * small, 0.2));
}

const HEADER = ['DLC info of: /data/x.dlc', ' '.repeat(100), 'Model Version: N/A', 'Model Copyright:N/A', 'Converter command: ', 'Quantizer command: N/A', 'DLC created with converter version: 2.25.0'];

describe('a 10 MB single line', () => {
  const MB = 1 << 20;
  // Each pattern targets a part of the grammar: table rows, encodings, tensor cells, separators, JSON.
  // What each gives is pinned: the graphs read and the diagnostics (code, line) — the huge line is
  // line 8, after the 7 header lines. A line outside any table that reads as nothing (spaces,
  // dashes, stray cells, a label) leaves a dump without an op table: DUMP_TRUNCATED at the footer.
  const NO_TABLE: [string, number][] = [['DUMP_TRUNCATED', 9]];
  const PATTERNS: [string, (n: number) => string, number, [string, number][]][] = [
    ['table cells', (n) => '| ' + 'a |'.repeat(n / 3), 0, NO_TABLE],
    ['encoding text', (n) => '| 0 | op | T | x | y | 1 | A D G C | ' + 't encoding : bitwidth 8, min '.repeat(n / 29), 1, [['DUMP_HEADER_MISSING', 8], ['DUMP_ORPHAN_ENCODING', 8]]],
    ['tensor cell', (n) => '| 0 | op | T | ' + 'x (data type: uFxp_8; tensor dimension: ['.repeat(n / 42) + ' |', 1, [['DUMP_HEADER_MISSING', 8], ['DUMP_COLUMN_COUNT', 8]]],
    ['dashes', (n) => '-'.repeat(n), 0, NO_TABLE],
    ['spaces', (n) => ' '.repeat(n), 0, NO_TABLE],
    ['colons', (n) => 'Label: ' + ':'.repeat(n), 0, NO_TABLE],
    ['axis-quant', (n) => '|    | | | | | | | ' + 'axis-quant: axis: '.repeat(n / 18), 1, [['DUMP_HEADER_MISSING', 8], ['DUMP_UNPARSED_ROW', 8]]],
  ];

  it.each(PATTERNS)('in a dump (%s): parsed or reported, in linear time', (label, make, graphs, diagnostics) => {
    const line = make(10 * MB);
    const model = parseDump([...HEADER, line, 'Total parameters: 0'], 'huge-line.txt');
    expect(model.graphs.length).toBe(graphs);
    expect(model.diagnostics.map((d) => [d.code, d.at.line])).toEqual(diagnostics);
    expectLinear(label, (scale) => void outcome(() => parseDump([...HEADER, make((scale * MB) / 2)], 'huge-line.txt')));
  });

  it('as a JSON source: one 10 MB string value', () => {
    const json = `{"activation_encodings": {"t": [{"bitwidth": 8, "min": 0, "max": 1, "note": "${'x'.repeat(10 * MB)}"}]}, "param_encodings": {}}`;
    const result = readSource(inputFromText('huge.json', json));
    expect(result.entries.map((e) => e.name)).toEqual(['t']);
    // The 10 MB value is under a key the reader does not use: reported, not kept.
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SOURCE_UNKNOWN_KEY']);
  });

  it('as a JSON source: 10 MB of whitespace-free numbers on one line', () => {
    const entries = Array.from({ length: 60_000 }, (_, i) => `"t${i}": [{"bitwidth": 8, "min": -1.5, "max": 2.25}]`);
    const json = `{"activation_encodings": {${entries.join(',')}}, "param_encodings": {}}`;
    expect(json.length).toBeGreaterThan(2 * MB);
    const result = outcome(() => readSource(inputFromText('one-line.json', json)));
    expect(result).not.toBeInstanceOf(InputError);
    expect((result as SourceSet).entries.length).toBe(60_000);
  });
});

/** A dump with `ops` ops in one graph, written line by line (never the whole text), each op with 2 new tensors. */
function* manyTensorLines(ops: number): Generator<string> {
  yield* HEADER;
  yield '='.repeat(40);
  yield 'Info of graph: many';
  const widths = [7, 8, 10, 96, 96, 4, 8, 112];
  const row = (cells: string[]) => cells.map((c, i) => '| ' + c.padEnd(widths[i]!) + ' ').join('') + '|';
  yield '-'.repeat(40);
  yield row(['Id', 'Name', 'Type', 'Inputs', 'Outputs', 'Out Dims', 'Runtimes', 'Parameters']);
  yield '-'.repeat(40);
  const cell = (name: string, type: string) => `${name} (data type: uFxp_8; tensor dimension: [1]; tensor type: ${type})`;
  for (let i = 0; i < ops; i++) {
    const input = i === 0 ? cell('in', 'APP_WRITE') : cell(`t${i - 1}`, 'NATIVE');
    const enc = `t${i} encoding : bitwidth 8, min -1.000000000000, max 0.992187500000, scale 0.007812500000, offset -128.000000000000`;
    yield row([String(i), `op${i}`, 'Conv2d', input, cell(`t${i}`, 'NATIVE'), '1', 'A D G C', enc]);
    yield row(['', '', '', cell(`w${i}`, 'STATIC'), '', '', '', 'stride: [1, 1]']);
  }
  yield '-'.repeat(40);
}

describe('a 1,000,000-tensor dump', () => {
  it('parses every tensor, in linear time', { timeout: 120_000 }, () => {
    const model = parseDump(manyTensorLines(500_000), 'million.txt');
    const graph = model.graphs[0]!;
    expect(graph.ops.length).toBe(500_000);
    expect(graph.tensors.size).toBe(1_000_001); // 500k outputs + 500k weights + the input
    expect(graph.tensors.get('t499999')?.encoding?.channels[0]?.scale.value).toBe(0.0078125);
    expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expectLinear('tensors', (scale) => void parseDump(manyTensorLines(10_000 * scale), 'many.txt'));
  });

  it('also when written by the dump writer (constructed model, 20,000 tensors, writer -> parser)', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => ({
      name: `/model/layers.${i}/Conv`,
      type: 'Conv2d',
      inputs: [i === 0 ? 'in' : `/model/layers.${i - 1}/Conv_output_0`],
      weights: [{ name: `model.layers.${i}.weight`, dims: [1, 1, 4, 4], channels: [0.01, 0.02, 0.03, 0.04] }],
      outputs: [{ name: `/model/layers.${i}/Conv_output_0`, dims: [1, 4], encoding: { scale: 0.05, offset: -10 } }],
      params: [] as [string, string][],
    }));
    const model = buildModel({ graphs: [{ name: 'g', inputs: [{ name: 'in', dims: [1, 4] }], ops }] });
    const parsed: DlcModel = parseDump(splitLines(writeDumpText(model)), 'written.txt');
    expect(parsed.graphs[0]!.tensors.size).toBe(20_001);
    expect(parsed.graphs[0]!.tensors.get('model.layers.9999.weight')?.encoding?.channels.length).toBe(4);
  });
});

describe('deeply nested JSON', () => {
  const DEPTH = 100_000;
  /** What a side made of it, pinned: an InputError's code, or the entries read and the diagnostics. */
  function summary(r: SourceSet | DlcModel | InputError): string {
    if (r instanceof InputError) {
      expect(r.message).toContain('deep.json');
      return r.code;
    }
    return 'entries' in r ? `${r.entries.length} entries, ${r.diagnostics.map((d) => d.code).join(' ')}` : `${r.graphs.length} graphs`;
  }
  it.each([
    ['arrays at the top', () => '['.repeat(DEPTH) + ']'.repeat(DEPTH), 'BAD_SOURCE'],
    ['objects at the top', () => '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH), 'BAD_SOURCE'],
    ['inside an encoding list', () => `{"activation_encodings": {"t": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}, "param_encodings": {}}`, '0 entries, SOURCE_BAD_VALUE'],
    ['inside an entry', () => `{"activation_encodings": {"t": [{"bitwidth": ${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}]}, "param_encodings": {}}`, '1 entries, SOURCE_BAD_VALUE'],
    ['unclosed', () => '['.repeat(DEPTH), 'BAD_JSON'],
  ])('%s: a result or a clean error', (_label, make, asSourceGives) => {
    const text = make();
    expect(summary(outcome(() => readSource(inputFromText('deep.json', text))))).toBe(asSourceGives);
    // No model reader takes a JSON without a model's keys: always the one WRONG_FILE error.
    expect(summary(outcome(() => readModel(inputFromText('deep.json', text))))).toBe('WRONG_FILE');
  });
});

describe('a name of 100,000 characters', () => {
  const NAME = 'n'.repeat(50_000) + '/' + ':'.repeat(10) + ' (x)'.repeat(12_500);

  it('in a dump: kept exactly, with its encoding', () => {
    expect(NAME.length).toBeGreaterThanOrEqual(100_000);
    const model = buildModel({
      graphs: [
        {
          name: 'g',
          inputs: [{ name: 'in', dims: [1], encoding: { scale: 0.5, offset: 0 } }],
          ops: [{ name: NAME, type: 'Relu', inputs: ['in'], outputs: [{ name: NAME, dims: [1], encoding: { scale: 0.25, offset: -3 } }], params: [] }],
        },
      ],
    });
    const parsed = parseDump(splitLines(writeDumpText(model)), 'long-name.txt');
    const graph = parsed.graphs[0]!;
    expect(graph.ops[0]!.name).toBe(NAME);
    expect(graph.tensors.get(NAME)?.encoding?.channels[0]?.scale.value).toBe(0.25);
  });

  it('in an overrides JSON: kept exactly', () => {
    const json = JSON.stringify({ activation_encodings: { [NAME]: [{ bitwidth: 8, min: 0, max: 1, scale: 1 / 255, offset: 0 }] }, param_encodings: {} });
    const source = outcome(() => readSource(inputFromText('long-name.json', json)));
    expect(source).not.toBeInstanceOf(InputError);
    expect((source as SourceSet).entries.map((e) => e.name)).toEqual([NAME]);
  });

  it('in linear time (names of 1M vs 8M characters)', () => {
    expectLinear('long names', (scale) => {
      const name = 'x'.repeat(1_000_000 * scale);
      parseDump([...HEADER, 'Info of graph: g', `| 0 | op | T | ${name} (data type: uFxp_8; tensor dimension: [1]; tensor type: NATIVE) | y | 1 | A D G C | ${name} encoding : bitwidth 8, min 0.0, max 1.0, scale 0.1, offset 0.0 |`], 'n.txt');
    });
  });
});
