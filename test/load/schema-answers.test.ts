// After one spec is edited, only that file is validated against the spec schema: the other files of
// its group keep their schema answers with their document answers (checked-cache.ts), and what they
// report is still exactly what validating them reports, located in them.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { SpecDocument } from "../../generator/load/spec-document.js";
import { generate } from "../../generator/pipeline.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { GenerationCache } from "../../generator/write/generation-cache.js";
import { SPECS } from "../helpers.js";

const validated = vi.hoisted(() => [] as string[]);
vi.mock("../../generator/check/schema-check.js", async (original) => {
  const m = await original<typeof import("../../generator/check/schema-check.js")>();
  return {
    ...m,
    checkAgainstSchema: (doc: SpecDocument) => {
      validated.push(path.basename(doc.file));
      return m.checkAgainstSchema(doc);
    },
  };
});

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** protocols/ and the first service of the real specs (with its first three operations). */
async function tree(): Promise<{ work: string; specs: string; service: string; ops: string[] }> {
  const work = await mkdtemp(path.join(os.tmpdir(), "apigen-schema-answers-"));
  dirs.push(work);
  const specs = path.join(work, "specs");
  await cp(path.join(SPECS, "protocols"), path.join(specs, "protocols"), { recursive: true });
  const entries = await readdir(SPECS, { withFileTypes: true });
  const services = [];
  for (const e of entries) if (e.isDirectory() && (await readdir(path.join(SPECS, e.name))).includes("service.yaml")) services.push(e.name);
  const service = services.sort()[0]!;
  const ops = (await readdir(path.join(SPECS, service)))
    .filter((f) => f.endsWith(".yaml") && f !== "service.yaml")
    .sort()
    .slice(0, 3);
  for (const f of ["service.yaml", ...ops]) await cp(path.join(SPECS, service, f), path.join(specs, service, f), { recursive: true });
  return { work, specs, service, ops };
}

async function run(specs: string, out: string, cacheDir?: string) {
  validated.length = 0;
  const result = await generate({ specsDir: specs, outDir: out, ...(cacheDir ? { cache: new GenerationCache(cacheDir) } : {}) });
  return { diagnostics: result.diagnostics.map(formatDiagnostic), validated: [...validated].sort() };
}

async function edit(file: string): Promise<void> {
  await writeFile(file, (await readFile(file, "utf8")).replace(/^summary: (.*)$/m, "summary: $1 Edited."));
}

describe("schema answers of unedited files", () => {
  it("validates only the edited file after an edit", async () => {
    const { work, specs, service, ops } = await tree();
    const cache = path.join(work, "cache");
    const cold = await run(specs, path.join(work, "out"), cache);
    expect(cold.validated.length).toBeGreaterThan(ops.length);
    await edit(path.join(specs, service, ops[0]!));
    const edited = await run(specs, path.join(work, "out"), cache);
    expect(edited.validated).toEqual([ops[0]]);
    expect(edited.diagnostics).toEqual((await run(specs, path.join(work, "uncached"))).diagnostics);
  }, 120_000);

  it("still reports, located, a schema error in an unedited file of the edited group", async () => {
    const { work, specs, service, ops } = await tree();
    const cache = path.join(work, "cache");
    const broken = path.join(specs, service, ops[1]!);
    await writeFile(broken, `${await readFile(broken, "utf8")}\nnotAField: 1\n`);
    const first = await run(specs, path.join(work, "out"), cache);
    expect(first.diagnostics.some((d) => d.includes(ops[1]!) && /error/.test(d))).toBe(true);
    await edit(path.join(specs, service, ops[0]!));
    const edited = await run(specs, path.join(work, "out"), cache);
    expect(edited.validated).toEqual([ops[0]]);
    const uncached = await run(specs, path.join(work, "uncached"));
    expect(edited.diagnostics).toEqual(uncached.diagnostics);
  }, 120_000);
});
