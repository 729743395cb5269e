/**
 * The box-drawn table writer used by the terminal report and `show`: cli-table3's layout, linear.
 */
import { describe, expect, it } from 'vitest';
import { boxTable, carryColours, terminalWidth, wrapText } from '../src/render/box-table.js';

describe('boxTable', () => {
  it('fits columns to the widest line, pads one space each side, draws rules between rows', () => {
    const text = boxTable({ head: ['a', 'bb'], rows: [['xyz', '1\n22'], ['', '3']] });
    expect(text.split('\n')).toEqual([
      '┌─────┬────┐',
      '│ a   │ bb │',
      '├─────┼────┤',
      '│ xyz │ 1  │',
      '│     │ 22 │',
      '├─────┼────┤',
      '│     │ 3  │',
      '└─────┴────┘',
    ]);
  });

  it('cuts a line wider than a fixed column with an ellipsis, and draws no rules when asked', () => {
    const text = boxTable({ head: ['name'], rows: [['abcdefgh']], colWidths: [7], rowLines: false });
    expect(text.split('\n')).toEqual(['┌───────┐', '│ name  │', '│ abcd… │', '└───────┘']);
  });

  it('measures terminal columns without colour codes, not UTF-16 units', () => {
    expect(terminalWidth('\u001b[31mFAIL\u001b[39m')).toBe(4);
    expect(terminalWidth('min = −max')).toBe(10);
    expect(terminalWidth('𝑥')).toBe(1);
    const text = boxTable({ head: ['k'], rows: [['\u001b[31mFAIL\u001b[39m']], headStyle: (s) => `<${s}>` });
    expect(text.split('\n')[1]).toBe('│< k    >│');
    expect(text.split('\n')[3]).toBe('│ \u001b[31mFAIL\u001b[39m │');
  });

  it('keeps the borders aligned on wide characters: fitted, cut and wrapped by columns', () => {
    const name = '卷积层_权重_通道'; // 9 characters, 16 columns
    expect(terminalWidth(name)).toBe(16);
    const fitted = boxTable({ head: ['tensor', 'v'], rows: [[name, '1']] }).split('\n');
    expect(new Set(fitted.map(terminalWidth)).size).toBe(1);
    const cut = boxTable({ head: ['tensor'], rows: [[name]], colWidths: [10] }).split('\n');
    expect(cut[3]).toBe('│ 卷积层_… │');
    expect(new Set(cut.map(terminalWidth))).toEqual(new Set([10 + 2]));
    const wrapped = wrapText(`${name} 🙂🙂🙂🙂`, 6);
    expect(wrapped.split('\n').every((line) => terminalWidth(line) <= 6)).toBe(true);
    expect(wrapped.replace(/\n/g, '')).toBe(`${name}🙂🙂🙂🙂`.replace(/ /g, ''));
    const drawn = boxTable({ head: ['tensor'], rows: [[wrapped]], colWidths: [8] }).split('\n');
    expect(new Set(drawn.map(terminalWidth))).toEqual(new Set([10]));
  });

  it('draws 100,000 rows (one per channel of a big model) in linear time', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [`tensor_${i}`, String(i * 0.5)]);
    const text = boxTable({ head: ['tensor', 'value'], rows, rowLines: false });
    expect(text.split('\n')).toHaveLength(100_000 + 3);
  });

  it('measures as cli-table3 did when asked (terminalWidth), and carries colours across a cell\'s lines', () => {
    expect(terminalWidth('古\tx')).toBe(3); // a wide character two columns, a tab none
    expect(terminalWidth('e\u0301')).toBe(1); // a combining accent none
    expect(terminalWidth('🙂')).toBe(2);
    expect(terminalWidth('\u001b[31mFAIL\u001b[39m')).toBe(4);
    expect(carryColours('plain\ntext')).toBe('plain\ntext');
    // The lines cli-table3 0.6.5 drew for these rows, byte for byte.
    const rows = [
      ['\u001b[31mred\nstill red\u001b[39m', '古\tx'],
      ['\u001b[1mbold\u001b[0m plain', 'e\u0301'],
    ].map((row) => row.map(carryColours));
    expect(boxTable({ head: ['k', 'v'], rows }).split('\n')).toEqual([
      '┌────────────┬─────┐',
      '│ k          │ v   │',
      '├────────────┼─────┤',
      '│ \u001b[31mred\u001b[39m        │ 古\tx │',
      '│ \u001b[31mstill red\u001b[39m  │     │',
      '├────────────┼─────┤',
      '│ \u001b[1mbold\u001b[0m plain │ e\u0301   │',
      '└────────────┴─────┘',
    ]);
  });
});
