/**
 * stdout to a slower reader (`dlcverify … --format json | jq`): every piece waits for the previous
 * one to drain, so a 500 MB report never piles up in memory (issue 7: bounded memory).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import type { CliIo } from '../src/commands/context.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { quietIo } from './helpers/cli.js';

const DUMP = join(REPO_ROOT, 'samples', 'qairt', 'tiny_qairt225_dlc_info.txt');
const SOURCE = join(REPO_ROOT, 'samples', 'qairt', 'tiny.encodings');

/** An io whose stdout is always "full": each write resolves only when the test lets it. */
function slowReaderIo(): { io: CliIo; pieces: string[]; pending: () => number; release: () => void } {
  const pieces: string[] = [];
  let waiting: (() => void)[] = [];
  const io = quietIo({
    stdout: (text) => {
      // A write while an earlier one is still pending is the bug this test is about.
      if (waiting.length > 0) throw new Error('wrote before the previous piece drained');
      pieces.push(text);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    cwd: REPO_ROOT,
  });
  return {
    io,
    pieces,
    pending: () => waiting.length,
    release: () => {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
  };
}

/** Runs the CLI, draining one piece at a time, as a slow pipe would. */
async function drainSlowly(args: string[]): Promise<{ code: number; pieces: string[] }> {
  const reader = slowReaderIo();
  let finished = false;
  const run = runCli(args, reader.io).then((code) => {
    finished = true;
    return code;
  });
  while (!finished) {
    await new Promise((r) => setTimeout(r, 1));
    reader.release();
  }
  return { code: await run, pieces: reader.pieces };
}

describe('stdout waits for a slow reader', () => {
  it.each([
    [['verify', DUMP, SOURCE, '--format', 'json', '--verbose']],
    [['show', DUMP, '--format', 'json']],
    [['show', SOURCE, '--format', 'csv']],
    [['diff', DUMP, DUMP, '--format', 'markdown']],
  ])('%j: one piece at a time, and the same text as a fast reader gets', async (args) => {
    const slow = await drainSlowly(args);
    let fast = '';
    const code = await runCli(args, { ...slowReaderIo().io, stdout: (t) => void (fast += t) });
    expect(slow.code).toBe(code);
    expect(slow.pieces.join('')).toBe(fast);
    expect(slow.pieces.length).toBeGreaterThan(0);
  });
});
