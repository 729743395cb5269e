// Fallback when /usr/bin/time is absent: runs a script in this process and reports its peak RSS
// (process.resourceUsage().maxRSS, KiB) on stderr as `BENCH_MAX_RSS_KB <n>` when it exits.
//
// Usage: node bench/rss-wrapper.js SCRIPT ARGS...
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(resolve(script)).href);
