/**
 * Per-channel results are computed on read (src/verify/result.ts): what a reader sees must not
 * depend on that. Copies keep every field, waived results keep their sentence, reading twice gives
 * equal values, and channels of one tensor share the tensor's objects instead of copying them.
 */
import { describe, expect, it } from 'vitest';
import { verify } from '../src/verify/index.js';
import { renderJson } from '../src/render/json.js';
import { entry, model, source, stored, tensor } from './fixtures/verify/builder.js';

const chans = [0.01, 0.02, 0.03].map((s, i) => ({ bitwidth: 8, min: -128 * s, max: 127 * s, scale: s, offset: -128, channel: i }));
const src = source([entry('w', { section: 'param', bitwidth: 8, isSymmetric: true, grids: chans.map(({ scale, offset }) => ({ scale, offset })) })]);
const perChannel = model({ tensors: [tensor('w', { role: 'param', encoding: chans.map(stored) })] });

describe('per-channel results computed on read', () => {
  it('every computed field reads the same twice, with the numbers of the channel', () => {
    const r = verify(perChannel, src).results[1]!;
    expect(r.sentence).toBe(r.sentence);
    expect(r.sentence).toBe(
      'equal after float32 storage: every field equals float32 of the source ' +
        '(DLC bitwidth 8, min -2.55999994278, max 2.539999961853, scale 0.019999999553, offset -128; 2.9e-6 step apart).',
    );
    expect(r.expected).toMatchObject({ bitwidth: 8, scale: 0.02, offset: -128 });
    expect(Object.keys(r.expected!)).toEqual(['bitwidth', 'min', 'max', 'scale', 'offset']);
    expect(r.actual).toEqual({ bitwidth: 8, min: -2.55999994278, max: 2.539999961853, scale: 0.019999999553, offset: -128 });
    expect(r.deviation).toEqual(r.deviation);
    expect(r.deviation!.scaleRatio).toBeCloseTo(1, 7);
  });

  it('a waiver keeps the sentence and numbers of every channel (no field lost in the copy)', () => {
    const plain = verify(perChannel, src);
    const waived = verify(perChannel, src, { waivers: ['w'] });
    expect(waived.results).toHaveLength(3);
    waived.results.forEach((r, i) => {
      const before = plain.results[i]!;
      expect(r.waivedBy).toBe('w');
      expect(r.sentence).toBe(before.sentence);
      expect(r.expected).toEqual(before.expected);
      expect(r.actual).toEqual(before.actual);
      expect(r.deviation).toEqual(before.deviation);
      expect(r.channel).toBe(i);
    });
    // The JSON of a waived report differs from the plain one only in waivedBy (and the summary).
    const strip = (text: string) => text.replace(/"waivedBy": "w"/g, '"waivedBy": null');
    const results = (text: string) => text.slice(text.indexOf('"results"'), text.indexOf('"pipeline"'));
    expect(results(strip(renderJson(waived)))).toBe(results(renderJson(plain)));
  });

  it('channels of one tensor share its match and locations instead of copying them', () => {
    const [a, b] = verify(perChannel, src).results;
    expect(a!.match).toBe(b!.match);
    expect(a!.sourceAt).toBe(b!.sourceAt);
    expect(a!.tags).toBe(b!.tags);
  });
});
