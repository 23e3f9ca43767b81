// The cache of checked specs (generator/load/checked-cache.ts): a run that takes spec groups from it
// reports exactly what checking every spec reports (same diagnostics, same IR), a damaged entry is
// never trusted, and editing one spec checks only its group again.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deserialize } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { runGenerate } from "../../generator/cli/commands/generate.js";
import { checkSpecsCached } from "../../generator/load/checked-cache.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { SpecDocument } from "../../generator/load/spec-document.js";
import { generate } from "../../generator/pipeline.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { GenerationCache, keyText } from "../../generator/write/generation-cache.js";
import { listCases, materialise, readCase } from "../broken-spec-cases.js";
import { SPECS } from "../helpers.js";

const tmpDirs: string[] = [];
async function tmp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every file under `dir` with its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = (await readFile(path.join(e.parentPath, e.name))).toString("base64");
  }
  return out;
}

/** Spec groups of a tree: protocols/ and each service folder. */
async function groupCount(specs: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(specs, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === "schema") continue;
    if (e.name === "protocols" || (await readdir(path.join(specs, e.name))).includes("service.yaml")) n++;
  }
  return n;
}

/** protocols/ plus every service of the real specs with its first two operations. */
async function smallTree(): Promise<{ specs: string; services: string[] }> {
  const specs = path.join(await tmp("apigen-checked-"), "specs");
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
      .slice(0, 2);
    for (const f of ["service.yaml", ...ops]) await cp(path.join(SPECS, e.name, f), path.join(specs, e.name, f));
  }
  return { specs, services: services.sort() };
}

function sink() {
  let text = "";
  return { stream: { write: (s: string) => void (text += s) }, text: () => text };
}

describe("checked-spec cache", () => {
  it("gives every broken-spec case exactly the diagnostics and IR of checking every spec, cold and from the cache", async () => {
    const cases = listCases();
    expect(cases.length).toBeGreaterThan(20);
    const cacheDir = path.join(await tmp("apigen-checked-cache-"), "cache");
    for (const name of cases) {
      const dir = await tmp(`apigen-checked-${name}-`);
      const specs = materialise(name, dir);
      const plain = checkSpecs(await loadSpecs(specs, dir));
      // A cache object per run, as separate processes have: the second finds every group on disk.
      const cold = new GenerationCache(cacheDir);
      const first = (await checkSpecsCached(specs, dir, cold))!;
      const warm = new GenerationCache(cacheDir);
      const second = (await checkSpecsCached(specs, dir, warm))!;
      expect(warm.specStats, name).toEqual({ hits: await groupCount(specs), misses: 0 });
      for (const run of [first, second]) {
        expect(run.diagnostics.map(formatDiagnostic), name).toEqual(plain.diagnostics.map(formatDiagnostic));
        expect(run.diagnostics.map(formatDiagnostic), name).toEqual(readCase(name).expected);
        expect(run.ir === undefined, name).toBe(plain.ir === undefined);
        if (plain.ir) expect(keyText(run.ir), name).toBe(keyText(plain.ir));
      }
    }
  }, 300_000);

  it("prints a broken spec's located diagnostics on a cached run too, and leaves the output folder untouched", async () => {
    const dir = await tmp("apigen-checked-broken-");
    const name = listCases().find((n) => readCase(n).expected.some((l) => l.split(" ")[1] === "error"))!;
    const specs = materialise(name, dir);
    const cacheDir = path.join(dir, "cache");
    const outDir = path.join(dir, "out");
    await mkdir(outDir);
    await writeFile(path.join(outDir, "SENTINEL.txt"), "must survive\n");
    const before = await snapshot(outDir);
    const runs: Array<{ code: number; stderr: string; stats: GenerationCache["specStats"] }> = [];
    for (let i = 0; i < 2; i++) {
      const cache = new GenerationCache(cacheDir);
      const out = sink();
      const err = sink();
      const code = await runGenerate(["--specs", specs, "--out", outDir, "--force"], out.stream, err.stream, false, cache);
      runs.push({ code, stderr: err.text(), stats: cache.specStats });
      expect(out.text()).toBe("");
      expect(await snapshot(outDir)).toEqual(before);
    }
    expect(runs[1]!.stats).toEqual({ hits: await groupCount(specs), misses: 0 });
    expect(runs[1]!.code).toBe(2);
    expect(runs[1]!.stderr).toBe(runs[0]!.stderr);
    const prefix = path.relative(process.cwd(), dir).split(path.sep).join("/");
    for (const line of readCase(name).expected) expect(runs[1]!.stderr).toContain(line.replace(/(^|[ (])specs\//g, `$1${prefix}/specs/`));
  }, 120_000);

  it("checks again only the group of the edited spec, and all of them after protocols/ changes", async () => {
    const { specs, services } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    const groups = services.length + 1;
    const run = async () => {
      const cache = new GenerationCache(cacheDir);
      const result = await generate({ specsDir: specs, outDir: path.join(work, "out"), cache });
      expect(result.files).toBeDefined();
      return cache.specStats;
    };
    expect(await run()).toEqual({ hits: 0, misses: groups });
    expect(await run()).toEqual({ hits: groups, misses: 0 });
    const edited = services[0]!;
    const op = (await readdir(path.join(specs, edited))).filter((f) => f !== "service.yaml").sort()[0]!;
    const file = path.join(specs, edited, op);
    await writeFile(file, (await readFile(file, "utf8")).replace(/^summary: (.*)$/m, "summary: $1 Edited."));
    expect(await run()).toEqual({ hits: groups - 1, misses: 1 });
    const protocol = path.join(specs, "protocols", (await readdir(path.join(specs, "protocols"))).sort()[0]!);
    await writeFile(protocol, `${await readFile(protocol, "utf8")}\n# edited\n`);
    expect(await run()).toEqual({ hits: 0, misses: groups });
  }, 120_000);

  it("after an edit, parses only the edited group's files: the protocols' IR comes from their entry", async () => {
    const { specs, services } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    await generate({ specsDir: specs, outDir: path.join(work, "out"), cache: new GenerationCache(cacheDir) });
    const edited = services[0]!;
    const op = (await readdir(path.join(specs, edited))).filter((f) => f !== "service.yaml").sort()[0]!;
    const file = path.join(specs, edited, op);
    await writeFile(file, (await readFile(file, "utf8")).replace(/^summary: (.*)$/m, "summary: $1 Edited."));
    const cache = new GenerationCache(cacheDir);
    const result = await generate({ specsDir: specs, outDir: path.join(work, "out"), cache });
    expect(result.wrote).toBe(true);
    // Documents made, by kind, folder and path (load-specs.ts parseSpec): the edited group's only, and
    // of those only the edited file parsed (the others answer from what their last parse gave).
    const made = [...cache.documents.entries()].map(([k, doc]) => ({ kind: k.split("\0")[0], dir: k.split("\0")[1], doc }));
    expect(made.length).toBe((await readdir(path.join(specs, edited))).length);
    expect(made.every(({ kind, dir }) => kind !== "protocol" && dir === edited)).toBe(true);
    expect(made.filter(({ doc }) => doc.isParsed).map(({ doc }) => path.basename(doc.file))).toEqual([op]);
    const cold = path.join(work, "cold");
    await generate({ specsDir: specs, outDir: cold });
    expect(await snapshot(path.join(work, "out"))).toEqual(await snapshot(cold));
  }, 120_000);

  it("catches, from the cache, a reference that an edit breaks in a file it did not touch: located there, nothing written", async () => {
    const { specs, services } = await smallTree();
    const work = path.dirname(specs);
    // A service-level type that an operation file uses, derived from the specs.
    let found: { service: string; type: string; op: string } | undefined;
    for (const service of services) {
      const serviceText = await readFile(path.join(specs, service, "service.yaml"), "utf8");
      const types = new Set([...(serviceText.split(/^types:$/m)[1] ?? "").matchAll(/^ {2}([A-Z]\w*):$/gm)].map((m) => m[1]!));
      for (const op of (await readdir(path.join(specs, service))).filter((f) => f !== "service.yaml").sort()) {
        const used = [...(await readFile(path.join(specs, service, op), "utf8")).matchAll(/\btype: ([A-Z]\w*)(?:\[\])?$/gm)].map((m) => m[1]!);
        const type = used.find((t) => types.has(t));
        if (type) found ??= { service, type, op };
      }
    }
    expect(found).toBeDefined();
    const { service, type, op } = found!;
    const cacheDir = path.join(work, "cache");
    const outDir = path.join(work, "out");
    await generate({ specsDir: specs, outDir, cache: new GenerationCache(cacheDir) });
    const before = await snapshot(outDir);
    // The edit renames the type where service.yaml defines it; the operation file still names the old one.
    const serviceFile = path.join(specs, service, "service.yaml");
    const serviceText = await readFile(serviceFile, "utf8");
    await writeFile(serviceFile, serviceText.replace(new RegExp(`^ {2}${type}:$`, "m"), `  ${type}Renamed:`));
    const cache = new GenerationCache(cacheDir);
    const out = sink();
    const err = sink();
    const code = await runGenerate(["--specs", specs, "--out", outDir], out.stream, err.stream, false, cache);
    expect(cache.specStats).toEqual({ hits: services.length, misses: 1 });
    expect(code).toBe(2);
    const opFile = path
      .relative(process.cwd(), path.join(specs, service, op))
      .split(path.sep)
      .join("/");
    expect(err.text()).toMatch(new RegExp(`${opFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ error unknown-type`));
    expect(await snapshot(outDir)).toEqual(before);
    // The same diagnostics as checking every spec without the cache.
    const plain = checkSpecs(await loadSpecs(specs));
    const cached = await checkSpecsCached(specs, undefined, new GenerationCache(cacheDir));
    expect(cached!.diagnostics.map(formatDiagnostic)).toEqual(plain.diagnostics.map(formatDiagnostic));
  }, 120_000);

  it("gives every broken-spec case the same diagnostics and IR from documents made of their answers, none parsed again", async () => {
    for (const name of listCases()) {
      const dir = await tmp(`apigen-answers-${name}-`);
      const specs = await loadSpecs(materialise(name, dir), dir);
      const plain = checkSpecs(specs);
      const again = (docs: SpecDocument[]) => docs.map((d) => new SpecDocument(d.file, d.kind, d.text, d.serviceDir, d.answers()));
      const replayed = { ...specs, protocols: again(specs.protocols), services: again(specs.services), operations: again(specs.operations) };
      const checked = checkSpecs(replayed);
      expect(checked.diagnostics.map(formatDiagnostic), name).toEqual(plain.diagnostics.map(formatDiagnostic));
      expect(checked.ir, name).toEqual(plain.ir);
      const all = [...replayed.protocols, ...replayed.services, ...replayed.operations];
      expect(
        all.filter((d) => d.isParsed).map((d) => d.file),
        name,
      ).toEqual([]);
    }
  }, 120_000);

  it("recovers from a damaged service IR entry whose group entry is sound: the group is checked again, every later run succeeds", async () => {
    const { specs } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    await generate({ specsDir: specs, outDir: path.join(work, "first"), cache: new GenerationCache(cacheDir) });
    // Keep only the checked groups and their IR, the IR zeroed: every unit must be emitted again, so each service's IR is read.
    let zeroed = 0;
    for (const n of (await readdir(cacheDir)).filter((n) => /^[0-9a-f]{64}$/.test(n))) {
      const file = path.join(cacheDir, n);
      const bytes = await readFile(file);
      let value: unknown;
      try {
        value = bytes[64] === 0x0a ? deserialize(bytes.subarray(65)) : undefined;
      } catch {
        value = undefined;
      }
      const v = value as { version?: unknown; id?: unknown; operations?: unknown } | undefined;
      if (typeof v?.id === "string" && Array.isArray(v.operations)) {
        zeroed++;
        await writeFile(file, "");
      } else if (v?.version !== "checked-3") await rm(file);
    }
    expect(zeroed).toBe((await groupCount(specs)) - 1);
    const cold = path.join(work, "cold");
    await generate({ specsDir: specs, outDir: cold });
    for (const run of ["second", "third"]) {
      const out = path.join(work, run);
      const result = await generate({ specsDir: specs, outDir: out, cache: new GenerationCache(cacheDir) });
      expect(result.files, run).toBeDefined();
      expect(await snapshot(out), run).toEqual(await snapshot(cold));
    }
  }, 120_000);

  it("never trusts a damaged entry: it is checked again, and the output is that of a cold run", async () => {
    const { specs } = await smallTree();
    const work = path.dirname(specs);
    const cacheDir = path.join(work, "cache");
    await generate({ specsDir: specs, outDir: path.join(work, "first"), cache: new GenerationCache(cacheDir) });
    const entries = (await readdir(cacheDir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    let damaged = 0;
    for (const n of entries) {
      const bytes = await readFile(path.join(cacheDir, n));
      // Checked-spec entries are binary (a checksum line, then the payload), as are the read sets of emitted units.
      if (bytes[64] !== 0x0a) continue;
      damaged++;
      // One byte changed in the payload, the checksum kept; every other entry truncated.
      if (damaged % 2) bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
      await writeFile(path.join(cacheDir, n), damaged % 2 ? bytes : bytes.subarray(0, bytes.length >> 1));
    }
    expect(damaged).toBeGreaterThanOrEqual(await groupCount(specs));
    const cache = new GenerationCache(cacheDir);
    const out = path.join(work, "after");
    const result = await generate({ specsDir: specs, outDir: out, cache });
    expect(result.files).toBeDefined();
    expect(cache.specStats).toEqual({ hits: 0, misses: await groupCount(specs) });
    const cold = path.join(work, "cold");
    await generate({ specsDir: specs, outDir: cold });
    expect(await snapshot(out)).toEqual(await snapshot(cold));
  }, 120_000);
});
