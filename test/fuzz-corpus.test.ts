/**
 * Fuzzing every real file of the corpus (issue 7 item 4): random mutations (delete / duplicate /
 * truncate lines, flip bytes, change CRLF, insert huge lines, cut short) of every dump, CSV,
 * source file and DLC. Whatever the bytes, a reader returns a result or throws InputError — never
 * anything else. For dumps that parse, every encoding line is either parsed or reported.
 *
 * Fixed seed; `DLCVERIFY_FUZZ_RUNS` sets runs per file, `DLCVERIFY_FUZZ_LONG=1` a long run.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { InputError, type DlcModel } from '../src/model.js';
import { inputFromBytes } from '../src/parse/input.js';
import { readModel, readSource } from '../src/parse/load.js';
import { CORPUS_DIR, corpusPresent, describeCorpus } from './helpers/corpus.js';
import { accountEncodingLines } from './helpers/encoding-lines.js';
import { applyMutations, describeMutations, FUZZ_SEED, fuzzRuns, mutationsArb } from './helpers/mutate.js';


type Side = 'model' | 'source';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every corpus file a reader takes, with the side it belongs to. */
function corpusFiles(): { rel: string; side: Side }[] {
  if (!corpusPresent) return [];
  const files: { rel: string; side: Side }[] = [];
  for (const path of walk(CORPUS_DIR).sort()) {
    const rel = relative(CORPUS_DIR, path);
    if (/^(dumps\/.*\.txt|oracle\/.*\.(txt|csv))$/.test(rel) && !rel.endsWith('.log')) files.push({ rel, side: 'model' });
    else if (/\.dlc$/.test(rel)) files.push({ rel, side: 'model' });
    else if (/^qnn\/.*_net\.json$/.test(rel) || /\.irdump225\.json$/.test(rel)) files.push({ rel, side: 'model' });
    else if (/^encodings\/.*\.(json|encodings)$/.test(rel)) files.push({ rel, side: 'source' });
    else if (rel === 'qnn/resnet18.encodings' || /^oracle\/qairt225\/.*_overrides\.json$/.test(rel)) files.push({ rel, side: 'source' });
    else if (/^fakequant\/.*\.(pb|pbtxt)$/.test(rel)) files.push({ rel, side: 'source' });
  }
  return files;
}

/** Reads as the CLI would; returns the model for dumps (for the line accounting), else nothing. */
function readAny(name: string, bytes: Uint8Array, side: Side): DlcModel | undefined {
  const input = inputFromBytes(name, bytes);
  try {
    if (side === 'source') {
      readSource(input);
      return undefined;
    }
    return readModel(input);
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
}

const FILES = corpusFiles();
const RUNS = fuzzRuns(12);

describeCorpus('fuzz: mutated corpus files never crash a reader', () => {
  it('finds the corpus files', () => {
    expect(FILES.filter((f) => f.rel.endsWith('.dlc')).length).toBeGreaterThanOrEqual(11);
    expect(FILES.filter((f) => f.rel.startsWith('dumps/')).length).toBeGreaterThanOrEqual(9); // PAIRS.md J added qairt249_migan_extract.txt
    expect(FILES.filter((f) => f.rel.endsWith('.csv')).length).toBe(4);
    expect(FILES.filter((f) => f.side === 'source').length).toBeGreaterThanOrEqual(20);
  });

  it.each(FILES)('$rel ($side)', ({ rel, side }) => {
    const original = new Uint8Array(readFileSync(join(CORPUS_DIR, rel)));
    // The unmutated file first: it must read (or be refused) cleanly too.
    readAny(rel, original, side);
    fc.assert(
      fc.property(mutationsArb, (mutations) => {
        const bytes = applyMutations(original, mutations);
        let model: DlcModel | undefined;
        try {
          model = readAny(rel, bytes, side);
        } catch (err) {
          throw new Error(`${rel} after ${describeMutations(mutations)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
        if (model && (model.format === 'dlc-info-text' || model.format === 'dlc-info-csv')) {
          const text = new TextDecoder().decode(bytes);
          const { present, unaccounted, unlisted } = accountEncodingLines(text, model);
          if (unaccounted.length > unlisted) {
            const lines = text.split('\n');
            const show = unaccounted.slice(0, 3).map((n) => `  line ${n}: ${lines[n - 1]!.slice(0, 200)}`);
            throw new Error(
              `${rel} after ${describeMutations(mutations)}: ${unaccounted.length} of ${present.length} encoding lines neither parsed nor reported (${unlisted} diagnostics counted but not listed):\n${show.join('\n')}`,
            );
          }
        }
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
  });
});
