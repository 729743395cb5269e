/**
 * A progress line on stderr for long reads (issue 7): `dlcverify: reading big.txt  45% (90 of 200 MB)`.
 *
 * Shown only when stderr is a terminal, never under `--quiet`, never with a machine `--format`
 * (anything but `table`), and only once the work has taken longer than `delayMs` (1 s): small inputs
 * never flash a line. At most one redraw per `intervalMs` (100 ms). Erased (`\r` + clear-to-end)
 * before anything else is written and when the command ends, so reports are never interleaved.
 *
 * Pure: the clock and the output stream are injected through CliIo, so tests run it without a real terminal.
 */
import type { InputFile } from './model.js';
import type { CliIo, CommonOptions, PendingSource } from './commands/context.js';

export const PROGRESS_DELAY_MS = 1000;
export const PROGRESS_INTERVAL_MS = 100;
/** `\r` then ANSI "erase to end of line": the line disappears without a newline. */
export const ERASE_LINE = '\r\x1b[K';
/** Check the clock every this many characters of input (keeps the per-line cost to an addition). */
const CHECK_EVERY_CHARS = 256 * 1024;

export function progressWanted(io: Pick<CliIo, 'stderrIsTTY'>, options: Pick<CommonOptions, 'quiet' | 'format'>): boolean {
  return io.stderrIsTTY && !options.quiet && options.format === 'table';
}

function megabytes(n: number): string {
  const mb = n / 1e6;
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

export class ProgressLine {
  private readonly start: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private label = '';
  private done = 0;
  private total = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number,
    private readonly delayMs = PROGRESS_DELAY_MS,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {
    this.start = now();
  }

  /** The same input, reporting how far `lines()` or sequential `read()`s have got (and `bytes()` once read). */
  track(input: InputFile): InputFile {
    const progress = this;
    let streamedTo = -1;
    return {
      name: input.name,
      size: input.size,
      head: input.head,
      read(offset, length) {
        // Reads from the start, each where the last ended, are a streamed whole-file read (the
        // JSON sources): report how far it has got. Random access (zip entries) is not tracked.
        const streaming = offset === 0 || offset === streamedTo;
        if (offset === 0) progress.begin(input);
        const chunk = input.read(offset, length);
        streamedTo = streaming ? offset + chunk.length : -1;
        if (streaming) progress.advance(Math.min(streamedTo, input.size));
        return chunk;
      },
      bytes() {
        progress.begin(input);
        const bytes = input.bytes();
        progress.advance(input.size);
        return bytes;
      },
      *lines() {
        progress.begin(input);
        let chars = 0;
        let sinceCheck = 0;
        for (const line of input.lines()) {
          // Characters, not bytes: exact for the ASCII dumps are made of, close enough otherwise.
          chars += line.length + 1;
          sinceCheck += line.length + 1;
          if (sinceCheck >= CHECK_EVERY_CHARS) {
            sinceCheck = 0;
            progress.advance(Math.min(chars, input.size));
          }
          yield line;
        }
        progress.advance(input.size);
      },
    };
  }

  /**
   * The same pending read, its progress drawn every `intervalMs` while something waits for it (a
   * source read on a worker thread: this thread is free once the model is parsed).
   */
  trackAside(input: Pick<InputFile, 'name' | 'size'>, pending: PendingSource): PendingSource {
    const timer = setInterval(() => {
      this.label = input.name;
      this.total = input.size;
      this.advance(Math.min(pending.bytesRead(), input.size));
    }, this.intervalMs);
    timer.unref();
    const stop = (): void => clearInterval(timer);
    pending.result.then(stop, stop);
    return {
      result: pending.result,
      bytesRead: () => pending.bytesRead(),
      cancel: () => {
        stop();
        pending.cancel();
      },
    };
  }

  private begin(input: InputFile): void {
    this.label = input.name;
    this.done = 0;
    this.total = input.size;
    this.tick();
  }

  private advance(done: number): void {
    this.done = done;
    this.tick();
  }

  /** Redraws when the work has been going for `delayMs` and the last draw is `intervalMs` old. */
  tick(): void {
    const t = this.now();
    if (t - this.start < this.delayMs || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const percent = this.total > 0 ? Math.min(100, Math.floor((100 * this.done) / this.total)) : 100;
    const text =
      percent >= 100
        ? `dlcverify: read ${this.label} (${megabytes(this.total)} MB), working…`
        : `dlcverify: reading ${this.label} ${String(percent).padStart(3)}% (${megabytes(this.done)} of ${megabytes(this.total)} MB)`;
    this.write(ERASE_LINE + text);
    this.drawn = true;
  }

  /** Erases the line if one is shown. */
  clear(): void {
    if (!this.drawn) return;
    this.write(ERASE_LINE);
    this.drawn = false;
  }
}

/**
 * The io a command gets: inputs tracked, stdout/stderr writes erase the line first. `finish()`
 * erases it at the end. Without progress (not a TTY, `--quiet`, machine format) the io is unchanged.
 */
export function withProgress(io: CliIo, options: Pick<CommonOptions, 'quiet' | 'format'>): { io: CliIo; finish(): void } {
  if (!progressWanted(io, options)) return { io, finish: () => undefined };
  const line = new ProgressLine(io.stderr, io.now ?? (() => performance.now()));
  return {
    io: {
      ...io,
      openInput: (path) => line.track(io.openInput(path)),
      ...(io.readSourceAside === undefined
        ? {}
        : {
            readSourceAside: (input: InputFile) => {
              const pending = io.readSourceAside!(input);
              return pending === undefined ? undefined : line.trackAside(input, pending);
            },
          }),
      stdout: (text) => {
        line.clear();
        return io.stdout(text);
      },
      stderr: (text) => {
        line.clear();
        io.stderr(text);
      },
    },
    finish: () => line.clear(),
  };
}
