import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../src/verify/baseline.js';
import { applyWaivers, globMatch, parseWaiver } from '../src/verify/waivers.js';
import { InputError, type DiffChange } from '../src/model.js';

describe('globMatch', () => {
  it.each([
    ['*', '', true],
    ['*', '/model.0/conv/Conv_output_0', true],
    ['/model.22/*', '/model.22/Mul_output_0', true],
    ['/model.22/*', '/model.2/Mul_output_0', false],
    ['conv?_out', 'conv1_out', true],
    ['conv?_out', 'conv12_out', false],
    ['*Relu:0', 'scope/conv1/Relu:0', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['__proto__', '__proto__', true],
    ['', 'x', false],
  ] as const)('%s matches %s: %s', (glob, text, expected) => {
    expect(globMatch(glob, text)).toBe(expected);
  });

  it('stays fast on a hostile pattern against a long name', () => {
    const start = performance.now();
    expect(globMatch('*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('parseWaiver (diff)', () => {
  it.each([
    ['conv1/*', { subject: 'conv1/*' }],
    ['conv1/*:ENCODING_CHANGED', { subject: 'conv1/*', code: 'ENCODING_CHANGED' }],
    // A colon that is part of a tensor name, not a code.
    ['scope/conv1/Relu:0', { subject: 'scope/conv1/Relu:0' }],
    ['scope/conv1/Relu:0:BECAME_FLOAT', { subject: 'scope/conv1/Relu:0', code: 'BECAME_FLOAT' }],
  ] as const)('%s', (value, expected) => {
    const w = parseWaiver(value, 'diff');
    expect({ subject: w.subject, ...(w.code ? { code: w.code } : {}) }).toEqual(expected);
    expect(w.label).toBe(`--waive ${value}`);
  });
});

describe('parseBaseline', () => {
  it('reads waivers and the step limit', () => {
    const b = parseBaseline(
      JSON.stringify({
        maxEncodingSteps: 2.5,
        accept: [
          { subject: '/model.22/*', code: 'ENCODING_CHANGED', graph: 'yolo*', reason: 'head recalibrated' },
          { subject: 'images', reason: 'new input size' },
        ],
      }),
      'baseline.json',
    );
    expect(b.maxEncodingSteps).toBe(2.5);
    expect(b.waivers).toEqual([
      { subject: '/model.22/*', code: 'ENCODING_CHANGED', graph: 'yolo*', label: 'baseline.json#/accept/0: head recalibrated' },
      { subject: 'images', label: 'baseline.json#/accept/1: new input size' },
    ]);
  });

  it.each([
    ['not json', '{', /not valid JSON/],
    ['an array', '[]', /expected a JSON object/],
    ['a typo in a key', '{"accepts": []}', /unknown key "accepts"/],
    ['an unknown code', '{"accept": [{"subject": "x", "code": "ENCODING_MOVED", "reason": "r"}]}', /\/accept\/0\/code/],
    ['no reason', '{"accept": [{"subject": "x"}]}', /reason/],
    ['an empty subject', '{"accept": [{"subject": "", "reason": "r"}]}', /subject/],
    ['a negative step limit', '{"maxEncodingSteps": -1}', /maxEncodingSteps/],
    ['an unknown entry key', '{"accept": [{"subject": "x", "reason": "r", "tensor": "y"}]}', /unknown key "tensor"/],
  ] as const)('rejects %s with BAD_CONFIG naming the file', (_label, text, message) => {
    let caught: unknown;
    try {
      parseBaseline(text, 'b.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe('BAD_CONFIG');
    expect((caught as InputError).message).toMatch(/^b\.json: /);
    expect((caught as InputError).message).toMatch(message);
  });
});

describe('applyWaivers', () => {
  const change = (subject: string, code: DiffChange['code'], graph = 'g'): DiffChange => ({ code, kind: 'regression', subject, graph, sentence: '' });

  it('matches subject, code and graph; the first matching waiver names itself; unused ones are returned', () => {
    const { changes, unused } = applyWaivers(
      [change('a/x', 'OP_REMOVED'), change('a/y', 'BECAME_FLOAT'), change('b/z', 'OP_REMOVED', 'h')],
      [
        { subject: 'a/*', code: 'OP_REMOVED', label: 'first' },
        { subject: '*', graph: 'h', label: 'graph h' },
        { subject: 'never', label: 'stale' },
      ],
    );
    expect(changes.map((c) => c.waivedBy)).toEqual(['first', undefined, 'graph h']);
    expect(unused.map((w) => w.label)).toEqual(['stale']);
  });
});
