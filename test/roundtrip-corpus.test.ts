/**
 * Real dumps through parse -> write: the writer reproduces what Qualcomm's own `snpe-dlc-info`
 * printed (corpus `oracle/` and the yolov8 dump), byte for byte where the model holds everything
 * the dump said, and at least every op-table line (the padded cells, continuation rows,
 * per-channel `-d` lines) everywhere. Pins both the writer's fidelity and the parser's
 * completeness: a field the parser dropped shows up here as a differing line.
 */
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseDump } from '../src/parse/dump/index.js';
import { splitLines } from '../src/parse/input.js';
import { writeDumpCsv } from '../src/testing/dump-csv.js';
import { writeDumpText } from '../src/testing/dump-text.js';
import { CORPUS_DIR, corpusPresent, corpusText, describeCorpus } from './helpers/corpus.js';


function dumpsIn(dir: string, keep: (name: string) => boolean): string[] {
  return corpusPresent ? readdirSync(`${CORPUS_DIR}/${dir}`).filter(keep).sort().map((f) => `${dir}/${f}`) : [];
}

const TEXT_DUMPS = [
  'dumps/qairt222_yolov8s_int8.txt',
  ...dumpsIn('oracle/qairt225', (f) => f.endsWith('.txt')),
  ...dumpsIn('oracle/snpe159', (f) => f.endsWith('.txt')),
  ...dumpsIn('oracle/snpe117', (f) => f.endsWith('.txt')),
];
const CSV_DUMPS = [...dumpsIn('oracle/qairt225', (f) => f.endsWith('.csv')), ...dumpsIn('oracle/snpe159', (f) => f.endsWith('.csv'))];

/** The DLC path of the first line (`DLC info of: /data/x.dlc`): the model keeps the dump's own name. */
function dlcPathOf(text: string): string {
  const first = text.slice(0, text.indexOf('\n')).replace(/\r$/, '').replace(/^"|"$/g, '');
  return first.slice(first.indexOf('/'));
}

function rewrite(rel: string): { original: string; written: string } {
  const original = corpusText(rel);
  const model = parseDump(splitLines(original), rel);
  const options = { dlcPath: dlcPathOf(original) };
  return { original, written: rel.endsWith('.csv') ? writeDumpCsv(model, options) : writeDumpText(model, options) };
}

describeCorpus('round trip of real dumps: parse -> write reproduces the tool output', () => {
  it('finds the dumps', () => {
    expect(TEXT_DUMPS.length).toBeGreaterThanOrEqual(13);
    expect(CSV_DUMPS.length).toBe(4);
  });

  it.each([...TEXT_DUMPS, ...CSV_DUMPS])('%s: every op-table line written back identically', (rel) => {
    const { original, written } = rewrite(rel);
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') || /^\d+,|^,{6}/.test(l));
    expect(rows(written)).toEqual(rows(original));
  });

  // Byte-exact where the model keeps every header/footer line the tool printed.
  it.each([
    'dumps/qairt222_yolov8s_int8.txt',
    'oracle/qairt225/tiny_cnn_snpe225_overrides.dlcinfo.txt',
    'oracle/qairt225/qdq_conv_u8_qairt225.dlcinfo.txt',
    'oracle/qairt225/ort_qnn_ir_dump_v4_fixcrc.txt',
    'oracle/snpe159/aidlux_yolov5n_int8.txt',
    'oracle/snpe159/ort_test_abs_q.txt',
    'oracle/snpe117/openpilot_dmonitoring_requant_snpe117.txt',
    'oracle/qairt225/ort_qnn_ir_dump_v4_fixcrc.csv',
    'oracle/snpe159/ort_test_abs_q.csv',
  ])('%s: byte for byte', (rel) => {
    const { original, written } = rewrite(rel);
    expect(written).toBe(original);
  });
});
