// The stress test: every LCIC and TRTC action of the official metadata, imported with the intl
// edition and the errors file, fails the lint only on the decisions it leaves (import-todo); once
// they are settled it generates with no error diagnostics, and the generated packages type-check
// under the generated tsconfig's strict options in one program. Examples stay verbatim; two imports
// are byte-identical.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { buildImportCorpus, type CorpusResult } from "../../generator/import/build-corpus.js";
import { requestBody } from "../../generator/import/examples.js";
import { build } from "../../generator/pipeline.js";
import { GENERATED } from "../helpers.js";
import { buildSettled, MAINTAINER_DECISIONS, metadata, removeTemps, tempDir } from "./support.js";

/** The build's packages (not its runtime copy) and its tsconfig, with the runtime paths pointed at the repo's generated/runtime. */
async function writePackages(files: readonly GeneratedFile[], dir: string): Promise<string> {
  for (const f of files) {
    if (f.path.startsWith("runtime/") || !/^[^/]+\/src\/.*\.ts$/.test(f.path)) continue;
    await mkdir(path.dirname(path.join(dir, f.path)), { recursive: true });
    await writeFile(path.join(dir, f.path), f.content);
  }
  const emitted = files.find((f) => f.path === "tsconfig.json");
  if (!emitted) throw new Error("the build emits no tsconfig.json");
  const config = JSON.parse(emitted.content) as { compilerOptions: { paths: Record<string, string[]> } & Record<string, unknown> };
  for (const [name, targets] of Object.entries(config.compilerOptions.paths))
    if (name.startsWith("@rtc-apigen/runtime")) config.compilerOptions.paths[name] = targets.map((t) => path.join(GENERATED, t));
  // The packages have no .d.ts of their own; checking @types/node again only costs time.
  config.compilerOptions.skipLibCheck = true;
  config.compilerOptions.typeRoots = [path.resolve(GENERATED, "../node_modules/@types")];
  const file = path.join(dir, "tsconfig.json");
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

function typeErrors(configFile: string): string[] {
  const config = ts.readConfigFile(configFile, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configFile));
  expect(parsed.fileNames.length).toBeGreaterThan(0);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${path.relative(path.dirname(configFile), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

async function treeOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.set(path.relative(dir, path.join(e.parentPath, e.name)), await readFile(path.join(e.parentPath, e.name), "utf8"));
  return out;
}

afterAll(removeTemps);

describe("the import corpus", () => {
  let root: string;
  let corpus: CorpusResult;
  let imported: Awaited<ReturnType<typeof build>>;
  let built: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    root = await tempDir("apigen-import-corpus-");
    corpus = await buildImportCorpus(root);
    imported = await build(corpus.specsDir, root);
    built = await buildSettled(corpus.specsDir);
  });

  it("has every action of both api.json files", async () => {
    const [lcic, trtc] = await Promise.all([metadata("lcic-2022-08-17"), metadata("trtc-2019-07-22")]);
    const expected = Object.keys(lcic.api.actions).length + Object.keys(trtc.api.actions).length;
    expect(expected).toBe(163);
    expect(corpus.actions).toBe(expected);
    expect(corpus.services).toEqual(["lcic", "trtc"]);
    expect(built.ir?.services.map((s) => [s.id, s.operations.length])).toEqual([
      ["lcic", 85],
      ["trtc", 78],
    ]);
  });

  it("fails only on the decisions left to the maintainer, and generates with no error diagnostics once they are settled", () => {
    expect(imported.diagnostics.filter((d) => !MAINTAINER_DECISIONS.has(d.rule)).map(formatDiagnostic)).toEqual([]);
    expect(built.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(built.files?.length).toBeGreaterThan(163);
  });

  it("type-checks as one strict program", async () => {
    const config = await writePackages(built.files!, await tempDir("apigen-import-tsc-"));
    expect(typeErrors(config)).toEqual([]);
  });

  it("keeps the metadata's examples verbatim, with the response envelope", async () => {
    let checked = 0;
    for (const [service, file] of [
      ["lcic", "lcic-2022-08-17"],
      ["trtc", "trtc-2019-07-22"],
    ] as const) {
      const { examples } = await metadata(file);
      for (const [action, list] of Object.entries(examples.actions)) {
        const spec = parse(await readFile(path.join(corpus.specsDir, service, `${action}.yaml`), "utf8")) as {
          examples: Array<{ request?: string; response?: string }>;
        };
        expect(spec.examples.length, action).toBe(list.length);
        list.forEach((x, i) => {
          expect(spec.examples[i]!.request, action).toBe(requestBody(x.input!));
          expect(spec.examples[i]!.response, action).toBe(x.output);
          checked++;
        });
      }
    }
    expect(checked).toBe(178);
  });

  it("is deterministic: a second import is byte-identical", async () => {
    const again = await buildImportCorpus(await tempDir("apigen-import-again-"));
    const [a, b] = await Promise.all([treeOf(corpus.specsDir), treeOf(again.specsDir)]);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, text] of a) expect(b.get(file), file).toBe(text);
  });
});
