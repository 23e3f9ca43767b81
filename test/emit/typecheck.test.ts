// The generated packages type-check under strict tsc, and a consumer file uses them as documented.
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { GENERATED } from "../helpers.js";

function diagnosticsOf(configPath: string, extraFiles: string[] = []): string[] {
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([...parsed.fileNames, ...extraFiles], parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(process.cwd(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

describe("generated packages", () => {
  it("type-check under strict tsc, with a consumer that uses them", () => {
    const consumer = path.resolve(import.meta.dirname, "consumer", "uses-generated-types.ts");
    expect(diagnosticsOf(path.join(GENERATED, "tsconfig.json"), [consumer])).toEqual([]);
  });
});
