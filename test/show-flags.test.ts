/**
 * What only a .dlc or a QNN net.json can say reaches `show`: the SDK's `isOverridden` flag and
 * experimental (block / LPBQ / vector) layouts, in the table, the CSV and the JSON.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { buildV4Dlc, type TensorSpec } from './helpers/dlc-builder.js';
import { cli } from './helpers/cli.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';

interface JsonEncoding {
  tensor: string;
  isOverridden?: boolean;
  experimental?: boolean;
}

describeCorpus('show surfaces is_overridden (QNN net.json, real)', () => {
  it('33 encodings are flagged overridden in JSON, CSV and table', async () => {
    const file = corpusPath('qnn/resnet18_int8_net.json');
    const json = JSON.parse((await cli(['show', file, '--format', 'json'])).stdout) as { encodings: JsonEncoding[] };
    expect(json.encodings.filter((e) => e.isOverridden === true)).toHaveLength(33);
    expect(json.encodings.find((e) => e.tensor === 'conv1_weight')!.isOverridden).toBe(false);
    const csv = (await cli(['show', file, '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]!.endsWith(',flags')).toBe(true);
    expect(csv.filter((l) => l.endsWith(',overridden'))).toHaveLength(33);
    const table = (await cli(['show', file])).stdout;
    expect(table).toContain('flags');
    expect(table.split('\n').filter((l) => l.includes(' overridden '))).toHaveLength(33);
  });
});

describe('show surfaces experimental layouts (constructed v4)', () => {
  it('a block-quantized weight says "experimental per-block"', async () => {
    const w: TensorSpec = {
      id: 1,
      name: 'w',
      location: 4,
      dims: [4, 2],
      dtype: 0x0304,
      quant: {
        type: 4,
        block: {
          blockSizes: [2, 2],
          blocks: [
            { bw: 4, min: -0.8, max: 0.7, scale: 0.1, offset: -8, isSymmetric: true },
            { bw: 4, min: -1.6, max: 1.4, scale: 0.2, offset: -8, isSymmetric: true },
          ],
        },
      },
    };
    const dir = tempDir('dlcverify-flags-');
    const file = join(dir, 'block.dlc');
    writeFileSync(file, buildV4Dlc([{ name: 'g', nodes: [{ name: 'mm', type: 'MatMul', inputs: ['w'], outputs: [] }], tensors: [w] }]));
    const json = JSON.parse((await cli(['show', file, '--format', 'json'])).stdout) as { encodings: JsonEncoding[] };
    expect(json.encodings).toHaveLength(2);
    expect(json.encodings.every((e) => e.experimental === true)).toBe(true);
    const table = (await cli(['show', file])).stdout;
    expect(table).toContain('experimental per-block');
    expect(table).toMatch(/DLC_EXPERIMENTAL/);
  });
});
