// Issue 17 item 2: TypeScript output is built with ts-morph (structures, or its code-block writer
// over statements whose nesting is explicit), never as text re-indented by counting brackets, and
// each emitter's imports come from the import planner. This scan fails if a generator module
// imports a re-indenter again (the old generator/emit/indent.ts) or an emitter of a service's
// TypeScript files stops planning its imports.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `${dir}/${f.split(path.sep).join("/")}`);
}

/** The repository paths a module imports (relative specifiers only), without extension. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith("."))
    .map((s) => path.posix.join(path.posix.dirname(file), s).replace(/\.(js|ts)$/, ""));
}

describe("TypeScript emitters (issue 17 item 2)", () => {
  const files = tsFiles("generator");

  it("the scan sees the generator", () => {
    expect(files).toContain("generator/emit/validators-emitter.ts");
  });

  it("no generator module imports a re-indenter of emitted text", () => {
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((m) => /(^|\/)indent(-code)?$/.test(m))
        .map((m) => `${f} imports ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  // The emitters of operations.ts, client.ts, mock.ts and validators.ts: each builds with ts-morph,
  // or writes its functions through statements.ts (nesting explicit, in ts-morph's layout: mock.ts),
  // and hands its imports to the planner (a file listing import text itself would show here).
  it.each(["operations-emitter", "client-emitter", "mock-emitter", "validators-emitter"])("%s prints with ts-morph and plans its imports", (name) => {
    const file = `generator/emit/${name}.ts`;
    const text = readFileSync(path.join(ROOT, file), "utf8");
    expect(/from "ts-morph"/.test(text) || importsOf(file).includes("generator/emit/statements"), "built with ts-morph or statements.ts").toBe(true);
    expect(importsOf(file)).toContain("generator/emit/imports");
    expect(text, "import text written by hand").not.toMatch(/[`"']import (type )?[{*]/);
  });
});
