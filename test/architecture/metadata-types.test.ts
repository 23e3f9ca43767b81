// The runtime declares what a package's metadata.ts holds once (templates/runtime/src/shared/metadata.ts),
// and the generator's metadata emitter is typed against that declaration. This keeps them from
// drifting apart at the level that matters: the text the emitter writes for every real spec is
// type-checked against the runtime's source (not generated/, which may be stale), so a field the
// emitter writes that the runtime does not declare, or one the runtime requires that the emitter
// leaves out, fails here. The emitter writes the data as `JSON.parse('…')` (typed by declaration):
// the checks read each parsed value back as a literal, so they check the data itself.
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { metadataSource, serviceMetadata, withLiterals } from "../../generator/emit/metadata-emitter.js";
import { RUNTIME_PACKAGE } from "../../generator/emit/runtime-package.js";
import { realIr, ROOT } from "../helpers.js";

const RUNTIME_SRC = path.join(ROOT, "templates/runtime/src");
const VIRTUAL = path.join(ROOT, "test/architecture/.virtual-metadata");

/** Type errors in each of `files` (path -> text), the runtime package resolved to its template source. */
function typeErrors(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    paths: { [RUNTIME_PACKAGE.name]: [path.join(RUNTIME_SRC, "index.ts")], [`${RUNTIME_PACKAGE.name}/*`]: [path.join(RUNTIME_SRC, "*.ts")] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const flat = (d: ts.Diagnostic) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${where ? `${where.line + 1}:${where.character + 1} ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  };
  const errorsOf = (f: string) =>
    [...program.getSyntacticDiagnostics(program.getSourceFile(f)), ...program.getSemanticDiagnostics(program.getSourceFile(f))].map(flat);
  return new Map([...files.keys()].map((f) => [f, errorsOf(f)]));
}

describe("metadata.ts as the generator writes it and as the runtime declares it", () => {
  let sources: Map<string, string>;
  beforeAll(async () => {
    const ir = await realIr();
    sources = new Map(ir.services.map((s) => [path.join(VIRTUAL, s.id, "metadata.ts"), withLiterals(metadataSource(s))]));
  });

  it("writes every value as JSON text that parses back to the service's metadata", async () => {
    const ir = await realIr();
    for (const service of ir.services) {
      const source = metadataSource(service);
      expect(source).not.toMatch(/: OperationData = \{/);
      // The eager consts (the four service parts), and the functions that parse on first use (resources, each operation).
      const parsed = [
        ...source.matchAll(/^(?:export )?const (\w+)\b.*?= (?:\(\) => \(\w+ \?\?= )?\/\* @__PURE__ \*\/ JSON\.parse\('((?:[^'\\]|\\.)*)'\)\)?;$/gm),
      ].map(([, name, text]) => [name, JSON.parse(text!.replace(/\\(['\\])/g, "$1")) as unknown] as const);
      const all = JSON.parse(JSON.stringify(serviceMetadata(service), (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))) as ReturnType<
        typeof serviceMetadata
      >;
      const byName = new Map(parsed);
      expect(byName.get("endpoints")).toEqual(all.endpoints);
      // The common errors are two lists of codes, all of them (in order) and those a retry can help (errorTable).
      const lists = /^const commonErrors\b.*= \/\* @__PURE__ \*\/ errorTable\((\[.*?\]), (\[.*?\])\);$/m.exec(source);
      expect(lists, service.id).not.toBeNull();
      const table = (codes: string, retryable: string) =>
        Object.fromEntries((JSON.parse(codes) as string[]).map((c) => [c, { retryable: (JSON.parse(retryable) as string[]).includes(c) }]));
      expect(table(lists![1]!, lists![2]!)).toEqual(all.commonErrors);
      expect(byName.get("resources")).toEqual(all.resources);
      // An operation's data, written compact (compactOperationData): the client's part with its own
      // codes as the lists of withErrors, the mock's without the validation codes most operations share.
      const text = (t: string) => JSON.parse(t.replace(/\\(['\\])/g, "$1")) as Record<string, unknown>;
      const shared = /validationCodesData \?\?= Object\.freeze\(\/\* @__PURE__ \*\/ JSON\.parse\('((?:[^'\\]|\\.)*)'\)/.exec(source);
      for (const [, name, json, codes, retryable] of source.matchAll(
        /^export const (\w+)\b.*?\?\?= withErrors\(\/\* @__PURE__ \*\/ JSON\.parse\('((?:[^'\\]|\\.)*)'\), (\[.*?\]), (\[.*?\])\)\);$/gm,
      )) {
        byName.set(name!, { ...text(json!), errors: table(codes!, retryable!) });
      }
      for (const [, name, json] of source.matchAll(
        /^const (\w+)\b.*?\?\?= withValidationCodes\(\/\* @__PURE__ \*\/ JSON\.parse\('((?:[^'\\]|\\.)*)'\)\)\);$/gm,
      )) {
        const data = text(json!);
        byName.set(name!, { ...data, validationErrors: { codes: text(shared![1]!), ...(data.validationErrors as object) } });
      }
      // An operation's data is what the client reads and, apart, what only the mock reads: together, all of it.
      for (const op of service.operations) {
        const client = byName.get(`${op.method}Operation`) as Record<string, unknown>;
        expect(client, op.method).not.toHaveProperty("validationErrors");
        expect(client, op.method).not.toHaveProperty("mock");
        expect({ ...client, ...(byName.get(`${op.method}OperationMock`) as object) }, op.method).toEqual(all.operations[op.method]);
      }
    }
  }, 60_000);

  it("type-checks for every service against templates/runtime/src/shared/metadata.ts", () => {
    expect(sources.size).toBeGreaterThan(0);
    const errors = [...typeErrors(sources)].filter(([, list]) => list.length > 0);
    expect(errors.map(([file, list]) => `${path.relative(VIRTUAL, file)}:\n  ${list.join("\n  ")}`)).toEqual([]);
  }, 60_000);

  it("fails on drift: a field the runtime does not declare, or a required one left out", () => {
    const [file, text] = [...sources][0]!;
    // Each operation's literal opens with its name: add a field before it, or rename a required field.
    const opened = /(OperationData \?\?= withErrors\(\{\n)/;
    expect(text).toMatch(opened);
    const extra = text.replace(opened, `$1  "notInTheRuntime": true,\n`);
    const missing = text.replace(/"validationErrors":/, `"validationErrorz":`);
    expect(missing).not.toBe(text);
    const errors = typeErrors(
      new Map([
        [file.replace(/\.ts$/, "-extra.ts"), extra],
        [file.replace(/\.ts$/, "-missing.ts"), missing],
      ]),
    );
    const [extraErrors, missingErrors] = [...errors.values()];
    expect(extraErrors!.join("\n")).toMatch(/notInTheRuntime/);
    expect(missingErrors!.join("\n")).toMatch(/validationErrorz|validationErrors/);
  }, 60_000);
});
