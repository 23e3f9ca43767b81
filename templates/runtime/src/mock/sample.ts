// Helpers the generated samplers call to draw plausible data: strings matching a field's pattern,
// times of one object in order (a room starts before it ends), and lists in time order.
import type { MockItemPosition, Rng } from "./definition.js";
import { timeValue } from "../validation/validation-core.js";

/**
 * A pattern as plain data, made by the generator from the field's regular expression: a literal
 * string, a sequence (array), a character class `{ c: [lo, hi, lo, hi, …] }` (code points), a
 * repetition `{ q, n, x }` (n to x times) or alternatives `{ a }`.
 */
export type PatternProgram =
  string | readonly PatternProgram[] | { c: readonly number[] } | { q: PatternProgram; n: number; x: number } | { a: readonly PatternProgram[] };

function draw(rng: Rng, p: PatternProgram): string {
  if (typeof p === "string") return p;
  if (Array.isArray(p)) return (p as readonly PatternProgram[]).map((x) => draw(rng, x)).join("");
  const node = p as { c?: readonly number[]; q?: PatternProgram; n?: number; x?: number; a?: readonly PatternProgram[] };
  if (node.c) {
    let size = 0;
    for (let i = 0; i < node.c.length; i += 2) size += node.c[i + 1]! - node.c[i]! + 1;
    let at = rng.int(0, size - 1);
    for (let i = 0; i < node.c.length; i += 2) {
      const width = node.c[i + 1]! - node.c[i]! + 1;
      if (at < width) return String.fromCodePoint(node.c[i]! + at);
      at -= width;
    }
    return "";
  }
  if (node.a) return draw(rng, rng.pick(node.a));
  let out = "";
  for (let i = rng.int(node.n!, node.x!); i > 0; i--) out += draw(rng, node.q!);
  return out;
}

/** A string the pattern matches, of a length in [min, max] when a few draws find one; else `fallback` (the field's example) when given. */
export function drawPattern(rng: Rng, program: PatternProgram, min = 0, max = Infinity, fallback?: string): string {
  let s = "";
  for (let i = 0; i < 20; i++) {
    s = draw(rng, program);
    // UTF-16 units, as the validators count lengths.
    if (s.length >= min && s.length <= max) return s;
  }
  return fallback ?? s;
}

/** `value` in the representation of `like` (a number, a bigint or a decimal string). */
function sameForm(like: unknown, value: number): unknown {
  return typeof like === "bigint" ? BigInt(value) : typeof like === "string" ? String(value) : value;
}

/**
 * Puts times of one object in order: for each pair [first, then, ms per unit of first, of then],
 * `then` becomes `first` plus a minute to three hours (unix times), or the two swap (date strings).
 * Pairs apply in the order given; a pair with a field absent or null is left alone.
 */
export function orderTimes(v: Record<string, unknown>, rng: Rng, pairs: ReadonlyArray<readonly [string, string, number, number]>): void {
  for (const [a, b, aMs, bMs] of pairs) {
    const x = v[a];
    const y = v[b];
    if (x === undefined || x === null || y === undefined || y === null) continue;
    const first = timeValue(x);
    const then = timeValue(y);
    if (first === undefined || then === undefined) {
      if (typeof x === "string" && typeof y === "string" && y < x) [v[a], v[b]] = [y, x];
      continue;
    }
    v[b] = sameForm(y, Math.round((first * aMs + rng.int(60_000, 3 * 3_600_000)) / bMs));
  }
}

export type { MockItemPosition } from "./definition.js";

/**
 * Moves an item's times so that the list is in time order by `field`: item i lands at the list's
 * start plus i steps (start and step drawn from the list's stream, within [loMs, hiMs]), and every
 * time in `fields` ([name, ms per unit]) moves by as much, so the item's own order holds.
 */
export function placeInTime<T>(
  v: T,
  at: MockItemPosition | undefined,
  field: string,
  fields: ReadonlyArray<readonly [string, number]>,
  loMs: number,
  hiMs: number,
): T {
  if (!at || v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const ms = fields.find(([f]) => f === field)?.[1] ?? 1000;
  const current = timeValue(o[field]);
  if (current === undefined) return v;
  const step = at.rng.fork("step").int(30_000, 600_000);
  const span = step * (at.count + 1);
  const start = at.rng.fork("start").int(loMs, Math.max(loMs, hiMs - span - 4 * 3_600_000));
  const target = start + at.index * step + at.rng.fork(at.index).int(0, step - 1);
  const delta = target - current * ms;
  for (const [f, unit] of fields) {
    const t = timeValue(o[f]);
    if (t !== undefined && o[f] !== null) o[f] = sameForm(o[f], Math.round((t * unit + delta) / unit));
  }
  return v;
}

/** A drawn list of objects, sorted by a time field (absent or null last). */
export function sortByTime<T>(items: T[], field: string): T[] {
  const key = (x: T) => timeValue((x as Record<string, unknown> | null)?.[field]) ?? Infinity;
  return items.sort((a, b) => key(a) - key(b));
}
