/**
 * The result of judging one grid (a tensor, or one channel of it), kept small: a per-channel DLC
 * of an LLM gives hundreds of thousands of them, and most renderers print a few.
 *
 * What is per tensor (names, match, source location, flags) is shared by reference across its
 * channels; `actual`, `expected`, `deviation` and `sentence` are computed from the DLC encoding
 * and the expected grid when read, not stored. Reading them twice gives equal values.
 */
import { verdictSentence } from '../findings.js';
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
import { fmtSteps, gridWords, toGridNumbers } from '../words.js';

/** What every result of one DLC tensor matched to one source entry shares. */
export interface TensorSide {
  readonly tensor: string;
  readonly graph: string;
  readonly role: TensorRole;
  readonly match?: TensorMatch;
  readonly dlcAt: Location;
  readonly sourceAt?: Location;
}

/**
 * How one grid was judged, apart from the expected grid itself: either an explanation that fits
 * (`because`) or a whole sentence. The common judgements (EXACT, FLOAT32_ROUNDING at a bitwidth)
 * are one object shared by every channel that gets them.
 */
export interface GridJudgement {
  readonly verdict: Verdict;
  readonly kind: ResultKind;
  readonly tags: readonly VerdictTag[];
  /** The bitwidth of the expected grid. */
  readonly bitwidth: number;
  /** The fitting explanation: the sentence is `Title: because (DLC grid; N step apart).` */
  readonly because?: string;
  /** The whole sentence, when it is not of the `because` form (mismatches). */
  readonly sentence?: string;
  /** When it is not the step deviation of the DLC grid from the expected one. */
  readonly deviation?: Deviation;
  readonly hypothesis?: { readonly verdict: Verdict; readonly deviation: Deviation };
}

/** A judgement and the grid it expected (`bitwidth` comes from the judgement). */
export interface JudgedGrid {
  readonly judgement: GridJudgement;
  readonly expected: Omit<GridNumbers, 'bitwidth'>;
}

/**
 * One judged grid. Eight slots per result: everything else is read through the shared tensor side
 * and judgement, or computed from the DLC encoding and the expected grid.
 */
export class GridResult implements VerifyResult {
  readonly channel: number | undefined;
  readonly tags: readonly VerdictTag[];
  readonly #side: TensorSide;
  readonly #encoding: Encoding;
  readonly #expected: Omit<GridNumbers, 'bitwidth'>;
  readonly #judgement: GridJudgement;
  /** Appended to the sentence (`; note: …`), e.g. the DLC does not flag the tensor as overridden. */
  readonly #note: string | undefined;

  constructor(side: TensorSide, channel: number | undefined, encoding: Encoding, judged: JudgedGrid, tags: readonly VerdictTag[], note?: string) {
    this.channel = channel;
    this.tags = tags;
    this.#side = side;
    this.#encoding = encoding;
    this.#expected = judged.expected;
    this.#judgement = judged.judgement;
    this.#note = note;
  }

  /** The channel's own line when the dump printed one, else the tensor's (made on read: no slot). */
  get dlcAt(): Location {
    const at = this.#encoding.at;
    return at.line !== undefined ? at : this.#side.dlcAt;
  }

  get tensor(): string {
    return this.#side.tensor;
  }

  get graph(): string {
    return this.#side.graph;
  }

  get role(): TensorRole {
    return this.#side.role;
  }

  get match(): TensorMatch | undefined {
    return this.#side.match;
  }

  get sourceAt(): Location | undefined {
    return this.#side.sourceAt;
  }

  get verdict(): Verdict {
    return this.#judgement.verdict;
  }

  get kind(): ResultKind {
    return this.#judgement.kind;
  }

  get hypothesis(): { readonly verdict: Verdict; readonly deviation: Deviation } | undefined {
    return this.#judgement.hypothesis;
  }

  get actual(): GridNumbers {
    return toGridNumbers(this.#encoding);
  }

  get expected(): GridNumbers {
    const e = this.#expected;
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
      sentence = verdictSentence(
        j.verdict,
        `${j.because ?? ''} (DLC ${gridWords(actual)}; ${fmtSteps(worstSteps(stepDeviation(actual, this.expected)))} step apart).`,
      );
    }
    return this.#note === undefined ? sentence : `${sentence.replace(/\.$/, '')}; note: ${this.#note}.`;
  }
}

/**
 * A plain copy of a result with every field read, plus `extra`: spreading a `GridResult` would
 * drop its computed fields (`{...r}` copies own fields only).
 */
export function withFields(r: VerifyResult, extra: Partial<VerifyResult>): VerifyResult {
  const optional = <K extends keyof VerifyResult>(key: K): Partial<VerifyResult> => (r[key] !== undefined ? { [key]: r[key] } : {});
  return {
    tensor: r.tensor,
    ...optional('graph'),
    ...optional('channel'),
    ...optional('role'),
    verdict: r.verdict,
    kind: r.kind,
    tags: r.tags,
    ...optional('expected'),
    ...optional('actual'),
    ...optional('deviation'),
    ...optional('match'),
    ...optional('hypothesis'),
    sentence: r.sentence,
    ...optional('waivedBy'),
    ...optional('dlcAt'),
    ...optional('sourceAt'),
    ...extra,
  };
}
