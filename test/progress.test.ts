/**
 * The progress line (issue 7 item 3): on stderr, only on a TTY, only once the work has taken more
 * than a second, never under --quiet or with a machine --format; throttled; erased at the end.
 * Runs in-process with a fake clock injected through CliIo.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { openInput } from '../src/io.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';
import { inputFromText } from '../src/parse/input.js';
import { ERASE_LINE, ProgressLine, withProgress } from '../src/progress.js';
import type { CliIo } from '../src/commands/context.js';
import type { InputFile } from '../src/model.js';


/** A clock that advances `stepMs` every time it is read. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

/** ~4 MB of 100-character lines: enough for several clock checks (one per 256 KiB). */
const BIG = ('x'.repeat(99) + '\n').repeat(40_000);

function drain(input: InputFile): number {
  let n = 0;
  for (const _ of input.lines()) n++;
  return n;
}

function memoryIo(options: { tty: boolean; now?: () => number; text?: string }): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    openInput: (path) => inputFromText(path, options.text ?? BIG),
    writeFile: () => undefined,
    fileExists: () => false,
    cwd: '/',
    env: {},
    stdoutIsTTY: options.tty,
    stderrIsTTY: options.tty,
    ...(options.now ? { now: options.now } : {}),
  };
  return { io, out, err };
}

describe('ProgressLine', () => {
  it('draws nothing for work that finishes within the first second', () => {
    const writes: string[] = [];
    const line = new ProgressLine((t) => void writes.push(t), steppingClock(1)); // 1 ms per read
    expect(drain(line.track(inputFromText('small.txt', BIG)))).toBe(40_000);
    line.clear();
    expect(writes).toEqual([]);
  });

  it('draws percentages after a second, throttled, and erases itself', () => {
    const writes: string[] = [];
    const line = new ProgressLine((t) => void writes.push(t), steppingClock(300));
    drain(line.track(inputFromText('big.txt', BIG)));
    const draws = writes.filter((w) => w.length > ERASE_LINE.length);
    expect(draws.length).toBeGreaterThan(3);
    expect(draws.every((w) => w.startsWith(ERASE_LINE) && !w.includes('\n'))).toBe(true);
    expect(draws.some((w) => /reading big\.txt +\d+% \(\d/.test(w))).toBe(true);
    expect(draws.at(-1)).toContain('read big.txt (4.0 MB)');
    line.clear();
    expect(writes.at(-1)).toBe(ERASE_LINE);
  });

  it('redraws at most once per 100 ms', () => {
    const writes: string[] = [];
    // 10 ms per clock read: 1 s of delay first, then at most one draw per 10 reads.
    const line = new ProgressLine((t) => void writes.push(t), steppingClock(10), 0, 100);
    drain(line.track(inputFromText('big.txt', BIG)));
    // 4 MB / 256 KiB = ~16 checks, 10 ms apart: at most 2 draws (plus the one at begin).
    expect(writes.length).toBeLessThanOrEqual(3);
  });

  it('reports bytes() inputs when they are read whole', () => {
    const writes: string[] = [];
    const line = new ProgressLine((t) => void writes.push(t), steppingClock(600));
    const bytes = line.track(inputFromText('enc.json', '{"a": 1}')).bytes();
    expect(bytes.length).toBe(8);
    expect(writes.at(-1)).toContain('read enc.json');
  });

  it('reports sequential read()s from the start (a streamed JSON source), not random access', () => {
    const writes: string[] = [];
    const line = new ProgressLine((t) => void writes.push(t), steppingClock(600));
    const input = line.track(inputFromText('enc.json', BIG));
    for (let offset = 0; offset < input.size; offset += 1_000_000) input.read(offset, 1_000_000);
    expect(writes.some((w) => /reading enc\.json +\d+% \(\d/.test(w))).toBe(true);
    expect(writes.at(-1)).toContain('read enc.json (4.0 MB)');
    const zip = new ProgressLine((t) => void writes.push(t), steppingClock(2000));
    writes.length = 0;
    zip.track(inputFromText('model.dlc', BIG)).read(3_000_000, 100);
    expect(writes).toEqual([]);
  });
});

describe('withProgress: when the line may appear', () => {
  it.each([
    { name: 'TTY, table format', tty: true, quiet: false, format: 'table', shown: true },
    { name: 'not a TTY', tty: false, quiet: false, format: 'table', shown: false },
    { name: '--quiet', tty: true, quiet: true, format: 'table', shown: false },
    { name: '--format json', tty: true, quiet: false, format: 'json', shown: false },
    { name: '--format csv', tty: true, quiet: false, format: 'csv', shown: false },
    { name: '--format junit', tty: true, quiet: false, format: 'junit', shown: false },
  ])('$name -> shown: $shown', ({ tty, quiet, format, shown }) => {
    const { io, err } = memoryIo({ tty, now: steppingClock(300) });
    const p = withProgress(io, { quiet, format });
    drain(p.io.openInput('big.txt'));
    p.finish();
    expect(err.some((e) => e.includes('big.txt'))).toBe(shown);
    if (shown) expect(err.at(-1)).toBe(ERASE_LINE);
  });

  it('erases the line before anything is written to stdout or stderr', () => {
    const { io, out, err } = memoryIo({ tty: true, now: steppingClock(300) });
    const p = withProgress(io, { quiet: false, format: 'table' });
    drain(p.io.openInput('big.txt'));
    const shownBefore = err.length;
    expect(shownBefore).toBeGreaterThan(0);
    p.io.stdout('report\n');
    expect(err[shownBefore]).toBe(ERASE_LINE);
    expect(out).toEqual(['report\n']);
    p.finish(); // nothing drawn since: no second erase
    expect(err.length).toBe(shownBefore + 1);
  });
});

describeCorpus('progress through the CLI (in-process, fake clock)', () => {
  function cliIo(tty: boolean): { io: CliIo; err: string[]; out: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const clock = steppingClock(250);
    return {
      out,
      err,
      io: {
        stdout: (t) => void out.push(t),
        stderr: (t) => void err.push(t),
        openInput,
        writeFile: () => undefined,
        fileExists: () => false,
        cwd: '/nonexistent',
        env: {},
        stdoutIsTTY: tty,
        stderrIsTTY: tty,
        now: clock,
      },
    };
  }
  const args = [corpusPath('dumps/qairt222_yolov8s_int8.txt'), corpusPath('encodings/06_Kaiwei0323_qc_model_conversion__yolo8_act.encodings')];

  it('shows and erases the line on a TTY, before the report', async () => {
    const { io, err, out } = cliIo(true);
    const code = await runCli(args, io);
    expect([0, 1]).toContain(code);
    expect(err.some((e) => e.includes('qairt222_yolov8s_int8.txt'))).toBe(true);
    expect(err.at(-1)).toBe(ERASE_LINE);
    expect(out.join('')).not.toContain(ERASE_LINE);
  });

  it.each([[['--quiet']], [['--format', 'json']], [['--format', 'junit']]])('nothing on stderr with %j', async (extra) => {
    const { io, err } = cliIo(true);
    await runCli([...args, ...extra], io);
    expect(err.join('')).not.toContain('reading');
  });

  it('nothing when stderr is not a terminal', async () => {
    const { io, err } = cliIo(false);
    await runCli(args, io);
    expect(err.join('')).not.toContain('reading');
  });
});
