// Metadata members → spec fields (README "Fields", PROTOCOLS.md §A.1): wire type, js choice,
// required and nullable from the metadata's flags, description, a checked example, notes.
import { parseTypeExpr } from "../ir/build-ir.js";
import { ValueChecker } from "../ir/check-value.js";
import type { Field, JsonValue, Note, Shape } from "../ir/types.js";
import { referencedObject, type ApiJson, type ApiMember, type Direction } from "./api-json.js";
import { plainText } from "./text.js";

export interface FieldModel {
  name: string;
  /** A spec type expression: `uint64`, `EventInfo[]`, … */
  type: string;
  js?: "number";
  required: boolean;
  nullable: boolean;
  format?: "date";
  description: string;
  example?: JsonValue;
  deprecated?: string;
  notes: Note[];
}

export interface ShapeModel {
  name: string;
  description: string;
  source?: string;
  notes: Note[];
  fields: FieldModel[];
}

/** The metadata editions one import reads: structure and text from the primary, nullability from both. */
export interface Editions {
  primary: ApiJson;
  /** Source id of the primary edition in service.yaml `sources` (e.g. `metadata-cn`). */
  primaryId: string;
  /** Another edition of the same API version (e.g. the intl-en copy). */
  secondary?: ApiJson;
  secondaryId?: string;
  /** Per object of the primary: travels in requests, responses or both. */
  directions: Map<string, Direction>;
}

const SCALARS: Record<string, string> = { uint64: "uint64", int64: "int64", int32: "int32", uint32: "uint32", float: "float", bool: "boolean", string: "string", date: "string" };
const WIDE = new Set(["int64", "uint64"]);

/** The spec type of a member, and what it needs beside the name. */
export function memberType(api: ApiJson, m: ApiMember): { type: string; js?: "number"; format?: "date"; unknown?: string } {
  const ref = referencedObject(api, m);
  if (m.type === "object") return ref ? { type: ref } : { type: "any", unknown: `object of unknown type "${m.member}"` };
  const scalar = (name: string) => SCALARS[name];
  if (m.type === "list") {
    if (ref) return { type: `${ref}[]` };
    const s = scalar(m.member);
    if (!s) return { type: "any[]", unknown: `list of unknown type "${m.member}"` };
    return { type: `${s}[]`, ...(WIDE.has(s) ? { js: "number" as const } : {}), ...(m.member === "date" ? { format: "date" as const } : {}) };
  }
  if (m.type === "int") {
    const s = m.member === "int32" || m.member === "uint32" || m.member === "uint64" ? m.member : "int64";
    return { type: s, ...(WIDE.has(s) ? { js: "number" as const } : {}), ...(s !== m.member ? { unknown: `int of member "${m.member}"` } : {}) };
  }
  if (m.type === "float") return { type: "float" };
  if (m.type === "bool") return { type: "boolean" };
  if (m.type === "string") return m.member === "date" ? { type: "string", format: "date" } : { type: "string" };
  return { type: "any", unknown: `member type "${m.type}"` };
}

/** Request side: `required`. Response side: `output_required`, else the legacy `required`. */
function requiredFlag(m: ApiMember, direction: Direction): { required: boolean; conflict?: string } {
  if (direction === "in") return { required: m.required === true };
  const out = (m.output_required ?? m.required) === true;
  if (direction === "out") return { required: out };
  const inReq = m.required === true;
  const outReq = m.output_required ?? inReq;
  // Used both ways: one flag must hold for both, so only a member required both ways is required.
  if (inReq === outReq) return { required: inReq };
  return { required: false, conflict: `required ${inReq} for requests but output_required ${outReq} for responses` };
}

function rangeNote(member: string): Note {
  return { topic: "Range (imported)", text: `${member} in the metadata; \`js: number\` assumes values within 2^53. TODO(import): confirm, or use bigint or string.` };
}

/** A metadata example (always a string) as a JSON value of the field's type, when it is one. */
function exampleValue(raw: string | undefined, m: ApiMember): JsonValue | undefined {
  const text = raw?.trim();
  if (!text || text.length > 200 || text.includes("\n") || ["无", "null", "-", "NULL"].includes(text)) return undefined;
  if (m.type === "string") return text;
  if (m.type === "bool") return text === "true" ? true : text === "false" ? false : undefined;
  if (m.type === "int" || m.type === "float") {
    if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
    const n = Number(text);
    return Number.isSafeInteger(n) || (m.type === "float" && Number.isFinite(n)) ? n : undefined;
  }
  if (m.type === "list" && Object.hasOwn(SCALARS, m.member)) {
    try {
      const v: unknown = JSON.parse(text);
      // Lists of scalars only; a number past 2^53 would already be rounded here.
      if (Array.isArray(v) && v.every((x) => ["string", "boolean"].includes(typeof x) || Number.isSafeInteger(x) || (typeof x === "number" && m.member === "float")))
        return v as JsonValue;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The IR form of a field model, for checking values with the lint's own checker. */
export function irField(f: FieldModel): Field {
  const loc = { file: "", line: 0, col: 0 };
  return {
    name: f.name,
    type: parseTypeExpr(f.type),
    description: f.description,
    required: f.required,
    nullable: f.nullable,
    ...(f.js ? { js: f.js } : {}),
    constraints: f.format ? { format: f.format } : {},
    notes: [],
    loc,
    at: {},
  };
}

export function irShape(s: ShapeModel): Shape {
  return { name: s.name, description: s.description, fields: s.fields.map(irField), notes: [], definedIn: "", loc: { file: "", line: 0, col: 0 } };
}

function memberOf(api: ApiJson | undefined, object: string, name: string): ApiMember | undefined {
  return api?.objects[object]?.members.find((m) => m.name === name);
}

/** One member of `object` as a spec field. `responseEnvelope`: RequestId is always present there. */
export function fieldModel(ed: Editions, object: string, m: ApiMember, responseEnvelope: boolean): FieldModel {
  const direction = ed.directions.get(object) ?? "both";
  const t = memberType(ed.primary, m);
  const notes: Note[] = [];
  let { required, conflict } = requiredFlag(m, direction);
  if (responseEnvelope && m.name === "RequestId") required = true;
  if (conflict) notes.push({ topic: "Required flag (imported)", text: `The metadata uses this shape in requests and responses with ${conflict}; the spec has one flag, so the field is optional. TODO(import): decide.` });
  if (t.js) notes.push(rangeNote(m.member));
  if (t.unknown) notes.push({ topic: "Unknown type (imported)", text: `The metadata has an ${t.unknown}; imported as \`${t.type}\`. TODO(import): set the real type.` });

  let nullable = m.value_allowed_null === true;
  const secondaryObject = ed.secondary?.objects[object];
  const other = memberOf(ed.secondary, object, m.name);
  if (secondaryObject && !other && !(responseEnvelope && m.name === "RequestId"))
    notes.push({ topic: `Not in ${ed.secondaryId}`, text: `Absent from the ${ed.secondaryId} edition of the metadata.` });
  if (other) {
    const otherNull = other.value_allowed_null === true;
    if (otherNull !== nullable)
      notes.push({ topic: "Nullability (imported)", text: `${otherNull ? ed.secondaryId : ed.primaryId}: may be null; ${otherNull ? ed.primaryId : ed.secondaryId}: not null. The spec accepts null (tolerant).` });
    nullable ||= otherNull;
    const otherRequired = responseEnvelope && m.name === "RequestId" ? true : requiredFlag(other, direction).required;
    if (otherRequired !== required) {
      const word = (r: boolean) => (direction === "in" ? (r ? "required" : "optional") : r ? "always present" : "may be absent");
      notes.push({ topic: "Presence (imported)", text: `${ed.primaryId}: ${word(required)}; ${ed.secondaryId}: ${word(otherRequired)}. The spec follows ${ed.primaryId}.` });
    }
  }

  const field: FieldModel = {
    name: m.name,
    type: t.type,
    ...(t.js ? { js: t.js } : {}),
    required,
    nullable,
    ...(t.format ? { format: t.format } : {}),
    description: plainText(m.document) || "No description in the metadata.",
    ...(m.disabled ? { deprecated: "Disabled in the metadata (`disabled: true`): hidden from the official documentation." } : {}),
    notes,
  };
  const example = exampleValue(m.example, m);
  // Keep the metadata's example only where the lint's own check accepts it.
  if (example !== undefined && !new ValueChecker([], { rejectUnknown: true }).checkField(irField(field), example, m.name).length) field.example = example;
  return field;
}

export function shapeModel(ed: Editions, object: string, responseEnvelope = false): ShapeModel {
  const o = ed.primary.objects[object]!;
  const notes: Note[] = [];
  if (ed.secondary && !ed.secondary.objects[object]) notes.push({ topic: `Not in ${ed.secondaryId}`, text: `The ${ed.secondaryId} edition of the metadata has no ${object}.` });
  return {
    name: object,
    description: plainText(o.document) || object,
    source: `${ed.primaryId} ${object}`,
    notes,
    fields: o.members.map((m) => fieldModel(ed, object, m, responseEnvelope)),
  };
}
