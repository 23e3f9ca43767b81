// Shared test helpers: the real specs, built once per test file; scratch folders; environment variables put back.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach } from "vitest";
import { build } from "../generator/pipeline.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// APIGEN_TEST_SPECS / APIGEN_TEST_GENERATED point the tests that read "the real specs" at another
// tree (a maintainer checking a batch of specs in a scratch copy before it joins specs/).
export const SPECS = process.env.APIGEN_TEST_SPECS ? path.resolve(process.env.APIGEN_TEST_SPECS) : path.join(ROOT, "specs");
export const GENERATED = process.env.APIGEN_TEST_GENERATED ? path.resolve(process.env.APIGEN_TEST_GENERATED) : path.join(ROOT, "generated");

let cached: ReturnType<typeof build> | undefined;

/** The real specs through the whole pipeline, in memory. */
export function buildRealSpecs(): ReturnType<typeof build> {
  cached ??= build(SPECS, ROOT);
  return cached;
}

export async function realIr() {
  const result = await buildRealSpecs();
  if (!result.ir)
    throw new Error(
      `the real specs do not build:\n${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule} ${d.message}`).join("\n")}`,
    );
  return result.ir;
}

/** `tmp(prefix)` makes a scratch folder under the OS's; the test file's folders are removed after its tests. */
export function scratchFolders(): (prefix: string) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async (prefix) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Puts environment variable `name` back as it was before each test, whatever the test set it to. */
export function keepEnv(name: string): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[name];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  });
}
