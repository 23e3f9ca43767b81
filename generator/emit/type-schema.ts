// A field's type as JSON Schema, for both schema documents the generator writes: the draft-07 files
// in `schemas/` and the OpenAPI 3.1 components. They differ only in what a `SchemaDialect` says.
import { integerBounds } from "../ir/int-ranges.js";
import type { Field, JsonValue, ScalarName, TypeRef } from "../ir/types.js";

export type Schema = { [key: string]: JsonValue };

export interface SchemaDialect {
  /** The schema that refers to a shape's own schema. */
  ref(shape: string): Schema;
  /** The `format` of an integer type, where the dialect has a registry for them. */
  integerFormat?(name: ScalarName): string;
  /** Whether enum values' descriptions go beside them, as `x-enum-descriptions`. */
  enumDescriptions: boolean;
}

/** An object without its undefined members (JSON has no undefined). */
export function withoutUndefined(entries: Record<string, JsonValue | undefined>): Schema {
  const out: Schema = {};
  for (const k of Object.keys(entries)) if (entries[k] !== undefined) out[k] = entries[k];
  return out;
}

/** A bound as JSON: a number where a double holds it exactly, else a bigint (printed as an exact integer). */
export function boundJson(n: bigint): number | bigint {
  return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** The schema of a value of `t`, the type (or a member or item type) of field `f`, with `f`'s constraints. */
export function typeSchema(t: TypeRef, f: Field, dialect: SchemaDialect): Schema {
  const c = f.constraints;
  switch (t.kind) {
    case "shape":
      return dialect.ref(t.name);
    case "array":
      return withoutUndefined({ type: "array", items: typeSchema(t.items, f, dialect), minItems: c.minItems, maxItems: c.maxItems });
    case "union":
      return { anyOf: t.members.map((m) => typeSchema(m, f, dialect)) };
    case "scalar": {
      if (t.name === "any") return {};
      if (t.name === "boolean") return { type: "boolean" };
      let s: Schema;
      if (t.name === "string") {
        // `unix-time` is the spec's own format (a unit for the number), not a JSON Schema one.
        const format = c.format && c.format !== "unix-time" ? c.format : undefined;
        s = withoutUndefined({ type: "string", format, minLength: c.minLength, maxLength: c.maxLength, pattern: c.pattern });
      } else if (t.name === "float") {
        s = withoutUndefined({ type: "number", minimum: c.minimum, maximum: c.maximum });
      } else {
        const [min, max] = integerBounds(t.name, c);
        s = withoutUndefined({ type: "integer", format: dialect.integerFormat?.(t.name), minimum: boundJson(min), maximum: boundJson(max) });
      }
      // A union's enum lists values of several types: each member keeps its own, and a member with
      // none admits no value, as the validators decide (`enum: []` is not a valid schema).
      if (f.enum) {
        const values = f.enum.filter((e) => (s.type === "string" ? typeof e.value === "string" : typeof e.value === "number"));
        if (!values.length) return { not: {} };
        s.enum = values.map((e) => e.value);
        if (dialect.enumDescriptions && values.some((e) => e.description)) s["x-enum-descriptions"] = values.map((e) => e.description ?? "");
      }
      return s;
    }
  }
}
