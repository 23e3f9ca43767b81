// Walks shared by the rules: every shape and field of a service (a field's type: ir/type-ref.ts).
import type { Field, Operation, Service, Shape } from "../../ir/types.js";
import type { SpecDocument } from "../../load/spec-document.js";

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

/** The first document of each file, as a search of the list would find it: one lookup each. */
export function documentsByFile(docs: readonly SpecDocument[]): Map<string, SpecDocument> {
  const byFile = new Map<string, SpecDocument>();
  for (const d of docs) if (!byFile.has(d.file)) byFile.set(d.file, d);
  return byFile;
}
