// bin/precompiled.js runs the generator as one bundle compiled from V8's code cache, where a script
// cannot import dynamically: the bundle's imports of computed specifiers (a protocol plugin) go
// through a function the CLI hands it, so none is left in it, and a plugin still loads.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const CACHE = path.join(ROOT, "node_modules", ".cache", "rtc-apigen");
/** A real dynamic import (`import()`, empty, is only ever text in a message). */
const IMPORTS_DYNAMICALLY = /(?<![\w$.])import\((?!\))/;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("precompiled generator", () => {
  it("leaves no dynamic import in the bundle, and loads a TypeScript protocol plugin through it", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "apigen-precompiled-"));
    dirs.push(work);
    const specs = path.join(ROOT, "test", "fixtures", "toy-protocol", "specs");
    const out = path.join(work, "out");
    // The bundle's own run (not the fallback to the sources through tsx), in a process of its own.
    const script = `
      const { precompiledRun } = await import(${JSON.stringify(new URL("../../bin/precompiled.js", import.meta.url).href)});
      const run = await precompiledRun();
      if (!run) process.exit(3);
      await run(["generate", "--specs", ${JSON.stringify(specs)}, "--out", ${JSON.stringify(out)}]);`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: work,
      env: { ...process.env, RTC_APIGEN_CACHE_DIR: path.join(work, "cache"), RTC_APIGEN_FROM_SOURCE: "" },
    });
    expect(stdout).toMatch(/^Wrote /);
    const plugin = (await readFile(path.join(specs, "protocols", "toy.yaml"), "utf8")).match(/^plugin: (.*)$/m)?.[1];
    expect(plugin).toMatch(/\.ts$/);
    expect((await readdir(out)).length).toBeGreaterThan(0);

    const manifest = JSON.parse(await readFile(path.join(CACHE, "generator.json"), "utf8")) as { hash: string };
    const bundle = await readFile(path.join(CACHE, `generator-${manifest.hash}.cjs`), "utf8");
    expect(bundle).not.toMatch(IMPORTS_DYNAMICALLY);
  }, 120_000);
});
