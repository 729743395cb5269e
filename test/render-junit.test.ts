import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { stripInvalidXmlChars } from '../src/render/escape.js';
import { renderReport } from '../src/render/index.js';
import { CONTROL_NAME, diffReport, verifyReport, XSS_NAME } from './fixtures/render/reports.js';

const quiet = { color: false, verbose: false } as const;

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  'system-out': string;
  properties: { property: { name: string; value: string }[] };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  skipped: string;
  testcase?: Case[];
  'system-out'?: string;
}

function parse(xml: string): { testsuites: { tests: string; failures: string; skipped: string; testsuite: Suite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml);
}

describe('junit report', () => {
  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'junit', quiet)).toMatchFileSnapshot('fixtures/render/verify.xml');
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'junit', quiet)).toMatchFileSnapshot('fixtures/render/diff.xml');
  });

  it('a suite per graph and role, a case per tensor/channel, failures typed by verdict', () => {
    const doc = parse(renderReport(verifyReport(), 'junit', quiet));
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual([
      'dlcverify',
      'pipeline',
      'post / graph-output',
      'unmatched',
      'yolov8s / activation',
      'yolov8s / param',
    ]);
    // 14 rows, NOT_IN_SOURCE routine row left out without --verbose
    expect(doc.testsuites.tests).toBe('14');
    expect(doc.testsuites.failures).toBe('4');
    expect(doc.testsuites.skipped).toBe('1');
    const param = suites.find((s) => s.name === 'yolov8s / param')!;
    expect(param.testcase!.map((c) => c.name)).toEqual(['model.0.conv.weight [ch 0]', 'model.0.conv.weight [ch 1]']);
    expect(param.testcase![0]!.failure).toBeUndefined();
    expect(param.testcase![1]!.failure).toMatchObject({ type: 'REAL_MISMATCH' });
    expect(param.failures).toBe('1');
    const failures = suites.flatMap((s) => s.testcase ?? []).filter((c) => c.failure);
    expect(failures.map((c) => c.failure!.type).sort()).toEqual(['FLOAT_FALLBACK', 'MISSING_IN_DLC', 'REAL_MISMATCH', 'REAL_MISMATCH']);
    const conv = failures.find((c) => c.name === '/model.2/cv1/conv/Conv_output_0')!;
    expect(conv.failure!['#text']).toContain('closest explanation: ZERO_POINT_NUDGED, still 20.40 steps off');
  });

  it('waived and expected deviations are visible', () => {
    const doc = parse(renderReport(verifyReport(), 'junit', quiet));
    const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase ?? []);
    const waived = cases.find((c) => c.name === '/model.9/m/MaxPool_output_0')!;
    expect(waived.failure).toBeUndefined();
    expect(waived.skipped!.message).toContain('waived by --waive /model.9/*:BITWIDTH_MISMATCH');
    const nudged = cases.find((c) => c.name.startsWith('=HYPERLINK'))!;
    expect(nudged.properties.property).toContainEqual({ name: 'status', value: 'expected deviation' });
    expect(nudged.properties.property).toContainEqual({ name: 'verdict', value: 'ZERO_POINT_NUDGED' });
    expect(nudged['system-out']).toMatch(/^EXPECTED DEVIATION ZERO_POINT_NUDGED/);
  });

  it('names survive escaping; invalid XML characters are dropped', () => {
    const xml = renderReport(verifyReport(), 'junit', quiet);
    expect(xml).not.toContain('\u0007');
    const cases = parse(xml).testsuites.testsuite.flatMap((s) => s.testcase ?? []);
    const names = cases.map((c) => c.name);
    expect(names).toContain(XSS_NAME);
    expect(names).toContain(CONTROL_NAME.replace('\u0007', ''));
    expect(names).toContain('</script><!--\u2028tail');
  });

  it('is deterministic: no timestamp, hostname or time', () => {
    const a = renderReport(verifyReport(), 'junit', quiet);
    expect(a).toBe(renderReport(verifyReport(), 'junit', quiet));
    expect(a).not.toMatch(/timestamp=|hostname=|time=/);
  });

  it('--verbose adds the routine rows', () => {
    const doc = parse(renderReport(verifyReport(), 'junit', { ...quiet, verbose: true }));
    expect(doc.testsuites.tests).toBe('15');
  });

  it('diff: regressions are failures, the op list diff is in the run suite', () => {
    const doc = parse(renderReport(diffReport(), 'junit', quiet));
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['dlcverify', 'metadata', 'yolov8s / op', 'yolov8s / tensor']);
    const failures = suites.flatMap((s) => s.testcase ?? []).filter((c) => c.failure);
    expect(failures.map((c) => c.failure!.type).sort()).toEqual(['BECAME_FLOAT', 'OP_REMOVED']);
    expect(suites[0]!['system-out']).toContain(`-120 ${XSS_NAME} Reshape`);
  });
});

describe('stripInvalidXmlChars', () => {
  it.each([
    ['plain text', 'conv1/Relu:0 min −1.0', 'conv1/Relu:0 min −1.0'],
    ['tab, LF and CR stay', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    ['C0 controls go', 'a\u0000b\u0001c\u001fd\u000be\u000cf', 'abcdef'],
    ['a valid surrogate pair stays', 'x\ud83d\ude00y', 'x\ud83d\ude00y'],
    ['a lone high surrogate goes', 'x\ud83dy', 'xy'],
    ['a lone low surrogate goes', 'x\ude00y', 'xy'],
    ['a high surrogate at the end goes', 'x\ud83d', 'x'],
    ['U+FFFE and U+FFFF go', 'a\ufffeb\uffffc', 'abc'],
  ])('%s', (_name, text, expected) => {
    expect(stripInvalidXmlChars(text)).toBe(expected);
  });
});
