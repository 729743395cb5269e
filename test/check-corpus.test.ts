/**
 * `dlcverify check` on every model of the corpus (dumps, dlc, qnn/*_net.json, oracle/**): each one
 * alone must give exactly the findings listed here, each justified. Every other file under those
 * folders must be in NOT_MODELS with the reason it is not a model; a new corpus file fails this
 * test until it is classified.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { readDiffSide } from '../src/parse/load.js';
import { InputError, type CheckReport } from '../src/model.js';
import { CORPUS_DIR, corpusInput, describeCorpus } from './helpers/corpus.js';

/**
 * Findings a corpus model gets besides passing seams and shared weights, as `CODE:tensor`, with why.
 * Every model not listed gets none: no failing or warning finding, no passing conversion.
 */
const EXPECTED: Record<string, { findings: string[]; why: string }> = {
  'dumps/qairt222_yolov8s_int8.txt': {
    findings: ['CONVERTED_CONSISTENT:/model.22/Mul_output_0_converted_UFIXED_POINT_16', 'CONVERTED_CONSISTENT:/model.22/Split_output_1_converted_UFIXED_POINT_16'],
    why: 'PAIRS.md §A: the two Convert outputs keep min/max of their 8-bit source, scale / 256, offset × 256 (-179 -> -45824, -5 -> -1280): checked and consistent (ok)',
  },
};

/** Files under the model folders that are not models, and why. */
const NOT_MODELS: ReadonlyArray<[RegExp, string]> = [
  [/^dumps\/snpe1x_weight_encoding_line\.txt$/, 'a two-line extract of one SNPE 1.x encoding line, no dump header: not a model (a parser fixture)'],
  [/^oracle\/encjson\/README\.md$/, 'documentation'],
  [/^oracle\/encjson\/.*\.encodings_dump(_invariant)?\.json$/, "the SDK's encodings JSON of a DLC: read as a model by a later issue (PAIRS.md §I), not on this branch"],
  [/^oracle\/qairt225\/.*\.irdump225\.json$/, "the SDK's own IR dump (PAIRS.md §G): the reference the .dlc reader is checked against, not an input"],
  [/^oracle\/qairt225\/models\/.*\.onnx$/, 'the ONNX models the oracle DLCs were converted from'],
  [/^oracle\/qairt225\/.*_overrides\.json$/, 'overrides files (sources, not models)'],
  [/^oracle\/snpe117\/quantize_openpilot\.log$/, "the quantizer's log"],
  [/^qnn\/.*(\.encodings|_overrides\.json)$/, 'overrides files (sources, not models)'],
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(CORPUS_DIR, path)];
  });
}

function listed(report: CheckReport): string[] {
  return report.findings
    .filter((f) => f.code !== 'SEAM_MATCH' && f.code !== 'SHARED_WEIGHT_SAME')
    .map((f) => `${f.code}:${f.tensor}`)
    .sort();
}

describeCorpus('check: every corpus model', () => {
  const files = ['dumps', 'dlc', 'qnn', 'oracle'].flatMap((d) => walk(join(CORPUS_DIR, d))).sort();

  it('finds the corpus files', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)('%s', (file) => {
    const notModel = NOT_MODELS.find(([pattern]) => pattern.test(file));
    let model;
    try {
      model = readDiffSide(corpusInput(file));
    } catch (err) {
      // Unreadable as a model: it must be listed as not a model, and refused with a sentence.
      expect(err).toBeInstanceOf(InputError);
      expect(notModel, `${file} is not readable as a model (${(err as Error).message}) and not in NOT_MODELS`).toBeDefined();
      return;
    }
    const report = check([model]);
    expect(listed(report), EXPECTED[file]?.why ?? 'no finding expected').toEqual(EXPECTED[file]?.findings ?? []);
    expect(report.summary.exitCode).toBe(0);
    // One model with one graph: no seams and nothing shared, and the report says so.
    expect(report.coverage.seams).toBe(0);
    expect(report.notes.some((n) => n.startsWith('no seams looked at'))).toBe(true);
  });
});
