// JSON Schema (draft-07) per shape, request and response: the wire format, as a package artifact.
import type { Field, Service, Shape } from "../ir/types.js";
import { requestShapeNames } from "../ir/usage.js";
import { jsonHeaderText, type Emitter, type GeneratedFile } from "./generated-file.js";
import { stringifyJson } from "../ir/json-text.js";
import { typeSchema, type Schema, type SchemaDialect } from "./type-schema.js";

export function schemaFileName(shape: string): string {
  return `${shape}.json`;
}

/** References between the schema files: by file name. */
const DRAFT_07: SchemaDialect = { ref: (shape) => ({ $ref: schemaFileName(shape) }), enumDescriptions: false };

function fieldSchema(f: Field): Schema {
  const s: Schema = { description: f.description, ...typeSchema(f.type, f, DRAFT_07) };
  if (f.default !== undefined) s.default = f.default;
  if (f.deprecated) s.deprecated = true;
  return f.nullable ? { description: f.description, anyOf: [typeSchema(f.type, f, DRAFT_07), { type: "null" }] } : s;
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
