/**
 * `dlcverify show` on GraphDefs: bad and unfrozen graphs exit 2 with one sentence, never a stack.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';
import { attr, constNode, graphDef, identity } from './helpers/protobuf-writer.js';

const corpusSuite = describeCorpus as unknown as (name: string, body: () => void) => void;

const dir = mkdtempSync(join(tmpdir(), 'dlcverify-graphdef-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const unfrozen = graphDef(
  { name: 'x', op: 'Placeholder', attrs: [['dtype', attr.type(1)]] },
  { name: 'q/min', op: 'VariableV2' },
  identity('q/min/read', 'q/min'),
  constNode('q/max', [1]),
  { name: 'q/fq', op: 'FakeQuantWithMinMaxVars', inputs: ['x', 'q/min/read', 'q/max'] },
);

describe('show on a GraphDef that cannot be read: exit 2, one line', () => {
  it.each([
    ['truncated.pb', () => unfrozen.subarray(0, unfrozen.length - 3), /not a TensorFlow GraphDef \(.*at byte \d+\)/],
    ['unfrozen.pb', () => unfrozen, /freeze the graph first/],
    ['broken.pbtxt', () => 'node {\n  name: "x"\n  op: "Y"\n', /not a TensorFlow text GraphDef \(.*line 4/],
  ])('%s', async (name, bytes, message) => {
    const path = file(name, bytes());
    const run = await cli(['show', path]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

corpusSuite('show on the corpus GraphDefs', () => {
  it('show --format json on_air_tiny_conv_qat.pb: 4 entries with the FakeQuant ranges (exit 0)', async () => {
    const run = await cli(['show', corpusPath('fakequant/on_air_tiny_conv_qat.pb'), '--format', 'json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as { format: string; entries: { name: string; section: string; bitwidth: number; min: number; max: number }[] };
    expect(shown.format).toBe('tf-graphdef');
    expect(shown.entries.map((e) => [e.name, e.section, e.bitwidth, e.min, e.max])).toEqual([
      ['first_weights/read:0', 'param', 8, Math.fround(-0.09362263977527618), Math.fround(0.08791926503181458)],
      ['Relu:0', 'activation', 8, 0, Math.fround(19.199445724487305)],
      ['final_fc_weights/read:0', 'param', 8, Math.fround(-0.044889241456985474), Math.fround(0.039489466696977615)],
      ['add_1:0', 'activation', 8, Math.fround(-29.41713523864746), Math.fround(25.163311004638672)],
    ]);
  });

  it('show --format json on the 4-bit pbtxt: one element per channel (186) plus the activation', async () => {
    const run = await cli(['show', corpusPath('fakequant/tf_mlir_lite_end2end_fake_quant_per_channel_4bit.pbtxt'), '--format', 'json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as { entries: { name: string; channel?: number; bitwidth: number }[] };
    const channels = shown.entries.filter((e) => e.name === 'BoxPredictor_4/ClassPredictor/weights/read:0');
    expect(channels.map((e) => e.channel)).toEqual([...Array(186).keys()]);
    expect(channels.every((e) => e.bitwidth === 4)).toBe(true);
    expect(shown.entries).toHaveLength(187);
  });

  it('show on the 3.5 MB MobileNet lists its 85 ranges', async () => {
    const run = await cli(['show', corpusPath('fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { entries: unknown[] }).entries).toHaveLength(85);
  });

  it('refuses the companion .tflite (exit 2, one line)', async () => {
    const run = await cli(['show', corpusPath('fakequant/on_air_tiny_conv_qat.companion.tflite')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a .tflite renamed to .pb is refused as not a GraphDef, naming what it is', async () => {
    const path = file('renamed.pb', readFileSync(corpusPath('fakequant/on_air_tiny_conv_qat.companion.tflite')));
    const run = await cli(['show', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a TensorFlow GraphDef \(.*TensorFlow Lite flatbuffer\)/);
  });
});
