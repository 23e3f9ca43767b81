// After one spec is edited, the files that span services (the index README, the root package, the
// runtime's README) come out as a cold run writes them, whether the edit changed what they read or
// not; and the IR of the services the edit did not touch is not read from the cache at all, as long
// as no unit needs to look into it (scoped-reads.ts, lazy-object.ts): the index README is made of a
// part per service (Emitter.emitAllParts), so an edit to a summary or an operation's name makes
// only the edited service's part again.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { makeCorpus } from "../../bench/make-corpus.js";
import { EMITTERS } from "../../generator/emit/index.js";
import { build } from "../../generator/pipeline.js";
import { GenerationCache } from "../../generator/write/generation-cache.js";
import { recordReads, sameReads } from "../../generator/write/read-set.js";
import { scopeReads } from "../../generator/write/scoped-reads.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Looks like a service's IR, or holds one (an entry of checked specs): what deserialising a service yields. */
function holdsService(v: unknown): boolean {
  const isService = (s: unknown) => typeof s === "object" && s !== null && Array.isArray((s as { operations?: unknown }).operations);
  return isService(v) || (typeof v === "object" && v !== null && isService((v as { ir?: unknown }).ir));
}

/** A cache that tells which of its entries read from disk held a service's IR (whichever method read them). */
class CountingCache extends GenerationCache {
  readonly serviceKeys = new Set<string>();
  override async getValue(key: string): Promise<unknown> {
    const v = await super.getValue(key);
    if (holdsService(v)) this.serviceKeys.add(key);
    return v;
  }
  override valueNow(key: string): unknown {
    const v = super.valueNow(key);
    if (holdsService(v)) this.serviceKeys.add(key);
    return v;
  }
}

async function corpus(): Promise<{ specs: string; cacheDir: string; services: string[] }> {
  const work = await mkdtemp(path.join(os.tmpdir(), "apigen-cross-service-"));
  dirs.push(work);
  const specs = path.join(work, "specs");
  await makeCorpus({ operations: 12, perService: 3, outDir: specs });
  const services = (await readdir(specs)).filter((d) => d !== "protocols").sort();
  return { specs, cacheDir: path.join(work, "cache"), services };
}

async function firstOperation(specs: string, service: string): Promise<string> {
  const op = (await readdir(path.join(specs, service))).filter((f) => f.endsWith(".yaml") && f !== "service.yaml").sort()[0]!;
  return path.join(specs, service, op);
}

async function setField(file: string, field: string, change: (v: string) => string): Promise<void> {
  const doc = parseDocument(await readFile(file, "utf8"));
  doc.set(field, change(String(doc.get(field))));
  await writeFile(file, doc.toString());
}

/** The files a run writes, by path. */
async function output(specs: string, cache?: GenerationCache): Promise<Map<string, string>> {
  const result = await build(specs, undefined, cache);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map(result.files!.map((f) => [f.path, f.content]));
}

describe("an edit run over several services", () => {
  it("deserialises no service the edit left alone when no unit needs to look into it", { timeout: 120_000 }, async () => {
    const { specs, cacheDir, services } = await corpus();
    await output(specs, new GenerationCache(cacheDir));
    // A description: read by the edited service's units, by no unit spanning services.
    await setField(await firstOperation(specs, services[0]!), "description", (d) => `${d} Edited.`);
    const cache = new CountingCache(cacheDir);
    const edited = await output(specs, cache);
    expect(cache.serviceKeys.size, "services read from the cache").toBe(0);
    expect(cache.serviceLoads).toBe(0);
    expect(cache.readSetHits, "the units spanning services came from the cache").toBeGreaterThan(0);
    expect(edited).toEqual(await output(specs));
  });

  it("writes the files spanning services as a cold run does when the edit changes what they read", { timeout: 120_000 }, async () => {
    const { specs, cacheDir, services } = await corpus();
    await output(specs, new GenerationCache(cacheDir));
    const last = services.at(-1)!;
    // What each edit makes read of the services it did not touch: nothing, but for the root package's files, which read every package name.
    const edits: Array<[string, "none" | "all", () => Promise<void>]> = [
      // The index README lists every operation's summary and name.
      ["a summary", "none", async () => setField(await firstOperation(specs, last), "summary", (s) => `${s} (edited)`)],
      [
        "an operation's name and method",
        "none",
        async () => {
          const file = await firstOperation(specs, last);
          await setField(file, "name", (n) => `${n}Renamed`);
          await setField(file, "method", (m) => `${m}Renamed`);
        },
      ],
      // The root package and the runtime's README list every package name.
      [
        "a package name",
        "all",
        async () => {
          const file = path.join(specs, services[1]!, "service.yaml");
          const doc = parseDocument(await readFile(file, "utf8"));
          doc.setIn(["package", "name"], `${String(doc.getIn(["package", "name"]))}-renamed`);
          await writeFile(file, doc.toString());
        },
      ],
    ];
    for (const [what, reads, edit] of edits) {
      const before = await output(specs, new GenerationCache(cacheDir));
      await edit();
      const cache = new CountingCache(cacheDir);
      const after = await output(specs, cache);
      const cold = await output(specs);
      expect(after, what).toEqual(cold);
      const spanning = [...cold.keys()].filter((p) => !services.some((s) => p.startsWith(`${s}/`)) && cold.get(p) !== before.get(p));
      expect(spanning.length, `${what}: some file spanning services changed`).toBeGreaterThan(0);
      expect(cache.serviceKeys.size, `${what}: services read from the cache`).toBe(reads === "none" ? 0 : services.length - 1);
    }
  });
});

describe("files made of a part per service", () => {
  it("are the files emitAll writes, and made without the services' IR", { timeout: 120_000 }, async () => {
    const { specs } = await corpus();
    const { ir } = await build(specs);
    const withParts = EMITTERS.filter((e) => e.emitAllParts);
    expect(withParts.map((e) => e.name)).toContain("docs");
    for (const e of withParts) {
      const parts = ir!.services.map((s) => e.emitAllParts!.part(s, ir!));
      expect(e.emitAllParts!.combine(parts, { ...ir!, services: [] }), e.name).toEqual(e.emitAll!(ir!));
    }
  });
});

describe("reads scoped to the services that changed", () => {
  const ir = () => ({
    services: [
      { id: "a", ops: [{ name: "x" }] },
      { id: "b", ops: [{ name: "y" }] },
    ],
    protocols: [] as string[],
  });
  const names = (v: object) => (v as ReturnType<typeof ir>).services.flatMap((s) => s.ops.map((o) => `${s.id}.${o.name}`));

  it("skip what was read in an unchanged service, and still see a change elsewhere", () => {
    const { reads } = recordReads([ir()], names);
    const scoped = scopeReads(reads, 0, ["da", "db"], ["da2", "db"])!;
    expect(scoped.ops.length).toBeLessThan(reads.ops.length);
    // The unchanged service is never looked into: a stand-in that throws when read proves it.
    const standIn = new Proxy({}, { get: () => expect.fail("read an unchanged service"), ownKeys: () => expect.fail("read an unchanged service") });
    const now = ir();
    expect(sameReads(scoped, [{ ...now, services: [now.services[0]!, standIn] }])).toBe(true);
    now.services[0]!.ops[0]!.name = "z";
    expect(sameReads(scoped, [{ ...now, services: [now.services[0]!, standIn] }])).toBe(false);
  });

  it("give up when an unchanged service shares an object with another", () => {
    const shared = ir();
    shared.services[1]!.ops = shared.services[0]!.ops;
    const { reads } = recordReads([shared], names);
    expect(scopeReads(reads, 0, ["da", "db"], ["da2", "db"])).toBeUndefined();
  });
});
