// `npm run bench`: generate big inputs outside the repository, then measure, in one run,
//   - baseline: read the inputs and split them into lines in Node (bench/baseline.js),
//   - verify:   `node bin/dlcverify.js verify DUMP JSON` (dump + matching overrides JSON),
//   - show:     `node bin/dlcverify.js show DUMP` (the dump alone),
// each as a child process: wall time measured here, peak RSS from `/usr/bin/time -v` (or
// process.resourceUsage().maxRSS via bench/rss-wrapper.js when /usr/bin/time is absent).
//
// Targets (issue 7): verify of the 200 MB dump + ~100 MB JSON in <= 4 s (>= 50 MB/s of dump),
// <= 3x the line-split baseline of the same inputs, peak RSS <= 300 MB.
//
// Options: --sizes 10,50,200 (MB of dump)  --repeat N (rounds: best time, worst RSS; default 3)  --keep (leave files)
//          --dir PATH (where to generate; default a fresh directory under the OS temp dir)
//          --reuse (with --dir and --keep: use the inputs an earlier run left there instead of generating)
//          --show-format csv (the `show` output format: csv, json or table)
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateBenchPair } from './generate.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin', 'dlcverify.js');
const BASELINE = join(REPO, 'bench', 'baseline.js');
const WRAPPER = join(REPO, 'bench', 'rss-wrapper.js');
const PHASES = join(REPO, 'bench', 'phases.js');
const TIME = '/usr/bin/time';
const MB = 1e6;

const TARGET = { seconds: 4, mbPerSecond: 50, ratio: 3, rssMb: 300 };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const sizes = option('sizes', '10,50,200').split(',').map(Number).filter((n) => n > 0);
const repeat = Math.max(1, Number(option('repeat', '3')));
const keep = process.argv.includes('--keep');
const reuse = process.argv.includes('--reuse');
const dir = option('dir', undefined) ?? mkdtempSync(join(tmpdir(), 'dlcverify-bench-'));
mkdirSync(dir, { recursive: true });
if (resolve(dir).startsWith(REPO + '/')) {
  console.error(`bench: refusing to generate inside the repository (${dir})`);
  process.exit(2);
}
const useTime = existsSync(TIME);
const showFormat = option('show-format', 'csv');

/** Runs `node SCRIPT ARGS` as a child; resolves {seconds, rssMb, code, stdout, stderr}. */
function measure(script, args) {
  const nodeArgs = useTime ? ['-v', process.execPath, script, ...args] : [WRAPPER, script, ...args];
  const command = useTime ? TIME : process.execPath;
  return new Promise((resolveRun, reject) => {
    const start = performance.now();
    const child = spawn(command, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // stdout is drained (the tool's report can be large) but only its head is kept.
    child.stdout.on('data', (d) => void (stdout.length < 4096 && (stdout += d)));
    child.stderr.on('data', (d) => void (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      const rss = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) : /BENCH_MAX_RSS_KB (\d+)/.exec(stderr);
      const rssMb = rss ? (Number(rss[1]) * 1024) / MB : Number.NaN;
      const toolStderr = useTime
        ? stderr.slice(0, stderr.lastIndexOf('\tCommand being timed')).replace(/Command exited with non-zero status \d+\s*$/, '')
        : stderr.replace(/\nBENCH_MAX_RSS_KB \d+\n$/, '');
      resolveRun({ seconds, rssMb, code, stdout, stderr: toolStderr.trim() });
    });
  });
}

/**
 * Runs every command once per round, `repeat` rounds; for each, the fastest run's result with the
 * highest peak RSS seen in any run (memory is not best-of: a CI machine may get the bad run).
 */
async function bestOfRounds(commands) {
  const results = commands.map(() => undefined);
  for (let i = 0; i < repeat; i++) {
    for (const [k, [script, args]] of commands.entries()) {
      const r = await measure(script, args);
      const sofar = results[k];
      results[k] = !sofar || r.seconds < sofar.seconds ? { ...r, rssMb: Math.max(r.rssMb, sofar?.rssMb ?? 0) } : { ...sofar, rssMb: Math.max(r.rssMb, sofar.rssMb) };
    }
  }
  return results;
}

/** bench/phases.js in a child: seconds and memory per phase of verify, for the largest size. */
function phaseBreakdown(dumpPath, jsonPath) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--expose-gc', PHASES, dumpPath, jsonPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => void (out += d));
    child.stderr.on('data', (d) => void (err += d));
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      resolveRun({ lines, error: code === 0 ? undefined : `exit ${code}: ${err.split('\n')[0]}` });
    });
  });
}

let phases;
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pad = (s, n) => String(s).padStart(n);

console.log(`dlcverify benchmark — node ${process.version}, inputs in ${dir}${useTime ? '' : ' (RSS via resourceUsage)'}`);
console.log(`verify: \`dlcverify verify DUMP JSON --quiet\` (table to a pipe); show: \`dlcverify show DUMP --format ${showFormat} --quiet\``);
const rows = [];
const generatedHere = option('dir', undefined) === undefined;
process.on('SIGINT', () => {
  // Ctrl-C during a measurement: do not leave hundreds of MB in the temp dir.
  if (!keep && generatedHere) rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});
try {
  for (const size of sizes) {
    const graphs = size >= 200 ? 8 : size >= 50 ? 4 : 2;
    const dumpPath = join(dir, `llm_${size}mb.dlcinfo.txt`);
    const jsonPath = join(dir, `llm_${size}mb.encodings`);
    const t0 = performance.now();
    if (reuse && existsSync(dumpPath) && existsSync(jsonPath)) {
      console.log(`reused ${dumpPath} and ${jsonPath} (--reuse: generated by an earlier run)`);
    } else {
      const gen = generateBenchPair({ dumpPath, jsonPath, targetBytes: size * MB, graphs });
      console.log(
        `generated ${fmt(gen.dumpBytes / MB, 1)} MB dump (${gen.graphs} graphs, ${gen.layers} layers, ${gen.channelLines} per-channel lines) + ` +
          `${fmt(gen.jsonBytes / MB, 1)} MB overrides JSON (${gen.encodings} entries) in ${fmt((performance.now() - t0) / 1000, 1)} s`,
      );
    }
    const dumpMb = statSync(dumpPath).size / MB;
    const jsonMb = statSync(jsonPath).size / MB;
    // Rounds, each command once per round: a load that comes and goes on a shared machine then
    // weighs on the baseline and the tool alike, and the ratio stays fair.
    const [baseVerify, baseShow, verify, show] = await bestOfRounds([
      [BASELINE, [dumpPath, jsonPath]],
      [BASELINE, [dumpPath]],
      [BIN, ['verify', dumpPath, jsonPath, '--quiet']],
      [BIN, ['show', dumpPath, '--format', showFormat, '--quiet']],
    ]);
    for (const [name, r] of [['verify', verify], ['show', show]]) {
      if (r.code !== 0 && r.code !== 1) console.log(`  ${name} exited ${r.code}: ${(r.stderr || r.stdout).split('\n').slice(0, 3).join(' | ')}`);
    }
    rows.push({ size, dumpMb, jsonMb, baseVerify, baseShow, verify, show });
    if (size === Math.max(...sizes)) phases = await phaseBreakdown(dumpPath, jsonPath);
  }
} finally {
  if (!keep && generatedHere) rmSync(dir, { recursive: true, force: true });
  else console.log(`inputs kept in ${dir}`);
}

console.log('');
console.log('size    | command | inputs MB | wall s | MB/s   | peak RSS MB | baseline s | x baseline | exit');
console.log('--------|---------|-----------|--------|--------|-------------|------------|------------|-----');
for (const row of rows) {
  for (const [name, r, base, mb] of [
    ['verify', row.verify, row.baseVerify, row.dumpMb + row.jsonMb],
    [`show`, row.show, row.baseShow, row.dumpMb],
  ]) {
    console.log(
      `${pad(row.size + ' MB', 7)} | ${name.padEnd(7)} | ${pad(fmt(mb, 1), 9)} | ${pad(fmt(r.seconds), 6)} | ${pad(fmt(mb / r.seconds, 1), 6)} | ` +
        `${pad(fmt(r.rssMb, 0), 11)} | ${pad(fmt(base.seconds), 10)} | ${pad(fmt(r.seconds / base.seconds, 2), 10)} | ${pad(r.code, 4)}`,
    );
  }
  console.log(`${pad(row.size + ' MB', 7)} | (lines only: ${fmt(row.baseVerify.rssMb, 0)} MB RSS for dump+JSON, ${fmt(row.baseShow.rssMb, 0)} MB for the dump)`);
}

if (phases) {
  console.log('');
  console.log(`where verify's time and memory go (${Math.max(...sizes)} MB, one process, GC after each phase; phases run one after`);
  console.log(`the other here, while \`verify\` reads a source of 8 MB or more on a worker thread during the dump's parse):`);
  for (const p of phases.lines) {
    console.log(`  ${p.phase.padEnd(52)} ${pad(fmt(p.seconds), 6)} s   heap ${pad(fmt(p.heapMb, 0), 5)} MB   rss ${pad(fmt(p.rssMb, 0), 5)} MB   peak ${pad(fmt(p.peakRssMb, 0), 5)} MB`);
  }
  if (phases.error) console.log(`  phases stopped: ${phases.error}`);
}

const big = rows.find((r) => r.size === 200) ?? rows.at(-1);
if (big) {
  const v = big.verify;
  const ran = v.code === 0 || v.code === 1;
  const checks = [
    [`verify wall time <= ${TARGET.seconds} s`, `${fmt(v.seconds)} s`, ran && v.seconds <= TARGET.seconds],
    [`verify throughput >= ${TARGET.mbPerSecond} MB/s of dump`, `${fmt(big.dumpMb / v.seconds, 1)} MB/s`, ran && big.dumpMb / v.seconds >= TARGET.mbPerSecond],
    [`verify <= ${TARGET.ratio}x the line-split baseline`, `${fmt(v.seconds / big.baseVerify.seconds)}x`, ran && v.seconds / big.baseVerify.seconds <= TARGET.ratio],
    [`verify peak RSS <= ${TARGET.rssMb} MB`, `${fmt(v.rssMb, 0)} MB`, ran && v.rssMb <= TARGET.rssMb],
  ];
  console.log('');
  console.log(`targets (${big.size} MB dump + ${fmt(big.jsonMb, 0)} MB JSON)${ran ? '' : ` — verify did not run (exit ${v.code})`}:`);
  for (const [what, got, ok] of checks) console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${what}: ${got}`);
  process.exitCode = checks.every((c) => c[2]) ? 0 : 1;
}
