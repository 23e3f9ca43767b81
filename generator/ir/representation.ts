// How 64-bit integers of a shape reach JavaScript, as the plan the runtime's lossless JSON parse
// applies: only fields held as "string" or "bigint" appear; arrays are transparent.
import { has64BitInteger, shapeNames } from "./type-ref.js";
import { shapesByName } from "./usage.js";
import type { Field, Service, Shape } from "./types.js";

export type Representation = { [key: string]: "string" | "bigint" | Representation };

/** The plan for values of `shape`, or undefined when every 64-bit field is a plain number. */
export function representationOf(service: Service, shape: Shape, seen: ReadonlySet<string> = new Set()): Representation | undefined {
  const byName = shapesByName(service);
  const plan: Representation = {};
  const inner = new Set([...seen, shape.name]);
  for (const f of shape.fields) {
    const own = fieldRepresentation(f);
    if (own) {
      plan[f.name] = own;
      continue;
    }
    // A field refers to one shape at most in practice; merge if a union names several.
    const nested: Representation = {};
    for (const ref of shapeNames(f.type)) {
      const target = byName.get(ref);
      if (!target || inner.has(ref)) continue;
      Object.assign(nested, representationOf(service, target, inner) ?? {});
    }
    if (Object.keys(nested).length) plan[f.name] = nested;
  }
  return Object.keys(plan).length ? plan : undefined;
}

function fieldRepresentation(f: Field): "string" | "bigint" | undefined {
  return has64BitInteger(f.type) && (f.js === "string" || f.js === "bigint") ? f.js : undefined;
}
