// bin/precompiled.js runs the generator as one bundle compiled from V8's code cache, where a script
// cannot import dynamically: the bundle's imports of computed specifiers (a protocol plugin) go
// through a function the CLI hands it, so none is left in it, and a plugin still loads.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, SPECS } from "../helpers.js";

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

  it("checks a large tree's groups on a worker thread too, with the output and the located diagnostics of one thread", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "apigen-precompiled-worker-"));
    dirs.push(work);
    const specs = path.join(work, "specs");
    await cp(SPECS, specs, { recursive: true });
    /** `generate` through the bin (precompiled), cold; `threads`: whether the worker is asked for. The CPU profiles say how many threads ran. */
    const generate = async (name: string, threads: boolean) => {
      const profiles = path.join(work, `${name}-profiles`);
      const result = await promisify(execFile)(
        process.execPath,
        [
          "--cpu-prof",
          "--cpu-prof-dir",
          profiles,
          path.join(ROOT, "bin", "rtc-apigen.js"),
          "generate",
          "--specs",
          specs,
          "--out",
          path.join(work, name),
        ],
        {
          cwd: work,
          env: {
            ...process.env,
            RTC_APIGEN_CACHE_DIR: path.join(work, `${name}-cache`),
            RTC_APIGEN_FROM_SOURCE: "",
            RTC_APIGEN_CHECK_WORKER_MIN_BYTES: threads ? "0" : String(Number.MAX_SAFE_INTEGER),
          },
        },
      ).then(
        (r) => ({ code: 0, stderr: r.stderr }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      return { ...result, threads: (await readdir(profiles)).length };
    };
    const two = await generate("two", true);
    const one = await generate("one", false);
    expect([two.code, two.threads, one.code, one.threads]).toEqual([0, 2, 0, 1]);
    const files = async (dir: string) =>
      Object.fromEntries(
        await Promise.all(
          (await readdir(dir, { recursive: true, withFileTypes: true }))
            .filter((e) => e.isFile())
            .map(async (e) => [path.relative(dir, path.join(e.parentPath, e.name)), await readFile(path.join(e.parentPath, e.name), "utf8")]),
        ),
      );
    expect(await files(path.join(work, "two"))).toEqual(await files(path.join(work, "one")));

    // A broken operation in every service: each thread's groups have problems to locate.
    for (const service of (await readdir(specs, { withFileTypes: true })).filter(
      (e) => e.isDirectory() && e.name !== "protocols" && e.name !== "schema",
    )) {
      const op = (await readdir(path.join(specs, service.name))).filter((f) => f !== "service.yaml").sort()[0]!;
      const file = path.join(specs, service.name, op);
      await writeFile(file, (await readFile(file, "utf8")).replace(/^(\s+type: )\w+$/m, "$1NoSuchType"));
    }
    const brokenTwo = await generate("broken-two", true);
    const brokenOne = await generate("broken-one", false);
    expect([brokenTwo.code, brokenTwo.threads, brokenOne.code]).toEqual([2, 2, 2]);
    expect(brokenTwo.stderr).toMatch(/:\d+:\d+ error unknown-type/);
    expect(brokenTwo.stderr).toBe(brokenOne.stderr);
  }, 240_000);
});
