// A union field with an enum: each member keeps the enum values of its own type, and a member with
// none admits no value, as the generated validators decide. Both schema documents (the draft-07
// files and the OpenAPI components) build a type's schema with one function (generator/emit/type-schema.ts).
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { shapeSchema } from "../../generator/emit/json-schema-emitter.js";
import { openApiEmitter } from "../../generator/emit/openapi-emitter.js";
import type { Field, Ir, Service } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";
import { compileSchema } from "./schema-validator.js";

/** A real service whose first request gains `Mixed`: a string or an integer, with string enum values only. */
async function serviceWithMixedField(): Promise<{ ir: Ir; service: Service; shape: string }> {
  const ir = await realIr();
  const service = ir.services[0]!;
  const op = service.operations[0]!;
  const base = op.request.fields[0]!;
  const mixed: Field = {
    ...base,
    name: "Mixed",
    type: {
      kind: "union",
      members: [
        { kind: "scalar", name: "string" },
        { kind: "scalar", name: "integer" },
      ],
    },
    enum: [{ value: "a" }, { value: "b" }],
    constraints: {},
    required: false,
    nullable: false,
    js: undefined,
    example: undefined,
    default: undefined,
  };
  const request = { ...op.request, fields: [...op.request.fields, mixed] };
  return { ir, service: { ...service, operations: [{ ...op, request }, ...service.operations.slice(1)] }, shape: request.name };
}

describe("a union field's enum in the schema documents", () => {
  it("OpenAPI: the integer member admits no value, as the string member admits only its values", async () => {
    const { ir, service, shape } = await serviceWithMixedField();
    const file = openApiEmitter.emitService!(service, ir).find((f) => f.path.endsWith("openapi.json"))!;
    const doc = JSON.parse(file.content) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const check = compileSchema(doc.components.schemas[shape]!.properties.Mixed);
    expect(check("a")).toBe(true);
    expect(check("c")).toBe(false);
    expect(check(5)).toBe(false);
  });

  it("JSON Schema: the same", async () => {
    const { service, shape } = await serviceWithMixedField();
    const request = service.operations[0]!.request;
    expect(request.name).toBe(shape);
    const properties = shapeSchema(request, false, []).properties as Record<string, object>;
    const check = new Ajv({ strict: false }).compile(properties.Mixed!);
    expect(check("a")).toBe(true);
    expect(check("c")).toBe(false);
    expect(check(5)).toBe(false);
  });
});
