// The mock's resource lifecycles resolved from the operations' `mock:` sections: which field holds
// a resource's key, and per operation which request fields write which attributes and which
// response (or list item) fields show them. The mock emitter puts the result into the mock
// definition, the lint rule `mock-lifecycle` reports what cannot be resolved, the docs say it.
import type { Field, LifecycleState, MockRules, Operation, Service, Shape, TypeRef } from "./types.js";
import { pagingRequestFields, pagingResponseFields } from "./pagination.js";

export type FieldPath = string[];

/** `GroupIds[]` → `GroupIds`: a path segment ending in `[]` stands for each element of a list. */
export const listSegment = (segment: string): string | undefined => (segment.endsWith("[]") ? segment.slice(0, -2) : undefined);

/** Whether a dotted path goes through a list (`GroupIds[]`, `Users[].UserId`). */
export const throughList = (path: string): boolean => path.split(".").some((s) => listSegment(s) !== undefined);

/**
 * The field at `path` (dotted names through object fields) of `shape`. A segment `Name[]` steps
 * into the elements of the list `Name`: the field found there stands for one element (its type
 * is the element type, without the list's item counts).
 */
export function fieldAt(service: Service, shape: Shape, path: readonly string[]): Field | undefined {
  let current: Shape | undefined = shape;
  let found: Field | undefined;
  for (const segment of path) {
    if (!current) return undefined;
    const list = listSegment(segment);
    found = current.fields.find((f) => f.name === (list ?? segment));
    if (!found) return undefined;
    if (list !== undefined) {
      if (found.type.kind !== "array") return undefined;
      const { minItems: _min, maxItems: _max, ...constraints } = found.constraints;
      found = { ...found, type: found.type.items, constraints };
    }
    current = found.type.kind === "shape" ? shapeNamed(service, found.type.name) : undefined;
  }
  return found;
}

export function shapeNamed(service: Service, name: string): Shape | undefined {
  return service.shapes.find((s) => s.name === name);
}

/** The shape of a field holding one object, when it does. */
export function objectShape(service: Service, field: Field | undefined): Shape | undefined {
  return field?.type.kind === "shape" ? shapeNamed(service, field.type.name) : undefined;
}

/** The shape of a list's items (`pagination.items`), when they are objects. */
export function listItemShape(service: Service, op: Operation): Shape | undefined {
  const items = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
  return items?.type.kind === "array" && items.type.items.kind === "shape" ? shapeNamed(service, items.type.items.name) : undefined;
}

/** The object a read of this operation shows attributes in: the response, or each list item. */
export function readShape(service: Service, op: Operation): Shape | undefined {
  return op.mock?.action === "list" ? listItemShape(service, op) : op.response;
}

const sameType = (a: TypeRef, b: TypeRef): boolean => JSON.stringify(a) === JSON.stringify(b);

const INTEGERS = new Set(["integer", "int32", "uint32", "int64", "uint64"]);
const integerScalar = (t: TypeRef) => t.kind === "scalar" && INTEGERS.has(t.name);

/** Whether a value written from `from` is always a valid value of `to`. */
export function compatible(from: Field, to: Field): boolean {
  if ((from.js ?? "number") !== (to.js ?? "number")) return false;
  const allowed = to.enum && new Set(to.enum.map((e) => e.value));
  const within = from.enum !== undefined && allowed !== undefined && from.enum.every((e) => allowed.has(e.value));
  // Two integer fields of different widths hold the same values when both are limited to an enum (int64 and uint64 `VideoOrientation`: 0, 1).
  if (!sameType(from.type, to.type)) return within && integerScalar(from.type) && integerScalar(to.type);
  return !allowed || within;
}

/** Whether every writer of an attribute writes values `to` can hold. */
export const compatibleWithAll = (writers: readonly Field[] | undefined, to: Field): boolean =>
  writers !== undefined && writers.length > 0 && writers.every((w) => compatible(w, to));

/** The shape of a field holding a list of objects, when it does. */
export function listOfObjectsShape(service: Service, field: Field | undefined): Shape | undefined {
  return field?.type.kind === "array" && field.type.items.kind === "shape" ? shapeNamed(service, field.type.items.name) : undefined;
}

/** Whether the operation creates several resources at once: its `keyFrom` goes through a list. */
export const createsSeveral = (op: Operation): boolean =>
  op.mock?.action === "create" && op.mock.keyFrom !== undefined && throughList(op.mock.keyFrom.path);

/**
 * The object field whose fields are attributes too: `attributes.in`, else the shape's only field
 * holding one object (Chat `RoomInfo`). A create of several names a list of objects instead
 * (`RoomInfos`): each element is one resource's.
 */
export function innerObjectField(service: Service, op: Operation, shape: Shape): Field | undefined {
  const named = op.mock?.attributes.in;
  const several = createsSeveral(op) && shape === op.request;
  if (named !== undefined) return shape.fields.find((f) => f.name === named && (several ? listOfObjectsShape(service, f) : objectShape(service, f)));
  const objects = shape.fields.filter((f) => objectShape(service, f));
  return objects.length === 1 ? objects[0] : undefined;
}

/** The fields an operation maps, with their path: top level, then inside the inner object; paging fields, `omit` and the inner object itself left out. */
export function mappedFields(service: Service, op: Operation, shape: Shape): Array<{ path: FieldPath; field: Field; attribute: string }> {
  const m = op.mock!;
  const p = op.pagination;
  const paging = new Set(p ? [...pagingRequestFields(p), p.items, ...pagingResponseFields(p)] : []);
  const omit = new Set(m.attributes.omit);
  const inner = innerObjectField(service, op, shape);
  const out: Array<{ path: FieldPath; field: Field; attribute: string }> = [];
  const add = (prefix: FieldPath, fields: Field[]) => {
    for (const f of fields) {
      if (omit.has(f.name) || (prefix.length === 0 && (paging.has(f.name) || f === inner))) continue;
      out.push({ path: [...prefix, f.name], field: f, attribute: m.attributes.rename[f.name] ?? f.name });
    }
  };
  add([], shape.fields);
  const list = inner && inner.type.kind === "array";
  // A list's elements are written one resource each: their paths go through `Name[]`.
  if (inner) add([list ? `${inner.name}[]` : inner.name], (list ? listOfObjectsShape(service, inner) : objectShape(service, inner))!.fields);
  return out;
}

const writes = (op: Operation) => op.mock?.action === "create" || op.mock?.action === "update";

export interface ResourceLifecycle {
  /** The field the resource's key is read from: the create's `keyFrom`, else the first keyed operation's `key`. */
  keyField?: Field;
  /** Every field that holds the key (request keys, `keyFrom`): seeded keys must suit each. */
  keyFields: Field[];
  /** The attribute holding the key. */
  keyAttribute?: string;
  /** Attributes that some create or update writes, with the first writer's field. */
  written: Map<string, Field>;
  /** Every field that writes each attribute: a field shows the attribute only if it holds what each writes. */
  writers: Map<string, Field[]>;
  operations: Operation[];
}

function keyPathOf(op: Operation): { shape: "request" | "response"; path: string[] } | undefined {
  const m = op.mock!;
  if (m.action === "create") return m.keyFrom ? { shape: m.keyFrom.side, path: m.keyFrom.path.split(".") } : undefined;
  return m.key ? { shape: "request", path: m.key.split(".") } : undefined;
}

/** A resource's key field, key attribute and written attributes, from the operations on it. */
export function resourceLifecycle(service: Service, resource: string): ResourceLifecycle {
  const operations = service.operations.filter((o) => o.mock?.resource === resource);
  // Creates first, and operations with one key before those with a list of keys (`RoomIds[]`): the
  // key attribute is named by a field holding one key.
  const single = (o: Operation) => !throughList(o.mock!.key ?? o.mock!.keyFrom?.path ?? "");
  const creates = operations.filter((o) => o.mock!.action === "create");
  const byAction = creates.length ? [...creates, ...operations.filter((o) => o.mock!.action !== "create")] : operations;
  const singles = byAction.map(single);
  const keyed = [...byAction.filter((_, i) => singles[i]), ...byAction.filter((_, i) => !singles[i])];
  const keyFields: Field[] = [];
  let keyField: Field | undefined;
  let keyAttribute: string | undefined;
  for (const op of keyed) {
    const at = keyPathOf(op);
    if (!at) continue;
    const f = fieldAt(service, at.shape === "request" ? op.request : op.response, at.path);
    if (!f) continue;
    keyFields.push(f);
    keyField ??= f;
    if (single(op)) keyAttribute ??= op.mock!.attributes.rename[f.name] ?? f.name;
  }
  const written = new Map<string, Field>();
  const writers = new Map<string, Field[]>();
  for (const op of operations.filter(writes))
    for (const { field, attribute } of mappedFields(service, op, op.request)) {
      if (!written.has(attribute)) written.set(attribute, field);
      const list = writers.get(attribute);
      if (list) list.push(field);
      else writers.set(attribute, [field]);
    }
  return { ...(keyField ? { keyField } : {}), keyFields, ...(keyAttribute ? { keyAttribute } : {}), written, writers, operations };
}

export interface LifecyclePlan {
  writes: Array<[FieldPath, string]>;
  reads: Array<[FieldPath, string]>;
  keyField: FieldPath | null;
  /** The response (or list item) field showing the lifecycle state, with its value per state. */
  state?: { path: FieldPath; values: Partial<Record<LifecycleState, string | number>> };
  /**
   * A create of several: `list` is the request list (one resource per element), `writes` the
   * attributes read from each element (paths inside it, after the top-level `writes`); with a
   * response list (`keyFrom: response.Users[].UserId`), `response` says where each new key goes
   * (`keyField` inside an element, [] when the element is the key) and what each element shows.
   */
  each?: {
    list: FieldPath;
    writes: Array<[FieldPath, string]>;
    response?: { list: FieldPath; keyField: FieldPath; reads: Array<[FieldPath, string]> };
  };
}

/** Splits a path at its first list segment: `["RoomIds[]", "Name"]` → `{ list: ["RoomIds"], rest: ["Name"] }`. */
export function splitAtList(path: readonly string[]): { list: FieldPath; rest: FieldPath } | undefined {
  const i = path.findIndex((s) => listSegment(s) !== undefined);
  return i < 0 ? undefined : { list: [...path.slice(0, i), listSegment(path[i]!)!], rest: path.slice(i + 1) };
}

/** What an operation writes and shows, by path; fields whose type cannot hold the attribute's values are left out. */
export function lifecyclePlan(service: Service, op: Operation, life: ResourceLifecycle): LifecyclePlan {
  const m: MockRules = op.mock!;
  const plan: LifecyclePlan = { writes: [], reads: [], keyField: null };
  if (writes(op)) {
    const all = mappedFields(service, op, op.request).map(({ path, attribute }): [FieldPath, string] => [path, attribute]);
    // A key list (`GroupIds[]`) names the resources; it is no attribute of each.
    const keyList = m.key !== undefined && throughList(m.key) ? m.key.split(".")[0]!.replace(/\[\]$/, "") : undefined;
    plan.writes = all.filter(([path]) => !splitAtList(path) && path[0] !== keyList);
    const inner = all.flatMap(([path, attribute]) => {
      const at = splitAtList(path);
      return at ? [{ at, attribute }] : [];
    });
    if (createsSeveral(op) && m.attributes.in !== undefined)
      plan.each = { list: [m.attributes.in], writes: inner.map(({ at, attribute }): [FieldPath, string] => [at.rest, attribute]) };
  }
  // A key list names several resources: no one of them is shown in the answer.
  if (m.key !== undefined && throughList(m.key)) return plan;
  const several = createsSeveral(op) && m.keyFrom!.side === "response" ? splitAtList(m.keyFrom!.path.split(".")) : undefined;
  if (several) {
    const element = listOfObjectsShape(service, fieldAt(service, op.response, several.list));
    const reads: Array<[FieldPath, string]> = [];
    for (const field of element?.fields ?? []) {
      const attribute = m.attributes.rename[field.name] ?? field.name;
      if (several.rest.length === 1 && several.rest[0] === field.name) continue;
      if (compatibleWithAll(life.writers.get(attribute), field) && !m.attributes.omit.includes(field.name)) reads.push([[field.name], attribute]);
    }
    plan.each = { ...(plan.each ?? { list: [], writes: [] }), response: { list: several.list, keyField: several.rest, reads } };
    return plan;
  }
  const shape = readShape(service, op);
  if (!shape) return plan;
  for (const { path, field, attribute } of mappedFields(service, op, shape)) {
    if (m.attributes.state?.field === field.name && path.length === 1) continue;
    if (life.keyAttribute === attribute && life.keyField && sameType(life.keyField.type, field.type)) {
      plan.keyField ??= path;
      continue;
    }
    if (compatibleWithAll(life.writers.get(attribute), field)) plan.reads.push([path, attribute]);
  }
  if (m.attributes.state) {
    const f = shape.fields.find((x) => x.name === m.attributes.state!.field);
    if (f) plan.state = { path: [f.name], values: { ...m.attributes.state.values } };
  }
  if (m.action === "create" && m.keyFrom?.side === "response") plan.keyField = m.keyFrom.path.split(".");
  return plan;
}
