/**
 * `diff` on the real QAIRT 2.22 yolov8s dump against constructed variants (edited in memory, see
 * fixtures/diff/yolo-variants.ts): it must find exactly the constructed changes, nothing else.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { REPORT_FORMATS } from '../src/render/index.js';
import { corpusPath, corpusText, describeCorpus } from './helpers/corpus.js';
import { cli } from './helpers/cli.js';
import { inputFromText } from '../src/parse/input.js';
import { readModel } from '../src/parse/load.js';
import { diffModels } from '../src/verify/diff.js';
import type { DiffReport, DlcModel } from '../src/model.js';
import { renderModel } from '../src/render/show-model.js';
import { readDiffSide } from '../src/parse/load.js';
import { moveEncoding, removeOp, setCell, setConverterVersion, turnFloat } from './fixtures/diff/yolo-variants.js';


const DUMP = 'dumps/qairt222_yolov8s_int8.txt';
const MOVED = '/model.0/conv/Conv_output_0';
const FLOATED = '/model.0/act/Sigmoid_output_0';
const REMOVED_OP_ID = 228; // /model.22/dfl/Reshape_1, a Reshape between a Transpose and a Split
const NEW_VERSION = '2.25.0.240728171413_99375';

function parse(name: string, text: string): DlcModel {
  return readModel(inputFromText(name, text));
}

function summary(report: DiffReport): string[] {
  return report.changes.map((c) => `${c.kind}:${c.code}:${c.subject}`);
}

describeCorpus('diff: real yolov8s dump against constructed variants', () => {
  const text = corpusText(DUMP);
  const original = parse('before.txt', text);

  it('the dump against itself: nothing, exit 0', () => {
    const report = diffModels(original, parse('after.txt', text));
    expect(report.changes).toEqual([]);
    expect(report.opListDiff).toBe('');
    expect(report.summary.exitCode).toBe(0);
    expect(report.summary.byKind.get('ok')).toBe(original.graphs[0]!.tensors.size);
  });

  it('one encoding moved by 3 steps: one ENCODING_CHANGED regression of 3.00 steps', () => {
    const moved = moveEncoding(text, MOVED, 3);
    expect(moved.text.length).toBe(text.length);
    const report = diffModels(original, parse('after.txt', moved.text));
    expect(summary(report)).toEqual([`regression:ENCODING_CHANGED:${MOVED}`]);
    const d = report.changes[0]!.deviation!;
    expect(d.minSteps).toBeCloseTo(3, 9);
    expect(d.maxSteps).toBeCloseTo(3, 9);
    expect(d.scaleRatio).toBe(1);
    expect(d.offsetDelta).toBe(3);
    expect(report.changes[0]!.before).toMatchObject({ min: -109.47526550293, offset: -135 });
    expect(report.changes[0]!.after).toMatchObject({ min: moved.after.min, offset: -132 });
    expect(report.changes[0]!.beforeAt?.line).toBe(report.changes[0]!.afterAt?.line);
  });

  // Printed `%.12f`: a move of exactly 1 step measures 1 ± 1e-12 steps; within that it is not beyond.
  it.each([
    [0.5, 'change'],
    [1, 'change'],
    [1.0001, 'regression'], // the slack here is one float32 ulp of 111.9 (2^-17) = 9.4e-6 steps
    [1.5, 'regression'],
    [-3, 'regression'],
  ] as const)('moved by %s steps: %s', (steps, kind) => {
    const report = diffModels(original, parse('after.txt', moveEncoding(text, MOVED, steps).text));
    expect(summary(report)).toEqual([`${kind}:ENCODING_CHANGED:${MOVED}`]);
  });

  it('one tensor turned float: one BECAME_FLOAT regression', () => {
    const floated = turnFloat(text, FLOATED);
    expect(floated.cellsChanged).toBe(2); // output of the Sigmoid, input of the Mul
    const after = parse('after.txt', floated.text);
    expect(after.graphs[0]!.tensors.get(FLOATED)).toMatchObject({ dtype: 'Float_32' });
    expect(after.graphs[0]!.tensors.get(FLOATED)!.encoding).toBeUndefined();
    const report = diffModels(original, after);
    expect(summary(report)).toEqual([`regression:BECAME_FLOAT:${FLOATED}`]);
    expect(report.changes[0]!.sentence).toBe(`tensor ${FLOATED} was uFxp_8 (8-bit grid) and is now Float_32: it runs in float`);
  });

  it('one op removed: one OP_REMOVED regression; its output tensor follows it as info', () => {
    const removed = removeOp(text, REMOVED_OP_ID);
    expect(removed.name).toBe('/model.22/dfl/Reshape_1');
    const report = diffModels(original, parse('after.txt', removed.text));
    expect(summary(report)).toEqual([`regression:OP_REMOVED:${removed.name}`, `info:TENSOR_REMOVED:${removed.output}`]);
    expect(report.changes[0]!.sentence).toContain('the graph has 238 ops, had 239');
    expect(report.opListDiff).toContain(`-${removed.name}  Reshape\n`);
    expect(report.opListDiff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([`-${removed.name}  Reshape`]);
  });

  it('the SDK version changed: one METADATA_CHANGED change, exit 0', () => {
    const report = diffModels(original, parse('after.txt', setConverterVersion(text, NEW_VERSION)));
    expect(summary(report)).toEqual(['change:METADATA_CHANGED:converter version']);
    expect(report.changes[0]).toMatchObject({ before: '2.22.6.240515184619_92920', after: NEW_VERSION });
    expect(report.summary.exitCode).toBe(0);
  });

  it('all four at once: exactly those, exit 1', () => {
    let edited = moveEncoding(text, MOVED, 3).text;
    edited = turnFloat(edited, FLOATED).text;
    const removed = removeOp(edited, REMOVED_OP_ID);
    edited = setConverterVersion(removed.text, NEW_VERSION);
    const after = parse('after.txt', edited);
    expect(after.diagnostics.length).toBe(original.diagnostics.length);
    const report = diffModels(original, after);
    expect(summary(report)).toEqual([
      `regression:ENCODING_CHANGED:${MOVED}`,
      `regression:BECAME_FLOAT:${FLOATED}`,
      `regression:OP_REMOVED:${removed.name}`,
      'change:METADATA_CHANGED:converter version',
      `info:TENSOR_REMOVED:${removed.output}`,
    ]);
    expect(report.summary.exitCode).toBe(1);
    expect(report.summary.headline).toMatch(/^REGRESSION: 3 regressions \(1 BECAME_FLOAT, 1 ENCODING_CHANGED, 1 OP_REMOVED\), 1 change; 381 tensors and 238 ops in 1 graph compared/);
  });
});

describeCorpus('diff: a saved `show --format json` of the real dump as one side', () => {
  const text = corpusText(DUMP);
  const original = parse('before.txt', text);
  const saved = readDiffSide(inputFromText('saved.json', renderModel(original, { format: 'json', color: false })));

  it('keeps every encoding and marks the graph as encodings only', () => {
    expect(saved.graphs).toHaveLength(1);
    expect(saved.graphs[0]!.encodingsOnly).toBe(true);
    expect(saved.graphs[0]!.tensors.size).toBe(382);
    expect(saved.metadata.converterVersion).toBe('2.22.6.240515184619_92920');
  });

  it.each([
    ['saved -> dump', true],
    ['dump -> saved', false],
  ] as const)('%s: no change, ops not compared (a note says so)', (_label, savedFirst) => {
    const report = savedFirst ? diffModels(saved, original) : diffModels(original, saved);
    expect(report.changes).toEqual([]);
    expect(report.summary.exitCode).toBe(0);
    expect(report.notes).toEqual([
      `graph yolov8s_encode_fp32: 239 ops not compared: the ${savedFirst ? 'before' : 'after'} side records no op list`,
    ]);
  });

  it('saved -> variants: the moved encoding, the float tensor and the SDK version, nothing else', () => {
    let edited = moveEncoding(text, MOVED, 3).text;
    edited = turnFloat(edited, FLOATED).text;
    edited = setConverterVersion(edited, NEW_VERSION);
    const report = diffModels(saved, parse('after.txt', edited));
    expect(summary(report)).toEqual([
      `regression:ENCODING_CHANGED:${MOVED}`,
      `regression:BECAME_FLOAT:${FLOATED}`,
      'change:METADATA_CHANGED:converter version',
    ]);
    expect(report.changes[0]!.deviation!.minSteps).toBeCloseTo(3, 9);
  });

  it('dump -> saved variant without the float tensor: its encoding is gone (BECAME_FLOAT)', () => {
    const floated = parse('after.txt', turnFloat(text, FLOATED).text);
    const savedFloated = readDiffSide(inputFromText('saved-after.json', renderModel(floated, { format: 'json', color: false })));
    const report = diffModels(original, savedFloated);
    expect(summary(report)).toEqual([`regression:BECAME_FLOAT:${FLOATED}`]);
    expect(report.changes[0]!.sentence).toContain('a saved list of 381 encodings');
  });
});

describeCorpus('diff CLI on the real dump', () => {
  it('the dump against itself exits 0', async () => {
    const run = await cli(['diff', corpusPath(DUMP), corpusPath(DUMP)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no regression: 0 changes; 382 tensors and 239 ops in 1 graph compared');
  });

  it('one command writes every format, each readable by its consumer; exit 1', async () => {
    const text = corpusText(DUMP);
    let edited = moveEncoding(text, MOVED, 3).text;
    edited = turnFloat(edited, FLOATED).text;
    edited = setConverterVersion(removeOp(edited, REMOVED_OP_ID).text, NEW_VERSION);
    const dir = tempDir('dlcverify-diff-');
    const variant = join(dir, 'variant.txt');
    writeFileSync(variant, edited);
    const reports = REPORT_FORMATS.flatMap((f) => ['--report', `${f}=out/diff.${f}`]);
    const run = await cli(['diff', corpusPath(DUMP), variant, ...reports, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'diff', summary: { exitCode: 1 } });
    const file = (f: string): string => run.files.get(`out/diff.${f}`)!;
    expect([...run.files.keys()].sort()).toEqual(REPORT_FORMATS.map((f) => `out/diff.${f}`).sort());

    const json = JSON.parse(file('json')) as { changes: Array<{ code: string }> };
    expect(json.changes.map((c) => c.code)).toEqual(['ENCODING_CHANGED', 'BECAME_FLOAT', 'OP_REMOVED', 'METADATA_CHANGED', 'TENSOR_REMOVED']);
    expect(XMLValidator.validate(file('junit'))).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(file('junit')) as { testsuites: { '@_failures': string } };
    expect(Number(junit.testsuites['@_failures'])).toBe(3);
    const sarif = JSON.parse(file('sarif')) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.filter((r) => r.level === 'error').map((r) => r.ruleId).sort()).toEqual(['BECAME_FLOAT', 'ENCODING_CHANGED', 'OP_REMOVED']);
    expect(file('github').split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(3);
    expect(file('markdown')).toContain('REGRESSION');
    expect(file('csv').split('\r\n').filter((l) => /(ENCODING_CHANGED|BECAME_FLOAT|OP_REMOVED|METADATA_CHANGED|TENSOR_REMOVED)/.test(l))).toHaveLength(5);
    expect(file('html')).toMatch(/^<!DOCTYPE html>/i);
    expect(file('table')).toContain('REGRESSION: 3 regressions');
  });
});

describe('variant builders keep every table line at its length', () => {
  it('setCell refuses content that does not fit', () => {
    expect(() => setCell('| a | b |', 1, 'too long')).toThrow(/does not fit/);
    expect(setCell('| abc | b |', 1, 'x')).toBe('| x   | b |');
  });
});
