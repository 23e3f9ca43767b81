// The two artifacts agree: every generated interface is assignable to the type json-schema-to-typescript
// derives from the generated JSON Schema of the same shape. (The other direction differs by design:
// the schema says what the wire may carry, e.g. Owner_Account as string or integer, while the type says
// what the caller receives after lossless decoding, a string.)
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildRealSpecs, GENERATED } from "../helpers.js";

const { files = [] } = await buildRealSpecs();
const services = [...new Set(files.filter((f) => f.path.includes("/schemas/")).map((f) => f.path.split("/")[0]!))];

/** json2ts gives an explicit `additionalProperties: true` an index signature, which interfaces never satisfy. */
function withoutOpenness(schema: Record<string, unknown>): JSONSchema {
  const { additionalProperties: _a, $comment: _c, ...rest } = schema;
  return rest as JSONSchema;
}

describe("types and JSON Schemas", () => {
  it.each(services)("agree for %s", async (service) => {
    const schemaFiles = files.filter((f) => f.path.startsWith(`${service}/schemas/`));
    const schemas = new Map(schemaFiles.map((f) => [path.basename(f.path), withoutOpenness(JSON.parse(f.content) as Record<string, unknown>)]));
    const declarations: string[] = [];
    for (const [name, schema] of schemas)
      declarations.push(
        await compile(schema, name.replace(/\.json$/, ""), {
          bannerComment: "",
          declareExternallyReferenced: false,
          additionalProperties: false,
          // Array bounds are checked by the validators; as tuples they would only restate them.
          maxItems: -1,
          ignoreMinAndMaxItems: true,
          format: false,
          $refOptions: {
            resolve: {
              file: false,
              wire: { order: 1, canRead: true, read: (f: { url: string }) => JSON.stringify(schemas.get(path.basename(f.url))) },
            },
          } as never,
        }),
      );
    const names = [...schemas.keys()].map((n) => n.replace(/\.json$/, ""));
    const known = new Set(names);
    const dir = await mkdtemp(path.join(os.tmpdir(), "apigen-j2t-"));
    const typesPath = path.join(GENERATED, service, "src", "types.js");
    const source = [
      `import type * as T from ${JSON.stringify(typesPath)};`,
      `declare namespace Wire {`,
      // json-schema-to-typescript names a second reference to the same schema in one object `Name1`
      // while declaring neither (they are external): point those back at the schema's own name.
      ...declarations.map((d) =>
        d.replace(/^export /gm, "").replace(new RegExp(`\\b(${names.join("|")})\\d+\\b`, "g"), (m: string, n: string) => (known.has(m) ? m : n)),
      ),
      `}`,
      ...names.map((n) => `export const check${n}: Wire.${n} = null as unknown as T.${n};`),
    ].join("\n");
    const file = path.join(dir, "check.ts");
    await writeFile(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(names.length).toBe(schemaFiles.length);
    expect(problems).toEqual([]);
  });
});
