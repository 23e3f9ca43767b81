// Every TypeScript block in the generated docs compiles under the generated packages' strict tsconfig.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED } from "../helpers.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "doc-snippets-"));
// Snippets are ES modules, as in a consumer's project (they use top-level await).
writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function snippets(): Array<{ from: string; file: string }> {
  const out: Array<{ from: string; file: string }> = [];
  for (const service of readdirSync(GENERATED, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const docs = path.join(GENERATED, service.name, "docs");
    let pages: string[] = [];
    try {
      pages = readdirSync(docs).filter((f) => f.endsWith(".md"));
    } catch {
      continue;
    }
    for (const page of pages) {
      const text = readFileSync(path.join(docs, page), "utf8");
      [...text.matchAll(/```ts\n([\s\S]*?)```/g)].forEach((m, i) => {
        const file = path.join(dir, `${service.name}-${page.replace(/\.md$/, "")}-${i}.ts`);
        writeFileSync(file, m[1]!);
        out.push({ from: `${service.name}/docs/${page}`, file });
      });
    }
  }
  return out;
}

describe("usage snippets in the generated docs", () => {
  const found = snippets();

  it("exist for every operation page", () => {
    const pages = new Set(found.map((s) => s.from));
    expect(pages.size).toBe(5);
  });

  it("type-check under strict tsc against the generated packages", () => {
    const configPath = path.join(GENERATED, "tsconfig.json");
    const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, GENERATED);
    const program = ts.createProgram([...parsed.fileNames, ...found.map((s) => s.file)], parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(problems).toEqual([]);
  });
});
