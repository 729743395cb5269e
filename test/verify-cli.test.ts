/**
 * The verify command in-process: flags, config file, strict mode, report files, colour, JSON shape.
 * Inputs: the constructed samples (`samples/`) and fixtures; temporary files for variants.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { cli } from './helpers/cli.js';

const TINY_DUMP = 'samples/qairt/tiny_qairt225_dlc_info.txt';
const TINY_JSON = 'samples/qairt/tiny.encodings';
const SEED_DUMP = 'samples/seed/seed_dlc_info.txt';
const SEED_JSON = 'samples/seed/encoding.json';

function tmp(name: string, text: string): string {
  const dir = tempDir('dlcverify-verify-');
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** tiny.encodings with every name prefixed by `net/` (so only a rename finds them). */
function prefixedTiny(): string {
  const data = JSON.parse(readFileSync(TINY_JSON, 'utf8')) as Record<string, Record<string, unknown>>;
  const renamed: Record<string, Record<string, unknown>> = {};
  for (const section of ['activation_encodings', 'param_encodings']) {
    renamed[section] = {};
    for (const [k, v] of Object.entries(data[section] ?? {})) renamed[section]![`net/${k}`] = v;
  }
  return tmp('tiny.encodings', JSON.stringify(renamed));
}

describe('dlcverify verify (in-process)', () => {
  it('`verify` subcommand and the default command agree', async () => {
    const a = await cli([TINY_DUMP, TINY_JSON, '--format', 'json']);
    const b = await cli(['verify', TINY_DUMP, TINY_JSON, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--rename is repeatable and recorded per result', async () => {
    const json = prefixedTiny();
    const without = await cli([TINY_DUMP, json, '--format', 'json']);
    expect(without.code).toBe(1);
    expect(JSON.parse(without.stdout).summary.byVerdict.MISSING_IN_DLC).toBe(4);
    const run = await cli([TINY_DUMP, json, '--rename', '^net/x$=>x', '--rename', '^net/(.*)$=>$1', '--format', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.coverage.byRule).toEqual({ 'user-rename': 4 });
    expect(out.results.find((r: { tensor: string }) => r.tensor === 'x').match.detail).toBe('^net/x$=>x');
  });

  it('a bad --rename, --fail-on or --waive is a usage error (exit 2, one line)', async () => {
    for (const args of [['--rename', 'nope'], ['--fail-on', 'sometimes'], ['--waive', '']]) {
      const run = await cli([TINY_DUMP, TINY_JSON, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/^dlcverify: error: /);
    }
  });

  it('config file: found in the working directory, or given with --config; CLI --fail-on wins', async () => {
    const dir = tempDir('dlcverify-cfg-');
    writeFileSync(join(dir, 'dlcverify.config.json'), JSON.stringify({ waivers: ['*/res1_1/conv2/*:MISSING_IN_DLC'] }));
    const abs = (p: string) => join(process.cwd(), p);
    expect((await cli([abs(SEED_DUMP), abs(SEED_JSON)])).code).toBe(1);
    expect((await cli([abs(SEED_DUMP), abs(SEED_JSON)], { cwd: dir })).code).toBe(0);
    const explicit = tmp('my.json', JSON.stringify({ failOn: ['info'] }));
    expect((await cli([SEED_DUMP, SEED_JSON, '--config', explicit, '--waive', '*:MISSING_IN_DLC'])).code).toBe(1);
    expect((await cli([SEED_DUMP, SEED_JSON, '--config', explicit, '--waive', '*:MISSING_IN_DLC', '--fail-on', 'fail'])).code).toBe(0);
  });

  it('a broken config is exit 2 BAD_CONFIG; a missing --config is NOT_FOUND', async () => {
    const bad = await cli([TINY_DUMP, TINY_JSON, '--config', tmp('c.json', '{"waivers": 3}'), '--format', 'json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('BAD_CONFIG');
    const missing = await cli([TINY_DUMP, TINY_JSON, '--config', '/nonexistent/cfg.json', '--format', 'json']);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');
  });

  it('--strict turns parser warnings into exit 2 (after writing the report)', async () => {
    // tiny.encodings with `c` made inconsistent (offset·scale ≠ min): a source warning.
    const data = JSON.parse(readFileSync(TINY_JSON, 'utf8')) as { activation_encodings: Record<string, [Record<string, number>]> };
    data.activation_encodings['c']![0]['scale'] = 0.01568627543747425;
    const inconsistent = tmp('tiny-inconsistent.encodings', JSON.stringify(data));
    const plain = await cli([TINY_DUMP, inconsistent, '--format', 'json']);
    expect(JSON.parse(plain.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain('SOURCE_INCONSISTENT_ENTRY');
    const clean = await cli([TINY_DUMP, TINY_JSON, '--strict']);
    expect(clean.code).toBe(0);
    const strict = await cli([TINY_DUMP, inconsistent, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('--strict');
  });

  it('--report FORMAT=PATH writes the JSON report too', async () => {
    const run = await cli([SEED_DUMP, SEED_JSON, '--report', 'json=out/verify.json']);
    expect(run.code).toBe(1);
    const written = JSON.parse(run.files.get('out/verify.json')!);
    expect(written.summary.exitCode).toBe(1);
    expect(run.stdout).toContain('✖ FAILED');
  });

  it('__proto__ and constructor stay data: matched / missing, and present in the JSON', async () => {
    const run = await cli(['test/fixtures/dump/proto-tensor-name.txt', 'test/fixtures/verify/proto-tensor-names.json', '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    const proto = out.results.find((r: { tensor: string }) => r.tensor === '__proto__');
    expect(proto).toMatchObject({ verdict: 'EXACT', match: { rule: 'exact' } }); // 0.01568627543747425 is a float32
    expect(out.results.find((r: { tensor: string }) => r.tensor === 'constructor').verdict).toBe('MISSING_IN_DLC');
    expect(Object.keys(out.summary.byVerdict).sort()).toEqual(['EXACT', 'MISSING_IN_DLC', 'NOT_IN_SOURCE']);
  });

  it('colour only on a TTY and never with NO_COLOR; the table report says what to do next', async () => {
    const tty = await cli([SEED_DUMP, SEED_JSON], { tty: true });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = await cli([SEED_DUMP, SEED_JSON], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    const piped = await cli([SEED_DUMP, SEED_JSON]);
    expect(piped.stdout).not.toContain('\u001b[');
    expect(piped.stdout).toContain('What to do next');
    expect(piped.stdout).toContain('--waive');
    for (const line of piped.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--verbose lists every tensor', async () => {
    const quiet = await cli([SEED_DUMP, SEED_JSON]);
    const verbose = await cli([SEED_DUMP, SEED_JSON, '--verbose']);
    expect(quiet.stdout).not.toContain('Every tensor');
    expect(verbose.stdout).toContain('Every tensor (9)');
  });

  it('--version ends with a newline', async () => {
    const run = await cli(['--version']);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('golden terminal reports (samples, constructed)', () => {
  it.each([
    ['seed-missing-in-dlc.txt', [SEED_DUMP, SEED_JSON]],
    ['tiny-qairt225-verified.txt', [TINY_DUMP, TINY_JSON]],
  ])('%s', async (golden, args) => {
    const run = await cli(args);
    await expect(run.stdout).toMatchFileSnapshot(`fixtures/verify/golden/${golden}`);
  });
});

describe('multi-graph DLCs (constructed dump fixture of the dump branch)', () => {
  const dump = 'test/fixtures/dump/qairt-multigraph-repeated-names.txt';
  const src = () =>
    tmp('c.json', JSON.stringify({ activation_encodings: { c: [{ bitwidth: 8, min: -2, max: 2, scale: 0.01568627543747425, offset: -128 }] }, param_encodings: {} }));

  it('one result per graph that holds the tensor; the table names the graph', async () => {
    const json = src();
    const run = await cli([dump, json, '--format', 'json']);
    const out = JSON.parse(run.stdout);
    const c = out.results.filter((r: { tensor: string }) => r.tensor === 'c');
    expect(c.map((r: { graph: string; verdict: string }) => [r.graph, r.verdict])).toEqual([
      ['prompt_processor', 'EXACT'],
      ['token_generator', 'REAL_MISMATCH'],
    ]);
    expect(run.code).toBe(1);
    const table = await cli([dump, json]);
    expect(table.stdout).toContain('token_generator: c');
  });

  it('--graph keeps one graph; an unknown graph is exit 2', async () => {
    const json = src();
    const one = await cli([dump, json, '--graph', 'prompt_processor', '--format', 'json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).notes.join(' ')).toContain('skipped: token_generator');
    expect((await cli([dump, json, '--graph', 'nope'])).code).toBe(2);
  });
});
