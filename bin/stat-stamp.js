// A file's stat as one string that changes whenever its bytes do (an edit always moves the change
// time, which cannot be set back), and when such a string can vouch for the file. Shared by
// bin/precompiled.js and generator/write/source-fingerprint.ts; plain JavaScript (typed by
// stat-stamp.d.ts) because bin/precompiled.js runs before the generator's bundle or any TypeScript
// loader is there.

/**
 * More than a file system's timestamp granularity (FAT and exFAT keep times to 2 s): a file changed
 * this close to when its stat was recorded may change again in the same tick, its stat unchanged.
 */
export const RACY_MARGIN_NS = 2_000_000_000n;

/** `size:mtimeNs:ctimeNs:ino` of a stat taken with `{ bigint: true }`. */
export function statStamp(s) {
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
}

/**
 * Whether `stamp`, recorded at `recordedAtNs` (the wall clock in nanoseconds, as a decimal string,
 * read just before the stat), can vouch for the file: it changed at least RACY_MARGIN_NS before.
 */
export function settledStamp(stamp, recordedAtNs) {
  const ctime = typeof stamp === "string" ? stamp.split(":")[2] : undefined;
  if (!/^\d+$/.test(ctime ?? "") || typeof recordedAtNs !== "string" || !/^\d+$/.test(recordedAtNs)) return false;
  return BigInt(ctime) < BigInt(recordedAtNs) - RACY_MARGIN_NS;
}
