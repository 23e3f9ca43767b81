// The one walk over a field's type: every node of a TypeRef, through arrays and unions. The
// questions the checks, the IR queries, the emitters and the diff ask of a type are answered from it.
import type { ScalarName, TypeRef } from "./types.js";

/** Every node of `t` (itself first, then depth first in spec order), with how many arrays enclose it. */
export function* typeNodes(t: TypeRef, arrays = 0): Generator<{ node: TypeRef; arrays: number }> {
  yield { node: t, arrays };
  if (t.kind === "array") yield* typeNodes(t.items, arrays + 1);
  else if (t.kind === "union") for (const m of t.members) yield* typeNodes(m, arrays);
}

/** The shapes `t` names, with `[]` per array level around each (the path suffix to reach their fields). */
export function shapeRefs(t: TypeRef): Array<{ name: string; suffix: string }> {
  const refs: Array<{ name: string; suffix: string }> = [];
  for (const { node, arrays } of typeNodes(t)) if (node.kind === "shape") refs.push({ name: node.name, suffix: "[]".repeat(arrays) });
  return refs;
}

/** The names of the shapes `t` refers to. */
export function shapeNames(t: TypeRef): string[] {
  return shapeRefs(t).map((r) => r.name);
}

/** The scalar types `t` holds. */
export function scalarNames(t: TypeRef): ScalarName[] {
  const names: ScalarName[] = [];
  for (const { node } of typeNodes(t)) if (node.kind === "scalar") names.push(node.name);
  return names;
}

/** Whether `t` is an array or a union with an array member. */
export function isArray(t: TypeRef): boolean {
  for (const { node } of typeNodes(t)) if (node.kind === "array") return true;
  return false;
}

/** Whether `t` holds a 64-bit integer (int64 or uint64), inside arrays and unions too. */
export function has64BitInteger(t: TypeRef): boolean {
  return scalarNames(t).some((s) => s === "int64" || s === "uint64");
}
