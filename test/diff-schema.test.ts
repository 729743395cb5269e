/**
 * Diff reports of every shape validate against schema/report.schema.json (the render branch's
 * schema): every DiffCode from constructed models, waivers, notes, and a real .dlc-vs-dump run
 * with ENCODING_SAME rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/render/json.js';
import { readModel } from '../src/parse/load.js';
import { diffModels, DIFF_SCHEMA_VERSION } from '../src/verify/diff.js';
import { VERIFY_SCHEMA_VERSION } from '../src/verify/index.js';
import { DIFF } from '../src/findings.js';
import type { DiffReport, Tensor } from '../src/model.js';
import { corpusInput, describeCorpus, REPO_ROOT } from './helpers/corpus.js';
import { baseOps, baseTensors, graph, grid, model, op, perTensor, tensor } from './fixtures/diff/models.js';

const describeReal = describeCorpus as unknown as typeof describe;
const schema: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8'));
const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema as object);

function expectValid(report: DiffReport): void {
  const doc: unknown = JSON.parse(renderJson(report));
  const ok = validate(doc);
  expect(ok ? [] : validate.errors).toEqual([]);
}

/** Before/after models that between them produce every DiffCode. */
function everyCode(): DiffReport {
  const edit = (t: Tensor): Tensor[] => {
    switch (t.name) {
      case 'input':
        return [{ ...t, dims: [1, 16, 16, 3] }]; // SHAPE_CHANGED
      case 'conv.weight':
        return [{ ...t, encoding: perTensor(grid(-0.5, 0.5)) }]; // LAYOUT_CHANGED
      case 'conv_out':
        return [{ ...t, dtype: 'Float_32', encoding: undefined }]; // BECAME_FLOAT
      case 'output':
        return [{ ...t, encoding: perTensor(grid(0, 3.5)) }]; // ENCODING_CHANGED
      case 'shape_const':
        return [{ ...t, dtype: 'Int_64' }]; // DTYPE_CHANGED
      default:
        return [t];
    }
  };
  const extra = [
    tensor('f', { dtype: 'Float_32' }),
    tensor('b16', { dtype: 'uFxp_16', encoding: perTensor(grid(0, 1, 16)) }),
    tensor('same', { encoding: perTensor(grid(0, 1)) }),
    tensor('gone', { encoding: perTensor(grid(0, 1)) }),
  ];
  const extraAfter = [
    tensor('f', { encoding: perTensor(grid(0, 1)) }), // BECAME_QUANTIZED
    tensor('b16', { encoding: perTensor(grid(0, 1, 8)) }), // BITWIDTH_CHANGED
    tensor('same', { encoding: perTensor({ ...grid(0, 1), max: { value: 1 + 1e-13, precision: { style: 'fixed', decimals: 12 } } }) }), // ENCODING_SAME
    tensor('new', { encoding: perTensor(grid(0, 1)) }), // TENSOR_ADDED (and 'gone': TENSOR_REMOVED)
  ];
  const opsAfter = [op(0, 'conv', 'DepthWiseConv2d', [], []), op(2, 'added', 'Reshape', [], [])]; // OP_RETYPED, OP_ADDED, OP_REMOVED
  const before = model([graph('g', [...baseTensors(), ...extra], baseOps()), graph('old', [], [])]);
  const base = model();
  const after = model([graph('g', [...baseTensors().flatMap(edit), ...extraAfter], opsAfter), graph('new-graph', [], []), graph('another', [], [])], { // GRAPH_ADDED x2, GRAPH_REMOVED (not a lone pair)
    metadata: { ...base.metadata, converterVersion: '9.9' }, // METADATA_CHANGED
  });
  return diffModels(before, after, { waivers: [{ subject: 'gone', label: 'accepted: renamed' }] });
}

describe('diff JSON against the report schema', () => {
  it('a report holding every DiffCode validates', () => {
    const report = everyCode();
    expect([...new Set(report.changes.map((c) => c.code))].sort()).toEqual(Object.keys(DIFF).sort());
    expectValid(report);
  });

  it('diff and verify reports share one schema version', () => {
    expect(DIFF_SCHEMA_VERSION).toBe(VERIFY_SCHEMA_VERSION);
  });

  it('an empty diff validates', () => {
    expectValid(diffModels(model(), model()));
  });
});

describeReal('diff JSON of a real .dlc against its dump validates', () => {
  it('aidlux yolov5n: 313 ENCODING_SAME rows', () => {
    const report = diffModels(readModel(corpusInput('dlc/aidlux_yolov5n_int8.dlc')), readModel(corpusInput('oracle/snpe159/aidlux_yolov5n_int8.txt')));
    expect(report.changes).toHaveLength(313);
    expectValid(report);
  });
});
