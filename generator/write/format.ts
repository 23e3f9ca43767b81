// Format the generated TypeScript once per run, with a fixed prettier configuration (no config lookup,
// so output does not depend on the machine or the folder). JSON and Markdown are written canonical by
// their emitters: prettier's Markdown table padding cost ~90% of a 1,000-operation run (see bench/).
// prettier is loaded only when a file needs it: a run that takes every unit from the cache never does.
import type { Options } from "prettier";
import type { GeneratedFile } from "../emit/generated-file.js";

const OPTIONS: Options = { printWidth: 120, trailingComma: "all", endOfLine: "lf", parser: "typescript" };
/** Files formatted at once: enough to overlap I/O-free work, few enough to bound memory. */
const CONCURRENCY = 8;

const needsFormat = (f: GeneratedFile) => f.path.endsWith(".ts") && !f.preformatted;

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const out = [...files];
  if (!out.some(needsFormat)) return out;
  const prettier = await import("prettier");
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const i = next++;
      const f = out[i]!;
      if (needsFormat(f)) out[i] = { ...f, content: await prettier.format(f.content, OPTIONS) };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}
