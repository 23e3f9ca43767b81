// What a service package ships and declares, from the emitter's output: ES modules only (one
// condition set that `require()` reaches too), dist and the README only (docs, schemas and the
// OpenAPI export stay in the repository), and metadata declared with the runtime's types rather
// than as literal types, which made metadata.d.ts the largest declaration file of a package.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildRealSpecs } from "../helpers.js";

const result = await buildRealSpecs();
const files = result.files ?? [];
const services = result.ir?.services ?? [];
const contentOf = (p: string) => files.find((f) => f.path === p)?.content;

/** The exported consts of a module that carry no type annotation, or whose value is an `as const` literal. */
export function untypedExports(source: string): string[] {
  const file = ts.createSourceFile("metadata.ts", source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of statement.declarationList.declarations) {
      const constAsserted = d.initializer && ts.isAsExpression(d.initializer) && d.initializer.type.getText(file) === "const";
      if (!d.type || constAsserted) found.push(d.name.getText(file));
    }
  }
  return found;
}

describe("the service packages' shape", () => {
  it("has services to check", () => {
    expect(services.length).toBeGreaterThan(0);
  });

  it.each(services.map((s) => [s.id] as const))(
    "%s: package.json lists dist, the mock and validators stubs and the README, and every entry is an ES module for import and require alike",
    (id) => {
      const pkg = JSON.parse(contentOf(`${id}/package.json`)!) as { files: string[]; main: string; types: string; exports: Record<string, unknown> };
      expect(pkg.files).toEqual(["dist", "mock", "validators", "README.md"]);
      expect(Object.keys(pkg.exports).sort()).toEqual([".", "./mock", "./package.json", "./validators"]);
      // The root: bundlers' conditions to index.js (validators imported statically), Node's default to
      // index-node.js (validators loaded on the first call).
      expect(pkg.exports["."]).toEqual({
        types: "./dist/esm/index.d.ts",
        module: "./dist/esm/index.js",
        worker: "./dist/esm/index.js",
        browser: "./dist/esm/index.js",
        default: "./dist/esm/index-node.js",
      });
      expect(Object.keys(pkg.exports["."] as object)[0]).toBe("types");
      // The mock split as the root is: for bundlers a build that imports index.js, for Node one that imports index-node.js.
      expect(pkg.exports["./mock"]).toEqual({
        types: "./dist/esm/mock.d.ts",
        module: "./dist/esm/mock-bundled.js",
        worker: "./dist/esm/mock-bundled.js",
        browser: "./dist/esm/mock-bundled.js",
        default: "./dist/esm/mock.js",
      });
      expect(Object.keys(pkg.exports["./mock"] as object)[0]).toBe("types");
      for (const [key, target] of Object.entries(pkg.exports)) {
        if (key === "./package.json" || key === "." || key === "./mock") continue;
        // No `import`/`require` split: `default` serves both, `types` first.
        expect(target, key).toEqual({
          types: expect.stringMatching(/^\.\/dist\/esm\/[a-z-]+\.d\.ts$/),
          default: expect.stringMatching(/^\.\/dist\/esm\/[a-z-]+\.js$/),
        });
        expect(Object.keys(target as object)[0], key).toBe("types");
      }
      expect([pkg.main, pkg.types]).toEqual(["./dist/esm/index.js", "./dist/esm/index.d.ts"]);
      expect(JSON.parse(contentOf(`${id}/mock/package.json`)!)).toMatchObject({ main: "../dist/esm/mock.js", types: "../dist/esm/mock.d.ts" });
      expect(JSON.parse(contentOf(`${id}/validators/package.json`)!)).toMatchObject({
        main: "../dist/esm/validators.js",
        types: "../dist/esm/validators.d.ts",
      });
    },
  );

  it("no package.json of the tree names a CommonJS build", () => {
    const manifests = files.filter((f) => f.path.endsWith("package.json"));
    expect(manifests.length).toBeGreaterThan(services.length);
    for (const f of manifests) expect(f.content, f.path).not.toMatch(/dist\/cjs|"require"/);
  });

  it.each(services.map((s) => [s.id] as const))(
    "%s: metadata.ts declares every exported const with the runtime's type, none as a literal type",
    (id) => {
      const source = contentOf(`${id}/src/metadata.ts`)!;
      expect(untypedExports(source)).toEqual([]);
      expect(source).not.toMatch(/\bas const\b/);
      const operations = services.find((s) => s.id === id)!.operations.length;
      // Each operation's data is parsed on first use, by a function of its own.
      expect(source.match(/^export const \w+Operation: \(\) => OperationData = \(\) => /gm)?.length).toBe(operations);
    },
  );
});
