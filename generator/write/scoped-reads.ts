// What a unit read, less what it read inside services that have not changed. A service whose digest
// (generation-cache.ts: it stands for the service's IR value) is the one it had at the same place of
// `ir.services` when the reads were recorded holds the same values wherever the unit read in it, so
// those reads need no checking, and the service need not be read from the cache at all (a unit
// spanning services, such as the index README, after an edit to one service reads that service only).
import type { ReadSet } from "./read-set.js";

/** Each service's digest, by its place in `ir.services` (undefined: unknown, never taken as unchanged). */
export type ServiceDigests = ReadonlyArray<string | undefined>;

/**
 * `set` without the reads inside `ir.services[j]` for each place j whose digest is `then[j]` and
 * `now[j]` alike (`irRoot`: the IR's place among the unit's arguments). Undefined when a read links
 * such a service to an object outside it (the same object reached from both): then check them all.
 */
export function scopeReads(set: ReadSet, irRoot: number, then: ServiceDigests, now: ServiceDigests): ReadSet | undefined {
  const { nodes, ops, keys } = set;
  const wellFormed = nodes instanceof Int32Array && (ops instanceof Uint16Array || ops instanceof Int32Array) && Array.isArray(keys);
  if (!wellFormed || nodes.length % 3 || ops.length % 4 || !Number.isSafeInteger(set.roots)) return undefined;
  const count = nodes.length / 3;
  let services = -1;
  for (let k = set.roots; k < count; k++) {
    if (nodes[k * 3] === irRoot && keys[nodes[k * 3 + 1]!] === "services") {
      services = k;
      break;
    }
  }
  if (services < 0) return set;
  // The unchanged service each node lies in (its place j), or -1.
  const owner = new Int32Array(count).fill(-1);
  let skipped = 0;
  for (let k = services + 1; k < count; k++) {
    const parent = nodes[k * 3]!;
    if (parent === services) {
      const key = keys[nodes[k * 3 + 1]!]!;
      const j = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      if (j >= 0 && then[j] !== undefined && then[j] === now[j]) {
        owner[k] = j;
        skipped++;
      }
    } else if (parent >= 0) owner[k] = owner[parent]!;
  }
  if (!skipped) return set;
  const kept: number[] = [];
  for (let r = 0; r < ops.length; r += 4) {
    const n = ops[r]!;
    const kind = ops[r + 2]!;
    const arg = ops[r + 3]!;
    // Kinds 1 and 2 name a node in `arg` (read-set.ts).
    const target = kind === 1 || kind === 2 ? (arg >= 0 && arg < count ? owner[arg]! : -2) : undefined;
    if (target === -2) return undefined;
    if (owner[n]! >= 0) {
      // Inside an unchanged service: the same, unless it names an object outside it.
      if (kind === 2 && target !== owner[n]) return undefined;
      continue;
    }
    if (target !== undefined && target >= 0) {
      // The read of an unchanged service from ir.services (kind 1) is dropped with what was read in it.
      if (kind === 1 && n === services) continue;
      return undefined;
    }
    kept.push(n, ops[r + 1]!, kind, arg);
  }
  return { ...set, ops: ops instanceof Uint16Array ? Uint16Array.from(kept) : Int32Array.from(kept) };
}
