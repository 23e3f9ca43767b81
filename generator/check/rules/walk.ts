// Walks shared by the rules: every shape and field of a service.
import type { Field, Operation, Service, Shape, TypeRef } from "../../ir/types.js";

export interface FieldVisit {
  field: Field;
  shape: Shape;
  operation?: Operation;
}

export function* eachShape(service: Service): Generator<{ shape: Shape; operation?: Operation }> {
  for (const shape of service.shapes) yield { shape };
  for (const op of service.operations) for (const shape of [op.request, op.response]) yield { shape, operation: op };
}

export function* eachField(service: Service): Generator<FieldVisit> {
  for (const { shape, operation } of eachShape(service))
    for (const field of shape.fields) yield { field, shape, ...(operation ? { operation } : {}) };
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
