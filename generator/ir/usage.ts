// Which shapes a request or a response reaches: request shapes refuse unknown fields, response shapes tolerate them.
import { shapeNames } from "./type-ref.js";
import type { ErrorDef, Operation, Service, Shape } from "./types.js";

/** Errors every operation of the service can return: the service's, then the protocol's common ones. */
export function commonErrors(service: Service): ErrorDef[] {
  const own = new Set(service.serviceErrors.map((e) => String(e.code)));
  return [...service.serviceErrors, ...service.protocolInfo.errors.filter((e) => !own.has(String(e.code)))];
}

/** An operation's own documented errors (those beyond `commonErrors`, or documented again on its page). */
export function operationErrors(op: Operation): ErrorDef[] {
  return op.errors.filter((e) => e.scope === "operation");
}

const shapeMaps = new WeakMap<readonly Shape[], ReadonlyMap<string, Shape>>();

/** The service's shapes by name (the last of a name, as a Map of them makes it), once per shapes list:
 * emitters ask for every operation and every shape. The IR is not changed once built. */
export function shapesByName(service: Service): ReadonlyMap<string, Shape> {
  let byName = shapeMaps.get(service.shapes);
  if (!byName) shapeMaps.set(service.shapes, (byName = new Map(service.shapes.map((s) => [s.name, s]))));
  return byName;
}

/** The shapes reachable from `roots`, roots first, then by name. */
export function reachableShapes(service: Service, roots: Shape[]): Shape[] {
  const byName = shapesByName(service);
  const seen = new Map<string, Shape>();
  const visit = (s: Shape) => {
    if (seen.has(s.name)) return;
    seen.set(s.name, s);
    for (const f of s.fields)
      for (const r of shapeNames(f.type)) {
        const t = byName.get(r);
        if (t) visit(t);
      }
  };
  roots.forEach(visit);
  const rootNames = new Set(roots.map((r) => r.name));
  return [...roots, ...[...seen.values()].filter((s) => !rootNames.has(s.name)).sort((a, b) => a.name.localeCompare(b.name))];
}

export function requestShapeNames(service: Service): Set<string> {
  return new Set(
    reachableShapes(
      service,
      service.operations.map((o: Operation) => o.request),
    ).map((s) => s.name),
  );
}
