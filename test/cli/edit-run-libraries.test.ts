// A run after one spec is edited loads only what that edit needs: fast-check (sampling patterns for
// the mock) only when a pattern is sampled, and the YAML library from the bundle. The run goes through the bin (the precompiled bundle) in
// a fresh process; a preload reports which packages the process required.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { makeCorpus } from "../../bench/make-corpus.js";
import { ROOT } from "../helpers.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Prints, at exit, the packages under node_modules that the process required. */
const PRELOAD = `process.on("exit", () => {
  const names = new Set(Object.keys(require.cache).map((f) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean));
  require("node:fs").writeFileSync(process.env.LOADED_REPORT, JSON.stringify([...names]));
});`;

describe("an edit run", () => {
  it("does not load fast-check when no pattern must be sampled", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "apigen-edit-libs-"));
    dirs.push(work);
    const specs = path.join(work, "specs");
    await makeCorpus({ operations: 6, perService: 3, outDir: specs });
    const preload = path.join(work, "preload.cjs");
    await writeFile(preload, PRELOAD);
    const report = path.join(work, "loaded.json");
    const generate = (...node: string[]) =>
      promisify(execFile)(
        process.execPath,
        [...node, path.join(ROOT, "bin", "rtc-apigen.js"), "generate", "--specs", specs, "--out", path.join(work, "out")],
        {
          cwd: work,
          env: { ...process.env, RTC_APIGEN_CACHE_DIR: path.join(work, "cache"), RTC_APIGEN_FROM_SOURCE: "", LOADED_REPORT: report },
        },
      );
    await generate();

    const service = (await readdir(specs)).filter((d) => d !== "protocols").sort()[0]!;
    const file = path.join(specs, service, (await readdir(path.join(specs, service))).filter((f) => f !== "service.yaml").sort()[0]!);
    const text = await readFile(file, "utf8");
    // The edit adds no pattern: nothing is sampled.
    expect(text).not.toMatch(/pattern:/);
    const doc = parseDocument(text);
    doc.set("description", `${String(doc.get("description") ?? "")} Edited.`);
    await writeFile(file, doc.toString());
    const { stdout } = await generate("-r", preload);
    expect(stdout).toMatch(/^Wrote /);

    const loaded = JSON.parse(await readFile(report, "utf8")) as string[];
    // The run went through the precompiled bundle (kept in node_modules/.cache: the report sees what the run required)...
    expect(loaded).toContain(".cache");
    // ...which parsed the edited file with the YAML library bundled in it, not required module by module...
    expect(loaded).not.toContain("yaml");
    // ...and nothing was sampled.
    expect(loaded).not.toContain("fast-check");
  }, 120_000);
});
