/**
 * Policy once, before anything is written (issue #11, item 2): `decide` is the one pure function
 * that says what fails and with which exit code; every command applies it before writing, so a
 * run writes either its reports or one error (one JSON document with --format json).
 *
 * The inputs are the repository's own samples, EDITED at run time: dropping the `DLC info of:`
 * line of samples/qairt/tiny_qairt225_dlc_info.txt gives a parser warning (DUMP_HEADER_MISSING),
 * and giving an entry of samples/qairt/tiny.encodings a bitwidth of 0 gives SOURCE_BAD_VALUE.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, ResultKind } from '../src/model.js';
import { decide, parseFailOn, type Judged } from '../src/verify/policy.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const DUMP = 'samples/qairt/tiny_qairt225_dlc_info.txt';
const SOURCE = 'samples/qairt/tiny.encodings';

const dir = tempDir('dlcverify-policy-');
/** The sample dump without its `DLC info of:` line: a fragment, DUMP_HEADER_MISSING (a warning). */
const headless = join(dir, 'headless_info.txt');
writeFileSync(headless, readFileSync(DUMP, 'utf8').replace(/^DLC info of:.*\n/, ''));
/** The sample overrides with a bitwidth of 0 in its first entry: SOURCE_BAD_VALUE (a warning). */
const badSource = join(dir, 'bad_bitwidth.encodings');
writeFileSync(badSource, readFileSync(SOURCE, 'utf8').replace(/"bitwidth": 8/, '"bitwidth": 0'));

const warning: Diagnostic = { code: 'DUMP_TRUNCATED', severity: 'warning', detail: 'no footer', at: { file: 'a.txt', line: 9 } };
const info: Diagnostic = { code: 'DUMP_CRLF', severity: 'info', detail: 'CRLF', at: { file: 'a.txt' } };
const f = (code: string, kind: ResultKind, waivedBy?: string): Judged => ({ code, kind, ...(waivedBy ? { waivedBy } : {}) });

/** stdout is exactly one JSON document (JSON.parse throws on a second one after the first). */
function oneJson(stdout: string): unknown {
  return JSON.parse(stdout);
}

describe('decide: findings, diagnostics, --strict, --fail-on -> what fails and the exit code', () => {
  it.each([
    ['nothing', [], [], {}, 0],
    ['a fail finding', [f('REAL_MISMATCH', 'fail')], [], {}, 1],
    ['a waived fail finding', [f('REAL_MISMATCH', 'fail', '--waive *')], [], {}, 0],
    ['a warn finding by default', [f('AMBIGUOUS_MATCH', 'warn')], [], {}, 0],
    ['a warn finding with --fail-on warn', [f('AMBIGUOUS_MATCH', 'warn')], [], { failOn: parseFailOn(['warn']) }, 1],
    ['an ok finding named by --fail-on', [f('ZERO_POINT_NUDGED', 'ok')], [], { failOn: parseFailOn(['ZERO_POINT_NUDGED']) }, 1],
    ['--fail-on none', [f('REAL_MISMATCH', 'fail')], [], { failOn: parseFailOn(['none']) }, 0],
    ['a warning without --strict', [], [warning], {}, 0],
    ['an info diagnostic with --strict', [], [info], { strict: true }, 0],
    ['a warning with --strict, even with failing findings', [f('REAL_MISMATCH', 'fail')], [warning], { strict: true }, 2],
  ] as const)('%s', (_name, findings, diagnostics, policy, exitCode) => {
    const outcome = decide(findings, diagnostics, policy);
    expect(outcome.exitCode).toBe(exitCode);
    if (outcome.exitCode === 2) {
      expect(outcome.error.code).toBe('STRICT_DIAGNOSTICS');
      expect(outcome.error.message).toBe('--strict: 1 parser diagnostic(s), first: a.txt:9: DUMP_TRUNCATED no footer');
    } else {
      expect(outcome.failing.length > 0).toBe(exitCode === 1);
    }
  });
});

describe('--strict is decided before anything is written', () => {
  it('verify --strict --format json prints one JSON document (the error), writes no report', async () => {
    const report = join(dir, 'never.xml');
    const r = await cli(['verify', headless, SOURCE, '--strict', '--format', 'json', '--report', `junit=${report}`]);
    expect(r.code).toBe(2);
    const doc = oneJson(r.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('STRICT_DIAGNOSTICS');
    expect(doc.error.message).toContain('DUMP_HEADER_MISSING');
    expect(r.files.size).toBe(0);
  });

  it('verify without --strict writes the report and judges it (the warning is only listed)', async () => {
    const r = await cli(['verify', headless, SOURCE, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = oneJson(r.stdout) as { diagnostics: { code: string }[] };
    expect(doc.diagnostics.map((d) => d.code)).toContain('DUMP_HEADER_MISSING');
  });

  it('diff --strict --format json prints one JSON document', async () => {
    const r = await cli(['diff', DUMP, headless, '--strict', '--format', 'json']);
    expect(r.code).toBe(2);
    expect((oneJson(r.stdout) as { error: { code: string } }).error.code).toBe('STRICT_DIAGNOSTICS');
  });

  it.each([
    ['a model', () => headless, 'DUMP_HEADER_MISSING'],
    ['a source', () => badSource, 'SOURCE_BAD_VALUE'],
  ])('show %s --strict --format json prints only the error (show used to print the model first, and ignored --strict for sources)', async (_side, file, code) => {
    const r = await cli(['show', file(), '--strict', '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = oneJson(r.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('STRICT_DIAGNOSTICS');
    expect(doc.error.message).toContain(code);
  });
});

describe('errors in the format asked for, in every spelling', () => {
  it.each([[['--format', 'json']], [['--format=json']], [['-f', 'json']]])('%j: a missing input is a JSON error on stdout', async (flag) => {
    const r = await cli(['verify', join(dir, 'missing.txt'), SOURCE, ...flag]);
    expect(r.code).toBe(2);
    expect((oneJson(r.stdout) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('each command refuses what it cannot write, before reading any file', () => {
  // The input does not exist: a USAGE error (not NOT_FOUND) proves nothing was read.
  const missing = join(dir, 'does-not-exist.encodings');

  it.each(['sarif', 'markdown', 'junit', 'github', 'html'])('show --format %s is refused (it printed a table for a source)', async (format) => {
    const r = await cli(['show', missing, '--format', format]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--format ${format}: show writes table, json, csv`);
    expect(r.stdout).toBe('');
  });

  it('show --format sarif is refused for an existing source too', async () => {
    const r = await cli(['show', SOURCE, '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('show --report is refused (show writes to stdout only)', async () => {
    const r = await cli(['show', missing, '--report', `json=${join(dir, 'x.json')}`, '--format', 'json']);
    expect(r.code).toBe(2);
    expect((oneJson(r.stdout) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'USAGE' });
  });

  it.each(['verify', 'diff'])('%s --report with an unknown format is refused before reading', async (command) => {
    const r = await cli([command, missing, missing, '--report', `pdf=${join(dir, 'x.pdf')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report pdf=');
  });
});
