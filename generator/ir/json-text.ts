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

/** JSON text of a value, bigint written as a bare integer. */
export function stringifyJson(value: JsonValue | undefined, indent?: number): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v !== "bigint") return v;
      marks.push(v.toString());
      return `\u0000bigint${marks.length - 1}\u0000`;
    },
    indent,
  );
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
}
