/**
 * A SourceSet in the form it crosses threads in (io-worker.ts → io.ts): the grids of per-channel
 * entries packed into one Float64Array each, moved without a copy. A 100 MB overrides file has
 * hundreds of thousands of grids; as objects, structured cloning them cost more than a fifth of
 * reading the file, on both threads.
 */
import type { SourceEntry, SourceGrid, SourceSet } from '../../model.js';
import { grid } from './common.js';

/**
 * An entry with its grids packed: (channel, min, max, scale, offset) per grid, NaN where absent;
 * `grids` is left empty, in its place (key order is kept: reports print entries as they are).
 */
export type PackedEntry = SourceEntry & { readonly packedGrids: Float64Array };

export interface PackedSourceSet extends Omit<SourceSet, 'entries'> {
  readonly entries: readonly (SourceEntry | PackedEntry)[];
}

/** Entries with fewer grids cross as they are (packing would not pay). */
const PACK_MIN_GRIDS = 16;
const FIELDS = 5;

function finiteOrAbsent(n: number | undefined): boolean {
  return n === undefined || Number.isFinite(n);
}

/** NaN means absent, so only grids whose numbers are all finite (or absent) are packed. */
function packable(grids: readonly SourceGrid[]): boolean {
  if (grids.length < PACK_MIN_GRIDS) return false;
  return grids.every((g) => finiteOrAbsent(g.channel) && finiteOrAbsent(g.min) && finiteOrAbsent(g.max) && finiteOrAbsent(g.scale) && finiteOrAbsent(g.offset));
}

/** The set to post, and the buffers to transfer with it. */
export function packSourceSet(set: SourceSet): { packed: PackedSourceSet; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const entries = set.entries.map((entry): SourceEntry | PackedEntry => {
    if (!packable(entry.grids)) return entry;
    const packedGrids = new Float64Array(entry.grids.length * FIELDS);
    entry.grids.forEach((g, i) => {
      const at = i * FIELDS;
      packedGrids[at] = g.channel ?? Number.NaN;
      packedGrids[at + 1] = g.min ?? Number.NaN;
      packedGrids[at + 2] = g.max ?? Number.NaN;
      packedGrids[at + 3] = g.scale ?? Number.NaN;
      packedGrids[at + 4] = g.offset ?? Number.NaN;
    });
    transfer.push(packedGrids.buffer);
    return { ...entry, grids: [], packedGrids };
  });
  return { packed: { ...set, entries }, transfer };
}

function present(n: number): number | undefined {
  return Number.isNaN(n) ? undefined : n;
}

/** The SourceSet again, equal to the one packed (the same grid objects `grid()` makes). */
export function unpackSourceSet(packed: PackedSourceSet): SourceSet {
  const entries = packed.entries.map((entry): SourceEntry => {
    if (!('packedGrids' in entry)) return entry;
    const { packedGrids, ...rest } = entry;
    const grids: SourceGrid[] = new Array<SourceGrid>(packedGrids.length / FIELDS);
    for (let i = 0; i < grids.length; i++) {
      const at = i * FIELDS;
      grids[i] = grid(present(packedGrids[at]!), present(packedGrids[at + 1]!), present(packedGrids[at + 2]!), present(packedGrids[at + 3]!), present(packedGrids[at + 4]!));
    }
    return { ...rest, grids };
  });
  return { ...packed, entries };
}
