// Every TypeScript block in the generated docs compiles under the generated packages' strict tsconfig.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED, realIr } from "../helpers.js";
import { writeDocSnippets } from "./support/doc-snippets.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "doc-snippets-"));
// Snippets are ES modules, as in a consumer's project (they use top-level await).
writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("usage snippets in the generated docs", () => {
  const found = writeDocSnippets(dir);

  it("exist for every operation page the specs define", async () => {
    const pages = new Set(found.map((s) => s.from));
    const ir = await realIr();
    const expected = ir.services.flatMap((svc) => svc.operations.map((o) => `${svc.id}/docs/${o.name}.md`));
    expect(expected.length).toBeGreaterThan(0);
    expect([...pages].sort()).toEqual(expected.sort());
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
