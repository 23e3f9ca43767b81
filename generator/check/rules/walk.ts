// Walks shared by the rules: every field of a service with the suppress scopes above it.
import type { Field, Operation, Service, Shape, TypeRef } from "../../ir/types.js";
import type { SuppressScopes } from "../rule.js";

export interface FieldVisit {
  field: Field;
  shape: Shape;
  operation?: Operation;
  scopes: SuppressScopes;
}

export function* eachShape(service: Service): Generator<{ shape: Shape; operation?: Operation; scopes: SuppressScopes }> {
  for (const shape of service.shapes) yield { shape, scopes: [shape.suppress, service.suppress] };
  for (const op of service.operations)
    for (const shape of [op.request, op.response]) yield { shape, operation: op, scopes: [op.suppress, service.suppress] };
}

export function* eachField(service: Service): Generator<FieldVisit> {
  for (const { shape, operation, scopes } of eachShape(service))
    for (const field of shape.fields) yield { field, shape, ...(operation ? { operation } : {}), scopes: [field.suppress, shape.suppress, ...scopes] };
}

export function typeNames(t: TypeRef): string[] {
  switch (t.kind) {
    case "shape": return [t.name];
    case "array": return typeNames(t.items);
    case "union": return t.members.flatMap(typeNames);
    default: return [];
  }
}

export function scalarNames(t: TypeRef): string[] {
  switch (t.kind) {
    case "scalar": return [t.name];
    case "array": return scalarNames(t.items);
    case "union": return t.members.flatMap(scalarNames);
    default: return [];
  }
}

export function isArray(t: TypeRef): boolean {
  return t.kind === "array" || (t.kind === "union" && t.members.some(isArray));
}
