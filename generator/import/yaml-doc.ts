// Rendering spec skeletons with the `yaml` package: keys in the order the hand-written specs use,
// long texts folded (`>-`), example bodies literal (`|`), TODO comments before top-level keys.
import { Document, isMap, isPair, isScalar, isSeq, Scalar, type Node } from "yaml";
import type { ExampleModel } from "./examples.js";
import type { FieldModel, ShapeModel } from "./fields.js";
import type { Note } from "../ir/types.js";

/** As the real specs and bench/make-corpus.ts write them. */
const STRINGIFY = { lineWidth: 100, minContentWidth: 0, flowCollectionPadding: false } as const;
const FOLD_OVER = 80;
const LITERAL_KEYS = new Set(["request", "response"]);

type Plain = Record<string, unknown>;

function notesOf(notes: readonly Note[]): Plain {
  return notes.length ? { notes: notes.map((n) => ({ topic: n.topic, text: n.text, ...(n.ref ? { ref: n.ref } : {}) })) } : {};
}

export function fieldObject(f: FieldModel): Plain {
  return {
    type: f.type,
    ...(f.js ? { js: f.js } : {}),
    ...(f.required ? { required: true } : {}),
    ...(f.nullable ? { nullable: true } : {}),
    ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
    ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
    ...(f.minLength !== undefined ? { minLength: f.minLength } : {}),
    ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
    ...(f.minItems !== undefined ? { minItems: f.minItems } : {}),
    ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}),
    ...(f.format ? { format: f.format } : {}),
    description: f.description,
    ...(f.enum ? { enum: f.enum.map((e) => (e.description ? { value: e.value, description: e.description } : { value: e.value })) } : {}),
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.example !== undefined ? { example: f.example } : {}),
    ...(f.deprecated ? { deprecated: f.deprecated } : {}),
    ...notesOf(f.notes),
  };
}

export function fieldsObject(fields: readonly FieldModel[]): Plain {
  return Object.fromEntries(fields.map((f) => [f.name, fieldObject(f)]));
}

export function shapeObject(s: ShapeModel): Plain {
  return { description: s.description, ...(s.source ? { source: s.source } : {}), ...notesOf(s.notes), fields: fieldsObject(s.fields) };
}

export function exampleObject(e: ExampleModel): Plain {
  return {
    title: e.title,
    ...(e.description ? { description: e.description } : {}),
    source: e.source,
    ...(e.request !== undefined ? { request: e.request } : {}),
    ...(e.response !== undefined ? { response: e.response } : {}),
    ...(e.contradicts ? { contradicts: e.contradicts } : {}),
  };
}

export { notesOf };

/** Folded style for long prose, literal for multi-line text and example bodies (kept verbatim). */
function style(node: unknown, key?: string, inExample = false): void {
  if (isScalar(node) && typeof node.value === "string") {
    const text = node.value;
    // Literal keeps the metadata's line structure (lists of values) without folded style's blank lines.
    if ((inExample && key !== undefined && LITERAL_KEYS.has(key)) || text.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
    else if (text.length > FOLD_OVER) node.type = Scalar.BLOCK_FOLDED;
    // Quoted so that YAML 1.1 tools do not read a date.
    else if (/^\d{4}-\d{2}-\d{2}/.test(text)) node.type = Scalar.QUOTE_DOUBLE;
  } else if (isMap(node)) {
    for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) style(pair.value, String(pair.key.value), inExample);
  } else if (isSeq(node)) {
    for (const item of node.items) {
      // Enum values one per line, as the hand-written specs write them: `- { value: 0, description: … }`.
      if (key === "enum" && isMap(item)) {
        // Short ones only: a long flow mapping wraps badly.
        item.flow = JSON.stringify(item.toJSON()).length <= 80;
        continue;
      }
      style(item, undefined, inExample || key === "examples");
    }
  }
}

/**
 * YAML text of a spec: the schema comment, a header, then `value` with `comments` (lines without
 * `#`) before the named top-level keys.
 */
export function renderSpec(schema: string, header: readonly string[], value: Plain, comments: Record<string, readonly string[]> = {}): string {
  const doc = new Document(value);
  doc.commentBefore = [` yaml-language-server: $schema=${schema}`, ...header.map((l) => ` ${l}`)].join("\n");
  const root = doc.contents as Node;
  style(root);
  if (isMap(root))
    for (const pair of root.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const lines = comments[String(pair.key.value)];
      if (lines?.length) pair.key.commentBefore = lines.map((l) => ` ${l}`).join("\n");
    }
  return doc.toString(STRINGIFY);
}
