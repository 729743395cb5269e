/**
 * Random byte corruption of every corpus DLC: the reader must give a clean InputError or a
 * result, never another exception (no read outside a buffer, no runaway recursion). Fixed seed,
 * bounded count; mutations aim mostly at the `model` entry and the zip directory, where a wrong
 * byte changes what is parsed (the weights are never parsed, so hits there prove little).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readDlc } from '../src/parse/dlc/index.js';
import { listEntries } from '../src/parse/wire/zip.js';
import { inputFromBytes } from '../src/parse/input.js';
import { InputError } from '../src/model.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';


const MUTATIONS_PER_FILE = 200;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpusDlcs(): string[] {
  const out: string[] = [];
  for (const dir of ['dlc', 'oracle/qairt225', 'oracle/snpe117']) {
    try {
      for (const f of readdirSync(corpusPath(dir))) if (f.endsWith('.dlc')) out.push(`${dir}/${f}`);
    } catch {
      /* corpus absent: describeCorpus skips */
    }
  }
  return out;
}

describeCorpus('random corruption of every corpus DLC', () => {
  const files = corpusDlcs();

  it('finds the corpus DLCs', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s: 200 mutations give a result or a clean InputError', (relative) => {
    const original = new Uint8Array(readFileSync(corpusPath(relative)));
    const model = listEntries(inputFromBytes(relative, original)).find((e) => e.name === 'model')!;
    // Where the interesting bytes are: the `model` entry (header and body) and the tail (directory).
    const modelStart = model.localHeaderOffset;
    const modelEnd = Math.min(original.length, modelStart + 30 + 64 + model.compressedSize);
    const random = prng(0x5eed ^ original.length);
    let results = 0;
    let errors = 0;
    for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
      const bytes = original.slice();
      const count = 1 + Math.floor(random() * 8);
      for (let k = 0; k < count; k++) {
        const r = random();
        const pos =
          r < 0.8
            ? modelStart + Math.floor(random() * (modelEnd - modelStart))
            : r < 0.9
              ? original.length - 1 - Math.floor(random() * Math.min(original.length, 400))
              : Math.floor(random() * original.length);
        bytes[pos] = Math.floor(random() * 256);
      }
      try {
        const m = readDlc(inputFromBytes(relative, bytes));
        expect(m.format).toBe('dlc');
        results++;
      } catch (err) {
        if (!(err instanceof InputError)) throw new Error(`mutation ${i} of ${relative}: ${String((err as Error).stack ?? err)}`);
        expect(err.code).toBe('BAD_DLC');
        expect(err.message.split('\n')).toHaveLength(1);
        errors++;
      }
    }
    expect(results + errors).toBe(MUTATIONS_PER_FILE);
    // Both outcomes happen on every file (measured: 30–157 results, 43–170 errors per 200).
    expect(results).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(0);
  });
});
