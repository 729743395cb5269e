import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type SourceSet } from '../src/model.js';
import { detectInput } from '../src/parse/detect.js';
import { inputFromText } from '../src/parse/input.js';
import { readSource } from '../src/parse/load.js';
import { readGraphDefText } from '../src/parse/source/tf/graphdef.js';
import { corpusInput, describeCorpus, REPO_ROOT } from './helpers/corpus.js';
import { errorOf } from './helpers/errors.js';


const f32 = Math.fround;
const read = (text: string, name = 'graph.pbtxt'): SourceSet => readGraphDefText(inputFromText(name, text));


const scalarConst = (name: string, value: number) =>
  `node { name: "${name}" op: "Const" attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: ${value} } } } }\n`;

describe('text GraphDef: the constructed fixture with escapes and comments', () => {
  const path = join(REPO_ROOT, 'test/fixtures/graphdef/escapes-and-comments.pbtxt');
  const set = () => readSource(inputFromText('escapes-and-comments.pbtxt', readFileSync(path, 'utf8')));

  it('is recognised as a text GraphDef although it starts with comments', () => {
    expect(detectInput(inputFromText('x.txt', readFileSync(path, 'utf8')))).toBe('graphdef-text');
    expect(set().format).toBe('tf-graphdef-text');
  });

  it('decodes octal, hex, one-digit and literal bytes in tensor_content, across adjacent strings', () => {
    const w = set().entries.find((e) => e.name === 'w:0')!;
    expect(w).toMatchObject({ section: 'param', layout: 'per-channel', axis: 3, bitwidth: 6 });
    expect(w.grids).toEqual([
      { channel: 0, min: -1, max: 1 },
      { channel: 1, min: -0.5, max: 0.5 },
    ]);
    expect(w.fakeQuant).toMatchObject({ narrowRange: true, numBits: 6, consumer: { op: 'conv\twith "quotes"', type: 'Conv2D' } });
    expect(w.at).toMatchObject({ line: 53, node: 'wq/fq' }); // the line of `node {`
  });

  it('decodes C escapes in names and `2.5`/`-1.5e0f` float attrs', () => {
    const a = set().entries.find((e) => e.section === 'activation')!;
    expect(a.name).toBe('conv\twith "quotes":0');
    expect(a.grids).toEqual([{ min: -1.5, max: 2.5 }]);
    expect(a.fakeQuant?.producerType).toBe('Conv2D');
    expect(set().diagnostics).toEqual([]);
  });
});

describe('text GraphDef: constructed graphs', () => {
  it('FakeQuantWithMinMaxVars through `…/read` Identities, defaults 8 bits and not narrow', () => {
    const set = read(
      'node { name: "x" op: "Placeholder" }\n' +
        scalarConst('q/min', -14.066669) +
        'node { name: "q/min/read" op: "Identity" input: "q/min" }\n' +
        scalarConst('q/max', 9.810242) +
        'node { name: "q/max/read" op: "Identity" input: "q/max" }\n' +
        'node { name: "relu" op: "Relu6" input: "x" }\n' +
        'node { name: "fq" op: "FakeQuantWithMinMaxVars" input: "relu" input: "q/min/read" input: "q/max/read" input: "^x" }\n',
    );
    expect(set.entries).toHaveLength(1);
    expect(set.entries[0]).toMatchObject({
      name: 'relu:0',
      section: 'activation',
      bitwidth: 8,
      grids: [{ min: f32(-14.066669), max: f32(9.810242) }],
      fakeQuant: { op: 'FakeQuantWithMinMaxVars', numBits: 8, narrowRange: false, producerType: 'Relu6' },
      at: { file: 'graph.pbtxt', line: 7, node: 'fq' },
    });
  });

  it('refuses an unfrozen text graph', () => {
    const err = errorOf(() =>
      read('node { name: "x" op: "Placeholder" }\nnode { name: "lo" op: "VariableV2" }\n' + scalarConst('hi', 1) + 'node { name: "fq" op: "FakeQuantWithMinMaxVars" input: "x" input: "lo" input: "hi" }\n'),
    );
    expect(err.code).toBe('UNFROZEN_GRAPH');
    expect(err.message).toContain('freeze the graph first');
  });

  it('a text graph without FakeQuant: no entries, one warning', () => {
    const set = read('node { name: "x" op: "Placeholder" }\nversions { producer: 27 }\n');
    expect(set.entries).toEqual([]);
    expect(set.diagnostics.map((d) => d.code)).toEqual(['SOURCE_NO_FAKEQUANT']);
  });

  it('a bad escape inside a range tensor is a diagnostic on that FakeQuant', () => {
    const set = read(
      'node { name: "x" op: "Placeholder" }\n' +
        'node { name: "lo" op: "Const" attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_content: "\\q\\000\\000\\000" } } } }\n' +
        scalarConst('hi', 1) +
        'node { name: "fq" op: "FakeQuantWithMinMaxVars" input: "x" input: "lo" input: "hi" }\n',
    );
    expect(set.entries).toEqual([]);
    expect(set.diagnostics).toMatchObject([{ code: 'SOURCE_BAD_VALUE', at: { node: 'fq', line: 4 } }]);
    expect(set.diagnostics[0]!.detail).toContain('unknown escape');
  });

  it.each([
    ['an unclosed message', 'node {\n  name: "x"\n', /message opened at line 1 is not closed at line 3/],
    ['an unterminated string', 'node {\n  name: "x\n}\n', /string is not closed .* at line 2, column 9/],
    ['a stray closing brace', 'node { name: "x" op: "Y" }\n}\n', /unexpected '}' at line 2, column 1/],
    ['a field without a value', 'node { name: }\n', /expected a value, found '}' at line 1, column 14/],
    ['a node without an op', 'node { name: "x" }\n', /a node without an op at line 1, column 1/],
    ['an integer attr written as a word', 'node { name: "x" op: "Y" attr { key: "num_bits" value { i: eight } } }\n', /'i' must be an integer/],
    ['a field that is not a GraphDef field', 'node { name: "x" op: "Y" }\nmeta_graphs { }\n', /'meta_graphs' is not a GraphDef field at line 2/],
    ['an unexpected character', 'node { name: "x" op: "Y" } @\n', /unexpected character '@'/],
    ['an extension field', 'node { [ext.field]: 1 }\n', /extension and Any fields are not supported/],
  ])('%s → BAD_GRAPHDEF with line and column', (_label, text, message) => {
    const err = errorOf(() => read(text, 'bad.pbtxt'));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toMatch(/^bad\.pbtxt: not a TensorFlow text GraphDef \(/);
    expect(err.message).toMatch(message);
    expect(err.at?.line).toBeGreaterThan(0);
  });

  it('every prefix of the fixture: a source set or BAD_GRAPHDEF, never another error', () => {
    const text = readFileSync(join(REPO_ROOT, 'test/fixtures/graphdef/escapes-and-comments.pbtxt'), 'utf8');
    let refused = 0;
    for (let cut = 0; cut <= text.length; cut += 7) {
      try {
        read(text.slice(0, cut));
      } catch (err) {
        if (!(err instanceof InputError) || err.code !== 'BAD_GRAPHDEF') throw err;
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('hostile nesting (100 000 levels) is refused without a stack overflow', () => {
    const text = 'node ' + '{ a '.repeat(100_000) + '}'.repeat(100_000);
    const err = errorOf(() => read(text));
    expect(err.code).toBe('BAD_GRAPHDEF');
    expect(err.message).toContain('deeper than 64 levels');
  });

  it('a very long word and a very long string do not blow up', () => {
    const started = performance.now();
    const err = errorOf(() => read(`node { name: "x" op: "Y" attr { key: "k" value { i: ${'9'.repeat(1_000_000)} } } }`));
    expect(err.code).toBe('BAD_GRAPHDEF');
    const set = read(`node { name: "${'n'.repeat(1_000_000)}" op: "Y" }`);
    expect(set.entries).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

// ---------------------------------------------------------------------------------------------
// Real files: TensorFlow's own end2end tests (../shared/corpus/fakequant/*.pbtxt)
// ---------------------------------------------------------------------------------------------

describe.each([
  ['tf_mlir_lite_end2end_fake_quant_per_channel.pbtxt', 8, 0.12581039038230116],
  ['tf_mlir_lite_end2end_fake_quant_per_channel_4bit.pbtxt', 4, 2.2825599397931779],
])('corpus: fakequant/%s', (file, bits, tfChannel0Scale) => {
  describeCorpus(`${bits}-bit per-channel weights`, () => {
    const set = () => readSource(corpusInput(`fakequant/${file}`));

    it('186 channels of FakeQuantWithMinMaxVarsPerChannel on the Conv2D weights, narrow_range, axis 3', () => {
      const s = set();
      expect(s.format).toBe('tf-graphdef-text');
      expect(s.diagnostics).toEqual([]);
      expect(s.entries).toHaveLength(2);
      const w = s.entries[0]!;
      expect(w).toMatchObject({
        name: 'BoxPredictor_4/ClassPredictor/weights/read:0',
        section: 'param',
        layout: 'per-channel',
        axis: 3,
        bitwidth: bits,
        fakeQuant: {
          op: 'FakeQuantWithMinMaxVarsPerChannel',
          numBits: bits,
          narrowRange: true,
          consumer: { op: 'BoxPredictor_4/ClassPredictor/Conv2D', type: 'Conv2D' },
        },
        at: { line: 172, node: 'BoxPredictor_4/ClassPredictor/weights_quant/FakeQuantWithMinMaxVarsPerChannel' },
      });
      expect(w.grids).toHaveLength(186);
      expect(w.grids.map((g) => g.channel)).toEqual([...Array(186).keys()]);
      for (const g of w.grids) expect(g.min).toBe(-g.max!); // symmetric per channel, zero points 0 in TF's output
    });

    it("channel 0 agrees with TF's own converted scale in the file's comments (narrow range: max / (2^(b−1) − 1))", () => {
      const w = set().entries[0]!;
      expect(w.grids[0]!.max).toBe(f32(15.977919578552246));
      expect(w.grids[0]!.max! / (2 ** (bits - 1) - 1)).toBeCloseTo(tfChannel0Scale, 12);
    });

    it('the FakeQuantWithMinMaxVars on BiasAdd: [−14.066669, 9.810242] as float32, 8 bits', () => {
      const a = set().entries[1]!;
      expect(a).toMatchObject({
        name: 'BoxPredictor_4/ClassPredictor/BiasAdd:0',
        section: 'activation',
        layout: 'per-tensor',
        bitwidth: 8,
        grids: [{ min: f32(-14.066669), max: f32(9.810242) }],
        fakeQuant: { op: 'FakeQuantWithMinMaxVars', narrowRange: false, producerType: 'BiasAdd' },
        at: { line: 385 },
      });
      // TF's result in the comments: scale 0.09363494573854933 = range / 255.
      expect((a.grids[0]!.max! - a.grids[0]!.min!) / 255).toBeCloseTo(0.09363494573854933, 8);
    });
  });
});
