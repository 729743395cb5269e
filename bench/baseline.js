// The floor every parser is measured against: read the files and split them into lines in Node,
// nothing else, the plain Node way (1 MiB synchronous reads, StringDecoder, indexOf), so the
// ratio shows what parsing and verifying add on top of just getting the lines.
//
// Usage: node bench/baseline.js FILE...   -> prints {"lines": N, "chars": N} on stdout
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 1024 * 1024;
let lines = 0;
let chars = 0;
for (const path of process.argv.slice(2)) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
    if (n === 0) break;
    const text = carry + decoder.write(n === CHUNK_BYTES ? buf : buf.subarray(0, n));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      chars += line.length;
      lines++;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry.length > 0) {
    chars += carry.length;
    lines++;
  }
  closeSync(fd);
}
process.stdout.write(JSON.stringify({ lines, chars }) + '\n');
