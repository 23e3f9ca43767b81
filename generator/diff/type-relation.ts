// How a field's type changed, as sets of JSON values: the same, wider (accepts everything it did and
// more), narrower, or neither. Integer types compare by range, every integer is a float, `any` holds all.
import type { ScalarName, TypeRef } from "../ir/types.js";

export type Relation = "same" | "wider" | "narrower" | "incompatible";

const INT_RANGES: Partial<Record<ScalarName, [bigint, bigint]>> = {
  integer: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

function scalarWithin(a: ScalarName, b: ScalarName): boolean {
  if (a === b || b === "any") return true;
  const ra = INT_RANGES[a];
  if (!ra) return false;
  if (b === "float") return true;
  const rb = INT_RANGES[b];
  return rb !== undefined && rb[0] <= ra[0] && ra[1] <= rb[1];
}

/** Every value of `a` is a value of `b`. Shapes match by name: their fields are compared on their own. */
export function within(a: TypeRef, b: TypeRef): boolean {
  if (b.kind === "scalar" && b.name === "any") return true;
  if (a.kind === "union") return a.members.every((m) => within(m, b));
  if (b.kind === "union") return b.members.some((m) => within(a, m));
  if (a.kind === "scalar" && b.kind === "scalar") return scalarWithin(a.name, b.name);
  if (a.kind === "array" && b.kind === "array") return within(a.items, b.items);
  return a.kind === "shape" && b.kind === "shape" && a.name === b.name;
}

export function relation(base: TypeRef, head: TypeRef): Relation {
  const down = within(base, head);
  const up = within(head, base);
  return down && up ? "same" : down ? "wider" : up ? "narrower" : "incompatible";
}

/** The spec's spelling: `EventInfo[]`, `[string, uint64]`. */
export function typeText(t: TypeRef): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "shape":
      return t.name;
    case "array":
      return `${typeText(t.items)}[]`;
    case "union":
      return `[${t.members.map(typeText).join(", ")}]`;
  }
}
