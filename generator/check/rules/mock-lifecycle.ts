import {
  compatible,
  createsSeveral,
  fieldAt,
  listItemShape,
  listOfObjectsShape,
  listSegment,
  mappedFields,
  objectShape,
  readShape,
  resourceLifecycle,
  splitAtList,
} from "../../ir/mock-lifecycle.js";
import { isTimeField } from "../../ir/time-order.js";
import type { Field, Operation, Service, Shape } from "../../ir/types.js";
import type { Report, Rule } from "../rule.js";
import { isArray, scalarNames } from "../../ir/type-ref.js";
import { eachShape } from "./walk.js";

export const mockLifecycle: Rule = {
  id: "mock-lifecycle",
  severity: "error",
  description:
    "A `mock:` whose action lacks what it needs (`key` for read, update and delete; `keyFrom` for create; pagination over objects for list) or has what it cannot use; a key field missing, not a scalar, or of another type than the resource's key; a key path through more than one list, or a create of several (`keyFrom` through a list) without `attributes.in` naming its request list of objects; `sets` outside an update; `attributes.state` naming a field the answer lacks or values it cannot hold; `conflict` without a caller-named key, or undocumented; `attributes` naming fields the operation lacks, or renaming a field onto an attribute of another type; a shape's `order:` naming a field that is not a time.",
  check(ir, report) {
    for (const service of ir.services) {
      for (const op of service.operations) if (op.mock) checkOperation(service, op, report);
      for (const { shape } of eachShape(service)) checkOrder(shape, report);
    }
  },
};

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");
const INTEGER = new Set(["integer", "int32", "uint32", "int64", "uint64"]);

/** Why a field cannot hold the resource's key, if it cannot. */
function keyProblem(f: Field, keyType: "string" | "integer" | undefined): string | undefined {
  const names = scalarNames(f.type);
  if (isArray(f.type) || names.length !== 1) return "must be a single scalar field";
  if (keyType === "integer" && !INTEGER.has(names[0]!)) return "must be an integer field (the resource's key is an integer)";
  if (keyType === "string" && names[0] !== "string") return "must be a string field (the resource's key is a string)";
  return undefined;
}

function checkOperation(service: Service, op: Operation, report: Report) {
  const m = op.mock!;
  const at = (key: string) => m.at[key] ?? m.loc;
  const resource = service.resources.find((r) => r.name === m.resource);
  const codes = new Set(op.errors.map((e) => String(e.code)));
  const action = m.action;

  if (action === "create") {
    if (m.key !== undefined)
      report(at("key"), "a create names where its new key is with `keyFrom` (`response.RoomId` or `request.RoomId`), not `key`");
    if (!m.keyFrom)
      report(at("action"), "a create needs `keyFrom`: `response.<field>` (the mock allocates the key) or `request.<field>` (the caller names it)");
  } else if (m.keyFrom) report(at("keyFrom"), `\`keyFrom\` is for a create; ${article(action)} ${action} names its key with \`key\``);
  if ((action === "read" || action === "update" || action === "delete") && m.key === undefined)
    report(at("action"), `${article(action)} ${action} needs \`key\`: the request field holding the ${m.resource}'s key`);
  if (action === "list") {
    if (m.key !== undefined) report(at("key"), "a list pages through every resource of its kind and takes no `key`");
    if (!op.pagination) report(at("action"), `a list needs \`pagination\` (its items are the ${m.resource}s)`);
    else if (!listItemShape(service, op))
      report(op.pagination.at.items ?? op.pagination.loc, `the items of a list ("${op.pagination.items}") must be objects, one per ${m.resource}`);
  }
  if ((action === "create" || action === "list") && m.notFound !== undefined) report(at("notFound"), `\`notFound\` is not used by a ${action}`);
  if ((action === "create" || action === "list") && m.requires.length) report(at("requires"), `\`requires\` is not used by a ${action}`);

  if (m.sets && action !== "update") report(at("sets"), `\`sets\` changes a resource an update names; ${article(action)} ${action} cannot use it`);
  for (const [key, path] of [
    ["key", m.key],
    ["keyFrom", m.keyFrom?.path],
  ] as const)
    if (path !== undefined && path.split(".").filter((x) => listSegment(x) !== undefined).length > 1)
      report(at(key), `mock ${key} "${path}" goes through more than one list; one \`[]\` at most`);
  if (createsSeveral(op)) {
    const inList =
      m.attributes.in === undefined
        ? undefined
        : listOfObjectsShape(
            service,
            op.request.fields.find((f) => f.name === m.attributes.in),
          );
    if (!inList)
      report(
        at(m.attributes.in === undefined ? "keyFrom" : "attributes"),
        `a create of several (\`keyFrom\` through a list) needs \`attributes.in\`: the request list of objects, one per new ${m.resource}`,
      );
    else if (m.keyFrom!.side === "request" && splitAtList(m.keyFrom!.path.split("."))!.list.join(".") !== m.attributes.in)
      report(at("keyFrom"), `mock keyFrom "${m.keyFrom!.path}" must name a key inside each element of attributes.in "${m.attributes.in}"`);
    if (m.conflict !== undefined && m.keyFrom!.side === "request") report(at("conflict"), "`conflict` is not used by a create of several");
  }
  const state = m.attributes.state;
  if (state) {
    const shape = readShape(service, op);
    const f = shape?.fields.find((x) => x.name === state.field);
    if (!f) report(at("attributes"), `attributes.state field "${state.field}" is not a field of ${shape?.name ?? `${op.name}'s answer`}`);
    else
      for (const [name, value] of Object.entries(state.values)) {
        const names = scalarNames(f.type);
        const fits = typeof value === "string" ? names.includes("string") : names.some((n) => INTEGER.has(n));
        if (!fits || (f.enum && !f.enum.some((e) => e.value === value)))
          report(at("attributes"), `attributes.state: ${JSON.stringify(value)} (${name}) is not a value of ${state.field}`);
      }
  }

  if (m.conflict !== undefined) {
    if (action !== "create" || m.keyFrom?.side !== "request")
      report(at("conflict"), "`conflict` answers a create whose caller names an existing key (`keyFrom: request.…`)");
    else if (!codes.has(String(m.conflict)))
      report(at("conflict"), `mock conflict ${JSON.stringify(m.conflict)} is not a documented error of ${op.name}`);
  }

  // The key fields: present, scalar, of the resource's key type.
  const keyCheck = (path: string, shape: Shape, side: string, key: string) => {
    const f = fieldAt(service, shape, path.split("."));
    if (!f) report(at(key), `mock ${key} "${path}" is not a ${side} field of ${op.name}`);
    else {
      const problem = keyProblem(f, resource?.key);
      if (problem) report(at(key), `mock ${key} "${path}" ${problem}`);
    }
  };
  if (m.keyFrom) keyCheck(m.keyFrom.path, m.keyFrom.side === "request" ? op.request : op.response, m.keyFrom.side, "keyFrom");
  // `key` missing from the request is unknown-reference's to report.
  if (m.key !== undefined && fieldAt(service, op.request, m.key.split("."))) keyCheck(m.key, op.request, "request", "key");

  // Attributes: the names must be fields this operation has.
  const shapes = [
    ...(action === "create" || action === "update" ? [op.request] : []),
    ...[readShape(service, op)].filter((s): s is Shape => s !== undefined),
  ];
  const a = m.attributes;
  if (
    a.in !== undefined &&
    !createsSeveral(op) &&
    !shapes.some((s) =>
      objectShape(
        service,
        s.fields.find((f) => f.name === a.in),
      ),
    )
  )
    report(at("attributes"), `attributes.in "${a.in}" is not an object field of ${shapes.map((s) => s.name).join(" or ")}`);
  const mapped = shapes.flatMap((s) => mappedFields(service, { ...op, mock: { ...m, attributes: { ...a, omit: [] } } }, s));
  const names = new Set(mapped.map((x) => x.field.name));
  for (const name of [...Object.keys(a.rename), ...a.omit])
    if (!names.has(name)) report(at("attributes"), `attributes names "${name}", which is not a field of ${shapes.map((s) => s.name).join(" or ")}`);
  // A renamed field shows an attribute: its type must hold what the writers write.
  if (action !== "create" && action !== "update") {
    const life = resourceLifecycle(service, m.resource);
    for (const x of mapped) {
      if (!(x.field.name in a.rename)) continue;
      const writer = life.writers.get(x.attribute)?.find((w) => !compatible(w, x.field));
      if (writer)
        report(
          at("attributes"),
          `attributes.rename: "${x.field.name}" cannot show attribute "${x.attribute}", which ${writer.name} writes with another type or more enum values`,
        );
    }
  }
}

function checkOrder(shape: Shape, report: Report) {
  for (const o of shape.order ?? []) {
    for (const key of ["first", "then"] as const) {
      const f = shape.fields.find((x) => x.name === o[key]);
      if (!f) report(o.at[key] ?? o.loc, `order ${key} "${o[key]}" is not a field of ${shape.name}`);
      else if (!isTimeField(f))
        report(o.at[key] ?? o.loc, `order ${key} "${o[key]}" must be a time (an integer with format unix-time, or a date or date-time string)`);
    }
  }
}
