import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/corpus.js';

describe('cli wiring', () => {
  it('prints help that teaches, exit 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dlcverify <dlc> <source>');
    expect(run.stdout).toContain('Exit codes');
  });

  it('a missing file exits 2 with one line naming it', async () => {
    const run = await cli(['show', '/nonexistent/x.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('/nonexistent/x.txt');
  });

  it('bad usage exits 2', async () => {
    const run = await cli(['only-one-arg']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage|arguments/i);
  });

  it('errors are JSON under --format json', async () => {
    const run = await cli(['show', '/nonexistent/x.txt', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('a reader that goes away (`| head`) ends the run quietly with its own exit code', async () => {
    const bin = join(REPO_ROOT, 'bin', 'dlcverify.js');
    // Verbose seed report: exit 1 (one MISSING_IN_DLC), longer than the first chunk we read.
    const child = spawn(process.execPath, [bin, 'samples/seed/seed_dlc_info.txt', 'samples/seed/encoding.json', '--verbose', '--format', 'json'], {
      cwd: REPO_ROOT,
    });
    let stderr = '';
    child.stderr.on('data', (d) => void (stderr += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect([0, 1]).toContain(code);
  });

  it('bin/dlcverify.js runs the compiled CLI (one spawn test)', () => {
    const bin = join(REPO_ROOT, 'bin', 'dlcverify.js');
    const ok = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(ok.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync(process.execPath, [bin, 'show', '/nonexistent/file'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
