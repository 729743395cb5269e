/**
 * A SourceSet crosses from the worker thread packed (parse/source/transfer.ts): unpacked it must be
 * the same set, down to the key order of every grid (reports print grids by spreading them).
 */
import { describe, expect, it } from 'vitest';
import { openInput } from '../src/io.js';
import { readSource } from '../src/parse/load.js';
import { inputFromText } from '../src/parse/input.js';
import { packSourceSet, unpackSourceSet } from '../src/parse/source/transfer.js';
import type { SourceSet } from '../src/model.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';

/** Through structuredClone with the transfer list, as postMessage does. */
function crossed(set: SourceSet): SourceSet {
  const { packed, transfer } = packSourceSet(set);
  return unpackSourceSet(structuredClone(packed, { transfer }));
}

function expectSame(set: SourceSet): void {
  const back = crossed(set);
  expect(back).toEqual(set);
  expect(JSON.stringify(back)).toBe(JSON.stringify(set));
}

const channel = (c: number, fields: string): string => `{"bitwidth": 8, "dtype": "int", "is_symmetric": "False"${fields.replaceAll('C', String(c + 1))}}`;

describe('packing a source set for another thread', () => {
  it('per-channel lists are packed and come back equal (complete grids, partial grids, per-tensor among them)', () => {
    const full = Array.from({ length: 40 }, (_, c) => channel(c, ', "min": -0.C, "max": 0.C, "scale": 0.00C, "offset": -128')).join(', ');
    const partial = Array.from({ length: 20 }, (_, c) => channel(c, c % 2 === 0 ? ', "scale": 0.0C, "offset": -C' : ', "min": -C.5')).join(', ');
    const text = `{"activation_encodings": {"a": [${channel(0, ', "min": -1, "max": 1, "scale": 0.0078, "offset": -128')}]}, "param_encodings": {"w": [${full}], "p": [${partial}]}}`;
    const set = readSource(inputFromText('packed.encodings', text));
    const { packed } = packSourceSet(set);
    expect(packed.entries.map((e) => ('packedGrids' in e ? `${e.name}: packed` : e.name))).toEqual(['a', 'w: packed', 'p: packed']);
    expectSame(set);
  });

  it('grids with non-finite numbers (a FakeQuant range) cross as they are', () => {
    const set: SourceSet = {
      format: 'tf-graphdef',
      file: 'g.pb',
      entries: [
        {
          name: 'w',
          section: 'param',
          dtype: 'int',
          layout: 'per-channel',
          grids: Array.from({ length: 20 }, (_, i) => ({ channel: i, min: i === 3 ? Number.NEGATIVE_INFINITY : -1, max: i === 5 ? Number.NaN : 1 })),
          at: { file: 'g.pb', node: 'w/fq' },
        },
      ],
      ignoredKeys: [],
      diagnostics: [],
    };
    expect('packedGrids' in packSourceSet(set).packed.entries[0]!).toBe(false);
    const back = crossed(set);
    expect(back.entries[0]!.grids[3]!.min).toBe(Number.NEGATIVE_INFINITY);
    expect(back.entries[0]!.grids[5]!.max).toBeNaN();
  });
});

describeCorpus('packing the corpus sources', () => {
  it.each([
    'encodings/aimet/mnist_v1.0.0_per_channel.encodings',
    'encodings/aimet/rangenet_qat_v0.6.1.encodings',
    'encodings/aimet/resnet50_w8a16_v0.6.1.encodings',
    'encodings/aimet/resnet50_adaround_params_only.encodings',
    'encodings/03_quic_qidk__yolov8_mixed_precision__encoding_format.encodings',
    'fakequant/tf_mlir_lite_end2end_fake_quant_per_channel.pbtxt',
    'fakequant/tf2ir_mobilenet_v1_0.5_128_cifar10_po2.pb',
  ])('%s comes back equal', (path) => {
    expectSame(readSource(openInput(corpusPath(path))));
  });
});
