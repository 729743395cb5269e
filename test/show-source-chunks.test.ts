/**
 * `show <source>` in pieces (a per-channel LLM overrides file has hundreds of thousands of
 * channels): the pieces join to the document written in one go, byte for byte, in every format.
 * The golden files were written by the one-string renderer this replaced (cli-table3 for the table).
 */
import { describe, expect, it } from 'vitest';
import type { SourceSet } from '../src/model.js';
import { renderSourceChunks } from '../src/render/show-source.js';
import { bigSource, edgeCaseSource, emptySource, LONG_NAME } from './fixtures/show/sources.js';

const FORMATS = [
  ['json', false, 'json'],
  ['csv', false, 'csv'],
  ['table', false, 'txt'],
  ['table', true, 'color.txt'],
] as const;

const text = (source: SourceSet, format: string, color = false): string => [...renderSourceChunks(source, { format, color })].join('');

describe('show <source> in pieces, against the one-string renderer it replaced', () => {
  it.each(FORMATS)('edge cases, %s (colour %s): the pieces join to the golden text', async (format, color, extension) => {
    await expect(text(edgeCaseSource(), format, color)).toMatchFileSnapshot(`fixtures/show/source-edge-cases.${extension}`);
  });

  it.each(FORMATS.filter(([, color]) => !color))('no entries, %s: the golden text (a table is only the header line)', async (format, _color, extension) => {
    await expect(text(emptySource(), format)).toMatchFileSnapshot(`fixtures/show/source-empty.${extension}`);
  });

  it('json: the one-go layout, non-finite numbers as null, `__proto__` as data', () => {
    const json = text(edgeCaseSource(), 'json');
    expect(`${JSON.stringify(JSON.parse(json), null, 2)}\n`).toBe(json);
    const parsed = JSON.parse(json) as { entries: Record<string, unknown>[] };
    const fakeQuant = parsed.entries.find((e) => e['name'] === 'fake_quant/act_quant/FakeQuantWithMinMaxVars')!;
    expect([fakeQuant['min'], fakeQuant['max'], fakeQuant['scale']]).toEqual([null, null, null]);
    const lpbq = parsed.entries.find((e) => e['name'] === 'lm_head.weight')!;
    expect(Object.keys(lpbq['layoutInfo'] as object)).toEqual(['block_size', '__proto__', 'compressed_bw']);
  });

  it('table: the column is as wide as the longest name (no wrapping, no ellipsis); a newline makes two lines', () => {
    const lines = text(edgeCaseSource(), 'table').split('\n');
    expect(lines.some((line) => line.startsWith(`│ ${LONG_NAME} │`))).toBe(true);
    const two = lines.findIndex((line) => line.startsWith('│ two '));
    expect(lines[two + 1]).toMatch(/^│ lines +│ +│/);
    // CJK characters take two columns: the padding after them is one space shorter each.
    const cjk = lines.find((line) => line.startsWith('│ 画像_入力'))!;
    const plain = lines.find((line) => line.startsWith('│ input '))!;
    expect(cjk.indexOf('│', 1)).toBe(plain.indexOf('│', 1) - 4);
  });
});

describe('a per-channel source too big for one piece', () => {
  const channelCount = 3000;
  const activationCount = 400;
  const source = bigSource(channelCount, activationCount);

  it.each(['json', 'csv', 'table'])('%s: several pieces, each small enough to die young', (format) => {
    const chunks = [...renderSourceChunks(source, { format, color: false })];
    expect(chunks.length).toBeGreaterThan(1);
    // The renderer's reason to cut: V8 puts strings over 128 KB straight into the old generation.
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024);
  });

  it('json: the one-go layout across piece boundaries, every channel once and in order', () => {
    const json = text(source, 'json');
    expect(`${JSON.stringify(JSON.parse(json), null, 2)}\n`).toBe(json);
    const parsed = JSON.parse(json) as { counts: { rows: number }; entries: { name: string; channel?: number }[] };
    expect(parsed.counts.rows).toBe(activationCount + channelCount);
    expect(parsed.entries).toHaveLength(activationCount + channelCount);
    const channels = parsed.entries.filter((e) => e.name === 'model.layers.0.mlp.up_proj.weight').map((e) => e.channel);
    expect(channels).toEqual(Array.from({ length: channelCount }, (_, c) => c));
  });

  it('csv: a head line, then one line per row, each channel as written', () => {
    const lines = text(source, 'csv').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1 + activationCount + channelCount);
    const weightLines = lines.filter((line) => line.startsWith('model.layers.0.mlp.up_proj.weight,'));
    expect(weightLines).toEqual(
      Array.from({ length: channelCount }, (_, c) => {
        const g = source.entries.at(-1)!.grids[c]!;
        return `model.layers.0.mlp.up_proj.weight,param,int,8,per-channel,,${c},${g.min},${g.max},${g.scale},-128,true,${10 * activationCount + 5},/param_encodings/model.layers.0.mlp.up_proj.weight,`;
      }),
    );
  });

  it('table: one box of equal-width lines across piece boundaries, the channels as one row of spans', () => {
    const lines = text(source, 'table').split('\n');
    expect(lines.pop()).toBe('');
    const box = lines.filter((line) => /^[┌│├└]/.test(line));
    expect(box).toHaveLength(1 + 1 + 2 * (activationCount + 1) + 1); // top, head, a rule and a line per entry, bottom
    expect(new Set(box.map((line) => line.length)).size).toBe(1);
    expect(box.at(-2)).toMatch(/^│ model\.layers\.0\.mlp\.up_proj\.weight +│ param +│ int +│ 8 +│ per-channel +│ 3000 +│ -3 … -0\.001 +│ 0\.001 … 3 +│/);
  });
});
