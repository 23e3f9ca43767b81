// diffIr: what changed between two IRs, each change classified breaking or safe (see change.ts).
import type { Endpoint, Ir, Service } from "../ir/types.js";
import { commonErrors } from "../ir/usage.js";
import { ChangeSink, compareChanges, type Change } from "./change.js";
import { compareOperation, compareRegions } from "./operations.js";

export type { Change, ChangeKind, Severity } from "./change.js";

export function diffIr(base: Ir, head: Ir): Change[] {
  const changes: Change[] = [];
  const heads = new Map(head.services.map((s) => [s.id, s]));
  const baseIds = new Set(base.services.map((s) => s.id));
  for (const b of base.services) {
    const sink = new ChangeSink(changes, b.id);
    const h = heads.get(b.id);
    if (h) compareService(sink, b, h);
    else sink.add("breaking", "service-removed", "", `service removed with its ${b.operations.length} operation(s) and package ${b.packageName}`);
  }
  for (const h of head.services.filter((s) => !baseIds.has(s.id)))
    new ChangeSink(changes, h.id).add("safe", "service-added", "", `new service with ${h.operations.length} operation(s), package ${h.packageName}`);
  return changes.sort(compareChanges);
}

function compareService(sink: ChangeSink, b: Service, h: Service): void {
  const protocol = (s: Service) =>
    Object.entries(s.protocol)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
  if (protocol(b) !== protocol(h)) sink.add("breaking", "protocol-changed", "protocol", `protocol ${protocol(b)} → ${protocol(h)}`);
  if (b.packageName !== h.packageName) sink.add("breaking", "package-renamed", "package", `package ${b.packageName} → ${h.packageName}`);
  if (b.clientName !== h.clientName) sink.add("breaking", "client-renamed", "client", `client class ${b.clientName} → ${h.clientName}`);
  compareEndpoints(sink, b.endpoints, h.endpoints);
  compareRegions(sink, b.regions, h.regions);

  const headShapes = new Set(h.shapes.map((s) => s.name));
  const baseShapes = new Set(b.shapes.map((s) => s.name));
  for (const s of b.shapes.filter((x) => !headShapes.has(x.name)))
    sink.add("breaking", "shape-removed", `types.${s.name}`, `type ${s.name} removed from the package`);
  for (const s of h.shapes.filter((x) => !baseShapes.has(x.name))) sink.add("safe", "shape-added", `types.${s.name}`, `new type ${s.name}`);

  const headCommon = new Set(commonErrors(h).map((e) => String(e.code)));
  const baseCommon = new Set(commonErrors(b).map((e) => String(e.code)));
  for (const e of commonErrors(b).filter((x) => !headCommon.has(String(x.code))))
    sink.add(
      "safe",
      "error-removed",
      `errors[${e.code}]`,
      `common error ${e.code} no longer documented (code that compares with it no longer type-checks against the new package)`,
    );
  for (const e of commonErrors(h).filter((x) => !baseCommon.has(String(x.code))))
    sink.add("safe", "error-added", `errors[${e.code}]`, `common error ${e.code} documented: ${e.description}`);

  const headOps = new Map(h.operations.map((o) => [o.name, o]));
  const baseOps = new Set(b.operations.map((o) => o.name));
  for (const op of b.operations) {
    const other = headOps.get(op.name);
    if (other) compareOperation(sink.forOperation(op.name), b, h, op, other);
    else sink.forOperation(op.name).add("breaking", "operation-removed", "", `operation removed (client method ${op.method})`);
  }
  for (const op of h.operations.filter((o) => !baseOps.has(o.name)))
    sink.forOperation(op.name).add("safe", "operation-added", "", `new operation (client method ${op.method})`);
}

function compareEndpoints(sink: ChangeSink, b: Endpoint[], h: Endpoint[]): void {
  const heads = new Map(h.map((e) => [e.id, e]));
  const baseIds = new Set(b.map((e) => e.id));
  const where = (e: Endpoint) => [e.host, e.backup ? `backup ${e.backup}` : "", e.region ? `region ${e.region}` : ""].filter(Boolean).join(", ");
  for (const e of b) {
    const other = heads.get(e.id);
    if (!other)
      sink.add("breaking", "endpoint-removed", `endpoints[${e.id}]`, `endpoint ${e.id} (${e.host}) removed: clients configured with it fail`);
    else if (where(e) !== where(other))
      sink.add(
        "breaking",
        "endpoint-changed",
        `endpoints[${e.id}]`,
        `endpoint ${e.id} ${where(e)} → ${where(other)}: clients configured with it call elsewhere`,
      );
  }
  for (const e of h.filter((x) => !baseIds.has(x.id))) sink.add("safe", "endpoint-added", `endpoints[${e.id}]`, `endpoint ${e.id} (${e.host}) added`);
  const [bd, hd] = [b.find((e) => e.isDefault), h.find((e) => e.isDefault)];
  if (bd && hd && bd.id !== hd.id)
    sink.add(
      "breaking",
      "default-endpoint-changed",
      "endpoints",
      `default endpoint ${bd.id} (${bd.host}) → ${hd.id} (${hd.host}): clients that name no endpoint call elsewhere`,
    );
}
