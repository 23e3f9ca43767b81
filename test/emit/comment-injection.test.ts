// Spec text in generated comments: the fixture text-closes-comment puts `*/ globalThis.__injected =
// …; /*` (and newlines, CR, U+2028 and U+2029 before more code) in every text slot of a spec:
// titles, descriptions, summaries, notes, enum values and their descriptions, deprecations,
// examples, defaults, errors, time windows, sources and the protocol's title. The generated
// packages must type-check, no identifier of the payload may appear in code (outside comments and
// string literals), and importing every module must run none of it.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { materialise } from "../broken-spec-cases.js";

const MARKER = "__injected";

let out: string;
let tsFiles: string[];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "comment-injection-"));
  out = path.join(dir, "out");
  const fixture = path.join(dir, "fixture");
  const result = await generate({ specsDir: materialise("text-closes-comment", fixture), outDir: out, displayBase: fixture });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  tsFiles = readdirSync(path.join(out, "lcic"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(out, "lcic", f));
}, 120_000);
afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

/** Every identifier of the payload in a file's code: a comment or string literal holds none. */
function injectedCode(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === MARKER) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${path.relative(out, file)}:${line + 1}: ${node.parent.parent.getText(source).slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("spec text that closes a comment", () => {
  it("lands in the comments of types.ts, metadata.ts, mock.ts, client.ts and operations.ts (the test is not vacuous)", () => {
    for (const name of ["types.ts", "metadata.ts", "mock.ts", "client.ts", "operations.ts"]) {
      const file = tsFiles.find((f) => path.basename(f) === name)!;
      expect(readFileSync(file, "utf8"), name).toContain(`${MARKER} = 'service title'`);
    }
  });

  it("never reaches the code: no identifier of the payload in any generated .ts file", () => {
    expect(tsFiles.flatMap(injectedCode)).toEqual([]);
  });

  it("type-checks", () => {
    const config = ts.readConfigFile(path.join(out, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, out);
    const program = ts.createProgram(parsed.fileNames, { ...parsed.options, skipLibCheck: true, noEmit: true });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && !path.relative(out, d.file.fileName).startsWith("runtime"))
      .map((d) => `${path.relative(out, d.file!.fileName)} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(errors).toEqual([]);
  }, 120_000);

  it("runs none of it on import", async () => {
    for (const file of tsFiles.filter((f) => f.includes(`${path.sep}src${path.sep}`))) await import(file);
    expect((globalThis as Record<string, unknown>)[MARKER]).toBeUndefined();
  }, 60_000);
});
