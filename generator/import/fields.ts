// Metadata members → spec fields (README "Fields", PROTOCOLS.md §A.1): wire type, js choice,
// required and nullable from the metadata's flags, the English description where an edition has
// one, the constraints the texts state, a checked example, notes.
import { parseTypeExpr } from "../ir/build-ir.js";
import { ValueChecker } from "../ir/check-value.js";
import type { Field, JsonValue, Note, Shape } from "../ir/types.js";
import { referencedObject, type ApiJson, type ApiMember, type Direction } from "./api-json.js";
import { constraintsFromText, settle, type ConstraintKey, type EnumItem, type FieldKind, type TextConstraints } from "./constraints.js";
import { jsChoice } from "./int64.js";
import { languageOf, plainText, preferredText, type Language } from "./text.js";

export interface FieldModel {
  name: string;
  /** A spec type expression: `uint64`, `EventInfo[]`, … */
  type: string;
  js?: "number" | "string";
  required: boolean;
  nullable: boolean;
  format?: "date";
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  description: string;
  enum?: EnumItem[];
  default?: JsonValue;
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

/** The metadata editions one import reads: structure from the primary, text and nullability from both. */
export interface Editions {
  primary: ApiJson;
  /** Source id of the primary edition in service.yaml `sources` (e.g. `metadata-cn`). */
  primaryId: string;
  /** Another edition of the same API version (e.g. the intl-en copy). */
  secondary?: ApiJson;
  secondaryId?: string;
  /** Per object of the primary: travels in requests, responses or both. */
  directions: Map<string, Direction>;
  /** Constraints the examples refuted, by `Object.Field`: not applied, with the reason. */
  vetoes: Map<string, Map<ConstraintKey, string>>;
  /** Shape models built so far, by `Object` (`Object/envelope` for response envelopes). */
  shapes: Map<string, ShapeModel>;
}

const SCALARS: Record<string, string> = {
  uint64: "uint64",
  int64: "int64",
  int32: "int32",
  uint32: "uint32",
  float: "float",
  bool: "boolean",
  string: "string",
  date: "string",
};
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

/**
 * A stand-in rather than a value: `1400xxxxxx_218695_1590065777`, `https://**.png`, `kAOgA9AEA...`.
 * Kept in the description, never as `example` (it fails once the field gets a pattern).
 */
export function isPlaceholder(text: string): boolean {
  return /x{3,}|X{3,}|\*{2,}|\.{3}|…|<[^<>]*>|\{[a-z]\w*\}/.test(text);
}

/** A metadata example (always a string) as a JSON value of the field's type, when it is one. */
function exampleValue(raw: string | undefined, m: ApiMember): JsonValue | undefined {
  const text = raw?.trim();
  if (!text || text.length > 200 || text.includes("\n") || ["无", "null", "-", "NULL"].includes(text) || isPlaceholder(text)) return undefined;
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
      if (
        Array.isArray(v) &&
        v.every((x) => ["string", "boolean"].includes(typeof x) || Number.isSafeInteger(x) || (typeof x === "number" && m.member === "float"))
      )
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
  const constraints: Field["constraints"] = {};
  for (const k of ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"] as const) if (f[k] !== undefined) constraints[k] = f[k];
  if (f.format) constraints.format = f.format;
  return {
    name: f.name,
    type: parseTypeExpr(f.type),
    description: f.description,
    required: f.required,
    nullable: f.nullable,
    ...(f.js ? { js: f.js } : {}),
    constraints,
    ...(f.enum ? { enum: f.enum.map((e) => ({ value: e.value })) } : {}),
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

/** What the constraint patterns treat the member as: its scalar kind, and whether it is a list of them. */
function kindOf(m: ApiMember, type: string): { kind: FieldKind; list: boolean } {
  const list = type.endsWith("[]");
  const base = list ? type.slice(0, -2) : type;
  const kind: FieldKind = /^u?int(32|64)$/.test(base)
    ? "integer"
    : base === "float"
      ? "float"
      : base === "string"
        ? "string"
        : base === "boolean"
          ? "boolean"
          : "other";
  return { kind: m.type === "list" || !list ? kind : "other", list };
}

/** What a reviewer does with a Chinese fallback (README, "Reviewing an imported spec"). */
export const TRANSLATE = "TODO(import): translate it, then replace this note with one of topic Translated.";

const KEYS = ["enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "default"] as const;
const LOWER: ReadonlySet<ConstraintKey> = new Set(["minimum", "minLength", "minItems"]);
const quote = (s: string) => `"${s.length > 240 ? `${s.slice(0, 237)}…` : s}"`;

interface EditionFinding {
  found: TextConstraints;
  edition: string;
  language: Language;
}

/**
 * One set of constraints from every edition's findings. Numbers that disagree take the wider
 * bound (the spec should not refuse what one edition allows); enums are the union, each value
 * described in English where an edition has it. Returns the notes that quote the sentences.
 */
function mergeFindings(findings: readonly EditionFinding[]): { c: TextConstraints; notes: Note[]; chineseValues: Array<string | number> } {
  const c: TextConstraints = { sentences: {} };
  const said: Array<{ labels: string[]; sources: string }> = [];
  const disagreements: string[] = [];
  for (const key of KEYS) {
    const from = findings.filter((f) => f.found[key] !== undefined);
    if (!from.length) continue;
    const label = key === "enum" ? "enum" : `${key} ${JSON.stringify(from[0]!.found[key])}`;
    const sources = from.map((f) => `${quote(f.found.sentences[key] ?? "")} (${f.edition})`).join(" and ");
    const same = said.find((x) => x.sources === sources);
    if (same) same.labels.push(label);
    else said.push({ labels: [label], sources });
    if (key === "enum") continue;
    const values = from.map((f) => f.found[key] as number | string);
    const distinct = [...new Set(values)];
    if (distinct.length === 1 || key === "default") c[key] = values[0] as never;
    else {
      const numbers = values as number[];
      c[key] = (LOWER.has(key) ? Math.min(...numbers) : Math.max(...numbers)) as never;
      disagreements.push(
        `${key}: ${from.map((f) => `${f.found[key]} (${f.edition})`).join(" vs ")}; the spec takes ${c[key]}, the wider, so that it refuses nothing an edition allows`,
      );
    }
    if (key === "default" && distinct.length > 1)
      disagreements.push(
        `default: ${from.map((f) => `${f.found[key]} (${f.edition})`).join(" vs ")}; the spec takes ${values[0]} (${from[0]!.edition})`,
      );
    c.sentences[key] = from[0]!.found.sentences[key];
  }
  const chineseValues: Array<string | number> = [];
  const lists = findings.filter((f) => f.found.enum);
  if (lists.length) {
    const byValue = new Map<string | number, EnumItem & { language?: Language }>();
    const ordered = [...lists.filter((f) => f.language === "en"), ...lists.filter((f) => f.language !== "en")];
    for (const f of ordered)
      for (const e of f.found.enum!) {
        const had = byValue.get(e.value);
        if (!had) byValue.set(e.value, { ...e, language: f.language });
        else if (!had.description && e.description) Object.assign(had, { description: e.description, language: f.language });
      }
    const all = [...byValue.values()];
    if (all.every((e) => typeof e.value === "number")) all.sort((a, b) => (a.value as number) - (b.value as number));
    c.enum = all.map(({ value, description }) => ({ value, ...(description ? { description } : {}) }));
    for (const e of all) if (e.description && (e.language === "zh" || languageOf(e.description) === "zh")) chineseValues.push(e.value);
    if (lists.length > 1) {
      const only = lists.map((f) => ({
        f,
        values: f.found.enum!.map((e) => e.value).filter((v) => !lists.every((o) => o.found.enum!.some((e) => e.value === v))),
      }));
      const differ = only.filter((o) => o.values.length);
      if (differ.length)
        disagreements.push(
          `enum: ${differ.map((o) => `only ${o.f.edition} lists ${o.values.map((v) => JSON.stringify(v)).join(", ")}`).join("; ")}; the spec takes every value either edition lists`,
        );
    }
    c.sentences.enum = lists[0]!.found.sentences.enum;
  }
  const settled = settle(c);
  const dropped = KEYS.filter((k) => c[k] !== undefined && settled[k] === undefined);
  const notes: Note[] = [];
  if (said.length)
    notes.push({
      topic: "Constraints (imported)",
      text:
        `Read from the metadata text, for the reviewer to accept or change: ${said.map((x) => `${x.labels.join(", ")} from ${x.sources}`).join("; ")}.` +
        (dropped.length
          ? ` Not applied: ${dropped.join(", ")} (they contradict the rest: an enum that lists only special values of a wider range, or bounds that cross).`
          : ""),
    });
  if (disagreements.length) notes.push({ topic: "Editions disagree (imported)", text: `${disagreements.join(". ")}.` });
  return { c: settled, notes, chineseValues };
}

/** Whether `value` breaks the constraint `key` of `c` (list values item by item for enums). */
function breaks(key: ConstraintKey, c: Pick<FieldModel, ConstraintKey>, value: JsonValue): boolean {
  const items = Array.isArray(value) ? value : [value];
  switch (key) {
    case "enum":
      return items.some((v) => !c.enum!.some((e) => e.value === v));
    case "minimum":
      return items.some((v) => typeof v === "number" && v < c.minimum!);
    case "maximum":
      return items.some((v) => typeof v === "number" && v > c.maximum!);
    case "minLength":
      return typeof value === "string" && value.length < c.minLength!;
    case "maxLength":
      return typeof value === "string" && value.length > c.maxLength!;
    case "minItems":
      return Array.isArray(value) && value.length < c.minItems!;
    case "maxItems":
      return Array.isArray(value) && value.length > c.maxItems!;
    default:
      return false;
  }
}

/** One member of `object` as a spec field. `responseEnvelope`: RequestId is always present there. */
export function fieldModel(ed: Editions, object: string, m: ApiMember, responseEnvelope: boolean): FieldModel {
  const direction = ed.directions.get(object) ?? "both";
  const t = memberType(ed.primary, m);
  const notes: Note[] = [];
  const flag = requiredFlag(m, direction);
  const conflict = flag.conflict;
  let required = flag.required;
  if (responseEnvelope && m.name === "RequestId") required = true;
  if (conflict)
    notes.push({
      topic: "Required flag (imported)",
      text: `The metadata uses this shape in requests and responses with ${conflict}; the spec has one flag, so the field is optional. TODO(import): decide.`,
    });
  if (t.unknown)
    notes.push({
      topic: "Unknown type (imported)",
      text: `The metadata has an ${t.unknown}; imported as \`${t.type}\`. TODO(import): set the real type.`,
    });

  let nullable = m.value_allowed_null === true;
  const secondaryObject = ed.secondary?.objects[object];
  const other = memberOf(ed.secondary, object, m.name);
  if (secondaryObject && !other && !(responseEnvelope && m.name === "RequestId"))
    notes.push({ topic: `Not in ${ed.secondaryId}`, text: `Absent from the ${ed.secondaryId} edition of the metadata.` });
  if (other) {
    const otherNull = other.value_allowed_null === true;
    if (otherNull !== nullable)
      notes.push({
        topic: "Nullability (imported)",
        text: `${otherNull ? ed.secondaryId : ed.primaryId}: may be null; ${otherNull ? ed.primaryId : ed.secondaryId}: not null. The spec accepts null (tolerant).`,
      });
    nullable ||= otherNull;
    const otherRequired = responseEnvelope && m.name === "RequestId" ? true : requiredFlag(other, direction).required;
    if (otherRequired !== required) {
      const word = (r: boolean) => (direction === "in" ? (r ? "required" : "optional") : r ? "always present" : "may be absent");
      notes.push({
        topic: "Presence (imported)",
        text: `${ed.primaryId}: ${word(required)}; ${ed.secondaryId}: ${word(otherRequired)}. The spec follows ${ed.primaryId}.`,
      });
    }
  }

  const editions = [{ member: m, edition: ed.primaryId }, ...(other ? [{ member: other, edition: ed.secondaryId! }] : [])];
  const text = preferredText(editions.map((e) => ({ document: e.member.document, edition: e.edition })));
  const { kind, list } = kindOf(m, t.type);
  const findings: EditionFinding[] = editions.flatMap((e) => {
    const plain = plainText(e.member.document);
    const found = constraintsFromText(plain, kind, list);
    return Object.keys(found).length > 1 ? [{ found, edition: e.edition, language: languageOf(plain) }] : [];
  });
  const merged = mergeFindings(findings);
  const c: Pick<FieldModel, ConstraintKey> = {};
  for (const key of KEYS) if (merged.c[key] !== undefined) (c as Record<string, unknown>)[key] = merged.c[key];
  // Defaults say what the service does with an absent request field: response fields have none.
  if (direction === "out") delete c.default;
  notes.push(...merged.notes);

  const example = exampleValue(m.example, m);
  // The metadata's own example refutes a constraint: keep the example, leave the constraint out.
  const vetoed = new Map(ed.vetoes.get(`${object}.${m.name}`) ?? []);
  if (example !== undefined)
    for (const key of KEYS)
      if (c[key] !== undefined && key !== "default" && breaks(key, c, example))
        vetoed.set(key, `the metadata's example ${JSON.stringify(example)} breaks it`);
  for (const [key, why] of vetoed) {
    if (c[key] === undefined) continue;
    delete c[key];
    const stated =
      key === "enum"
        ? `an enum of ${merged.c.enum!.length} values (${merged.c.enum!.map((e) => JSON.stringify(e.value)).join(", ")})`
        : `${key} ${JSON.stringify(merged.c[key])}`;
    notes.push({ topic: "Constraint not applied (imported)", text: `The text gives ${stated}, but ${why}; left out. Check which is right.` });
  }
  if (c.default !== undefined && KEYS.some((k) => k !== "default" && c[k] !== undefined && breaks(k, c, c.default!))) delete c.default;

  let js: FieldModel["js"];
  if (t.js) {
    const bound = c.enum ? Math.max(...c.enum.map((e) => (typeof e.value === "number" ? Math.abs(e.value) : 0))) : c.maximum;
    const numericExample = [m.example, other?.example]
      .map((x) => (x && /^\d+$/.test(x.trim()) ? Number(x.trim()) : undefined))
      .find((x) => x !== undefined);
    const choice = jsChoice(
      m.name,
      editions.map((e) => plainText(e.member.document)),
      bound,
      numericExample,
    );
    js = choice.js;
    notes.push({ topic: "64-bit (imported)", text: `${m.member} in the metadata; \`js: ${choice.js}\`: ${choice.reason}.` });
  }

  const chineseValues = c.enum ? merged.chineseValues : [];
  const chinese = [
    ...(text?.language === "zh" ? ["the description"] : []),
    ...(chineseValues.length ? [`the descriptions of enum values ${chineseValues.map((v) => JSON.stringify(v)).join(", ")}`] : []),
  ];
  if (chinese.length && ed.secondary)
    notes.push({
      topic: "Language",
      text: `Chinese (zh): ${chinese.join(" and ")}, from ${text?.language === "zh" ? text.edition : ed.primaryId}; no edition of the metadata has them in English. ${TRANSLATE}`,
    });

  const field: FieldModel = {
    name: m.name,
    type: t.type,
    ...(js ? { js } : {}),
    required,
    nullable,
    ...(t.format ? { format: t.format } : {}),
    ...c,
    description: text?.text ?? "No description in the metadata.",
    ...(m.disabled ? { deprecated: "Disabled in the metadata (`disabled: true`): hidden from the official documentation." } : {}),
    notes,
  };
  // Keep the metadata's example only where the lint's own check accepts it.
  if (example !== undefined && !new ValueChecker([], { rejectUnknown: true }).checkField(irField(field), example, m.name).length)
    field.example = example;
  if (field.default !== undefined && new ValueChecker([], { rejectUnknown: true }).checkField(irField(field), field.default, m.name).length)
    delete field.default;
  return field;
}

/** The shape model of `object`, built once per editions (vetoes reset the cache). */
export function shapeModel(ed: Editions, object: string, responseEnvelope = false): ShapeModel {
  const key = responseEnvelope ? `${object}/envelope` : object;
  const cached = ed.shapes.get(key);
  if (cached) return cached;
  const o = ed.primary.objects[object]!;
  const notes: Note[] = [];
  if (ed.secondary && !ed.secondary.objects[object])
    notes.push({ topic: `Not in ${ed.secondaryId}`, text: `The ${ed.secondaryId} edition of the metadata has no ${object}.` });
  const text = preferredText([
    { document: o.document, edition: ed.primaryId },
    { document: ed.secondary?.objects[object]?.document, edition: ed.secondaryId ?? "" },
  ]);
  if (text?.language === "zh" && ed.secondary)
    notes.push({
      topic: "Language",
      text: `Chinese (zh): the description, from ${text.edition}; no edition of the metadata has it in English. ${TRANSLATE}`,
    });
  const model: ShapeModel = {
    name: object,
    description: text?.text || object,
    source: `${ed.primaryId} ${object}`,
    notes,
    fields: o.members.map((mem) => fieldModel(ed, object, mem, responseEnvelope)),
  };
  ed.shapes.set(key, model);
  return model;
}
