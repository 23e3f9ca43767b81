// The mock's resource lifecycles resolved from the operations' `mock:` sections: which field holds
// a resource's key, and per operation which request fields write which attributes and which
// response (or list item) fields show them. The mock emitter puts the result into the mock
// definition, the lint rule `mock-lifecycle` reports what cannot be resolved, the docs say it.
import type { Field, MockRules, Operation, Service, Shape, TypeRef } from "./types.js";

export type FieldPath = string[];

/** The field at `path` (dotted names through object fields, not arrays) of `shape`. */
export function fieldAt(service: Service, shape: Shape, path: readonly string[]): Field | undefined {
  let current: Shape | undefined = shape;
  let found: Field | undefined;
  for (const name of path) {
    if (!current) return undefined;
    found = current.fields.find((f) => f.name === name);
    if (!found) return undefined;
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

/** Whether a value written from `from` is always a valid value of `to`. */
export function compatible(from: Field, to: Field): boolean {
  if (!sameType(from.type, to.type) || (from.js ?? "number") !== (to.js ?? "number")) return false;
  if (!to.enum) return true;
  const allowed = new Set(to.enum.map((e) => e.value));
  return from.enum !== undefined && from.enum.every((e) => allowed.has(e.value));
}

/** The object field whose fields are attributes too: `attributes.in`, else the shape's only field holding one object (Chat `RoomInfo`). */
export function innerObjectField(service: Service, op: Operation, shape: Shape): Field | undefined {
  const named = op.mock?.attributes.in;
  if (named !== undefined) return shape.fields.find((f) => f.name === named && objectShape(service, f));
  const objects = shape.fields.filter((f) => objectShape(service, f));
  return objects.length === 1 ? objects[0] : undefined;
}

/** The fields an operation maps, with their path: top level, then inside the inner object; paging fields, `omit` and the inner object itself left out. */
export function mappedFields(service: Service, op: Operation, shape: Shape): Array<{ path: FieldPath; field: Field; attribute: string }> {
  const m = op.mock!;
  const p = op.pagination;
  const paging = new Set(p ? [p.size, p.style === "offset" ? p.offset : p.page, p.items, ...(p.total ? [p.total] : [])] : []);
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
  if (inner) add([inner.name], objectShape(service, inner)!.fields);
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
  const keyed = [...operations.filter((o) => o.mock!.action === "create"), ...operations.filter((o) => o.mock!.action !== "create")];
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
    keyAttribute ??= op.mock!.attributes.rename[f.name] ?? f.name;
  }
  const written = new Map<string, Field>();
  for (const op of operations.filter(writes))
    for (const { field, attribute } of mappedFields(service, op, op.request)) if (!written.has(attribute)) written.set(attribute, field);
  return { ...(keyField ? { keyField } : {}), keyFields, ...(keyAttribute ? { keyAttribute } : {}), written, operations };
}

export interface LifecyclePlan {
  writes: Array<[FieldPath, string]>;
  reads: Array<[FieldPath, string]>;
  keyField: FieldPath | null;
}

/** What an operation writes and shows, by path; fields whose type cannot hold the attribute's values are left out. */
export function lifecyclePlan(service: Service, op: Operation, life: ResourceLifecycle): LifecyclePlan {
  const m: MockRules = op.mock!;
  const plan: LifecyclePlan = { writes: [], reads: [], keyField: null };
  if (writes(op)) plan.writes = mappedFields(service, op, op.request).map(({ path, attribute }) => [path, attribute]);
  const shape = readShape(service, op);
  if (!shape) return plan;
  for (const { path, field, attribute } of mappedFields(service, op, shape)) {
    if (life.keyAttribute === attribute && life.keyField && sameType(life.keyField.type, field.type)) {
      plan.keyField ??= path;
      continue;
    }
    const writer = life.written.get(attribute);
    if (writer && compatible(writer, field)) plan.reads.push([path, attribute]);
  }
  if (m.action === "create" && m.keyFrom?.side === "response") plan.keyField = m.keyFrom.path.split(".");
  return plan;
}
