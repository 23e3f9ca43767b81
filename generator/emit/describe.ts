// Human-readable facts about fields and operations, shared by the doc comments and the Markdown docs.
import type { Field, Operation, Regions, Service, TypeRef } from "../ir/types.js";
import { protocolOf } from "../protocols/index.js";

/** How a phrase shows an exact value and a piece of spec text: as written in doc comments, escaped
 * for its context in Markdown. */
export interface PhraseStyle {
  code(value: string): string;
  text(value: string): string;
}
export const PLAIN_STYLE: PhraseStyle = { code: (v) => `\`${v}\``, text: (v) => v };

export function wireType(t: TypeRef): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "shape":
      return t.name;
    case "array":
      return `${wireType(t.items)}[]`;
    case "union":
      return t.members.map(wireType).join(" | ");
  }
}

/** Constraint phrases, e.g. `1 ≤ value ≤ 200`, `at most 3 items`, `unit: seconds`. */
export function constraintPhrases(f: Field, style: PhraseStyle = PLAIN_STYLE): string[] {
  const c = f.constraints;
  const out: string[] = [];
  if (c.minimum !== undefined && c.maximum !== undefined) out.push(`${c.minimum} ≤ value ≤ ${c.maximum}`);
  else if (c.minimum !== undefined) out.push(`≥ ${c.minimum}`);
  else if (c.maximum !== undefined) out.push(`≤ ${c.maximum}`);
  if (c.minLength !== undefined) out.push(`at least ${c.minLength} characters`);
  if (c.maxLength !== undefined) out.push(`at most ${c.maxLength} characters`);
  if (c.pattern !== undefined) out.push(`matches ${style.code(c.pattern)}`);
  if (c.minItems !== undefined) out.push(`at least ${c.minItems} items`);
  if (c.maxItems !== undefined) out.push(`at most ${c.maxItems} items`);
  if (c.format === "unix-time") out.push(`Unix time in ${f.unit ?? "seconds"}`);
  else if (c.format) out.push(`format ${c.format}`);
  else if (f.unit) out.push(`unit: ${f.unit}`);
  if (f.js === "string") out.push("64-bit integer delivered as exact decimal text");
  if (f.js === "bigint") out.push("64-bit integer delivered as bigint");
  if (f.default !== undefined) out.push(`default ${style.text(JSON.stringify(f.default))}`);
  return out;
}

export function enumPhrases(f: Field, style: PhraseStyle = PLAIN_STYLE): string[] {
  return (f.enum ?? []).map(
    (e) => `${style.code(JSON.stringify(e.value))}${e.description ? `: ${style.text(e.description.trim().replace(/\.$/, ""))}` : ""}`,
  );
}

export function regionsPhrase(r: Regions, style: PhraseStyle = PLAIN_STYLE): string {
  if (!r.values.length) return r.required ? "required (any region)" : "optional";
  return `${r.required ? "required" : "optional"}, one of ${r.values.map(style.code).join(", ")}`;
}

export function protocolPhrase(service: Service, op: Operation, style: PhraseStyle = PLAIN_STYLE): string {
  return protocolOf(service).docs.wirePhrase(service, op, style);
}

export function durationPhrase(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} seconds`;
}
