import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tmp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectInput } from '../src/parse/detect.js';
import { inputSide } from '../src/parse/load.js';
import { inputFromBytes, inputFromText } from '../src/parse/input.js';
import { corpusInput, describeCorpus } from './helpers/corpus.js';
import { cli } from './helpers/cli.js';

describe('detectInput: by content, not by extension', () => {
  it.each([
    ['dump with header', 'DLC info of: /x.dlc\n', 'dump'],
    ['dump after a shell prompt', '$ snpe-dlc-info -i x.dlc\nDLC info for: /x.dlc\n', 'dump'],
    ['headerless op table fragment', '------\n| Id  | Name | Type | Inputs |\n', 'dump'],
    ['headerless I/O table', '| Input Name  | Dimensions   | Type    | Encoding Info |\n', 'dump'],
    ['JSON object', '  {"version": "1.0.0"}', 'json'],
    ['pbtxt', 'node {\n  name: "x"\n}\n', 'graphdef-text'],
    ['range CSV with header', 'name,min,max\nx,0,1\n', 'range-csv'],
    ['range CSV without header', 'conv1/Relu:0,0,6.5,8\n', 'range-csv'],
    ['prose', 'hello world\n', 'unknown'],
    ['a README that mentions the header in a sentence', '# samples\n- `seed.txt`: a dump in the 1.6x style (`DLC info for:`, 8 columns)\n', 'unknown'],
    ['CSV dump (quoted header cell)', '"DLC info for: /x.dlc"\n', 'dump'],
    ['indented header', '   DLC info of: /x.dlc\n', 'dump'],
    ['whitespace only', '  \n\n', 'empty'],
  ])('%s', (_name, text, kind) => {
    expect(detectInput(inputFromText('x', text))).toBe(kind);
  });

  it('the dump parser also takes the header only at the start of a line', async () => {
    const dir = tempDir('dlcverify-detect-');
    const path = join(dir, 'notes.txt');
    // Detected as a dump by its second line; the first mentions the header mid-sentence.
    writeFileSync(path, 'see the `DLC info of:` line below\nDLC info of: /x.dlc\n');
    const run = await cli(['show', path, '--format', 'json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as { diagnostics: { code: string; line: number }[] };
    expect(shown.diagnostics).toContainEqual(expect.objectContaining({ code: 'DUMP_PREAMBLE_SKIPPED', line: 1 }));
  });

  it('a zip is a .dlc whatever its name', () => {
    expect(detectInput(inputFromBytes('model.txt', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])))).toBe('dlc');
  });

  it('a PNG is unknown, an empty file is empty', () => {
    expect(detectInput(inputFromBytes('x.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])))).toBe('unknown');
    expect(detectInput(inputFromBytes('x', new Uint8Array()))).toBe('empty');
  });
});

describeCorpus('show routes every corpus file to the right side', () => {
  it('a QNN net.json is a model, an overrides file a source (decided from the head)', () => {
    expect(inputSide(corpusInput('qnn/resnet18_int8_net.json'))).toBe('model');
    expect(inputSide(corpusInput('qnn/resnet18.encodings'))).toBe('source');
  });

  it.each([
    'dumps/qairt222_yolov5s_float_tail.txt',
    'dumps/qairt222_yolov5s_float_tail2.txt',
    'dumps/qairt222_yolov8s_int8_io_tables_only.txt',
    'dumps/qairt225_docs_spoken_digit_float_table.txt',
  ])('headerless fragment %s is read as a dump', async (file) => {
    const run = await cli(['show', `${corpusInput(file).name}`, '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { family: string; diagnostics: { code: string }[] };
    expect(json.family).toBe('qairt-2.2x');
    expect(json.diagnostics.map((d) => d.code)).toContain('DUMP_HEADER_MISSING');
  });

  it('the io-tables-only fragment carries its 2 encodings', async () => {
    const run = await cli(['show', corpusInput('dumps/qairt222_yolov8s_int8_io_tables_only.txt').name, '--format', 'json']);
    expect((JSON.parse(run.stdout) as { encodings: unknown[] }).encodings).toHaveLength(2);
  });
});

describeCorpus('swapped or wrong-side arguments say which side a file belongs to', () => {
  it.each([
    ['encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings', 'dumps/qairt222_yolov8s_int8.txt', /pass it second/],
    ['fakequant/on_air_tiny_conv_qat.pb', 'dumps/qairt222_yolov8s_int8.txt', /which is a source: pass it second/],
    ['dumps/qairt222_yolov8s_int8.txt', 'dlc/ort_test_abs.dlc', /which is the DLC side/],
  ])('%s %s', async (first, second, message) => {
    const run = await cli([corpusInput(first).name, corpusInput(second).name]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('show on a file that is neither side', () => {
  it.each([
    ['empty.txt', new Uint8Array(), /EMPTY_INPUT|the file is empty/],
    ['image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]), /not recognised/],
  ])('%s: exit 2, one line naming what show reads', async (name, bytes, message) => {
    const dir = tempDir('dlcverify-detect-');
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const run = await cli(['show', file]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('dump');
    expect(run.stderr).toContain('encodings/overrides JSON');
  });
});
