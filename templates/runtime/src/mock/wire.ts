// Between the typed form (what clients deliver and the mock stores) and the wire: 64-bit integers
// held as decimal strings go back to bare JSON integers, and canonical text identifies requests.
import { applyRepresentation, type Representation } from "../shared/json.js";
import { isDecimal } from "../validation/validation.js";

type Rule = Representation[string];

/**
 * The inverse of `applyRepresentation` for writing: a decimal string at a "string" key becomes a
 * bigint, which `stringifyJson` writes as a bare integer (bigints are already bare). Arrays are
 * transparent one level deep, as in the plan's reading. Never mutates `value`.
 */
export function toWire(value: unknown, plan: Representation | null | undefined): unknown {
  if (!plan) return value;
  return Array.isArray(value) ? value.map((v) => wireNode(v, plan)) : wireNode(value, plan);
}

/** toWire for one element of a list whose field has `rule` (undefined: no 64-bit fields). */
export function toWireElement(value: unknown, rule: Rule | undefined): unknown {
  return rule === undefined ? value : wireNode(value, rule);
}

function wireNode(value: unknown, rule: Rule): unknown {
  if (rule === "string") return typeof value === "string" && isDecimal(value) ? BigInt(value) : value;
  if (rule === "bigint") return value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(rule)) {
    if (!Object.hasOwn(object, key)) continue;
    const before = object[key];
    const inner = rule[key]!;
    const after = Array.isArray(before) ? before.map((v) => wireNode(v, inner)) : wireNode(before, inner);
    copy ??= { ...object };
    copy[key] = after;
  }
  return copy ?? value;
}

/** Items of a list field in their typed form, from JSON (fixtures): the field's rule applied to each element. */
export function typedItems(items: readonly unknown[], rule: Rule | undefined): unknown[] {
  if (rule === undefined) return [...items];
  // A leaf rule is applied through a one-key wrapper, so the conversion stays json.ts's own.
  if (typeof rule === "string") return items.map((v) => (applyRepresentation({ v }, { v: rule }) as { v: unknown }).v);
  return items.map((v) => applyRepresentation(v, rule));
}

/**
 * A canonical text of a JSON-like value: object keys sorted, bigints and numbers alike as digits,
 * so the same request always gives the same text (example matching, random-stream labels).
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      // Loops rather than map/filter/join: example matching writes this on the request path.
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
        return out + "]";
      }
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object).sort();
      let out = "{";
      for (const k of keys) {
        const v = object[k];
        if (v === undefined) continue;
        out += (out.length === 1 ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
      }
      return out + "}";
    }
    default:
      return "null";
  }
}

/** A value for a whole-number request field (page, size): a safe integer, else undefined. */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "bigint")
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  if (typeof value === "string" && isDecimal(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
