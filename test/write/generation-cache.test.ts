// Incremental generation: after one spec is edited, a run that takes unchanged services from the
// cache writes exactly what a cold run writes, and emits only the edited service again.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EMITTERS } from "../../generator/emit/index.js";
import { generate } from "../../generator/pipeline.js";
import { GenerationCache, keyText } from "../../generator/write/generation-cache.js";
import { ROOT, SPECS } from "../helpers.js";

/** Operations per service in the small tree: enough for several files per service, quick to generate. */
const OPERATIONS = 3;

/** protocols/ plus every service of the real specs with its first few operations. */
async function smallTree(): Promise<{ specs: string; services: string[] }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "apigen-cache-"));
  const specs = path.join(root, "specs");
  await cp(path.join(SPECS, "protocols"), path.join(specs, "protocols"), { recursive: true });
  const services: string[] = [];
  for (const e of await readdir(SPECS, { withFileTypes: true })) {
    const files = e.isDirectory() ? await readdir(path.join(SPECS, e.name)) : [];
    if (!files.includes("service.yaml")) continue;
    services.push(e.name);
    await mkdir(path.join(specs, e.name));
    const ops = files
      .filter((f) => f.endsWith(".yaml") && f !== "service.yaml")
      .sort()
      .slice(0, OPERATIONS);
    for (const f of ["service.yaml", ...ops]) await cp(path.join(SPECS, e.name, f), path.join(specs, e.name, f));
  }
  return { specs, services: services.sort() };
}

async function tree(dir: string, rel = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await tree(dir, p)) out.set(k, v);
    else out.set(p, await readFile(path.join(dir, p), "utf8"));
  }
  return out;
}

/** Units per service: one per emitter that writes per service. */
const perService = EMITTERS.filter((e) => e.emitService).length;

describe("generation cache", () => {
  it("regenerates only the edited service, byte-identical to a cold run, from memory and from disk", async () => {
    const { specs, services } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    const incremental = path.join(work, "incremental");

    const first = new GenerationCache(cacheDir);
    expect((await generate({ specsDir: specs, outDir: incremental, cache: first })).wrote).toBe(true);
    expect(first.stats).toEqual({ hits: 0, misses: services.length * perService });

    // Edit one operation of the last service: its summary reaches its docs, types and client.
    const edited = services[services.length - 1]!;
    const op = (await readdir(path.join(specs, edited))).filter((f) => f !== "service.yaml").sort()[0]!;
    const file = path.join(specs, edited, op);
    const text = await readFile(file, "utf8");
    expect(text).toMatch(/^summary: /m);
    await writeFile(file, text.replace(/^summary: (.*)$/m, "summary: $1 Edited for the cache test."));

    // A new process: only the disk cache.
    const fromDisk = new GenerationCache(cacheDir);
    const second = await generate({ specsDir: specs, outDir: incremental, cache: fromDisk });
    expect(second.wrote).toBe(true);
    // Of the edited service, only the units that read the summary are emitted again (read-set.ts); the rest are reused.
    const reEmitted = fromDisk.stats.misses;
    expect(fromDisk.stats.hits + reEmitted).toBe(services.length * perService);
    expect(reEmitted).toBeGreaterThan(0);
    expect(reEmitted).toBeLessThan(perService);
    expect(fromDisk.readSetHits).toBeGreaterThanOrEqual(perService - reEmitted);
    expect([...second.drift!.changed].some((p) => p.startsWith(`${edited}/`))).toBe(true);
    expect(second.drift!.changed.every((p) => p.startsWith(`${edited}/`) || !services.some((s) => p.startsWith(`${s}/`)))).toBe(true);

    const cold = path.join(work, "cold");
    await generate({ specsDir: specs, outDir: cold });
    expect(await tree(incremental)).toEqual(await tree(cold));
    expect((await generate({ specsDir: specs, outDir: incremental, check: true, cache: fromDisk })).drift).toEqual({
      added: [],
      changed: [],
      removed: [],
      foreign: [],
      blocked: [],
    });

    // The same cache object again (watch): the memory, the reused spec documents, and an edit back.
    await writeFile(file, text);
    const third = await generate({ specsDir: specs, outDir: incremental, cache: fromDisk });
    expect(third.wrote).toBe(true);
    const coldAgain = path.join(work, "cold-again");
    await generate({ specsDir: specs, outDir: coldAgain });
    expect(await tree(incremental)).toEqual(await tree(coldAgain));
    expect(fromDisk.stats.misses).toBe(reEmitted); // the original summary's units were still on disk
  }, 120_000);

  it("keeps the whole output as the keys of its units: no entry holds it all, and unchanged specs take it whole", async () => {
    const { specs } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    const first = await generate({ specsDir: specs, outDir: path.join(work, "first"), cache: new GenerationCache(cacheDir) });
    const outputBytes = first.files!.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    const sizes = await Promise.all((await readdir(cacheDir)).map(async (n) => (await stat(path.join(cacheDir, n))).size));
    // Written whole, the output was as large again as all its units, after every edit.
    expect(Math.max(...sizes)).toBeLessThan(outputBytes / 2);

    const again = new GenerationCache(cacheDir);
    const second = await generate({ specsDir: specs, outDir: path.join(work, "second"), cache: again });
    expect(again.wholeHits).toBe(1);
    expect(again.stats).toEqual({ hits: 0, misses: 0 });
    expect(second.files).toEqual(first.files);

    // A unit's entry gone: the whole output is not taken, the units are, and the output is the same.
    // Units' entries are text (a JSON line naming the files, then their contents); read sets and checked specs are binary.
    const names = await readdir(cacheDir);
    const entries = await Promise.all(names.map(async (n) => ({ n, bytes: await readFile(path.join(cacheDir, n)) })));
    const unit = entries.filter((e) => e.bytes[0] === 0x5b).sort((a, b) => b.bytes.length - a.bytes.length)[0]!.n;
    await rm(path.join(cacheDir, unit));
    const third = new GenerationCache(cacheDir);
    expect((await generate({ specsDir: specs, outDir: path.join(work, "third"), cache: third })).files).toEqual(first.files);
    expect(third.wholeHits).toBe(0);
  }, 120_000);

  it("reuses no unit while a protocol plugin from the specs is loaded (its code is outside the fingerprint)", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "apigen-cache-plugin-"));
    const cacheDir = path.join(work, "cache");
    const specsDir = path.join(ROOT, "test", "fixtures", "toy-protocol", "specs");
    for (const run of ["first", "second"]) {
      const cache = new GenerationCache(cacheDir);
      expect((await generate({ specsDir, outDir: path.join(work, run), cache })).files).toBeDefined();
      expect({ ...cache.stats, readSetHits: cache.readSetHits, wholeHits: cache.wholeHits }).toEqual({
        hits: 0,
        misses: 0,
        readSetHits: 0,
        wholeHits: 0,
      });
    }
    expect(await tree(path.join(work, "second"))).toEqual(await tree(path.join(work, "first")));
  }, 120_000);

  it("keys values apart that JSON would confuse, and refuses what it cannot key", () => {
    const distinct = [
      { a: 1 },
      { a: 1, b: undefined },
      { b: undefined, a: 1 },
      { a: "1" },
      { a: 1n },
      [null],
      [undefined],
      0,
      -0,
      NaN,
      null,
      new Map([[1, 2]]),
      new Set([1]),
      { "": [1, 2] },
    ];
    const texts = distinct.map(keyText);
    expect(new Set(texts).size).toBe(distinct.length);
    for (const bad of [new Date(0), { f: () => 1 }, { "\u0000": "u" }, new (class X {})()]) expect(() => keyText(bad)).toThrow();
  });
});
