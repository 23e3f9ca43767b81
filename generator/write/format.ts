// Format every generated file once per run, with a fixed prettier configuration (no config lookup,
// so output does not depend on the machine or the folder).
import * as prettier from "prettier";
import type { GeneratedFile } from "../emit/generated-file.js";

const OPTIONS: prettier.Options = { printWidth: 120, proseWrap: "preserve", trailingComma: "all", endOfLine: "lf" };

function parserFor(path: string): string | undefined {
  if (path.endsWith(".ts")) return "typescript";
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".md")) return "markdown";
  return undefined;
}

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  return Promise.all(
    files.map(async (f) => {
      const parser = parserFor(f.path);
      return parser ? { ...f, content: await prettier.format(f.content, { ...OPTIONS, parser }) } : f;
    }),
  );
}
