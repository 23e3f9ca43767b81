// Check each spec document against the spec format's own JSON Schema.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { compileValidators } from "./compiled-schemas.js";
import type { SpecDocument, SpecKind, PathSegment } from "../load/spec-document.js";
import { BUILT_IN_PROTOCOLS, protocolPlugins, registryRevision } from "../protocols/index.js";
import type { Diagnostic } from "../shared/diagnostic.js";

/** The spec format's schemas ship with the generator, next to the specs they describe. */
export const SCHEMA_DIR = fileURLToPath(new URL("../../specs/schema/", import.meta.url));

let validators: { revision: number; byKind: Record<SpecKind, ValidateFunction> } | undefined;

type SchemaNode = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON Schema documents, edited by key

/** The checked-in schemas list the built-in protocols; a protocol added by a plugin brings its own entry (`schema`), merged in here. */
function withAddedProtocols(kind: SpecKind, schema: SchemaNode): SchemaNode {
  const added = protocolPlugins().filter((p) => !BUILT_IN_PROTOCOLS.includes(p));
  if (!added.length) return schema;
  for (const p of added) {
    if (kind === "protocol") schema.properties.protocol.enum.push(p.name);
    if (kind === "service") {
      const binding = schema.properties.protocol;
      binding.properties.name.enum.push(p.name);
      Object.assign(binding.properties, p.schema?.binding ?? {});
      if (p.schema?.requiredBinding?.length)
        (binding.allOf ??= []).push({ if: { properties: { name: { const: p.name } } }, then: { required: p.schema.requiredBinding } });
    }
    if (kind === "operation") Object.assign(schema.properties, p.schema?.operation ?? {});
  }
  return schema;
}

function compile(): Record<SpecKind, ValidateFunction> {
  if (validators?.revision === registryRevision()) return validators.byKind;
  const load = (name: string) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), "utf8")) as SchemaNode;
  const byKind = compileValidators([load("common.schema.json")], {
    service: withAddedProtocols("service", load("service.schema.json")),
    operation: withAddedProtocols("operation", load("operation.schema.json")),
    protocol: withAddedProtocols("protocol", load("protocol.schema.json")),
  });
  validators = { revision: registryRevision(), byKind };
  return byKind;
}

function toPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** ` (did you mean "x"?)` for the closest allowed name, or "" when none is close. */
export function suggestion(unknown: string, allowed: readonly string[]): string {
  const best = allowed.map((k) => ({ k, d: editDistance(unknown.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(unknown.length / 3)) ? ` (did you mean "${best.k}"?)` : "";
}

/** What a path ends at, for messages: the key, or `list[i]` for a list item. */
function label(p: PathSegment[]): string {
  const last = p[p.length - 1];
  if (last === undefined) return "the document";
  if (typeof last === "number") return `${String(p[p.length - 2] ?? "")}[${last}]`;
  return `"${last}"`;
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  object: "a mapping",
  array: "a list",
  null: "null",
};

/** ajv's `params.type` ("number", "string,integer" or a list) as words. */
function typeWords(type: unknown): string {
  const names = (Array.isArray(type) ? type.map(String) : String(type).split(",")).map((t) => ARTICLE[t] ?? t);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : (names[0] ?? "");
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

const isUnion = (e: ErrorObject) => e.keyword === "oneOf" || e.keyword === "anyOf";

/** Whether `e` comes from one of the alternatives of the union error `u` (schema paths of a $ref'd
 * definition start afresh at `#`, so the value's position must lie inside the union's too). */
function inside(e: ErrorObject, u: ErrorObject): boolean {
  return (
    e !== u && e.schemaPath.startsWith(u.schemaPath + "/") && (e.instancePath === u.instancePath || e.instancePath.startsWith(u.instancePath + "/"))
  );
}

/**
 * The errors of the alternative a mapping or a list failing a union was meant to be: one of its
 * kind (no type error at the value itself), with the fewest errors. Its errors say what is wrong
 * (`unknown key "on time"` at that key) where the union's only says "not an allowed form".
 * Undefined for a scalar (the union's description says best which forms are allowed) or when no
 * alternative is of the value's kind.
 */
function bestAlternative(u: ErrorObject, subs: ErrorObject[]): ErrorObject[] | undefined {
  if (typeof u.data !== "object" || u.data === null) return undefined;
  const byAlternative = new Map<string, ErrorObject[]>();
  for (const e of subs) {
    const alternative = e.schemaPath.slice(u.schemaPath.length + 1).split("/")[0]!;
    byAlternative.set(alternative, [...(byAlternative.get(alternative) ?? []), e]);
  }
  const candidates = [...byAlternative.values()].filter((list) => !list.some((e) => e.keyword === "type" && e.instancePath === u.instancePath));
  return candidates.sort((a, b) => a.length - b.length)[0];
}

/** Drop errors that only repeat what an enclosing oneOf/anyOf already says; a union a mapping or a
 * list fails is replaced by the errors of the alternative it was meant to be. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter(isUnion);
  const outer = unions.filter((u) => !unions.some((o) => inside(u, o)));
  const ifs = new Set(errors.filter((e) => e.keyword === "if").map((e) => e.instancePath));
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === "if") continue;
    if (e.keyword === "not" && ifs.has(e.instancePath)) out.push(e);
    else if (outer.includes(e)) {
      const alternative = bestAlternative(
        e,
        errors.filter((x) => inside(x, e)),
      );
      out.push(...(alternative ? prune(alternative) : [e]));
    } else if (!unions.some((u) => inside(e, u))) out.push(e);
  }
  return out;
}

/** What the names of a mapping are, by the mapping's key, for messages. */
const NAME_KINDS: Record<string, string> = { fields: "field", types: "type", resources: "resource", suppress: "rule", validationErrors: "key" };

/** `all`: every error of the document, for the details of a propertyNames error. */
function toDiagnostic(doc: SpecDocument, e: ErrorObject, all: readonly ErrorObject[] = []): Diagnostic {
  const p = toPath(e.instancePath);
  const key = label(p);
  let rule = "schema-value";
  let message: string;
  let at = doc.locate(p);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      rule = "schema-required";
      message = `missing required key "${String(params.missingProperty)}"${p.length ? ` in ${key}` : ""}`;
      break;
    case "additionalProperties": {
      rule = "schema-unknown-key";
      const extra = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const hint = suggestion(extra, allowed);
      at = doc.locate([...p, extra], true);
      // A key without a value right after a comma in a `{ … }` mapping: a comma in an unquoted value split it.
      const line = doc.text.split("\n")[at.line - 1];
      const before = line?.slice(0, at.col - 1).trimEnd() ?? "";
      const split = !hint && (e.data as Record<string, unknown> | undefined)?.[extra] === null && before.endsWith(",");
      message = `unknown key "${extra}"${hint}${split ? " (a comma in an unquoted value splits it into keys: quote the value)" : ""}`;
      break;
    }
    case "propertyNames": {
      rule = "schema-value";
      const name = String(params.propertyName);
      const what = NAME_KINDS[String(p[p.length - 1])] ?? "key";
      const written = doc.nonTextKey(p, name);
      // The pattern the name failed, from the error ajv reports inside propertyNames.
      const pattern = all.find((x) => x.propertyName === name && x.instancePath === e.instancePath && x.keyword === "pattern")?.params.pattern as
        string | undefined;
      message =
        written?.value === null
          ? `${what} name ${written.source} is read by YAML as null, not as a name: ${/^[A-Za-z]/.test(written.source) ? `quote it ("${written.source}") or rename it` : "rename it"}`
          : `${what} name ${written ? written.source : JSON.stringify(name)} is not valid here${pattern ? `: a ${what} name must match ${pattern}` : ""}`;
      at = doc.locate([...p, name], true);
      break;
    }
    case "type":
      rule = "schema-type";
      message = `${key} must be ${typeWords(params.type)}, got ${describe(e.data)}`;
      break;
    case "enum":
      message = `${key} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describe(e.data)}`;
      break;
    case "const":
      message = `${key} must be ${JSON.stringify(params.allowedValue)}, got ${describe(e.data)}`;
      break;
    case "pattern":
      message = `${key} is ${describe(e.data)}, which does not match ${String(params.pattern)}`;
      break;
    case "oneOf":
    case "anyOf": {
      const desc = (e.parentSchema as { description?: string })?.description;
      rule = "schema-type";
      message = `${key} is ${describe(e.data)}, which is not an allowed form${desc ? `: ${desc}` : ""}`;
      break;
    }
    case "not": {
      const desc = (e.parentSchema as { description?: string })?.description;
      message = `${key} has a key that is not allowed here${desc ? `: ${desc}` : ""}`;
      break;
    }
    default:
      message = `${key} ${e.message ?? "is invalid"}`;
  }
  return { file: doc.file, line: at.line, col: at.col, severity: "error", rule, message };
}

/** Per document and schema (documents do not change; `watch` reuses the unchanged ones between runs). */
const checked = new WeakMap<SpecDocument, { validate: ValidateFunction; diagnostics: Diagnostic[] }>();

export function checkAgainstSchema(doc: SpecDocument): Diagnostic[] {
  if (doc.value === undefined) return [];
  const validate = compile()[doc.kind];
  let known = checked.get(doc);
  if (known?.validate !== validate) checked.set(doc, (known = { validate, diagnostics: validateDocument(doc, validate) }));
  return known.diagnostics.map((d) => ({ ...d }));
}

function validateDocument(doc: SpecDocument, validate: ValidateFunction): Diagnostic[] {
  if (validate(doc.value)) return [];
  const errors = validate.errors ?? [];
  // An error inside propertyNames (it carries `propertyName`) only details the propertyNames error.
  return prune(errors.filter((e) => e.propertyName === undefined)).map((e) => toDiagnostic(doc, e, errors));
}
