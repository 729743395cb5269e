/**
 * The shared corpus of real third-party files lives beside the repository (never inside it).
 * Tests that need it use `describeCorpus`, which skips with a visible message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { openInput } from '../../src/io.js';
import type { InputFile } from '../../src/model.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CORPUS_DIR = process.env['DLCVERIFY_CORPUS'] ?? join(repoRoot, '..', 'shared', 'corpus');
export const corpusPresent = existsSync(CORPUS_DIR);

if (!corpusPresent) {
  // Visible in every run that lacks it: the corpus tests below are skipped, not passed.
  console.warn(`[dlcverify tests] corpus not found at ${CORPUS_DIR}: corpus tests are SKIPPED (set DLCVERIFY_CORPUS)`);
}

/** Path of a corpus file, e.g. corpusPath('dumps/qairt222_yolov8s_int8.txt'). */
export function corpusPath(relative: string): string {
  return join(CORPUS_DIR, relative);
}

export function corpusInput(relative: string): InputFile {
  return openInput(corpusPath(relative));
}

export function corpusText(relative: string): string {
  return readFileSync(corpusPath(relative), 'utf8');
}

/** `describe` that runs only with the corpus present, and says so in its name when skipped. */
export function describeCorpus(name: string, body: () => void): void {
  describe.skipIf(!corpusPresent)(corpusPresent ? name : `${name} [SKIPPED: corpus not found at ${CORPUS_DIR}]`, body);
}

export const REPO_ROOT = repoRoot;
