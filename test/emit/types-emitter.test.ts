import { describe, expect, it } from "vitest";
import { emitTypesSource } from "../../generator/emit/types-emitter.js";
import { parseTypeExpr } from "../../generator/ir/build-ir.js";
import type { Field, Service, Shape } from "../../generator/ir/types.js";

const loc = { file: "specs/x/service.yaml", line: 1, col: 1 };
const f = (name: string, type: string | string[], extra: Partial<Field> = {}): Field => ({
  name,
  type: parseTypeExpr(type),
  description: `${name} field`,
  required: false,
  nullable: false,
  constraints: {},
  notes: [],
  loc,
  at: {},
  ...extra,
});
const shape = (name: string, fields: Field[], description = name): Shape => ({ name, description, fields, notes: [], definedIn: loc.file, loc });
const regions = { required: false, values: [], notes: [], loc, at: {} };

const service: Service = {
  id: "x",
  title: "X",
  description: "X",
  clientName: "XClient",
  packageName: "@t/x",
  protocol: { name: "tc3", service: "x", version: "2020-01-01" },
  protocolInfo: { name: "tc3", title: "T", errorCode: { type: "string", description: "" }, errors: [], sources: [], notes: [], file: "p.yaml" },
  endpoints: [],
  regions,
  serviceErrors: [],
  resources: [],
  sources: [],
  notes: [],
  file: loc.file,
  loc,
  shapes: [shape("Item", [f("Id", "uint64", { js: "string", required: true })], "An item. Ends a comment: */ here.")],
  operations: [
    {
      name: "GetX",
      method: "getX",
      wire: { kind: "tc3", key: "GetX" },
      summary: "s",
      description: "d",
      source: "s",
      regions,
      timeWindows: [],
      relations: [],
      request: shape("GetXRequest", [
        f("Kind", "string", { enum: [{ value: "A", description: "first" }, { value: "B" }], required: true }),
        f("Ids", "uint64[]", { js: "bigint" }),
      ]),
      response: shape("GetXResponse", [f("Items", "Item[]", { nullable: true, required: true }), f("Mode", ["string", "integer"]), f("Raw", "any")]),
      errors: [{ code: "FailedOperation", description: "d", retryable: false, scope: "operation", notes: [], loc }],
      validationErrors: { codes: {}, fields: {}, at: {} },
      examples: [],
      notes: [],
      file: "specs/x/GetX.yaml",
      loc,
    },
  ],
};

describe("types emitter", () => {
  const text = emitTypesSource(service);

  it("emits literal unions, optional and nullable members, and js representations", () => {
    expect(text).toMatch(/Kind: "A" \| "B";/);
    expect(text).toMatch(/Ids\?: bigint\[\];/);
    expect(text).toMatch(/Items: Item\[\] \| null;/);
    expect(text).toMatch(/Mode\?: string \| number;/);
    expect(text).toMatch(/Raw\?: unknown;/);
    expect(text).toMatch(/Id: string;/);
    expect(text).toMatch(/export type GetXErrorCode = "FailedOperation" \| CommonErrorCode;/);
    expect(text).toMatch(/export type CommonErrorCode = never;/);
  });

  it("keeps doc comments closed and lists enum descriptions", () => {
    expect(text).toContain("Ends a comment: *\\/ here.");
    expect(text).toContain('- `"A"`: first');
    expect(text.match(/\/\*\*/g)!.length).toBe(text.match(/\*\//g)!.length);
  });
});
