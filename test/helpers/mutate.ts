/**
 * Random mutations of real files for the fuzz suite: delete / duplicate / truncate lines, flip
 * bytes, change line endings, insert huge lines, cut the file short. Bytes in, bytes out: the same
 * mutations serve text dumps, JSON sources and binary .dlc / .pb files ("lines" of a binary are
 * the runs between 0x0A bytes).
 *
 * Run counts: `DLCVERIFY_FUZZ_RUNS` (default small, for CI), `DLCVERIFY_FUZZ_LONG=1` for a long run.
 * The seed is fixed (`DLCVERIFY_FUZZ_SEED` to explore another one); fast-check prints the seed and
 * path of any failure so it can be replayed.
 */
import fc from 'fast-check';

export const FUZZ_LONG = process.env['DLCVERIFY_FUZZ_LONG'] === '1';
export const FUZZ_SEED = Number(process.env['DLCVERIFY_FUZZ_SEED'] ?? 20261125);

/** Runs per property: `DLCVERIFY_FUZZ_RUNS`, else 300 in the long run, else `ciDefault`. */
export function fuzzRuns(ciDefault: number): number {
  const fromEnv = Number(process.env['DLCVERIFY_FUZZ_RUNS']);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return FUZZ_LONG ? 300 : ciDefault;
}

export type Mutation =
  | { readonly kind: 'delete-line'; readonly at: number }
  | { readonly kind: 'duplicate-line'; readonly at: number }
  | { readonly kind: 'truncate-line'; readonly at: number; readonly keep: number }
  | { readonly kind: 'flip-byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'crlf'; readonly mode: 'all-crlf' | 'strip-cr' | 'one-crlf' | 'cr-only'; readonly at: number }
  | { readonly kind: 'huge-line'; readonly at: number; readonly length: number; readonly pattern: string }
  | { readonly kind: 'truncate-file'; readonly at: number };

/** Patterns for inserted huge lines: table-ish, encoding-ish, JSON-ish, and plain. */
const HUGE_PATTERNS = [
  'a',
  '|',
  '| ',
  '|    ',
  ' ',
  '0',
  '-',
  '=',
  '\t',
  'x encoding : bitwidth 8, min ',
  ' encoding for channel_',
  'axis-quant: axis: 3, num_elements: ',
  ' (data type: uFxp_8; tensor dimension: [',
  '[',
  '{"a": ',
  '"',
  ',',
  '\\u00',
  'DLC info of: ',
];

const position = fc.nat({ max: 1 << 30 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), at: position }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: position }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate-line' as const), at: position, keep: fc.nat({ max: 600 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flip-byte' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crlf' as const),
      mode: fc.constantFrom('all-crlf' as const, 'strip-cr' as const, 'one-crlf' as const, 'cr-only' as const),
      at: position,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge-line' as const),
      at: position,
      length: fc.integer({ min: 10_000, max: FUZZ_LONG ? 2_000_000 : 200_000 }),
      pattern: fc.constantFrom(...HUGE_PATTERNS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate-file' as const), at: position }) },
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 5 });

/** Byte offsets where each line starts (line i spans starts[i] .. starts[i+1]-1, newline included). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && i + 1 < bytes.length) starts.push(i + 1);
  return starts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const encoder = new TextEncoder();

export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return bytes;
  const starts = lineStarts(bytes);
  const line = m.at % starts.length;
  const begin = starts[line]!;
  const end = starts[line + 1] ?? bytes.length;
  switch (m.kind) {
    case 'delete-line':
      return concat([bytes.subarray(0, begin), bytes.subarray(end)]);
    case 'duplicate-line':
      return concat([bytes.subarray(0, end), bytes.subarray(begin, end), bytes.subarray(end)]);
    case 'truncate-line': {
      const cut = Math.min(end, begin + m.keep);
      const newline = end > begin && bytes[end - 1] === 0x0a ? Uint8Array.of(0x0a) : new Uint8Array(0);
      return concat([bytes.subarray(0, cut), cut < end ? newline : new Uint8Array(0), bytes.subarray(end)]);
    }
    case 'flip-byte': {
      const out = bytes.slice();
      out[m.at % out.length] = m.value;
      return out;
    }
    case 'crlf': {
      const text = Buffer.from(bytes).toString('latin1');
      let changed: string;
      if (m.mode === 'all-crlf') changed = text.replace(/\r?\n/g, '\r\n');
      else if (m.mode === 'strip-cr') changed = text.replaceAll('\r', '');
      else if (m.mode === 'cr-only') changed = text.replace(/\r?\n/g, '\r');
      else return concat([bytes.subarray(0, Math.max(begin, end - 1)), encoder.encode('\r\n'), bytes.subarray(end)]);
      return Uint8Array.from(Buffer.from(changed, 'latin1'));
    }
    case 'huge-line': {
      const text = m.pattern.repeat(Math.ceil(m.length / m.pattern.length)).slice(0, m.length);
      return concat([bytes.subarray(0, begin), encoder.encode(text + '\n'), bytes.subarray(begin)]);
    }
    case 'truncate-file':
      return bytes.subarray(0, m.at % bytes.length);
  }
}

export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutations.reduce(applyMutation, bytes);
}

/** A short description for failure messages (never the huge text itself). */
export function describeMutations(mutations: readonly Mutation[]): string {
  return mutations.map((m) => (m.kind === 'huge-line' ? `huge-line@${m.at}(${m.length}×${JSON.stringify(m.pattern)})` : JSON.stringify(m))).join(' ');
}
