/**
 * argv -> options -> command -> exit code. `runCli(args, io)` runs in-process (tests inject io);
 * `main` wires the real process. Exit codes: 0 verified, 1 verification failed, 2 could not verify.
 */
import yargs from 'yargs';
import { openInput, fileExists, readSourceAside, writeTextFile } from './io.js';
import { InputError } from './model.js';
import type { CliIo, CommonOptions } from './commands/context.js';
import { runShow } from './commands/show.js';
import { runVerify } from './commands/verify.js';
import { runDiff } from './commands/diff.js';
import { runCheck } from './commands/check.js';
import { withProgress } from './progress.js';
import { REPORT_FORMATS } from './render/index.js';


const EPILOG = `Exit codes: 0 verified (or no regression), 1 verification failed (or regression),
2 could not verify (bad usage, unreadable or unrecognised input).

Examples:
  dlcverify model_info.txt encoding.json           verify a snpe-dlc-info dump against overrides
  dlcverify model.dlc encoding.json                 the same, reading the .dlc itself (no SDK)
  dlcverify info.txt qat_frozen.pb --format json    ranges from TensorFlow FakeQuant nodes
  dlcverify info.txt enc.json --report junit=out/junit.xml --report html=out/report.html
  dlcverify show info.txt --format csv              every encoding the dump holds
  dlcverify diff yesterday.txt today.txt            what changed between two DLCs
  dlcverify check part1.dlc part2.dlc               seams, shared weights, encodings no one should ship`;

function list(value: unknown): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map(String);
}

function common(argv: Record<string, unknown>, io: CliIo): CommonOptions {
  const noColorEnv = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
  const colorFlag = argv['color'] as boolean | undefined;
  const graph = argv['graph'] as string | undefined;
  // A --format or --report the command cannot write is refused by the command (checkWritable),
  // before it reads any input.
  const reports = list(argv['report']);
  return {
    format: String(argv['format'] ?? 'table'),
    reports,
    strict: Boolean(argv['strict']),
    quiet: Boolean(argv['quiet']),
    verbose: Boolean(argv['verbose']),
    color: colorFlag === false ? false : !noColorEnv && (colorFlag === true || io.stdoutIsTTY),
    ...(graph !== undefined ? { graph } : {}),
  };
}

function formatError(err: InputError, format: string): string {
  if (format === 'json') {
    return JSON.stringify({ error: { code: err.code, message: err.message, ...(err.at ? { at: err.at } : {}) } }) + '\n';
  }
  return `dlcverify: error: ${err.message}\n`;
}

/** `--format X`, `--format=X`, `-f X`, `-fX`: the last one given (as yargs takes it), before parsing. */
function formatInArgs(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if ((a === '--format' || a === '-f') && args[i + 1] !== undefined) found = args[++i];
    else if (a.startsWith('--format=')) found = a.slice('--format='.length);
    else if (/^-f[^-]/.test(a)) found = a.slice(2).replace(/^=/, '');
  }
  return found;
}

/** Runs the CLI with injected io; returns the exit code (never calls process.exit). */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  let wantedFormat = 'table';
  // Each command gets an io with the progress line (TTY stderr, table format, not --quiet only).
  const run = async (options: CommonOptions, f: (commandIo: CliIo) => number | Promise<number>): Promise<void> => {
    const progress = withProgress(io, options);
    try {
      exitCode = await f(progress.io);
    } finally {
      progress.finish();
    }
  };
  const parser = yargs([...args])
    .scriptName('dlcverify')
    .usage(
      'dlcverify <dlc> <source>  —  check that the quantization encodings you meant are the ones the DLC holds\n\n' +
        '<dlc>:    snpe-dlc-info / qairt-dlc-info output (text or -s CSV), a .dlc file, or a QNN <model>_net.json\n' +
        '<source>: encodings/overrides JSON (AIMET legacy, 1.0.0, 2.x, AdaRound), a frozen TF graph with\n' +
        '          FakeQuant nodes (.pb/.pbtxt), or a name,min,max[,bitwidth] range file (CSV or JSON)',
    )
    .command(
      ['$0 <dlc> <source>', 'verify <dlc> <source>'],
      'verify a DLC (dump, .dlc or net.json) against the encodings you meant',
      (y) =>
        y
          .positional('dlc', { type: 'string', describe: 'dlc-info dump (text/CSV), .dlc, or QNN _net.json' })
          .positional('source', { type: 'string', describe: 'overrides JSON, FakeQuant .pb/.pbtxt, or range file' })
          .option('rename', {
            type: 'string',
            array: true,
            describe: "map source names to DLC names: 'REGEX=>REPLACEMENT' (repeatable)",
          })
          .option('waive', { type: 'string', array: true, describe: "accept known deviations: 'GLOB[:VERDICT]' (repeatable)" })
          .option('fail-on', {
            type: 'string',
            array: true,
            describe: 'verdicts or kinds (fail, warn) that fail the run; default: every fail-kind verdict',
          })
          .option('config', { type: 'string', describe: 'config file (default: ./dlcverify.config.json if present)' }),
      (argv) =>
        run(common(argv, io), (commandIo) =>
          runVerify(
            {
              ...common(argv, io),
              dlc: String(argv.dlc),
              source: String(argv.source),
              rename: list(argv.rename),
              waive: list(argv.waive),
              failOn: list(argv['fail-on']).flatMap((s) => s.split(',')).filter((s) => s.length > 0),
              ...(argv.config !== undefined ? { config: argv.config } : {}),
            },
            commandIo,
          ),
        ),
    )
    .command(
      'show <file>',
      'print what dlcverify reads from one file: every encoding of a dump/.dlc, or every entry of a source',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'any input dlcverify reads (detected by content)' })
          .example('dlcverify show info.txt --format json', 'one element per (tensor, channel) encoding')
          .example('dlcverify show encoding.json', 'the normalised entries of an overrides file'),
      (argv) => run(common(argv, io), (commandIo) => runShow({ ...common(argv, io), file: String(argv.file) }, commandIo)),
    )
    .command(
      'diff <before> <after>',
      "compare two DLCs' encodings (dumps, .dlc files or saved JSON results) for regressions",
      (y) =>
        y
          .positional('before', {
            type: 'string',
            describe: 'the reference: dump (text/CSV), .dlc, QNN _net.json, or a saved `show --format json`',
          })
          .positional('after', { type: 'string', describe: 'the candidate, in any of the same forms' })
          .example('dlcverify diff release-1.4.txt candidate.dlc', 'what changed since the last release')
          .example("dlcverify diff a.txt b.txt --baseline accepted.json --report junit=out/diff.xml", 'gate CI on regressions')
          .option('baseline', { type: 'string', describe: 'JSON file of accepted changes (waivers)' })
          .option('waive', { type: 'string', array: true, describe: "accept known changes: 'GLOB[:CODE]' (repeatable)" }),
      (argv) =>
        run(common(argv, io), (commandIo) =>
          runDiff(
            {
              ...common(argv, io),
              before: String(argv.before),
              after: String(argv.after),
              waive: list(argv.waive),
              ...(argv.baseline !== undefined ? { baseline: argv.baseline } : {}),
            },
            commandIo,
          ),
        ),
    )
    .command(
      'check <models..>',
      'check models alone: seams between parts, weights shared across graphs, encodings no one should ship',
      (y) =>
        y
          .positional('models', { type: 'string', array: true, describe: 'parts in order: dumps, .dlc, QNN _net.json, saved `show --format json`' })
          .example('dlcverify check part1.dlc part2.dlc part3.dlc', 'seams between LLM parts, shared weights, absurd encodings')
          .option('seam', { type: 'string', array: true, describe: "a renamed boundary: 'OUT=>IN' (repeatable)" })
          .option('waive', { type: 'string', array: true, describe: "accept known findings: 'GLOB[:CODE]' (repeatable)" })
          .option('fail-on', { type: 'string', array: true, describe: 'codes or kinds (fail, warn) that fail the run; default: every fail-kind finding' })
          .option('config', { type: 'string', describe: 'config file (default: ./dlcverify.config.json if present)' }),
      (argv) =>
        run(common(argv, io), (commandIo) =>
          runCheck(
            {
              ...common(argv, io),
              models: list(argv.models),
              seam: list(argv.seam),
              waive: list(argv.waive),
              failOn: list(argv['fail-on']).flatMap((s) => s.split(',')).filter((s) => s.length > 0),
              ...(argv.config !== undefined ? { config: argv.config } : {}),
            },
            commandIo,
          ),
        ),
    )
    .option('format', { alias: 'f', type: 'string', choices: REPORT_FORMATS, default: 'table', describe: 'format written to stdout' })
    .option('report', { type: 'string', array: true, describe: 'also write FORMAT=PATH (repeatable), e.g. junit=out/junit.xml' })
    .option('graph', { type: 'string', describe: 'only this graph of a multi-graph DLC' })
    .option('strict', { type: 'boolean', default: false, describe: 'treat parser diagnostics as failure (exit 2)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress, no summary chatter' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'list every tensor, not only deviations' })
    .option('color', { type: 'boolean', describe: 'force colour on/off (default: on for a TTY unless NO_COLOR)' })
    // Errors are written in the format asked for, as parsed (`--format json`, `--format=json`, `-f json`).
    .middleware((argv) => {
      wantedFormat = String(argv['format'] ?? 'table');
    })
    .epilog(EPILOG)
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new InputError('USAGE', msg);
    });

  try {
    // Until yargs has parsed the options (a usage error stops it first), the last spelling given.
    wantedFormat = formatInArgs(args) ?? wantedFormat;
    let helpText = '';
    await parser.parseAsync(args as string[], {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (helpText) io.stdout(helpText.endsWith('\n') ? helpText : helpText + '\n');
    return exitCode;
  } catch (err) {
    if (err instanceof InputError) {
      (wantedFormat === 'json' ? io.stdout : io.stderr)(formatError(err, wantedFormat));
      if (err.code === 'USAGE') io.stderr("Run 'dlcverify --help' for usage.\n");
      return 2;
    }
    // A bug: say so with the stack, exit 2, never swallow it.
    io.stderr(`dlcverify: internal error (please report): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

function realIo(): CliIo {
  // `dlcverify … | head`: once the reader has gone, stop writing (EPIPE is not an error of ours)
  // and finish with the run's own exit code instead of a stack trace.
  let stdoutGone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stdoutGone = true;
  });
  return {
    stdout: (text) => {
      if (stdoutGone || process.stdout.write(text)) return undefined;
      // The pipe is full: wait until it drains (or the reader goes away) before the next piece.
      return new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdout.off('drain', done);
          process.stdout.off('error', done);
          process.stdout.off('close', done);
          resolve();
        };
        process.stdout.on('drain', done);
        process.stdout.on('error', done);
        process.stdout.on('close', done);
      });
    },
    stderr: (text) => void process.stderr.write(text),
    openInput,
    writeFile: writeTextFile,
    fileExists,
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: () => performance.now(),
    readSourceAside: (input) => readSourceAside(input.name),
  };
}

export async function main(args: readonly string[]): Promise<number> {
  return runCli(args, realIo());
}
