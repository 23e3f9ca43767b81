// JSON Schema (draft-07) per shape, request and response: the wire format, as a package artifact.
import { integerBounds } from "../ir/int-ranges.js";
import type { Field, JsonValue, Service, Shape, TypeRef } from "../ir/types.js";
import { requestShapeNames } from "../ir/usage.js";
import { jsonHeaderText, type Emitter, type GeneratedFile } from "./generated-file.js";
import { stringifyJson } from "../ir/json-text.js";

type Schema = { [key: string]: JsonValue };


function asJson(n: bigint): number | bigint {
  return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export function schemaFileName(shape: string): string {
  return `${shape}.json`;
}

function typeSchema(t: TypeRef, f: Field, enumHere: boolean): Schema {
  const c = f.constraints;
  switch (t.kind) {
    case "shape":
      return { $ref: schemaFileName(t.name) };
    case "array": {
      const s: Schema = { type: "array", items: typeSchema(t.items, f, enumHere) };
      if (c.minItems !== undefined) s.minItems = c.minItems;
      if (c.maxItems !== undefined) s.maxItems = c.maxItems;
      return s;
    }
    case "union":
      return { anyOf: t.members.map((m) => typeSchema(m, f, enumHere)) };
    case "scalar": {
      const s: Schema = {};
      const values = enumHere && f.enum ? f.enum.map((e) => e.value) : undefined;
      switch (t.name) {
        case "any": return {};
        case "boolean": return { type: "boolean" };
        case "float": s.type = "number"; break;
        case "string":
          s.type = "string";
          if (c.minLength !== undefined) s.minLength = c.minLength;
          if (c.maxLength !== undefined) s.maxLength = c.maxLength;
          if (c.pattern !== undefined) s.pattern = c.pattern;
          if (c.format === "uri" || c.format === "ipv4" || c.format === "date" || c.format === "date-time") s.format = c.format;
          break;
        default: {
          s.type = "integer";
          const [min, max] = integerBounds(t.name, c);
          s.minimum = asJson(min);
          s.maximum = asJson(max);
        }
      }
      if (t.name === "float") {
        if (c.minimum !== undefined) s.minimum = c.minimum;
        if (c.maximum !== undefined) s.maximum = c.maximum;
      }
      if (values) {
        const own = values.filter((v) => (s.type === "string" ? typeof v === "string" : typeof v === "number"));
        s.enum = own;
      }
      return s;
    }
  }
}

function fieldSchema(f: Field): Schema {
  const s: Schema = { description: f.description, ...typeSchema(f.type, f, true) };
  if (f.default !== undefined) s.default = f.default;
  if (f.deprecated) s.deprecated = true;
  return f.nullable ? { description: f.description, anyOf: [typeSchema(f.type, f, true), { type: "null" }] } : s;
}

export function shapeSchema(shape: Shape, closed: boolean, sources: string[]): Schema {
  const required = shape.fields.filter((f) => f.required).map((f) => f.name);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: schemaFileName(shape.name),
    $comment: jsonHeaderText(sources),
    title: shape.name,
    description: shape.description,
    type: "object",
    properties: Object.fromEntries(shape.fields.map((f) => [f.name, fieldSchema(f)])),
    ...(required.length ? { required } : {}),
    additionalProperties: !closed,
  };
}

export const jsonSchemaEmitter: Emitter = {
  name: "json-schema",
  emitService(service: Service): GeneratedFile[] {
    const closed = requestShapeNames(service);
    const shapes = [...service.operations.flatMap((o) => [o.request, o.response]), ...service.shapes];
    return shapes.map((shape) => ({
      path: `${service.id}/schemas/${schemaFileName(shape.name)}`,
      content: stringifyJson(shapeSchema(shape, closed.has(shape.name), [shape.definedIn]), 2) + "\n",
    }));
  },
};
