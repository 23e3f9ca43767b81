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
