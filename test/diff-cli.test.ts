/**
 * `dlcverify diff` end to end (in-process) on constructed saved results: exit codes, waivers,
 * baseline, and every report format.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { cli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { REPORT_FORMATS } from '../src/render/index.js';
import { readDiffSide } from '../src/commands/diff.js';
import { diffModels } from '../src/verify/diff.js';
import { openInput } from '../src/io.js';
import { inputFromText } from '../src/parse/input.js';

const fixture = (name: string): string => join(REPO_ROOT, 'test', 'fixtures', 'diff', name);
const BEFORE = fixture('saved-show-tiny.json');
const MOVED = fixture('saved-show-tiny-input-moved-3-steps.json');

function tempFile(name: string, text: string): string {
  const dir = tempDir('dlcverify-diff-');
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('dlcverify diff (saved results)', () => {
  it('a saved result against itself: no change, exit 0', async () => {
    const run = await cli(['diff', BEFORE, BEFORE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no regression: 0 changes; 4 tensors and 2 ops in 1 graph compared');
  });

  it('an input grid shifted by 3 steps is one regression, exit 1', async () => {
    const run = await cli(['diff', BEFORE, MOVED]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('REGRESSION: 1 regression (1 ENCODING_CHANGED), 0 changes');
    expect(run.stdout).toMatch(/│ regression │ ENCODING_CHANGED │ images +│ 3\.00 /);

    const report = diffModels(readDiffSide(openInput(BEFORE)), readDiffSide(openInput(MOVED)));
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]!.sentence).toBe(
      'tensor images moved: min -1 -> -1.0234375 (3.00 steps), max 0.9921875 -> 0.96875 (3.00 steps) of the before scale 0.0078125; ' +
        'scale x1, offset -128 -> -131; limit 1 step',
    );
    expect(report.changes[0]!.beforeAt).toEqual({ file: 'constructed_info.txt', line: 12 });
  });

  it('--waive GLOB:CODE accepts it (exit 0) and says so', async () => {
    const run = await cli(['diff', BEFORE, MOVED, '--waive', 'ima*:ENCODING_CHANGED']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 waived regression');
    expect(run.stdout).toMatch(/│ waived +│ ENCODING_CHANGED │ images/);
  });

  it('--baseline: a waiver with its reason, or a wider step limit', async () => {
    const waiver = tempFile('baseline.json', JSON.stringify({ accept: [{ subject: 'images', reason: 'new preprocessing' }] }));
    const run = await cli(['diff', BEFORE, MOVED, '--baseline', waiver]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ waived +│ ENCODING_CHANGED │ images/);
    expect(run.stdout.replace(/[│\s]+/g, ' ')).toContain('new preprocessing');

    const limit = tempFile('baseline.json', JSON.stringify({ maxEncodingSteps: 3 }));
    const run2 = await cli(['diff', BEFORE, MOVED, '--baseline', limit]);
    expect(run2.code).toBe(0);
    expect(run2.stdout).toContain('no regression: 1 change');
  });

  it('a bad baseline is exit 2 with one line naming it', async () => {
    const bad = tempFile('baseline.json', '{"accepts": []}');
    const run = await cli(['diff', BEFORE, MOVED, '--baseline', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(bad);
    expect(run.stderr).toContain('unknown key "accepts"');
  });

  it('--graph selects a graph; an unknown name is exit 2, not a pass with nothing compared', async () => {
    const ok = await cli(['diff', BEFORE, MOVED, '--graph', 'tiny']);
    expect(ok.code).toBe(1);
    const typo = await cli(['diff', BEFORE, MOVED, '--graph', 'tiyn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--graph tiyn: neither side has a graph of that name (graphs: tiny)');
  });

  it('parser diagnostics are listed; under --strict they stop the run (exit 2)', async () => {
    const damaged = join(REPO_ROOT, 'test', 'fixtures', 'dump', 'damaged-lines.txt');
    const run = await cli(['diff', damaged, damaged]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('4 parser diagnostics');
    expect(run.stdout).toContain('damaged-lines.txt:14 DUMP_ELIDED_ROWS');
    const strict = await cli(['diff', damaged, damaged, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('--strict: 4 parser diagnostic(s), first:');
  });

  it('a missing side is exit 2', async () => {
    const run = await cli(['diff', BEFORE, '/nonexistent/after.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent/after.txt');
  });

  it('a saved verify result is refused with a pointer to what to save instead', async () => {
    const verify = tempFile('verify.json', JSON.stringify({ kind: 'verify', schemaVersion: '1', results: [] }));
    const run = await cli(['diff', BEFORE, verify]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a saved verify report holds verdicts');
    expect(run.stderr).toContain('show MODEL --format json');
    const diffReport = tempFile('diff.json', (await cli(['diff', BEFORE, MOVED, '--format', 'json'])).stdout);
    const again = await cli(['diff', diffReport, BEFORE]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a saved diff report holds changes');
  });

  it.each(REPORT_FORMATS.map((f) => [f]))('--report %s=PATH writes a report for a diff', async (format) => {
    const run = await cli(['diff', BEFORE, MOVED, '--report', `${format}=out/diff.${format}`]);
    expect(run.code).toBe(1);
    const text = run.files.get(`out/diff.${format}`);
    expect(text).toBeDefined();
    expect(text!.length).toBeGreaterThan(0);
  });
});

describe('readDiffSide', () => {
  it('reads numbers saved as strings with their printed precision, and numbers by family', () => {
    const model = readDiffSide(
      inputFromText(
        'saved.json',
        JSON.stringify({
          family: 'qairt-2.2x',
          encodings: [
            { graph: 'g', tensor: 'a', bitwidth: 8, min: '-1.000000', max: '0.992187500000', scale: 0.0078125, offset: -128 },
            { graph: 'g', tensor: 'w', channel: 1, bitwidth: 8, min: -1, max: 1, scale: 0.0078, offset: -128, channelCount: 4, layout: 'per-channel' },
            { graph: 'g', tensor: 'w', channel: 0, bitwidth: 8, min: -2, max: 2, scale: 0.0156, offset: -128 },
            { graph: 'g', tensor: 'bad', bitwidth: 8, min: 'x', max: 1, scale: 1, offset: 0 },
          ],
        }),
      ),
    );
    const g = model.graphs[0]!;
    expect(g.encodingsOnly).toBe(true);
    const a = g.tensors.get('a')!.encoding!.channels[0]!;
    expect(a.min.precision).toEqual({ style: 'fixed', decimals: 6 });
    expect(a.max.precision).toEqual({ style: 'fixed', decimals: 12 });
    expect(a.scale.precision).toEqual({ style: 'fixed', decimals: 12 });
    const w = g.tensors.get('w')!.encoding!;
    expect(w.layout).toBe('per-channel');
    expect(w.channels.map((c) => c.channel)).toEqual([0, 1]);
    expect(w.allChannelsPresent).toBe(false);
    expect(g.tensors.has('bad')).toBe(false);
    expect(model.diagnostics.map((d) => d.code)).toEqual(['DUMP_UNPARSED_ENCODING', 'DUMP_UNPARSED_ENCODING']);
  });
});
