// An entry of files is read as far as its head (the paths) when it is taken from the cache: the
// contents are read only when asked for, since an edit run's output folder already holds most of
// them. An entry pruned before its contents are read is a loud miss (the run starts again), never
// wrong contents.
import { existsSync } from "node:fs";
import { mkdtemp, rm, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CacheEntryGone, GenerationCache } from "../../generator/write/generation-cache.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const KEY = "a".repeat(64);
const FILES = [
  { path: "a.txt", content: "é".repeat(40_000) },
  { path: "b.txt", content: "b\n".repeat(30_000), preformatted: true },
];

async function stored(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "apigen-entry-reads-"));
  dirs.push(dir);
  await new GenerationCache(dir).set(
    KEY,
    FILES.map((f) => ({ ...f })),
  );
  return dir;
}

describe("an entry of files taken from the cache", () => {
  it("gives every file's content as stored, read when asked for", async () => {
    const dir = await stored();
    const files = (await new GenerationCache(dir).get(KEY))!;
    expect(files.map((f) => ({ ...f }))).toEqual(FILES);
  });

  it("reports an entry gone before its contents were read, and forgets it", async () => {
    const dir = await stored();
    const cache = new GenerationCache(dir);
    const files = (await cache.get(KEY))!;
    expect(files.map((f) => f.path)).toEqual(["a.txt", "b.txt"]);
    await rm(path.join(dir, KEY));
    expect(() => files[1]!.content).toThrow(CacheEntryGone);
    expect(await cache.get(KEY)).toBeUndefined();
  });

  it("does not take the contents of an entry that changed length since its head was read", async () => {
    const dir = await stored();
    const files = (await new GenerationCache(dir).get(KEY))!;
    await truncate(path.join(dir, KEY), 20_000);
    expect(() => files[0]!.content).toThrow(CacheEntryGone);
    // Dropped from the folder too: the run started again makes it anew.
    expect(existsSync(path.join(dir, KEY))).toBe(false);
  });
});
