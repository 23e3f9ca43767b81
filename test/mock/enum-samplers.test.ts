// The mock draws only values a field's validator accepts where an enum meets a union or a 64-bit
// field delivered as a bigint or a string (found by test/check/lint-clean-generates.property.test.ts).
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Rng } from "@rtc-apigen/runtime/mock";
import { generateTree, type GeneratedTree } from "./support/lifecycle-specs.js";

type Spec = Record<string, unknown>;
const FIELDS: Record<string, Spec> = {
  UnionWithStringEnum: { type: ["string", "uint32"], enum: ["A", "B"] },
  UnionWithNumberEnum: { type: ["string", "uint32"], enum: [3, 4] },
  Int64AsString: { type: "int64", js: "string", enum: [1, 7] },
  Uint64AsBigint: { type: "uint64", js: "bigint", enum: [2, 9007199254740991] },
  ListOfInt64AsString: { type: "int64[]", js: "string", enum: [5, 6], minItems: 1 },
};

let tree: GeneratedTree;
beforeAll(async () => {
  const service = {
    service: "enums",
    title: "Enums",
    description: "Enums on awkward types.",
    package: { name: "@x/enums" },
    protocol: { name: "tc3", service: "enums", version: "2020-01-01" },
    endpoints: [{ id: "default", host: "enums.example.com", default: true, description: "The endpoint." }],
    regions: { required: false },
    sources: [{ id: "ref", title: "Drawn" }],
  };
  const fields = Object.fromEntries(Object.entries(FIELDS).map(([name, f]) => [name, { description: `${name}.`, required: true, ...f }]));
  const op = {
    name: "GetThing",
    action: "GetThing",
    summary: "Gets.",
    description: "Gets.",
    source: "ref",
    request: { fields: {} },
    response: { fields: { ...fields, RequestId: { type: "string", required: true, description: "Id." } } },
    errors: [],
    examples: [],
  };
  tree = await generateTree("enum-samplers-", [{ service, operations: [op] }]);
});
afterAll(() => tree?.cleanup());

it("every drawn response passes the response validator, and every member the enum allows is drawn", async () => {
  expect(tree.diagnostics).toEqual([]);
  const { createRng } = (await import(path.join(tree.outDir, "runtime", "src", "mock.ts"))) as { createRng: (seed: number) => Rng };
  const { mockDefinition } = (await import(path.join(tree.outDir, "enums", "src", "mock.ts"))) as {
    mockDefinition: { samplers: Record<string, { response(rng: Rng): Record<string, unknown> }> };
  };
  const { validators } = (await import(path.join(tree.outDir, "enums", "src", "validators.ts"))) as {
    validators: Record<string, { response(v: unknown): { ok: boolean; issues?: unknown } }>;
  };
  const rng = createRng(1);
  const seen = new Map<string, Set<string>>();
  for (let i = 0; i < 100; i++) {
    const value = mockDefinition.samplers.getThing!.response(rng);
    expect(validators.getThing!.response(value).issues).toBeUndefined();
    for (const name of Object.keys(FIELDS)) seen.set(name, (seen.get(name) ?? new Set()).add(typeof value[name]));
  }
  expect(seen.get("UnionWithStringEnum")).toEqual(new Set(["string"]));
  expect(seen.get("UnionWithNumberEnum")).toEqual(new Set(["number"]));
  expect(seen.get("Int64AsString")).toEqual(new Set(["string"]));
  expect(seen.get("Uint64AsBigint")).toEqual(new Set(["bigint"]));
});
