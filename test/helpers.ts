// Shared test helpers: the real specs, built once per test file.
import path from "node:path";
import { fileURLToPath } from "node:url";
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
