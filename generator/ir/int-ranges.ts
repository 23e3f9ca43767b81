// The wire range of each integer type, and the exact-number limit of JavaScript.
import type { ScalarName } from "./types.js";

export const MAX_SAFE = 2n ** 53n - 1n;

export const INT_RANGES: Partial<Record<ScalarName, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  integer: [-MAX_SAFE, MAX_SAFE],
};

/**
 * The integers a field of integer type `name` allows, exactly: its type's range narrowed by a
 * minimum (rounded up) and a maximum (rounded down). A bound that is not finite narrows nothing:
 * the contradicting-limits rule reports it, and emitters must not throw on it when it is suppressed.
 */
export function integerBounds(name: ScalarName, c: { minimum?: number | undefined; maximum?: number | undefined }): [bigint, bigint] {
  const [lo, hi] = INT_RANGES[name]!;
  const min = c.minimum !== undefined && Number.isFinite(c.minimum) ? BigInt(Math.ceil(c.minimum)) : undefined;
  const max = c.maximum !== undefined && Number.isFinite(c.maximum) ? BigInt(Math.floor(c.maximum)) : undefined;
  return [min !== undefined && min > lo ? min : lo, max !== undefined && max < hi ? max : hi];
}
