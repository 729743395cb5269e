/**
 * What a command may do to the outside world. cli.ts builds the real one from io.ts; tests build
 * one in memory (`runCli(args, io)`), so every command runs in-process under test.
 */
import type { InputFile, SourceSet } from '../model.js';

export interface CliIo {
  /**
   * Writes to stdout. A promise means the reader is behind (a pipe to a slower program): await it
   * before writing more, or the unwritten pieces pile up in memory.
   */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
  /** Opens an input; throws InputError (exit 2) when it cannot. */
  openInput(path: string): InputFile;
  /** Writes a report file: one string, or chunks written as they come (huge JSON reports). */
  writeFile(path: string, content: string | Iterable<string>): void;
  fileExists(path: string): boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal (colour and progress are allowed, subject to NO_COLOR/--quiet). */
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Milliseconds from any fixed origin: drives the progress line (tests inject a fake clock). */
  readonly now?: () => number;
  /**
   * Starts reading a source on another thread and returns at once (the model is parsed on this
   * one meanwhile); absent, or returning undefined, where that is not possible: read it here.
   */
  readonly readSourceAside?: (input: InputFile) => PendingSource | undefined;
}

/** A source being read elsewhere. */
export interface PendingSource {
  /** The source; rejects with its InputError (a bug as a plain Error). */
  readonly result: Promise<SourceSet>;
  /** Bytes of the file read so far (for the progress line). */
  bytesRead(): number;
  /** Stops the read (the model failed first); `result` then never settles. */
  cancel(): void;
}

/** Options every command shares, as parsed by cli.ts. */
export interface CommonOptions {
  readonly format: string;
  readonly reports: readonly string[];
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
  readonly graph?: string;
}
