/** Runs the CLI in-process with an in-memory io; returns exit code and captured streams. */
import { openInput } from '../../src/io.js';
import { runCli } from '../../src/cli.js';
import type { CliIo } from '../../src/commands/context.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Map<string, string>;
}

/**
 * An io reading real files, writing nowhere, no terminal: tests override what they watch
 * (`stdout`, `readSourceAside`, …).
 */
export function quietIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    openInput,
    writeFile: () => undefined,
    fileExists: () => false,
    cwd: process.cwd(),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...overrides,
  };
}

export async function cli(args: readonly string[], options: { env?: Record<string, string>; tty?: boolean; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const io = quietIo({
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    writeFile: (p, t) => void files.set(p, typeof t === 'string' ? t : [...t].join('')),
    fileExists: (p) => files.has(p) || (() => { try { openInput(p); return true; } catch { return false; } })(),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
  });
  const code = await runCli(args, io);
  return { code, stdout, stderr, files };
}
