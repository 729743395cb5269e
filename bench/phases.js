// Where verify's time and memory go, phase by phase, in one process (run by bench/run.js on the
// largest size): read the dump, read the overrides JSON, verify, render the table. A forced GC
// after each phase makes "heap" the memory the phase's result keeps.
//
// Usage: node --expose-gc bench/phases.js DUMP JSON   -> one JSON line per phase on stdout
import { openInput } from '../dist/io.js';
import { readModel, readSource } from '../dist/parse/load.js';
import { renderReport } from '../dist/render/index.js';
import { verify } from '../dist/verify/index.js';

const [dumpPath, jsonPath] = process.argv.slice(2);
function phase(name, f) {
  const start = performance.now();
  const value = f();
  const seconds = (performance.now() - start) / 1000;
  globalThis.gc?.();
  const m = process.memoryUsage();
  const line = { phase: name, seconds, heapMb: m.heapUsed / 1e6, rssMb: m.rss / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1e3 };
  process.stdout.write(JSON.stringify(line) + '\n');
  return value;
}
const model = phase('parse dump (parse/dump)', () => readModel(openInput(dumpPath)));
const source = phase('read overrides JSON (parse/source)', () => readSource(openInput(jsonPath)));
const report = phase('verify (verify/)', () => verify(model, source, { renames: [], waivers: [] }));
phase(`render table (render/table, ${report.results.length} results)`, () => renderReport(report, 'table', { color: false, verbose: false }));
