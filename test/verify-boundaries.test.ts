/**
 * Boundary tables for every verdict (STYLE.md habit 7): for each numeric verdict one DLC field is
 * moved away from the value the verdict expects. The edge of acceptance is found by bisection down
 * to adjacent doubles and must equal the documented tolerance (ENCODINGS.md §4):
 *   direct storage  |p − fround(e)| ≤ q(p) + 1e−15·max(1, |p|)
 *   recomputed      |p − fround(eH)| ≤ q(p) + 4·ulp32(eH)
 * Then: zero, just inside, exactly at, just outside, on the negative side, and NaN.
 * Every model/source here is constructed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DlcModel, Encoding, FakeQuantInfo, Precision, SourceSet, Verdict } from '../src/model.js';
import { pow2, printQuantum, ulp32 } from '../src/numeric.js';
import { verify } from '../src/verify/index.js';
import { fxpNudge, signedSymmetric } from '../src/verify/math.js';
import { fmt } from '../src/words.js';
import { dumped, entry, model, op, source, tensor, type EntryInput, type GridInput } from './fixtures/verify/builder.js';

type Field = 'min' | 'max' | 'scale';

interface Scenario {
  readonly verdict: Verdict;
  /** The DLC grid that gets exactly this verdict. */
  readonly dlc: GridInput;
  readonly field: Field;
  /** The value the verdict expects for `field` (before float32). */
  readonly expected: number;
  readonly mode: 'direct' | 'recomputed';
  readonly precision?: Precision;
  /** What the tensor becomes just outside the tolerance. */
  readonly outside: Verdict;
  readonly run: (dlc: Encoding) => Verdict;
}

const F12: Precision = { style: 'fixed', decimals: 12 };

function encodingWith(g: GridInput, precision: Precision, field?: Field, value?: number): Encoding {
  const v = (f: Field, x: number) => ({ value: f === field ? value! : x, precision });
  return { bitwidth: g.bitwidth, min: v('min', g.min), max: v('max', g.max), scale: v('scale', g.scale), offset: { value: g.offset, precision }, at: {} };
}

function verdictOf(m: DlcModel, s: SourceSet, name: string): Verdict {
  const found = verify(m, s).results.filter((r) => r.tensor === name);
  expect(found.length).toBeGreaterThan(0);
  return found[0]!.verdict;
}

/** One tensor `t` against one source entry; the DLC encoding is given per call. */
function single(e: EntryInput, extra: { quantizer?: Record<string, string> | null; producer?: { op: string; type: string }; ops?: ReturnType<typeof op>[]; role?: 'param' } = {}) {
  return (d: Encoding): Verdict =>
    verdictOf(
      model({
        tensors: [tensor('t', { encoding: d, ...(extra.producer ? { producer: extra.producer } : {}), ...(extra.role ? { role: extra.role } : {}) })],
        ...(extra.ops ? { ops: extra.ops } : {}),
        ...(extra.quantizer !== undefined ? { quantizer: extra.quantizer } : {}),
      }),
      source([entry('t', { ...(extra.role ? { section: 'param' as const } : {}), ...e })]),
      't',
    );
}

const stored = (g: GridInput): GridInput => ({ ...g, min: dumped(g.min), max: dumped(g.max), scale: dumped(g.scale) });

const onGrid = { bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: -128 };
const add1 = fxpNudge(-29.41713523864746, 25.163311004638672, 8);
const narrow = fxpNudge(-0.09362263977527618, 0.08791926503181458, 8);
const relu = fxpNudge(0, 1.984375, 8);
const tiny = fxpNudge(0, 0.001, 8);
const sym = signedSymmetric(0.5, 8);
const fqNarrow: FakeQuantInfo = { node: 'weights_quant', op: 'FakeQuantWithMinMaxVars', numBits: 8, narrowRange: true, consumer: { op: 'Conv2D', type: 'Conv2D' } };
const fqRelu: FakeQuantInfo = { node: 'act_quant', op: 'FakeQuantWithMinMaxVars', numBits: 8, narrowRange: false, producerType: 'Relu' };
const sigmoidDlc = { bitwidth: 16, min: 0, max: 0.999984741211, scale: 0.000015258789, offset: 0 };
const g4: Precision = { style: 'significant', digits: 4 };

const SCENARIOS: Scenario[] = [
  {
    verdict: 'EXACT',
    dlc: onGrid,
    field: 'min',
    expected: -1,
    mode: 'direct',
    outside: 'REAL_MISMATCH',
    run: single({ ...onGrid }),
  },
  {
    verdict: 'FLOAT32_ROUNDING',
    dlc: stored({ bitwidth: 16, min: 0, max: 643.878662109375, scale: 0.00982495860394255, offset: 0 }),
    field: 'scale',
    expected: 0.00982495860394255,
    mode: 'direct',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 16, min: 0, max: 643.878662109375, scale: 0.00982495860394255, offset: 0 }),
  },
  {
    verdict: 'OFFSET_SIGN_NORMALIZED',
    dlc: onGrid,
    field: 'max',
    expected: 0.9921875,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, scale: 0.0078125, offset: 128 }),
  },
  {
    verdict: 'SYMMETRIC_OFFSET_FORCED',
    dlc: onGrid,
    field: 'min',
    expected: -1,
    mode: 'direct',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -1, max: 0.9921875, scale: 0.0078125, offset: 0, isSymmetric: true }, { role: 'param' }),
  },
  {
    verdict: 'ZERO_POINT_NUDGED',
    dlc: stored(add1),
    field: 'min',
    expected: add1.min,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -29.41713523864746, max: 25.163311004638672 }),
  },
  {
    verdict: 'MIN_RANGE_ENFORCED',
    dlc: stored(tiny),
    field: 'max',
    expected: tiny.max,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: 0, max: 0.001 }),
  },
  {
    verdict: 'TF_NARROW_RANGE_IGNORED',
    dlc: stored(narrow),
    field: 'scale',
    expected: narrow.scale,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -0.09362263977527618, max: 0.08791926503181458, fakeQuant: fqNarrow }, { role: 'param' }),
  },
  {
    verdict: 'RELU_MIN_CLAMPED',
    dlc: stored(relu),
    field: 'max',
    expected: relu.max,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -2, max: 1.984375, fakeQuant: fqRelu }),
  },
  {
    verdict: 'SYMMETRIC_FORCED',
    dlc: stored(sym),
    field: 'min',
    expected: sym.min,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -0.3, max: 0.5, isSymmetric: false }, { role: 'param', quantizer: { use_symmetric_quantize_weights: 'true' } }),
  },
  {
    verdict: 'OP_FIXED_ENCODING',
    dlc: sigmoidDlc,
    field: 'max',
    expected: 65535 * 2 ** -16,
    mode: 'recomputed',
    outside: 'REAL_MISMATCH',
    run: single(
      { bitwidth: 16, min: 0, max: 0.99609375, scale: 0.00001519941634, offset: 0 },
      { producer: { op: 'sig', type: 'ElementWiseNeuron' }, ops: [op(0, 'sig', 'ElementWiseNeuron', { operation: '6' })] },
    ),
  },
  {
    verdict: 'PRINT_PRECISION_LIMITED',
    dlc: { bitwidth: 8, min: -0.8784, max: 0.8716, scale: 0.006863, offset: -128 },
    field: 'min',
    expected: -128 * 0.0068627,
    mode: 'direct',
    precision: g4,
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -128 * 0.0068627, max: 127 * 0.0068627, scale: 0.0068627, offset: -128 }),
  },
  {
    verdict: 'SCALE_NOT_COMPUTED',
    dlc: { bitwidth: 8, min: -0.600000023842, max: 0.600000023842, scale: 0, offset: -128 },
    field: 'min',
    expected: -0.6,
    mode: 'direct',
    outside: 'REAL_MISMATCH',
    run: single({ bitwidth: 8, min: -0.6, max: 0.6, isSymmetric: true }, { role: 'param', quantizer: null }),
  },
];

/** The documented tolerance at printed value p around the expected value e. */
function documentedTolerance(s: Scenario, p: number): number {
  const q = printQuantum({ value: p, precision: s.precision ?? F12 });
  return s.mode === 'recomputed' ? q + 4 * ulp32(s.expected) : q + 1e-15 * Math.max(1, Math.abs(p));
}

/** Bisection to adjacent doubles: the last accepted value and the first rejected one, in `direction`. */
function edge(s: Scenario, direction: 1 | -1): { at: number; outside: number } {
  const precision = s.precision ?? F12;
  const accepts = (p: number) => s.run(encodingWith(s.dlc, precision, s.field, p)) === s.verdict;
  const target = Math.fround(s.expected);
  let lo = target;
  let hi = target + direction * 4 * documentedTolerance(s, target) + direction * 1e-12;
  expect(accepts(lo)).toBe(true);
  expect(accepts(hi)).toBe(false);
  for (let i = 0; i < 200; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (accepts(mid)) lo = mid;
    else hi = mid;
  }
  return { at: lo, outside: hi };
}

describe.each(SCENARIOS)('$verdict: boundary on $field ($mode tolerance)', (s) => {
  const precision = s.precision ?? F12;
  const verdictAt = (p: number) => s.run(encodingWith(s.dlc, precision, s.field, p));
  const up = edge(s, 1);
  const down = edge(s, -1);
  const target = Math.fround(s.expected);

  it('the edge found by bisection is the documented tolerance', () => {
    const tolUp = documentedTolerance(s, up.at);
    expect(up.at - target).toBeLessThanOrEqual(tolUp);
    expect(up.outside - target).toBeGreaterThan(tolUp);
    expect(Math.abs(up.at - target - tolUp)).toBeLessThan(tolUp * 1e-3 + 1e-15);
    const tolDown = documentedTolerance(s, down.at);
    expect(Math.abs(target - down.at - tolDown)).toBeLessThan(tolDown * 1e-3 + 1e-15);
  });

  it.each([
    ['zero deviation', 0, true],
    ['just inside (half the tolerance)', 0.5, true],
    ['exactly at the tolerance', 1, true],
    ['just outside (next double)', 2, false],
    ['negative, exactly at', -1, true],
    ['negative, just outside', -2, false],
    ['NaN', Number.NaN, false],
  ])('%s', (_label, where, accepted) => {
    const p = Number.isNaN(where)
      ? Number.NaN
      : where === 0
        ? s.dlc[s.field]
        : where === 0.5
          ? target + (up.at - target) / 2
          : where === 1
            ? up.at
            : where === 2
              ? up.outside
              : where === -1
                ? down.at
                : down.outside;
    const v = verdictAt(p);
    if (accepted) expect(v).toBe(s.verdict);
    else expect(v).toBe(Number.isNaN(where) ? 'REAL_MISMATCH' : s.outside);
  });
});

describe('offsets are integers: round(p) compared exactly (half away from zero)', () => {
  const run = single({ ...onGrid });
  it.each([
    [-128, 'EXACT'],
    [-128.4, 'EXACT'],
    [-127.5, 'EXACT'],
    [-128.5, 'REAL_MISMATCH'],
    [-127.4, 'REAL_MISMATCH'],
    [0, 'REAL_MISMATCH'],
    [Number.NaN, 'REAL_MISMATCH'],
  ])('DLC offset %f -> %s', (offset, verdict) => {
    expect(run({ ...encodingWith(onGrid, F12), offset: { value: offset, precision: F12 } })).toBe(verdict);
  });
});

describe('BITWIDTH_CONVERTED: the 8->16 relation at its tolerance', () => {
  const eight = { bitwidth: 8, min: -48.182079315186, max: 20.486141204834, scale: 0.269287139177, offset: -179 };
  const run = (scale: number, offset = -45824) =>
    verdictOf(
      model({
        tensors: [
          tensor('s', { encoding: encodingWith(eight, F12) }),
          tensor('s_converted_UFIXED_POINT_16', { encoding: encodingWith({ ...eight, bitwidth: 16, scale, offset }, F12) }),
        ],
      }),
      source([entry('s', { bitwidth: 16, min: -48.18, max: 20.49 })]),
      's',
    );
  const exact = 0.269287139177 / 256;
  const tol = 5e-13 + 4 * ulp32(exact);
  it.each([
    ['scale/256', exact, 'BITWIDTH_CONVERTED'],
    ['scale/257', 0.269287139177 / 257, 'BITWIDTH_CONVERTED'],
    ['at the tolerance (0.999)', exact + 0.999 * tol, 'BITWIDTH_CONVERTED'],
    ['just outside (1.001)', exact + 1.001 * tol, 'BITWIDTH_MISMATCH'],
    ['negative side, at', exact - 0.999 * tol, 'BITWIDTH_CONVERTED'],
    ['zero scale', 0, 'BITWIDTH_MISMATCH'],
    ['NaN scale', Number.NaN, 'BITWIDTH_MISMATCH'],
  ])('%s -> %s', (_l, scale, verdict) => expect(run(scale)).toBe(verdict));
  it('offset far from ×256 breaks the relation', () => expect(run(exact, -179)).toBe('BITWIDTH_MISMATCH'));
});

describe('discrete verdicts at their edges', () => {
  const g = encodingWith(onGrid, F12);
  const e = { ...onGrid };
  it.each([
    [8, 'EXACT'],
    [16, 'BITWIDTH_MISMATCH'],
    [4, 'BITWIDTH_MISMATCH'],
    [7, 'BITWIDTH_MISMATCH'],
  ])('source bitwidth %d against an 8-bit DLC -> %s', (bw, verdict) => {
    expect(single({ ...e, bitwidth: bw })(g)).toBe(verdict);
  });

  it.each([
    ['Float_16', undefined, 'float', 'FLOAT_OVERRIDE_OK'],
    ['Float_32', undefined, 'float', 'FLOAT_OVERRIDE_OK'],
    ['uFxp_8', g, 'float', 'FLOAT_OVERRIDE_IGNORED'],
    ['Float_32', undefined, 'int', 'FLOAT_FALLBACK'],
    ['Int_32', undefined, 'int', 'NOT_COMPARED'],
    ['uFxp_8', g, 'int', 'EXACT'],
  ] as const)('DLC %s (encoding %s) vs source dtype %s -> %s', (dtype, encoding, srcDtype, verdict) => {
    const m = model({ tensors: [tensor('t', { dtype, ...(encoding ? { encoding } : {}) })] });
    expect(verdictOf(m, source([entry('t', { ...e, dtype: srcDtype })]), 't')).toBe(verdict);
  });

  it.each([
    ['t', 'EXACT'],
    ['t:0', 'EXACT'],
    ['t:1', 'MISSING_IN_DLC'],
    ['T', 'MISSING_IN_DLC'],
    ['', 'MISSING_IN_DLC'],
    ['__proto__', 'MISSING_IN_DLC'],
  ])('source name %j against DLC tensor t -> %s', (name, verdict) => {
    const m = model({ tensors: [tensor('t', { encoding: g })] });
    expect(verdictOf(m, source([entry(name, e)]), name === 't:0' ? 't' : name)).toBe(verdict);
  });

  it.each([
    [['a.b'], 'EXACT'],
    [['a.b', 'a/b'], 'AMBIGUOUS_MATCH'],
    [['a.b', 'a/b', 'a:b'], 'AMBIGUOUS_MATCH'],
  ])('DLC tensors %j for source a_b -> %s', (names, verdict) => {
    const m = model({ tensors: names.map((n) => tensor(n, { encoding: g })) });
    const r = verify(m, source([entry('a_b', e)]));
    expect(r.results[0]!.verdict).toBe(verdict);
    expect(r.results.filter((x) => x.verdict === 'NOT_IN_SOURCE')).toHaveLength(0);
  });

  it.each([
    [0, 0],
    [1, 1],
    [3, 3],
  ])('%d DLC-only encoded tensors -> %d NOT_IN_SOURCE (float tensors are not counted)', (n, expected) => {
    const m = model({ tensors: [...Array.from({ length: n }, (_, i) => tensor(`q${i}`, { encoding: g })), tensor('f', { dtype: 'Float_32' })] });
    expect(verify(m, source([])).summary.byVerdict.get('NOT_IN_SOURCE') ?? 0).toBe(expected);
  });

  it.each(['per-block', 'lpbq', 'vector'] as const)('%s source layout -> NOT_COMPARED', (layout) => {
    expect(single({ ...e, layout })(g)).toBe('NOT_COMPARED');
  });
});

describe('pow2: the bitwidth power table', () => {
  it.each([0, 1, 7, 8, 16, 31, 32, 53, 64])('2^%i exactly', (n) => {
    expect(pow2(n)).toBe(2 ** n);
  });
  it.each([-1, 65, 2.5, -1074])('%s falls back to 2 ** n', (n) => {
    expect(Object.is(pow2(n), 2 ** n)).toBe(true);
  });
});

describe('fmt: numbers in sentences', () => {
  const slow = (x: number): string => (Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(15))));
  it('gives what the 15-digit round trip gives, for any double and any float32 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.float().map(Math.fround), fc.integer().map((n) => n / 1e6), fc.constantFrom(0.1 + 0.2, -0, 1e21, 1e-7, 5e-324)), (x) => {
        expect(fmt(x)).toBe(slow(x));
      }),
      { seed: 20261126, numRuns: 20_000 },
    );
  });
  it.each([
    [0.30000000000000004, '0.3'],
    [0.009999999776482582, '0.00999999977648258'],
    [-128, '-128'],
    [undefined, '—'],
  ])('%s -> %s', (x, text) => {
    expect(fmt(x)).toBe(text);
  });
});
