/**
 * Op by op: ops are matched by name within a graph (ids are positions: removing one op renumbers
 * every later one, so ids are never compared).
 */
import { createTwoFilesPatch } from 'diff';
import type { DiffChange, Graph, Op } from '../model.js';

export interface OpDiff {
  readonly changes: DiffChange[];
  readonly removed: Set<string>;
  readonly added: Set<string>;
  /** Ops present on both sides. */
  readonly compared: number;
}

function byName(ops: readonly Op[]): Map<string, Op> {
  const map = new Map<string, Op>();
  for (const op of ops) if (!map.has(op.name)) map.set(op.name, op);
  return map;
}

function outputsLabel(op: Op): string {
  return op.outputs.length === 0 ? 'no outputs' : `${op.outputs.length} output${op.outputs.length === 1 ? '' : 's'} (${op.outputs.join(', ')})`;
}

export function diffOps(before: Graph, after: Graph): OpDiff {
  const graph = after.name === before.name ? before.name : `${before.name} -> ${after.name}`;
  const changes: DiffChange[] = [];
  const removed = new Set<string>();
  const added = new Set<string>();
  const beforeOps = byName(before.ops);
  const afterOps = byName(after.ops);
  let compared = 0;
  for (const [name, b] of beforeOps) {
    const a = afterOps.get(name);
    if (a === undefined) {
      removed.add(name);
      changes.push({
        code: 'OP_REMOVED',
        kind: 'regression',
        graph,
        subject: name,
        before: b.type,
        sentence: `op ${name} (${b.type}, id ${b.id} of ${before.ops.length}, ${outputsLabel(b)}) is gone; the graph has ${after.ops.length} ops, had ${before.ops.length}`,
        beforeAt: b.at,
      });
      continue;
    }
    compared++;
    if (a.type !== b.type) {
      changes.push({
        code: 'OP_RETYPED',
        kind: 'change',
        graph,
        subject: name,
        before: b.type,
        after: a.type,
        sentence: `op ${name} (id ${b.id} -> ${a.id}) is now ${a.type}, was ${b.type}`,
        beforeAt: b.at,
        afterAt: a.at,
      });
    }
  }
  for (const [name, a] of afterOps) {
    if (beforeOps.has(name)) continue;
    added.add(name);
    changes.push({
      code: 'OP_ADDED',
      kind: 'change',
      graph,
      subject: name,
      after: a.type,
      sentence: `op ${name} (${a.type}, id ${a.id} of ${after.ops.length}, ${outputsLabel(a)}) is new; the graph has ${after.ops.length} ops, had ${before.ops.length}`,
      afterAt: a.at,
    });
  }
  return { changes, removed, added, compared };
}

/** One line per op (`name  type`), the text the unified diff compares. */
export function opListText(graph: Graph | undefined): string {
  if (!graph) return '';
  return graph.ops.map((op) => `${op.name}  ${op.type}\n`).join('');
}

/** A unified diff of two op lists, or '' when they are the same. */
export function opListPatch(before: Graph | undefined, after: Graph | undefined, beforeLabel: string, afterLabel: string): string {
  const a = opListText(before);
  const b = opListText(after);
  if (a === b) return '';
  return createTwoFilesPatch(beforeLabel, afterLabel, a, b, undefined, undefined, { context: 3 });
}
