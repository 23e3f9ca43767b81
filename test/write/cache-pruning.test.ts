// The generation cache keeps its folder under MAX_ENTRIES: a run that adds entries tallies them, and
// the folder is measured (and the least recently used entries dropped) once the tally passes a limit.
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GenerationCache, MAX_ENTRIES, sha } from "../../generator/write/generation-cache.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "apigen-cache-pruning-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entries = () => readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;

async function run(from: number, count: number): Promise<void> {
  const cache = new GenerationCache(dir);
  for (let i = from; i < from + count; i++) await cache.setValue(sha("entry", String(i)), i);
  await cache.endRun();
}

describe("generation cache pruning", () => {
  it("drops to half the limit once past it, also when runs tally their additions instead of measuring", { timeout: 60_000 }, async () => {
    await run(0, 10);
    expect(entries()).toBe(10);
    // Past the limit in one run: measured and pruned to half.
    await run(10, MAX_ENTRIES);
    expect(entries()).toBeLessThanOrEqual(MAX_ENTRIES / 2);
    const after = entries();
    // Small runs: tallied, nothing dropped.
    await run(100_000, 5);
    expect(entries()).toBe(after + 5);
    // Runs that pass the limit together, each under it: the tally sees it.
    await run(200_000, MAX_ENTRIES / 2 - 10);
    await run(300_000, 20);
    expect(entries()).toBeLessThanOrEqual(MAX_ENTRIES / 2);
  });
  it("prunes the entries the process holds in memory last: a long watch reads them there, never marking them used on disk", async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), "apigen-cache-held-"));
    try {
      const cache = new GenerationCache(own);
      const held = sha("held");
      await cache.setValue(held, "kept");
      const old = new Date(2000, 0, 1);
      utimesSync(path.join(own, held), old, old);
      // Another process filled the folder past the limit with entries used more recently.
      for (let i = 0; i <= MAX_ENTRIES; i++) writeFileSync(path.join(own, sha("other", String(i))), "x");
      // A later run of this process: the held entry is read from memory, one new entry written, the folder pruned.
      await cache.endRun();
      expect(await cache.getValue(held)).toBe("kept");
      await cache.setValue(sha("new"), 1);
      await cache.endRun();
      expect(readdirSync(own).filter((n) => /^[0-9a-f]{64}$/.test(n)).length).toBeLessThanOrEqual(MAX_ENTRIES / 2 + 1);
      expect(existsSync(path.join(own, held))).toBe(true);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
