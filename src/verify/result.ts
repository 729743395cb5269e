/**
 * The result of judging one grid (a tensor, or one channel of it), kept small: a per-channel DLC
 * of an LLM gives hundreds of thousands of them, and most renderers print a few.
 *
 * What is per tensor (names, match, source location, flags) is shared by reference across its
 * channels; `actual`, `expected`, `deviation` and `sentence` are computed from the DLC encoding
 * and the expected grid when read, not stored. Reading them twice gives equal values.
 */
import { VERDICTS } from '../findings.js';
import type {
  Deviation,
  Encoding,
  GridNumbers,
  Location,
  ResultKind,
  TensorMatch,
  TensorRole,
  Verdict,
  VerdictTag,
  VerifyResult,
} from '../model.js';
import { stepDeviation, worstSteps } from './math.js';
import { fmtSteps, gridWords, toGridNumbers } from './words.js';

/** What every result of one DLC tensor matched to one source entry shares. */
export interface TensorSide {
  readonly tensor: string;
  readonly graph: string;
  readonly role: TensorRole;
  readonly match?: TensorMatch;
  readonly dlcAt: Location;
  readonly sourceAt?: Location;
}

/** How one grid was judged: either an explanation that fits (`because`) or a whole sentence. */
export interface GridJudgement {
  readonly verdict: Verdict;
  readonly kind: ResultKind;
  readonly tags: readonly VerdictTag[];
  /** The expected grid's fields (`bitwidth` is taken from `bitwidth`, not from here). */
  readonly expected: Omit<GridNumbers, 'bitwidth'>;
  readonly bitwidth: number;
  /** The fitting explanation: the sentence is `Title: because (DLC grid; N step apart).` */
  readonly because?: string;
  /** The whole sentence, when it is not of the `because` form (mismatches). */
  readonly sentence?: string;
  /** When it is not the step deviation of the DLC grid from `expected`. */
  readonly deviation?: Deviation;
  readonly hypothesis?: { readonly verdict: Verdict; readonly deviation: Deviation };
}

export class GridResult implements VerifyResult {
  readonly tensor: string;
  readonly graph: string;
  readonly channel: number | undefined;
  readonly role: TensorRole;
  readonly verdict: Verdict;
  readonly kind: ResultKind;
  readonly tags: readonly VerdictTag[];
  readonly match: TensorMatch | undefined;
  readonly hypothesis: { readonly verdict: Verdict; readonly deviation: Deviation } | undefined;
  readonly dlcAt: Location;
  readonly sourceAt: Location | undefined;
  readonly #encoding: Encoding;
  readonly #judgement: GridJudgement;
  /** Appended to the sentence (`; note: …`), e.g. the DLC does not flag the tensor as overridden. */
  readonly #note: string | undefined;

  constructor(side: TensorSide, channel: number | undefined, encoding: Encoding, judgement: GridJudgement, tags: readonly VerdictTag[], note?: string) {
    this.tensor = side.tensor;
    this.graph = side.graph;
    this.channel = channel;
    this.role = side.role;
    this.verdict = judgement.verdict;
    this.kind = judgement.kind;
    this.tags = tags;
    this.match = side.match;
    this.hypothesis = judgement.hypothesis;
    // The channel's own line when the dump printed one, else the tensor's.
    this.dlcAt = encoding.at.line !== undefined ? encoding.at : side.dlcAt;
    this.sourceAt = side.sourceAt;
    this.#encoding = encoding;
    this.#judgement = judgement;
    this.#note = note;
  }

  get actual(): GridNumbers {
    return toGridNumbers(this.#encoding);
  }

  get expected(): GridNumbers {
    const e = this.#judgement.expected;
    return {
      bitwidth: this.#judgement.bitwidth,
      ...(e.min !== undefined ? { min: e.min } : {}),
      ...(e.max !== undefined ? { max: e.max } : {}),
      ...(e.scale !== undefined ? { scale: e.scale } : {}),
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
    };
  }

  get deviation(): Deviation {
    return this.#judgement.deviation ?? stepDeviation(this.actual, this.expected);
  }

  get sentence(): string {
    const j = this.#judgement;
    let sentence = j.sentence;
    if (sentence === undefined) {
      const actual = this.actual;
      sentence =
        `${VERDICTS[j.verdict].title}: ${j.because ?? ''} (DLC ${gridWords(actual)}; ` +
        `${fmtSteps(worstSteps(stepDeviation(actual, this.expected)))} step apart).`;
    }
    return this.#note === undefined ? sentence : `${sentence.replace(/\.$/, '')}; note: ${this.#note}.`;
  }
}

/**
 * A plain copy of a result with every computed field read, plus `extra`: spreading a `GridResult`
 * would drop its computed fields (`{...r}` copies own fields only).
 */
export function withFields(r: VerifyResult, extra: Partial<VerifyResult>): VerifyResult {
  return {
    ...r,
    ...(r.expected !== undefined ? { expected: r.expected } : {}),
    ...(r.actual !== undefined ? { actual: r.actual } : {}),
    ...(r.deviation !== undefined ? { deviation: r.deviation } : {}),
    sentence: r.sentence,
    ...extra,
  };
}
