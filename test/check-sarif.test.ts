/**
 * SARIF of `dlcverify check`, validated by Microsoft's SARIF validator, on the repository's
 * constructed sample `samples/qairt/tiny_qairt225_dlc_info.txt` (no corpus needed), edited at run
 * time: a second part whose graph input `x` is renamed to the first part's output `y` with a 16-bit
 * grid (a failing seam: 8-bit output -> 16-bit input), and a second graph whose weight `w` moved
 * 3 steps (a failing shared weight). The accepted validator warning is SARIF2005 (no public home
 * page for `informationUri` yet), as in test/render-sarif-official.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel } from '../src/parse/load.js';
import { openInput } from '../src/io.js';
import { writeDumpText } from '../src/testing/dump-text.js';
import { cli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { copyGraph, editChannels, editGraph, gridOfScale, moved, onlyGraph, patchTensor, perTensor, renameTensor } from './helpers/model-edit.js';
import { tempDir } from './helpers/tmp.js';

const validator = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
const SAMPLE = join(REPO_ROOT, 'samples', 'qairt', 'tiny_qairt225_dlc_info.txt');

describe('check: SARIF passes the official validator; the sample edited into failing parts and graphs', () => {
  it('seam 8 -> 16 bits and a shared weight moved 3 steps fail (exit 1), and the SARIF validates', async () => {
    const dir = tempDir('dlcverify-check-sarif-');
    const tiny = readModel(openInput(SAMPLE));
    const g = onlyGraph(tiny).name;
    const part2 = editGraph(tiny, g, (x) =>
      patchTensor(renameTensor(renameTensor(x, 'y', 'y2'), 'x', 'y'), 'y', { dtype: 'uFxp_16', dims: onlyGraph(tiny).tensors.get('y')!.dims!, encoding: perTensor(gridOfScale(16, 2 / 65535, 0)) }),
    );
    const p2 = join(dir, 'part2.txt');
    writeFileSync(p2, writeDumpText(part2, { dlcPath: p2 }));
    const w = onlyGraph(tiny).tensors.get('w')!.encoding!;
    const twoGraphs = copyGraph(tiny, g, 'token', (x) => patchTensor(x, 'w', { encoding: editChannels(w, (c) => moved(c, 3)) }));
    const tg = join(dir, 'two-graphs.txt');
    writeFileSync(tg, writeDumpText(twoGraphs, { dlcPath: tg }));

    const seam = await cli(['check', SAMPLE, p2, '--format', 'json']);
    expect(seam.code).toBe(1);
    expect(JSON.parse(seam.stdout).findings.filter((f: { kind: string }) => f.kind === 'fail').map((f: { code: string; tensor: string }) => `${f.code}:${f.tensor}`)).toEqual([
      'SEAM_BITWIDTH_MISMATCH:y',
    ]);
    const shared = await cli(['check', tg, '--format', 'json']);
    expect(shared.code).toBe(1);
    expect(JSON.parse(shared.stdout).findings.filter((f: { kind: string }) => f.kind === 'fail').map((f: { code: string; tensor: string }) => `${f.code}:${f.tensor}`)).toEqual([
      'SHARED_WEIGHT_DIFFERS:w',
    ]);

    const files: string[] = [];
    for (const [name, args] of [
      ['seam.sarif', ['check', SAMPLE, p2, '--verbose']],
      ['shared.sarif', ['check', tg]],
    ] as const) {
      const path = join(dir, name);
      const run = await cli([...args, '--report', `sarif=${path}`]);
      expect(run.code).toBe(1);
      writeFileSync(path, run.files.get(path)!);
      files.push(path);
    }
    const out = join(dir, 'validation.sarif');
    const run = spawnSync(validator, ['validate', ...files, '--output', out, '--log', 'ForceOverwrite', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.error).toBeUndefined();
    const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { ruleId: string; message: { id?: string } }[] }[] };
    const problems = (log.runs[0]?.results ?? []).map((r) => `${r.ruleId}/${r.message.id ?? ''}`).filter((id) => !id.startsWith('SARIF2005'));
    expect(problems).toEqual([]);
  }, 120_000);
});
