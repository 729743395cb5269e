/**
 * SARIF reports checked by Microsoft's own validator (`@microsoft/sarif-multitool validate`: the
 * SARIF 2.1.0 JSON schema plus the SDK's rules), on the golden files and on fresh runs of both
 * commands. Two warnings are accepted, each for a reason the report cannot fix:
 * - SARIF2005 "provide informationUri": dlcverify has no public home page to point at yet;
 * - SARIF2017 "provide a region": a change found in a file's metadata (converter version) has a
 *   file but no line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { tempDir } from './helpers/tmp.js';

const validator = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;

interface ValidationResult {
  readonly ruleId: string;
  readonly level?: string;
  readonly message: { readonly id?: string; readonly text?: string };
  readonly locations: { readonly physicalLocation: { readonly artifactLocation: { readonly uri: string } } }[];
}

/** Validates the files in one run of the multitool; its findings, per file name. */
function validate(files: readonly string[]): { file: string; ruleId: string; level: string; message: string }[] {
  const out = join(tempDir('dlcverify-sarif-'), 'validation.sarif');
  const run = spawnSync(validator, ['validate', ...files, '--output', out, '--log', 'ForceOverwrite', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
  expect(run.error).toBeUndefined();
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: ValidationResult[] }[] };
  return (log.runs[0]?.results ?? []).map((r) => ({
    file: r.locations[0]!.physicalLocation.artifactLocation.uri.replace(/^.*\//, ''),
    ruleId: r.ruleId,
    level: r.level ?? 'warning',
    message: r.message.id ?? r.message.text ?? '',
  }));
}

const ACCEPTED = new Set(['SARIF2005/Warning_ProvideToolnformationUri', 'SARIF2017']);

describe("SARIF reports pass Microsoft's SARIF validator", () => {
  it('golden files and fresh verify/diff runs: no schema error, no warning but the two accepted', async () => {
    const dir = tempDir('dlcverify-sarif-');
    const fresh: string[] = [];
    const runs: [string, string[]][] = [
      ['seed-verify.sarif', ['samples/seed/seed_dlc_info.txt', 'samples/seed/encoding.json']],
      ['qairt-verify.sarif', ['samples/qairt/tiny_qairt225_dlc_info.txt', 'samples/qairt/tiny.encodings', '--verbose']],
      ['damaged-diff.sarif', ['diff', 'test/fixtures/dump/qairt-multigraph-repeated-names.txt', 'test/fixtures/dump/damaged-lines.txt']],
    ];
    for (const [name, args] of runs) {
      const path = join(dir, name);
      const run = await cli([...args, '--report', `sarif=${path}`], { cwd: REPO_ROOT });
      expect([0, 1]).toContain(run.code);
      writeFileSync(path, run.files.get(path)!);
      fresh.push(path);
    }
    const golden = ['verify.sarif.json', 'diff.sarif.json', 'real/yolov8s-verify.sarif.json', 'real/yolov8s-diff.sarif.json'].map((f) => join(REPO_ROOT, 'test', 'fixtures', 'render', f));
    const findings = validate([...golden, ...fresh]);
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    const unexpected = findings.filter((f) => !ACCEPTED.has(f.ruleId) && !ACCEPTED.has(`${f.ruleId}/${f.message}`));
    expect(unexpected).toEqual([]);
  }, 120_000);

  it('the validator does validate: a broken report gets schema errors', () => {
    const good = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'render', 'verify.sarif.json'), 'utf8')) as {
      runs: { tool: { driver: Record<string, unknown> }; results: Record<string, unknown>[] }[];
    };
    delete good.runs[0]!.tool.driver['name'];
    good.runs[0]!.results[0]!['level'] = 'fatal';
    const bad = join(tempDir('dlcverify-sarif-'), 'broken.sarif');
    writeFileSync(bad, JSON.stringify(good, null, 2));
    const errors = validate([bad]).filter((f) => f.level === 'error').map((f) => f.ruleId);
    expect(errors.sort()).toEqual(['JSON1002', 'JSON1019']);
  }, 120_000);
});
