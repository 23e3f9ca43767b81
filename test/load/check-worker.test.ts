// A large cold check shares the service groups with a worker thread (generator/load/check-worker.ts):
// the diagnostics (file:line:col), the IR and the cache entries are those of one thread.
import { cp, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { shareOut, type GroupJob } from "../../generator/load/check-worker.js";
import { checkSpecsCached } from "../../generator/load/checked-cache.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { GenerationCache } from "../../generator/write/generation-cache.js";
import { listCases, materialise, readCase } from "../broken-spec-cases.js";
import { keepEnv, scratchFolders, SPECS } from "../helpers.js";

const ENV = "RTC_APIGEN_CHECK_WORKER_MIN_BYTES";
const tmp = scratchFolders();
keepEnv(ENV);

const group = (index: number, bytes: number): GroupJob => ({
  index,
  key: String(index),
  files: [{ abs: `/s/${index}/service.yaml`, file: `s/${index}/service.yaml`, kind: "service", text: "x".repeat(bytes), serviceDir: String(index) }],
});

/** Checks `specs` with the worker (threshold 0) and on one thread; both cold, each with a cache folder of its own. */
async function bothWays(specs: string, base: string) {
  process.env[ENV] = "0";
  const cacheDir = await tmp("apigen-worker-cache-");
  const shared = (await checkSpecsCached(specs, base, new GenerationCache(cacheDir)))!;
  process.env[ENV] = String(Number.MAX_SAFE_INTEGER);
  const alone = (await checkSpecsCached(specs, base, new GenerationCache(await tmp("apigen-alone-cache-"))))!;
  return { shared, alone, cacheDir };
}

describe("check worker", () => {
  it("shares groups only past the threshold, with a cache folder, each group once and in order, balancing the bytes", () => {
    const groups = [group(0, 500), group(1, 400), group(2, 300), group(3, 200), group(4, 100)];
    process.env[ENV] = "0";
    expect(shareOut(groups, undefined)).toEqual({ own: groups, other: [] });
    expect(shareOut(groups.slice(0, 1), "/cache")).toEqual({ own: groups.slice(0, 1), other: [] });
    const { own, other } = shareOut(groups, "/cache");
    expect(other.length).toBeGreaterThan(0);
    expect([...own, ...other].map((g) => g.index).sort()).toEqual(groups.map((g) => g.index));
    for (const side of [own, other]) expect(side.map((g) => g.index)).toEqual([...side.map((g) => g.index)].sort());
    const bytes = (side: GroupJob[]) => side.reduce((n, g) => n + g.files[0]!.text.length, 0);
    // Neither side holds more than the other plus its largest group (and the worker's handicap).
    const largest = Math.max(...groups.map((g) => g.files[0]!.text.length));
    expect(Math.abs(bytes(own) - bytes(other))).toBeLessThanOrEqual(largest + 0.1 * bytes(groups));
    process.env[ENV] = String(bytes(groups) + 1);
    expect(shareOut(groups, "/cache")).toEqual({ own: groups, other: [] });
  });

  it("gives the real specs the same diagnostics and IR on two threads as on one, and its entries serve a later run", async () => {
    const dir = await tmp("apigen-worker-specs-");
    const specs = path.join(dir, "specs");
    await cp(SPECS, specs, { recursive: true });
    const { shared, alone, cacheDir } = await bothWays(specs, dir);
    expect(shared.checkedByWorker?.length).toBeGreaterThan(0);
    expect(alone.checkedByWorker).toBeUndefined();
    expect(shared.diagnostics.map(formatDiagnostic)).toEqual(alone.diagnostics.map(formatDiagnostic));
    expect(shared.ir).toEqual(alone.ir);
    expect(shared.ir).toEqual(checkSpecs(await loadSpecs(specs, dir)).ir);
    // What the worker stored is found by the next run: every group a hit, the same answer.
    const warm = new GenerationCache(cacheDir);
    const again = (await checkSpecsCached(specs, dir, warm))!;
    expect(warm.specStats.misses).toBe(0);
    expect(again.ir).toEqual(shared.ir);
  }, 120_000);

  it("locates the problems of broken specs exactly as one thread does, whichever thread checked them", async () => {
    // The cases that break a service's files (the groups a worker can take), a few of them, each
    // beside the real specs' other services so that there are groups to share.
    const cases = listCases().filter((name) => /^\+\+\+ b\/specs\/(?!protocols\/)/m.test(readCase(name).patch));
    expect(cases.length).toBeGreaterThan(0);
    const step = Math.max(1, Math.floor(cases.length / 6));
    const real = (await readdir(SPECS, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== "protocols" && e.name !== "schema");
    const brokenOnWorker: string[] = [];
    for (const name of cases.filter((_, i) => i % step === 0)) {
      const dir = await tmp(`apigen-worker-${name}-`);
      const specs = materialise(name, dir);
      const broken = (await readdir(specs)).filter((d) => d !== "protocols" && d !== "schema");
      for (const e of real) if (!broken.includes(e.name)) await cp(path.join(SPECS, e.name), path.join(specs, e.name), { recursive: true });
      const { shared, alone } = await bothWays(specs, dir);
      expect(shared.checkedByWorker?.length, name).toBeGreaterThan(0);
      if (shared.checkedByWorker!.some((d) => broken.includes(d))) brokenOnWorker.push(name);
      expect(shared.diagnostics.map(formatDiagnostic), name).toEqual(alone.diagnostics.map(formatDiagnostic));
      expect(shared.diagnostics.map(formatDiagnostic), name).toEqual(checkSpecs(await loadSpecs(specs, dir)).diagnostics.map(formatDiagnostic));
      expect(shared.ir, name).toEqual(alone.ir);
    }
    expect(brokenOnWorker.length).toBeGreaterThan(0);
  }, 300_000);
});
