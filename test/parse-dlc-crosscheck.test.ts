/**
 * PAIRS.md §G: reading a DLC and reading the real tool's dump of the same DLC give the same
 * encodings within the dump's print precision (SNPE 1.59 `%.12f`, SNPE 1.17 `%.4g`, QAIRT 2.25
 * `%.12f` with `-d` per-channel rows). The dump side is read by the dump parser (branch `dump`).
 */
import { describe, expect, it } from 'vitest';
import { readDlc } from '../src/parse/dlc/index.js';
import { parseDump } from '../src/parse/dump/index.js';
import { printQuantum } from '../src/numeric.js';
import type { DlcModel, Encoding, PrintedNumber } from '../src/model.js';
import { corpusInput, describeCorpus as describeCorpusHelper } from './helpers/corpus.js';

// The helper is typed as `describe.skipIf` but called like `describe` (it skips by itself).
const describeCorpus = describeCorpusHelper as unknown as typeof describe;

function within(printed: PrintedNumber, stored: PrintedNumber): boolean {
  const p = printed.value;
  return Math.abs(p - stored.value) <= printQuantum(printed) + 1e-12 * Math.max(1, Math.abs(p));
}

interface Outcome {
  compared: number;
  mismatches: string[];
  /** Tensors with an encoding in the DLC but none in the dump. */
  dlcOnly: string[];
}

/** Every grid the dump prints, compared with the DLC's grid of the same tensor and channel. */
function compare(dlc: DlcModel, dump: DlcModel): Outcome {
  const out: Outcome = { compared: 0, mismatches: [], dlcOnly: [] };
  expect(dlc.graphs.length).toBe(dump.graphs.length);
  dump.graphs.forEach((dg, gi) => {
    const bg = dlc.graphs[gi]!;
    for (const [name, t] of dg.tensors) {
      if (!t.encoding) continue;
      const b = bg.tensors.get(name);
      if (!b?.encoding) {
        out.mismatches.push(`${name}: encoded in the dump, not in the DLC`);
        continue;
      }
      const byChannel = new Map<number, Encoding>(b.encoding.channels.map((c) => [c.channel ?? 0, c]));
      if (t.encoding.allChannelsPresent && t.encoding.channels.length !== b.encoding.channels.length) {
        out.mismatches.push(`${name}: ${t.encoding.channels.length} channels in the dump, ${b.encoding.channels.length} in the DLC`);
      }
      for (const c of t.encoding.channels) {
        const e = byChannel.get(c.channel ?? 0)!;
        const fields = ['min', 'max', 'scale', 'offset'] as const;
        const bad = fields.filter((f) => !within(c[f], e[f]));
        if (c.bitwidth !== e.bitwidth) bad.push('bitwidth' as never);
        if (bad.length > 0) out.mismatches.push(`${name}[${c.channel ?? 0}]: ${bad.join(', ')} differ`);
        out.compared++;
      }
    }
    for (const [name, b] of bg.tensors) if (b.encoding && !dg.tensors.get(name)?.encoding) out.dlcOnly.push(name);
  });
  return out;
}

function pair(dlcPath: string, dumpPath: string): Outcome {
  return compare(readDlc(corpusInput(dlcPath)), parseDump(corpusInput(dumpPath).lines(), dumpPath));
}

describeCorpus('DLC ↔ its real dump (PAIRS.md §G)', () => {
  it.each([
    ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.txt', 314],
    ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.csv', 314],
    ['dlc/aidlux_yolov5n_int8.dlc', 'oracle/snpe159/aidlux_yolov5n_int8.m.txt', 314],
    ['dlc/ort_test_abs_q.dlc', 'oracle/snpe159/ort_test_abs_q.txt', 2],
    ['dlc/ort_test_abs_q.dlc', 'oracle/snpe159/ort_test_abs_q.csv', 2],
    ['dlc/ort_test_abs.dlc', 'oracle/snpe159/ort_test_abs.txt', 0],
  ])('%s ↔ %s: %i grids equal within print precision', (dlc, dump, count) => {
    const r = pair(dlc, dump);
    expect(r.mismatches).toEqual([]);
    expect(r.compared).toBe(count);
    expect(r.dlcOnly).toEqual([]);
  });

  it('openpilot v2 ↔ SNPE 1.17 dump (%.4g): 70 printed grids equal; the 22 biases exist only in the DLC (1.17 prints none)', () => {
    const r = pair('dlc/openpilot_dmonitoring_model_q_v2.dlc', 'oracle/snpe117/openpilot_dmonitoring_model_q_v2.txt');
    expect(r.mismatches).toEqual([]);
    expect(r.compared).toBe(70);
    expect(r.dlcOnly).toHaveLength(22);
    expect(r.dlcOnly.every((n) => n.endsWith('.bias'))).toBe(true);
  });

  it('openpilot re-quantized by SNPE 1.17 ↔ its dump', () => {
    const r = pair('oracle/snpe117/openpilot_dmonitoring_requant_snpe117.dlc', 'oracle/snpe117/openpilot_dmonitoring_requant_snpe117.txt');
    expect(r.mismatches).toEqual([]);
    expect(r.compared).toBe(70);
  });

  it.each([
    ['eltwise_snpe225_overrides', 8],
    ['qdq_conv_u8_qairt225', 10],
    ['qdq_conv_u8_snpe225', 10],
    ['tiny_cnn_qairt225', 0],
    ['tiny_cnn_qairt225_fp16', 0],
    ['tiny_cnn_snpe225', 0],
    ['tiny_cnn_snpe225_overrides', 13],
  ])('oracle/qairt225/%s.dlc ↔ its .dlcinfo.txt: %i grids', (base, count) => {
    const r = pair(`oracle/qairt225/${base}.dlc`, `oracle/qairt225/${base}.dlcinfo.txt`);
    expect(r.mismatches).toEqual([]);
    expect(r.compared).toBe(count);
    expect(r.dlcOnly).toEqual([]);
  });
});
