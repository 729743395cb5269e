// Phase timing of the readers alone, in process: how long parsing the dump and reading the
// overrides JSON take, and how much heap each result holds once garbage is collected.
//
//   npm run build && node --expose-gc bench/parse-phases.js DUMP [JSON] [--repeat N] [--dist DIR]
//   (DUMP `-`: the JSON alone)
//
// `--dist DIR` measures another build (e.g. an older commit compiled elsewhere) with the same script.
//
// Each phase is run N times (default 1) and the fastest wall time is printed, with the fastest
// CPU time (user + system, GC threads included: steadier than wall time on a shared machine); the heap figure is
// measured after the last run with the result still alive (what a `verify` run keeps), and
// `peak RSS` is the process's maximum resident set so far.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const optionAt = (name) => args.indexOf(`--${name}`);
const repeat = optionAt('repeat') >= 0 ? Math.max(1, Number(args[optionAt('repeat') + 1])) : 1;
const dist = optionAt('dist') >= 0 ? resolve(args[optionAt('dist') + 1]) : new URL('../dist', import.meta.url).pathname;
const [dumpPath, jsonPath] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const { openInput } = await import(pathToFileURL(`${dist}/io.js`).href);
const { readModel, readSource } = await import(pathToFileURL(`${dist}/parse/load.js`).href);
if (dumpPath === undefined) {
  console.error('usage: node --expose-gc bench/parse-phases.js DUMP [JSON] [--repeat N]');
  process.exit(2);
}
if (typeof global.gc !== 'function') {
  console.error('run with --expose-gc (heap figures need a collection first)');
  process.exit(2);
}

const MB = 1e6;
const heapMb = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed / MB;
};
const peakRssMb = () => process.resourceUsage().maxRSS / 1e3;

const kept = [];
function phase(label, path, read, count) {
  const size = openInput(path).size;
  const before = heapMb();
  let best = Infinity;
  let bestCpu = Infinity;
  let result;
  for (let i = 0; i < repeat; i++) {
    result = undefined;
    if (i > 0) global.gc();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    result = read(openInput(path));
    best = Math.min(best, performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  kept.push(result);
  const held = heapMb() - before;
  const seconds = best / 1000;
  console.log(
    `${label.padEnd(6)} ${(size / MB).toFixed(1).padStart(6)} MB  ${seconds.toFixed(2).padStart(5)} s  ${(size / MB / seconds).toFixed(0).padStart(4)} MB/s  cpu ${(bestCpu / 1000).toFixed(2)} s  ` +
      `heap held ${held.toFixed(1).padStart(6)} MB  peak RSS ${peakRssMb().toFixed(0)} MB  ${count(result)}`,
  );
}

console.log(`node ${process.version}, heap at start ${heapMb().toFixed(1)} MB`);
if (dumpPath !== '-') phase('dump', dumpPath, readModel, (model) => {
  let tensors = 0;
  let channels = 0;
  for (const g of model.graphs) {
    for (const t of g.tensors.values()) {
      tensors++;
      channels += t.encoding?.channels.length ?? 0;
    }
  }
  return `${model.graphs.length} graphs, ${tensors} tensors, ${channels} encodings, ${model.diagnostics.length} diagnostics`;
});
if (jsonPath !== undefined) {
  phase('json', jsonPath, readSource, (source) => {
    let grids = 0;
    for (const e of source.entries) grids += e.grids.length;
    return `${source.entries.length} entries, ${grids} grids, ${source.diagnostics.length} diagnostics`;
  });
}
