// A large cold emission shares the services' units with a worker thread (generator/write/emit-worker.ts):
// the files, and what the cache holds afterwards, are those of one thread.
import { utimesSync, writeFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { deserialize } from "node:v8";
import { describe, expect, it } from "vitest";
import type { Ir } from "../../generator/ir/types.js";
import { EMITTERS } from "../../generator/emit/index.js";
import type { Service } from "../../generator/ir/types.js";
import { emitWorkerStats, shareEmission, shareServices } from "../../generator/write/emit-worker.js";
import { untouchable } from "../../generator/write/emit-worker-main.js";
import { recordReads } from "../../generator/write/read-set.js";
import { emitFormatted, GenerationCache, MAX_ENTRIES, sha } from "../../generator/write/generation-cache.js";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { keepEnv, realIr, scratchFolders } from "../helpers.js";

const ENV = "RTC_APIGEN_EMIT_WORKER_MIN_OPS";
const tmp = scratchFolders();
keepEnv(ENV);

/** An IR of `sizes.length` services, the i-th with sizes[i] operations (only the counts shareServices weighs). */
const sized = (sizes: number[]) =>
  ({ services: sizes.map((n) => ({ operations: new Array<unknown>(n).fill({}), shapes: [] })), protocols: [] }) as unknown as Ir;

/** Entry name → bytes of a cache folder (its tally aside: a count, over and never under, of what runs wrote). */
async function entries(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(path.join(dir, n))] as const)));
}

/** The same entry: the same bytes, or (a structured value) the same value: a string cloned to a worker may be stored in a wider encoding. */
function sameEntry(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  try {
    return isDeepStrictEqual(deserialize(a.subarray(65)), deserialize(b.subarray(65)));
  } catch {
    return false;
  }
}

describe("emit worker", () => {
  it("shares services only past the threshold, with a cache folder, among the candidates, balancing the operations", () => {
    const ir = sized([40, 30, 30, 20, 10, 10]);
    const all = new Set(ir.services.map((_, i) => i));
    process.env[ENV] = "0";
    expect(shareServices(ir, all, undefined).size).toBe(0);
    expect(shareServices(ir, new Set([0]), "/cache").size).toBe(0);
    const theirs = shareServices(ir, all, "/cache");
    expect(theirs.size).toBeGreaterThan(0);
    expect(theirs.size).toBeLessThan(all.size);
    const ops = (side: number[]) => side.reduce((n, i) => n + ir.services[i]!.operations.length + 1, 0);
    const mine = [...all].filter((i) => !theirs.has(i));
    // Neither side holds more than the other plus its largest service.
    expect(Math.abs(ops(mine) - ops([...theirs]))).toBeLessThanOrEqual(41);
    // Only candidates go.
    const some = new Set([1, 3, 5]);
    for (const i of shareServices(ir, some, "/cache")) expect(some.has(i)).toBe(true);
    process.env[ENV] = String(140 + 1);
    expect(shareServices(ir, all, "/cache").size).toBe(0);
  });

  it("emits the real specs on two threads into the files and cache entries of one, and those entries serve a later run", async () => {
    const ir = await realIr();
    expect(ir.services.length).toBeGreaterThan(1);
    process.env[ENV] = "0";
    const sharedDir = await tmp("apigen-emit-worker-");
    const shared = new GenerationCache(sharedDir);
    const [before, movedBefore] = [emitWorkerStats.units, emitWorkerStats.moved];
    const two = await emitFormatted(ir, shared);
    expect(emitWorkerStats.units).toBeGreaterThan(before);
    // Units the worker stored come over as their entries' bytes (moved, decoded here on first read).
    expect(emitWorkerStats.moved).toBeGreaterThan(movedBefore);
    process.env[ENV] = String(Number.MAX_SAFE_INTEGER);
    const aloneDir = await tmp("apigen-emit-alone-");
    const alone = new GenerationCache(aloneDir);
    const taken = emitWorkerStats.units;
    const one = await emitFormatted(ir, alone);
    expect(emitWorkerStats.units).toBe(taken);

    expect(two.map((f) => [f.path, f.content, Boolean(f.preformatted)])).toEqual(one.map((f) => [f.path, f.content, Boolean(f.preformatted)]));
    expect(shared.stats).toEqual(alone.stats);
    expect(shared.readSetHits).toBe(alone.readSetHits);
    const [a, b] = [await entries(sharedDir), await entries(aloneDir)];
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()].filter((k) => !sameEntry(a.get(k)!, b.get(k)!))).toEqual([]);

    // A run over the worker's entries: every unit from the cache, the same files.
    const warm = new GenerationCache(sharedDir);
    const again = await emitFormatted(ir, warm);
    expect(warm.stats.misses).toBe(0);
    expect(again.map((f) => [f.path, f.content])).toEqual(one.map((f) => [f.path, f.content]));
  }, 300_000);

  it("stands in for the whole IR on the worker: per-service emitters read nothing of it, and a look is refused", async () => {
    const ir = await realIr();
    for (const emitter of EMITTERS.filter((e) => e.emitService))
      for (const service of ir.services) {
        const real = recordReads([service, ir], (s, i) => emitter.emitService!(s as Service, i as Ir));
        const stand = recordReads([service, untouchable()], (s, i) => emitter.emitService!(s as Service, i as Ir));
        expect(stand.value, `${emitter.name} ${service.id}`).toEqual(real.value);
        expect(stand.reads, `${emitter.name} ${service.id}`).toEqual(real.reads);
      }
    expect(() => recordReads([ir.services[0]!, untouchable()], (_s, i) => (i as Ir).protocols)).toThrow(/whole IR/);
  }, 300_000);

  it("leaves the units of a worker that fails to this thread", async () => {
    const ir = await realIr();
    process.env[ENV] = "0";
    const cache = new GenerationCache(await tmp("apigen-emit-fail-"));
    // An emitter the worker cannot load: it fails, and each unit is emitted here.
    const shared = shareEmission(
      cache,
      ir,
      [],
      ["no-such-emitter"],
      (i) => `${"a".repeat(63)}${i}`,
      (i) => `${"b".repeat(63)}${i}`,
    )!;
    expect(shared).toBeDefined();
    const local = { files: [{ path: "here", content: "emitted here" }] };
    const taken = ir.services.flatMap((_, i) => shared.unit(i, "no-such-emitter", () => Promise.resolve(local)) ?? []);
    expect(taken.length).toBeGreaterThan(0);
    for (const a of await Promise.all(taken)) expect(a).toBe(local);
  }, 120_000);
  it("leaves pruning the folder to this thread: the worker only adds to the tally", async () => {
    const ir = await realIr();
    process.env[ENV] = "0";
    const dir = await tmp("apigen-emit-prune-");
    // A folder past the limit, no tally: a run that measures it now prunes the oldest entries (these).
    const old = new Date(2000, 0, 1);
    const olds = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => sha("old", String(i)));
    for (const n of olds) {
      writeFileSync(path.join(dir, n), "x");
      utimesSync(path.join(dir, n), old, old);
    }
    const cache = new GenerationCache(dir);
    const name = EMITTERS.find((e) => e.emitService)!.name;
    const shared = shareEmission(
      cache,
      ir,
      [],
      [name],
      (i) => sha("unit", String(i)),
      (i) => sha("slot", String(i)),
    )!;
    expect(shared).toBeDefined();
    const local = { files: [] };
    const taken = ir.services.flatMap((_, i) => shared.unit(i, name, () => Promise.resolve(local)) ?? []);
    expect(taken.length).toBeGreaterThan(0);
    for (const a of await Promise.all(taken)) expect(a).not.toBe(local);
    // The worker stored its units and pruned nothing: entries this thread may still read stay.
    const names = new Set(await readdir(dir));
    expect(olds.filter((n) => !names.has(n))).toEqual([]);
    // This thread's end of the run counts the worker's entries and prunes.
    await cache.endRun();
    expect((await entries(dir)).size).toBeLessThanOrEqual(MAX_ENTRIES / 2);
  }, 120_000);

  it("stops the worker when this thread's emission fails, and takes no late reply", async () => {
    const ir = await realIr();
    process.env[ENV] = "0";
    let reads = 0;
    class Failing extends GenerationCache {
      override get(_key: string): Promise<GeneratedFile[] | undefined> {
        reads++;
        return Promise.reject(new Error("this thread's emission failed"));
      }
    }
    const cache = new Failing(await tmp("apigen-emit-stop-"));
    const taken = emitWorkerStats.units;
    await expect(emitFormatted(ir, cache)).rejects.toThrow(/this thread's emission failed/);
    expect(emitWorkerStats.running).toBe(0);
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // No unit of the worker's emitted here after the failure, none taken from it.
    expect(reads).toBe(after);
    expect(emitWorkerStats.units).toBe(taken);
  }, 120_000);
});
