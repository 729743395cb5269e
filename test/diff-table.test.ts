/** The terminal table of a diff: what is shown, hidden and cut, with and without --verbose. */
import { describe, expect, it } from 'vitest';
import { renderDiffTable, OP_DIFF_LINES } from '../src/render/table-diff.js';
import { diffModels } from '../src/verify/diff.js';
import { baseOps, baseTensors, graph, grid, model, n, op, perTensor } from './fixtures/diff/models.js';
import type { DiffChange, DiffReport, Tensor } from '../src/model.js';

const plain = { color: false, verbose: false } as const;

describe('renderDiffTable', () => {
  it('hides info rows without --verbose and counts them by code', () => {
    const nudge = (t: Tensor): Tensor =>
      t.name === 'conv_out' ? { ...t, encoding: perTensor({ ...grid(-2, 3), max: n(3 + 1e-13) }) } : t;
    const report = diffModels(model(), model([graph('g', baseTensors().map(nudge), baseOps())]));
    expect(report.changes.map((c) => c.code)).toEqual(['ENCODING_SAME']);
    const table = renderDiffTable(report, plain);
    expect(table).not.toContain('│ info');
    expect(table).toContain('1 info row not shown (1 ENCODING_SAME: encoding unchanged within print precision); --verbose lists them');
    expect(renderDiffTable(report, { ...plain, verbose: true })).toContain('│ info');
  });

  it(`cuts the op list diff at ${OP_DIFF_LINES} lines and says how many more`, () => {
    const many = Array.from({ length: 150 }, (_, i) => op(i, `op${i}`, 'Conv2d', [], []));
    const report = diffModels(model([graph('g', baseTensors(), many)]), model([graph('g', baseTensors(), many.slice(0, 1))]));
    expect(report.changes.filter((c) => c.code === 'OP_REMOVED')).toHaveLength(149);
    const lines = report.opListDiff.replace(/\n$/, '').split('\n').length;
    expect(renderDiffTable(report, plain)).toContain(`… ${lines - OP_DIFF_LINES} more op-list diff lines (--verbose shows all)`);
    expect(renderDiffTable(report, { ...plain, verbose: true })).not.toContain('more op-list diff lines');
  });

  it('colours only when asked, and names graphs when there are several', () => {
    const float = (t: Tensor): Tensor => (t.name === 'conv_out' ? { ...t, dtype: 'Float_32', encoding: undefined } : t);
    const before = model([graph('g', baseTensors(), baseOps()), graph('h', baseTensors(), baseOps())]);
    const after = model([graph('g', baseTensors().map(float), baseOps()), graph('h', baseTensors().map(float), baseOps())]);
    const report = diffModels(before, after);
    expect(renderDiffTable(report, plain)).not.toContain('\u001b[');
    expect(renderDiffTable(report, { ...plain, color: true })).toContain('\u001b[31mregression\u001b[0m');
    expect(renderDiffTable(report, plain)).toMatch(/│ g: conv_out/);
    expect(renderDiffTable(report, plain)).toMatch(/│ h: conv_out/);
  });

  it('draws a --verbose table of 20,000 rows (one per channel of an LLM) and keeps long names whole', () => {
    const base = diffModels(model(), model());
    const name = `/model/layers.${'9'.repeat(60)}/self_attn/q_proj/Conv.weight`;
    const changes: DiffChange[] = Array.from({ length: 20_000 }, (_, i) => ({
      code: 'ENCODING_SAME',
      kind: 'info',
      graph: 'g',
      subject: name,
      channel: i,
      sentence: 'equal within print precision',
    }));
    const report: DiffReport = { ...base, changes };
    const table = renderDiffTable(report, { ...plain, verbose: true });
    expect(table.split('\n').filter((l) => l.startsWith('│ info'))).toHaveLength(20_000);
    expect(table).not.toContain('…');
  });
});
