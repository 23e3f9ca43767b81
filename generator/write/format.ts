// Format the generated TypeScript once per run, with a fixed prettier configuration (no config lookup,
// so output does not depend on the machine or the folder). JSON and Markdown are written canonical by
// their emitters: prettier's Markdown table padding cost ~90% of a 1,000-operation run (see bench/).
import * as prettier from "prettier";
import type { GeneratedFile } from "../emit/generated-file.js";

const OPTIONS: prettier.Options = { printWidth: 120, trailingComma: "all", endOfLine: "lf", parser: "typescript" };
/** Files formatted at once: enough to overlap I/O-free work, few enough to bound memory. */
const CONCURRENCY = 8;

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const out = [...files];
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const i = next++;
      const f = out[i]!;
      if (f.path.endsWith(".ts") && !f.preformatted) out[i] = { ...f, content: await prettier.format(f.content, OPTIONS) };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}
