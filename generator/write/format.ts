// Format the generated TypeScript once per run, with a fixed prettier configuration (no config lookup,
// so output does not depend on the machine or the folder). JSON and Markdown are written canonical by
// their emitters: prettier's Markdown table padding cost ~90% of a 1,000-operation run (see bench/).
// prettier is loaded only when a file needs it: a run that takes every unit from the cache never does.
// Its standalone build with the two plugins TypeScript needs, through require: CommonJS compiles from
// bin/precompiled.js's V8 code cache, where the ES build recompiles every run (~40 ms of a cold run).
import { createRequire } from "node:module";
import type { Options, Plugin } from "prettier";
import { PRINT_WIDTH, type GeneratedFile } from "../emit/generated-file.js";

const OPTIONS: Options = { printWidth: PRINT_WIDTH, trailingComma: "all", endOfLine: "lf", parser: "typescript" };

type Prettier = typeof import("prettier/standalone");
let loaded: { prettier: Prettier; options: Options } | undefined;

function loadPrettier(): { prettier: Prettier; options: Options } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const prettier = require("prettier/standalone") as Prettier;
  const plugins = [require("prettier/plugins/typescript") as Plugin, require("prettier/plugins/estree") as Plugin];
  return (loaded = { prettier, options: { ...OPTIONS, plugins } });
}
/** Files formatted at once: enough to overlap I/O-free work, few enough to bound memory. */
const CONCURRENCY = 8;

const needsFormat = (f: GeneratedFile) => f.path.endsWith(".ts") && !f.preformatted;

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const out = [...files];
  if (!out.some(needsFormat)) return out;
  const { prettier, options } = loadPrettier();
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const i = next++;
      const f = out[i]!;
      if (needsFormat(f)) out[i] = { ...f, content: await prettier.format(f.content, options) };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}
