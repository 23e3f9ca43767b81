// Check a JSON value against IR types. The lint uses it on spec examples; it is the reference
// semantics that emitted validators must agree with.
import { INT_RANGES, MAX_SAFE } from "./int-ranges.js";
import { withArticle } from "./article.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";
import type { IssueCode } from "../../templates/runtime/src/validation/validation-core.js";
import { compilePattern } from "../check/patterns.js";
import type { Field, JsonValue, ScalarName, Shape, TypeRef } from "./types.js";

export interface ValueIssue {
  path: string;
  /** The runtime's codes a value check can give (region, time-window and relation come from elsewhere). */
  code: Exclude<IssueCode, "region" | "time-window" | "relation">;
  message: string;
}

export interface CheckOptions {
  /** Report fields the shape does not declare. */
  rejectUnknown: boolean;
}

function show(v: JsonValue | undefined): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "an array";
  if (v && typeof v === "object") return "an object";
  return String(v);
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

export class ValueChecker {
  private readonly shapes: Map<string, Shape>;

  constructor(
    shapes: Iterable<Shape>,
    private readonly options: CheckOptions,
  ) {
    this.shapes = new Map([...shapes].map((s) => [s.name, s]));
  }

  checkShape(shape: Shape, value: JsonValue | undefined, path: string): ValueIssue[] {
    if (value === null || typeof value !== "object" || Array.isArray(value) || typeof value === "bigint")
      return [{ path, code: "type", message: `${path || "value"}: must be an object, got ${show(value)}` }];
    const issues: ValueIssue[] = [];
    const record = value as Record<string, JsonValue>;
    for (const f of shape.fields) {
      const p = join(path, f.name);
      if (!Object.hasOwn(record, f.name)) {
        if (f.required) issues.push({ path: p, code: "required", message: `${p}: required field is missing` });
        continue;
      }
      issues.push(...this.checkField(f, record[f.name]!, p));
    }
    if (this.options.rejectUnknown) {
      const known = new Set(shape.fields.map((f) => f.name));
      for (const k of Object.keys(record))
        if (!known.has(k)) issues.push({ path: join(path, k), code: "unknown", message: `${join(path, k)}: unknown field` });
    }
    return issues;
  }

  checkField(f: Field, value: JsonValue, path: string): ValueIssue[] {
    if (value === null) return f.nullable ? [] : [{ path, code: "null", message: `${path}: must not be null` }];
    return this.checkType(f.type, f, value, path);
  }

  private checkType(t: TypeRef, f: Field, value: JsonValue, path: string): ValueIssue[] {
    switch (t.kind) {
      case "union": {
        const results = t.members.map((m) => this.checkType(m, f, value, path));
        if (results.some((r) => r.length === 0)) return [];
        // Prefer the member whose kind matches (its problem is the specific one), then the fewest problems.
        const wrongKind = (r: ValueIssue[]) => (r.some((i) => i.path === path && i.code === "type") ? 1 : 0);
        return results.reduce((a, b) => ((wrongKind(b) - wrongKind(a) || b.length - a.length) < 0 ? b : a));
      }
      case "shape": {
        const shape = this.shapes.get(t.name);
        return shape ? this.checkShape(shape, value, path) : [];
      }
      case "array": {
        if (!Array.isArray(value)) return [{ path, code: "type", message: `${path}: must be an array, got ${show(value)}` }];
        const issues: ValueIssue[] = [];
        const { minItems, maxItems } = f.constraints;
        if (minItems !== undefined && value.length < minItems)
          issues.push({ path, code: "minItems", message: `${path}: must have at least ${minItems} items, got ${value.length}` });
        if (maxItems !== undefined && value.length > maxItems)
          issues.push({ path, code: "maxItems", message: `${path}: must have at most ${maxItems} items, got ${value.length}` });
        value.forEach((item, i) => {
          const p = join(path, i);
          issues.push(
            ...(item === null ? [{ path: p, code: "null" as const, message: `${p}: must not be null` }] : this.checkType(t.items, f, item, p)),
          );
        });
        return issues;
      }
      case "scalar":
        return this.checkScalar(t.name, f, value, path);
    }
  }

  private checkScalar(name: ScalarName, f: Field, value: JsonValue, path: string): ValueIssue[] {
    const issues: ValueIssue[] = [];
    const bad = (expected: string) => [{ path, code: "type" as const, message: `${path}: must be ${expected}, got ${show(value)}` }];
    if (name === "any") return [];
    if (name === "boolean") return typeof value === "boolean" ? [] : bad("a boolean");
    if (name === "string") {
      if (typeof value !== "string") return bad("a string");
      const { minLength, maxLength, pattern } = f.constraints;
      if (minLength !== undefined && value.length < minLength)
        issues.push({ path, code: "minLength", message: `${path}: must be at least ${minLength} characters, got ${value.length}` });
      if (maxLength !== undefined && value.length > maxLength)
        issues.push({ path, code: "maxLength", message: `${path}: must be at most ${maxLength} characters, got ${value.length}` });
      // An invalid pattern checks nothing here: the invalid-pattern rule reports it.
      const re = pattern === undefined ? undefined : compilePattern(pattern);
      if (re !== undefined && typeof re !== "string" && !re.test(value))
        issues.push({ path, code: "pattern", message: `${path}: must match ${pattern}, got ${show(value)}` });
      const format = f.constraints.format;
      if (format && format !== "unix-time" && !FORMATS[format](value))
        issues.push({ path, code: "format", message: `${path}: must be a ${format}, got ${show(value)}` });
    } else {
      if (typeof value !== "number" && typeof value !== "bigint") return bad(name === "float" ? "a number" : "an integer");
      if (name !== "float") {
        if (typeof value === "number" && !Number.isInteger(value)) return bad("an integer");
        const big = BigInt(value);
        const [lo, hi] = INT_RANGES[name]!;
        if (big < lo || big > hi)
          return [{ path, code: big < lo ? "minimum" : "maximum", message: `${path}: must be ${withArticle(name)} (${lo} to ${hi}), got ${big}` }];
        if (f.js === "number" && (big > MAX_SAFE || big < -MAX_SAFE))
          issues.push({ path, code: "precision", message: `${path}: ${big} is beyond 2^53 and cannot be held exactly as a number` });
      }
      const { minimum, maximum } = f.constraints;
      if (minimum !== undefined && value < minimum)
        issues.push({ path, code: "minimum", message: `${path}: must be ≥ ${minimum}, got ${show(value)}` });
      if (maximum !== undefined && value > maximum)
        issues.push({ path, code: "maximum", message: `${path}: must be ≤ ${maximum}, got ${show(value)}` });
    }
    if (f.enum && !f.enum.some((e) => (typeof value === "bigint" ? String(e.value) === value.toString() : e.value === value)))
      issues.push({
        path,
        code: "enum",
        message: `${path}: must be one of ${f.enum.map((e) => JSON.stringify(e.value)).join(", ")}, got ${show(value)}`,
      });
    return issues;
  }
}
