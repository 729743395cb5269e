import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceSet } from '../src/model.js';
import { inputFromBytes } from '../src/parse/input.js';
import { readSource } from '../src/parse/load.js';
import { renderSourceChunks } from '../src/render/show-source.js';
import { cli } from './helpers/cli.js';
import { corpusInput, corpusPath, describeCorpus, REPO_ROOT } from './helpers/corpus.js';


const fixturePath = (name: string): string => join(REPO_ROOT, 'test', 'fixtures', 'source', name);
const fixture = (name: string): SourceSet => readSource(inputFromBytes(`fixtures/${name}`, new Uint8Array(readFileSync(fixturePath(name)))));
const render = (set: SourceSet, format: string): string => [...renderSourceChunks(set, { format, color: false })].join('');
const json = (set: SourceSet): { entries: Record<string, unknown>[]; [k: string]: unknown } => JSON.parse(render(set, 'json'));

describe('show <source> --format json', () => {
  it('has format, version, file, counts, one element per channel, ignoredKeys and diagnostics', () => {
    const out = json(fixture('legacy-quirks-crlf.encodings'));
    expect(Object.keys(out)).toEqual(['kind', 'format', 'version', 'file', 'counts', 'entries', 'ignoredKeys', 'diagnostics']);
    expect([out['kind'], out['format'], out['version'], out['file']]).toEqual(['source', 'aimet-legacy', '0.6.1', 'fixtures/legacy-quirks-crlf.encodings']);
    expect(out['counts']).toEqual({ entries: 8, activation: 6, param: 2, rows: 9 });
    expect(out.entries).toHaveLength(9);
    expect(out.entries.filter((e) => e['name'] === 'conv1.weight')).toEqual([
      { name: 'conv1.weight', section: 'param', dtype: 'int', bitwidth: 8, layout: 'per-channel', channel: 0, min: -0.128, max: 0.127, scale: 0.001, offset: -128, isSymmetric: true, line: 62, pointer: '/param_encodings/conv1.weight' },
      { name: 'conv1.weight', section: 'param', dtype: 'int', bitwidth: 8, layout: 'per-channel', channel: 1, min: -0.256, max: 0.254, scale: 0.002, offset: -128, isSymmetric: true, line: 62, pointer: '/param_encodings/conv1.weight' },
    ]);
    expect(out['ignoredKeys']).toEqual(['excluded_layers', 'producer', 'quantizer_args', '/activation_encodings/*/*/comment', '/param_encodings/*/*/comment']);
    expect((out['diagnostics'] as { code: string }[]).map((d) => d.code)).toEqual([
      'SOURCE_POSITIVE_OFFSET',
      'SOURCE_DUPLICATE_NAME',
      'SOURCE_SECTION_SUSPICIOUS',
      'SOURCE_UNKNOWN_KEY',
      'SOURCE_UNKNOWN_KEY',
    ]);
  });

  it('gives min/max/scale/offset and isSymmetric only when the source does', () => {
    const out = json(fixture('legacy-quirks-crlf.encodings'));
    const byName = new Map(out.entries.map((e) => [e['name'], e]));
    expect(byName.get('calibrate_me')).toEqual({ name: 'calibrate_me', section: 'activation', dtype: 'int', bitwidth: 16, layout: 'per-tensor', line: 34, pointer: '/activation_encodings/calibrate_me' });
    expect(byName.get('twice')).toEqual({ name: 'twice', section: 'activation', dtype: 'int', bitwidth: 8, layout: 'per-tensor', min: 0, max: 2, line: 53, pointer: '/activation_encodings/twice' });
    expect(Object.keys(byName.get('zero_point_out')!)).not.toContain('isSymmetric');
  });

  it('carries layoutInfo of experimental layouts; a missing version is null', () => {
    const v1 = json(fixture('v1.0.0-all-enc-types.encodings'));
    expect(v1.entries.find((e) => e['name'] === 'lm_head.weight')!['layoutInfo']).toEqual({ block_size: 64, compressed_bw: 8, 'per_block_int_scale.length': 4 });
    expect(json(fixture('ranges.json'))['version']).toBeNull();
  });

  it('keeps __proto__ as a name in the output', () => {
    const out = json(fixture('proto-constructor-names.encodings'));
    expect(out.entries.map((e) => e['name'])).toEqual(['__proto__', 'constructor', 'hasOwnProperty', '__proto__']);
  });
});

describe('show <source> --format csv and table', () => {
  it('csv: one row per channel, quoted names, empty cells for what was not given', () => {
    const csv = render(fixture('ranges-crlf-quoted.csv'), 'csv');
    expect(csv.split('\n')).toEqual([
      'name,section,dtype,bitwidth,layout,axis,channel,min,max,scale,offset,isSymmetric,line,pointer,node',
      'input,activation,int,8,per-tensor,,,0,1,,,,4,,',
      'conv1/Relu:0,activation,int,,per-tensor,,,0,6,,,,5,,',
      '"odd, ""quoted"" name",activation,int,16,per-tensor,,,-0.15,0.15,,,,6,,',
      'dense/kernel:0,param,int,8,per-tensor,,,-0.5,0.5,,,,7,,',
      '',
    ]);
  });

  it('table: a header line, one row per entry with value spans, warnings with their lines', () => {
    const table = render(fixture('legacy-quirks-crlf.encodings'), 'table');
    const lines = table.split('\n');
    expect(lines[0]).toBe('fixtures/legacy-quirks-crlf.encodings: aimet-legacy (version 0.6.1), 8 entries (6 activation, 2 param)');
    expect(table).toMatch(/│ conv1\.weight +│ param +│ int +│ 8 +│ per-channel +│ 2 +│ -0\.256 … -0\.128 +│ 0\.127 … 0\.254 +│ 0\.001 … 0\.002 +│ -128 +│ yes +│ 62 +│/);
    expect(table).toContain('Per-channel entries show the span of their values');
    expect(table).toContain('Ignored keys: excluded_layers, producer, quantizer_args, /activation_encodings/*/*/comment, /param_encodings/*/*/comment');
    expect(table).toContain('warning SOURCE_DUPLICATE_NAME (line 53): "twice" is given twice in activation_encodings (lines 46 and 53)');
    expect(table).not.toMatch(/\x1b\[/);
  });
});

describeCorpus('show on corpus sources', () => {
  it('mnist 1.0.0 JSON: 6 activation rows + 32+64+128+512+10 channel rows', () => {
    const out = json(readSource(corpusInput('encodings/aimet/mnist_v1.0.0_per_channel.encodings')));
    expect(out.entries).toHaveLength(6 + 32 + 64 + 128 + 512 + 10);
    const fc2 = out.entries.filter((e) => e['name'] === 'fc2.weight');
    expect(fc2.map((e) => e['channel'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fc2[9]).toEqual({
      name: 'fc2.weight',
      section: 'param',
      dtype: 'int',
      bitwidth: 8,
      layout: 'per-channel',
      channel: 9,
      scale: 0.0008433784823864698,
      offset: -128,
      isSymmetric: true,
      line: 1600,
      pointer: '/param_encodings/4',
    });
  });

  it('CLI: dlcverify show <encodings> --format json exits 0 with the entries', async () => {
    const run = await cli(['show', corpusPath('encodings/aimet/resnet50_w8a16_v0.6.1.encodings'), '--format', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.format).toBe('aimet-legacy');
    expect(out.counts).toEqual({ entries: 127, activation: 73, param: 54, rows: 127 });
    expect(out.entries.find((e: { name: string }) => e.name === '137')).toMatchObject({ bitwidth: 16, offset: -28765, scale: 7.319852011278272e-5 });
  });

  it('CLI: a _torch file exits 2 with one line, no stack trace', async () => {
    const run = await cli(['show', corpusPath('encodings/aimet/rangenet_qat_v0.6.1_torch.encodings')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('pass the .encodings file');
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('CLI show on constructed sources', () => {
  it('a range CSV as csv', async () => {
    const run = await cli(['show', fixturePath('ranges-crlf-quoted.csv'), '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toHaveLength(6);
  });

  it('invalid JSON exits 2 with one line naming line 3, column 26', async () => {
    const run = await cli(['show', fixturePath('invalid-missing-comma.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/\b3\D+26\b/);
  });
});
