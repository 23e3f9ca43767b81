// Parse JSON text from a spec without precision loss: unsafe integers become bigint.
import { parse, isSafeNumber } from "lossless-json";
import type { JsonValue } from "./types.js";

function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text) && !isSafeNumber(text)) return BigInt(text);
  return Number(text);
}

export function parseJsonText(text: string): { value: JsonValue } | { error: string } {
  try {
    return { value: parse(text, null, parseNumber) as JsonValue };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * JSON text of a value, bigint written as a bare integer: JSON.stringify's own output, byte for byte.
 * Without a bigint, JSON.stringify itself; with one (it throws on the first), a writer of our own:
 * JSON.stringify with a replacer calls it for every value, which took twice as long on an OpenAPI document.
 */
export function stringifyJson(value: JsonValue | undefined, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  const unit = " ".repeat(Math.min(10, Math.max(0, Math.floor(indent ?? 0))));
  const out = jsonText(value, "", unit, []);
  if (out === undefined) throw new TypeError("not a JSON value");
  return out;
}

/** JSON.stringify(value, null, unit)'s text of one value, with bigint; undefined where it leaves a value out. */
function jsonText(v: unknown, pad: string, unit: string, open: object[]): string | undefined {
  if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(): unknown }).toJSON();
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object": {
      if (v === null) return "null";
      if (open.includes(v)) throw new TypeError("Converting circular structure to JSON");
      open.push(v);
      const text = containerText(v, pad, unit, open);
      open.pop();
      return text;
    }
    default:
      return undefined; // undefined, a function, a symbol
  }
}

function containerText(v: object, pad: string, unit: string, open: object[]): string {
  const inner = pad + unit;
  const sep = unit ? `,\n${inner}` : ",";
  let body = "";
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) body += (i ? sep : "") + (jsonText(v[i], inner, unit, open) ?? "null");
    if (!v.length) return "[]";
    return unit ? `[\n${inner}${body}\n${pad}]` : `[${body}]`;
  }
  const colon = unit ? ": " : ":";
  let first = true;
  for (const k of Object.keys(v)) {
    const x = jsonText((v as Record<string, unknown>)[k], inner, unit, open);
    if (x === undefined) continue;
    body += (first ? "" : sep) + JSON.stringify(k) + colon + x;
    first = false;
  }
  if (first) return "{}";
  return unit ? `{\n${inner}${body}\n${pad}}` : `{${body}}`;
}
