// Shared test helpers: the real specs, built once per test file.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "../generator/pipeline.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SPECS = path.join(ROOT, "specs");
export const GENERATED = path.join(ROOT, "generated");

let cached: ReturnType<typeof build> | undefined;

/** The real specs through the whole pipeline, in memory. */
export function buildRealSpecs(): ReturnType<typeof build> {
  cached ??= build(SPECS, ROOT);
  return cached;
}

export async function realIr() {
  const result = await buildRealSpecs();
  if (!result.ir) throw new Error(`the real specs do not build:\n${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule} ${d.message}`).join("\n")}`);
  return result.ir;
}
