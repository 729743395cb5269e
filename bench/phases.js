// In-process phase timings for `verify`: time and heap after each phase (parse the dump, read the
// source, verify, render), to see which phase a change moves. Needs `npm run build` first.
// Usage: node --expose-gc bench/phases.js DUMP SOURCE [--format table|json|…] [--verbose]
import { performance } from 'node:perf_hooks';
import { openInput } from '../dist/io.js';
import { readModel, readSource } from '../dist/parse/load.js';
import { verify } from '../dist/verify/index.js';
import { renderReport } from '../dist/render/index.js';

const [dumpPath, sourcePath] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dumpPath || !sourcePath) {
  console.error('usage: node --expose-gc bench/phases.js DUMP SOURCE [--format FORMAT] [--verbose]');
  process.exit(2);
}
const formatAt = process.argv.indexOf('--format');
const format = formatAt > 0 ? process.argv[formatAt + 1] : 'table';
const verbose = process.argv.includes('--verbose');

const MB = 1024 * 1024;
const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / MB;
};
let last = heapMb();
function phase(name, run) {
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  const heap = heapMb();
  console.log(`${name.padEnd(8)} ${(ms / 1000).toFixed(2).padStart(6)} s  heap ${heap.toFixed(0).padStart(5)} MB (${heap - last >= 0 ? '+' : ''}${(heap - last).toFixed(0)})`);
  last = heap;
  return value;
}

const model = phase('dump', () => readModel(openInput(dumpPath)));
const source = phase('source', () => readSource(openInput(sourcePath)));
const report = phase('verify', () => verify(model, source));
const text = phase('render', () => renderReport(report, format, { color: false, verbose }));
console.log(`${report.results.length} results, ${text.length} chars of ${format}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
