/**
 * `dlcverify check` through the CLI: usage errors (exit 2, one line, JSON under --format json),
 * the config file's waivers and failOn, --strict, --help. Models are real corpus files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';
import { tempDir } from './helpers/tmp.js';

describe('dlcverify check: usage', () => {
  it('needs at least one model', async () => {
    const run = await cli(['check']);
    expect(run.code).toBe(2);
  });

  it('an unreadable model is exit 2 with one JSON error document under --format json', async () => {
    const run = await cli(['check', '/nonexistent/part1.txt', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('--help lists the command', async () => {
    const run = await cli(['--help']);
    expect(run.stdout).toContain('check <models..>');
  });
});

describeCorpus('dlcverify check: CLI on real models', () => {
  const DLC = corpusPath('dlc/aidlux_yolov5n_int8.dlc');
  const DUMP = corpusPath('oracle/snpe159/aidlux_yolov5n_int8.txt');

  it('a source given as a model is refused (exit 2), naming the file', async () => {
    const run = await cli(['check', DLC, corpusPath('qnn/resnet18.encodings')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/resnet18\.encodings/);
  });

  it('--seam and --graph that name nothing are usage errors, not silent passes', async () => {
    expect((await cli(['check', DLC, DUMP, '--seam', 'nope=>never'])).code).toBe(2);
    expect((await cli(['check', DLC, '--graph', 'nope'])).code).toBe(2);
  });

  it('the config file gives failOn and waivers (found in the working directory, or --config); the command line wins', async () => {
    const dir = tempDir('dlcverify-check-cli-');
    writeFileSync(join(dir, 'dlcverify.config.json'), JSON.stringify({ failOn: ['SHARED_WEIGHT_SAME'] }));
    expect((await cli(['check', DLC, DUMP], { cwd: dir })).code).toBe(1);
    expect((await cli(['check', DLC, DUMP, '--fail-on', 'fail'], { cwd: dir })).code).toBe(0);
    const explicit = join(dir, 'waive.json');
    writeFileSync(explicit, JSON.stringify({ failOn: ['SHARED_WEIGHT_SAME'], waivers: ['*:SHARED_WEIGHT_SAME'] }));
    expect((await cli(['check', DLC, DUMP, '--config', explicit])).code).toBe(0);
    expect((await cli(['check', DLC, DUMP, '--config', join(dir, 'missing.json')])).code).toBe(2);
  });

  it('--fail-on warn,SHARED_WEIGHT_SAME fails a clean pair on its passing rows; --waive accepts them again', async () => {
    expect((await cli(['check', DLC, DUMP])).code).toBe(0);
    expect((await cli(['check', DLC, DUMP, '--fail-on', 'warn,SHARED_WEIGHT_SAME'])).code).toBe(1);
    expect((await cli(['check', DLC, DUMP, '--fail-on', 'SHARED_WEIGHT_SAME', '--waive', '*:SHARED_WEIGHT_SAME'])).code).toBe(0);
    const bad = await cli(['check', DLC, '--fail-on', 'NOT_A_CODE']);
    expect(bad.code).toBe(2);
  });

  it('--strict: parser warnings of any model are exit 2 before anything is written', async () => {
    const run = await cli(['check', corpusPath('dumps/snpe1542_mnist_mobilenet_float_elided.txt'), '--strict', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(['error']);
  });
});
