// The one place that turns IR types and names into TypeScript text.
import type { EnumValue, Field, Operation, Service, TypeRef } from "../ir/types.js";
import { pascalCase } from "../ir/names.js";
import { ImportPlanner } from "./imports.js";

export { docText, lineCommentText } from "./comment-text.js";

const RESERVED = new Set(["Array", "Object", "String", "Number", "Boolean", "Date", "Error", "Promise", "Record", "Map", "Set"]);

/** The generated package's types module, beside the file importing it. */
const TYPES_MODULE = "./types.js";

export class SymbolRegistry {
  private readonly shapeNames = new Set<string>();

  /** `imports` records every symbol the emitter declares with `use` or `shapeType`. */
  constructor(
    readonly service: Service,
    readonly imports = new ImportPlanner(),
  ) {
    for (const s of service.shapes) this.shapeNames.add(s.name);
    for (const op of service.operations) {
      this.shapeNames.add(op.request.name);
      this.shapeNames.add(op.response.name);
    }
  }

  shape(name: string): string {
    if (!this.shapeNames.has(name)) throw new Error(`no shape ${name} in service ${this.service.id}`);
    return RESERVED.has(name) ? `${pascalCase(this.service.id)}${name}` : name;
  }

  /** A catalogued symbol (see ImportPlanner), declared as used: its import is planned. */
  use(name: string): string {
    return this.imports.use(name);
  }

  /** A shape's type from the types module (`T.Name`), whose type-only import is planned. */
  shapeType(name: string): string {
    return `${this.imports.namespace(TYPES_MODULE, "T", true)}.${this.shape(name)}`;
  }

  commonErrorCodeType(): string {
    return "CommonErrorCode";
  }

  errorCodeType(op: Operation): string {
    return `${op.name}ErrorCode`;
  }

  /** TypeScript text of a field's value (without `| null`); `qualified`: its shapes as `T.Name`,
   * each declared used (outside the types module). */
  fieldType(f: Field, qualified = false): string {
    return this.typeText(f.type, f, f.enum, qualified);
  }

  private typeText(t: TypeRef, f: Field, enumValues: EnumValue[] | undefined, qualified: boolean): string {
    switch (t.kind) {
      case "array": {
        const inner = this.typeText(t.items, f, enumValues, qualified);
        return /[|&]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
      }
      case "union": {
        if (enumValues) return literalUnion(enumValues);
        return unique(t.members.map((m) => this.typeText(m, f, undefined, qualified))).join(" | ");
      }
      case "shape":
        return qualified ? this.shapeType(t.name) : this.shape(t.name);
      case "scalar": {
        if (enumValues) return literalUnion(enumValues);
        switch (t.name) {
          case "string":
            return "string";
          case "boolean":
            return "boolean";
          case "any":
            return "unknown";
          case "int64":
          case "uint64":
            return f.js === "bigint" ? "bigint" : f.js === "string" ? "string" : "number";
          default:
            return "number";
        }
      }
    }
  }
}

function unique(items: string[]): string[] {
  return [...new Set(items.flatMap((i) => i.split(" | ")))];
}

function literalUnion(values: EnumValue[]): string {
  return unique(values.map((v) => JSON.stringify(v.value))).join(" | ");
}

/** A TypeScript literal of a JSON value; bigints keep their exact digits. */
export function tsLiteral(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  if (value && typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${tsLiteral(v)}`)
      .join(", ")} }`;
  return JSON.stringify(value);
}
