// The generated packages type-check under strict tsc, and a consumer file uses them as documented.
// Their files import exactly what they use: a missing import fails the type-check, an unused one
// is reported by noUnusedLocals (checked on import declarations, in the same program).
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { GENERATED } from "../helpers.js";

/** "declared but never read/used", "all imports in import declaration are unused", and the like. */
const UNUSED = new Set([6133, 6138, 6192, 6196, 6198, 6199, 6205]);

function diagnosticsOf(configPath: string, extraFiles: string[] = []): readonly ts.Diagnostic[] {
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([...parsed.fileNames, ...extraFiles], { ...parsed.options, noUnusedLocals: true });
  return ts.getPreEmitDiagnostics(program);
}

function format(d: ts.Diagnostic): string {
  const where = d.file ? `${path.relative(process.cwd(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
  return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
}

/** Whether `d` points into an import declaration of an emitted file (the runtime is copied from templates/, not emitted). */
function onEmittedImport(d: ts.Diagnostic): boolean {
  if (!d.file || d.start === undefined) return false;
  const relative = path.relative(GENERATED, d.file.fileName).split(path.sep).join("/");
  if (relative.startsWith("..") || relative.startsWith("runtime/")) return false;
  const statement = d.file.statements.find((s) => s.pos <= d.start! && d.start! < s.end);
  return statement !== undefined && ts.isImportDeclaration(statement);
}

describe("generated packages", () => {
  const consumer = path.resolve(import.meta.dirname, "consumer", "uses-generated-types.ts");
  let diagnostics: readonly ts.Diagnostic[] | undefined;
  const all = () => (diagnostics ??= diagnosticsOf(path.join(GENERATED, "tsconfig.json"), [consumer]));

  it("type-check under strict tsc, with a consumer that uses them", () => {
    expect(
      all()
        .filter((d) => !UNUSED.has(d.code))
        .map(format),
    ).toEqual([]);
  }, 180_000);

  it("import nothing they do not use", () => {
    expect(
      all()
        .filter((d) => UNUSED.has(d.code) && onEmittedImport(d))
        .map(format),
    ).toEqual([]);
  }, 180_000);
});
