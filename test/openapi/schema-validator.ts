// Ajv for JSON Schema 2020-12 (OpenAPI 3.1's dialect), strict: a keyword or format the export starts
// using without being listed here fails the tests instead of passing unchecked.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

export type Json = Record<string, unknown>;

export interface Doc extends Json {
  paths: Json;
  servers: Json[];
  components: { schemas: Json; pathItems: Json; securitySchemes: Json; [key: string]: unknown };
}

/** The export's own annotations: documentation only, nothing to validate. */
const ANNOTATIONS = ["x-enum-descriptions", "x-js-type", "x-unit", "x-unix-time", "x-deprecated"];

const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ["string", "array", "boolean"] });
// Integer formats: the schemas' minimum/maximum already carry the range.
for (const format of ["double-int", "int32", "int64", "uint32", "uint64"])
  ajv.addFormat(format, { type: "number", validate: (n: number) => Number.isInteger(n) });
// String formats are annotations in 2020-12 unless a tool opts in; the spec's own validators check them.
for (const format of ["uri", "ipv4", "date", "date-time"]) ajv.addFormat(format, true);

export function compileSchema(schema: unknown): ValidateFunction {
  return ajv.compile(schema as Json);
}
