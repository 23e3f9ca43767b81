import type { Field, Operation, Service, Shape, TypeRef } from "../../ir/types.js";
import { fieldAt } from "../../ir/mock-lifecycle.js";
import { ValueChecker } from "../../ir/check-value.js";
import { besideStatusProtocols, envelopeOf, findProtocol } from "../../protocols/index.js";
import type { Rule } from "../rule.js";
import { isArray, scalarNames } from "../../ir/type-ref.js";

const isInteger = (f: Field) =>
  !isArray(f.type) &&
  scalarNames(f.type).length > 0 &&
  scalarNames(f.type).every((s) => s !== "string" && s !== "boolean" && s !== "float" && s !== "any");

export const unknownReference: Rule = {
  id: "unknown-reference",
  severity: "error",
  description:
    "Pagination or a time window names a field the operation lacks or of the wrong type (a cursor list: a cursor and `next` of one kind, an integer item field for `next: {item}`, `first` and `end` values their fields hold, `first` where the cursor is required, `end` where `next` is a required integer); a time window, a field's `errors:`, `validationErrors:` or `mock:` names a code the operation does not document, or no code answers an invalid request; `mock:` names an unknown resource or request field, or a filter whose field or item field does not exist; a service without a protocol file.",
  check(ir, report) {
    for (const service of ir.services) {
      if (!service.protocolInfo.file) report(service.loc, `no specs/protocols file declares protocol "${service.protocol.name}"`);
      for (const op of service.operations) checkOperation(service, op, report);
    }
  },
};

function checkOperation(service: Service, op: Operation, report: Parameters<typeof unknownReference.check>[1]) {
  const req = new Map(op.request.fields.map((f) => [f.name, f]));
  const res = new Map(op.response.fields.map((f) => [f.name, f]));
  const codes = new Set(op.errors.map((e) => String(e.code)));
  const p = op.pagination;
  if (p) {
    const integers: Array<readonly [string, string]> =
      p.style === "offset" ? [["offset", p.offset]] : p.style === "page-number" ? [["page", p.page]] : [];
    if (p.size !== undefined) integers.push(["size", p.size]);
    for (const [role, name] of integers) {
      const f = req.get(name);
      if (!f) report(p.at[role] ?? p.loc, `pagination ${role} "${name}" is not a request field of ${op.name}`);
      else if (!isInteger(f)) report(p.at[role] ?? p.loc, `pagination ${role} "${name}" must be an integer field`);
    }
    if (p.style === "cursor") checkCursor(service, op, p, report);
    const items = res.get(p.items);
    if (!items) report(p.at.items ?? p.loc, `pagination items "${p.items}" is not a response field of ${op.name}`);
    else if (!isArray(items.type)) report(p.at.items ?? p.loc, `pagination items "${p.items}" must be an array field`);
    if (p.total !== undefined) {
      const total = res.get(p.total);
      if (!total) report(p.at.total ?? p.loc, `pagination total "${p.total}" is not a response field of ${op.name}`);
      else if (!isInteger(total)) report(p.at.total ?? p.loc, `pagination total "${p.total}" must be an integer field`);
    }
  }
  for (const w of op.timeWindows) {
    if (w.error !== undefined && !codes.has(String(w.error)))
      report(w.at.error ?? w.loc, `time window error ${JSON.stringify(w.error)} is not a documented error of ${op.name}`);
    if (w.kind === "after-event" && !w.event) report(w.loc, "an after-event window needs `event`");
    const names: Array<[string, string]> =
      w.kind === "lookback"
        ? [["field", w.field]]
        : w.kind === "order"
          ? [
              ["field", w.field],
              ["notBefore", w.notBefore],
            ]
          : [];
    for (const [key, n] of names) {
      const f = req.get(n);
      if (!f) report(w.at[key] ?? w.loc, `time window field "${n}" is not a request field of ${op.name}`);
      else if (f.constraints.format !== "unix-time") report(w.at[key] ?? w.loc, `time window field "${n}" must have format unix-time`);
    }
    if (w.kind === "lookback" && !w.withinSeconds) report(w.loc, "a lookback window needs `within`");
  }
  const v = op.validationErrors;
  for (const kind of ["missing", "type", "value", "unknown"] as const)
    if (v.codes[kind] === undefined)
      report(op.loc, `nothing says which error answers an invalid request (${kind}): set validationErrors.${kind} in the service or protocol file`);
  for (const [kind, code] of Object.entries(v.codes))
    if (code !== undefined && !codes.has(String(code)))
      report(v.at[kind as keyof typeof v.at] ?? op.loc, `validationErrors.${kind} ${JSON.stringify(code)} is not a documented error of ${op.name}`);
  for (const f of op.request.fields)
    for (const [kind, code] of Object.entries(f.errors ?? {}))
      if (!codes.has(String(code)))
        report(f.at.errors ?? f.loc, `errors.${kind} ${JSON.stringify(code)} of ${f.name} is not a documented error of ${op.name}`);
  if (op.mock) {
    const m = op.mock;
    const resource = service.resources.find((r) => r.name === m.resource);
    if (!resource)
      report(
        m.at.resource ?? m.loc,
        `mock resource "${m.resource}" is not one of service.yaml \`resources\` (${service.resources.map((r) => r.name).join(", ") || "none"})`,
      );
    if (m.key !== undefined && !fieldAt(service, op.request, m.key.split(".")))
      report(m.at.key ?? m.loc, `mock key "${m.key}" is not a request field of ${op.name}`);
    if (m.notFound !== undefined && !codes.has(String(m.notFound)))
      report(m.at.notFound ?? m.loc, `mock notFound ${JSON.stringify(m.notFound)} is not a documented error of ${op.name}`);
    for (const r of m.requires)
      if (r.error !== undefined && !codes.has(String(r.error)))
        report(r.at.error ?? r.loc, `mock error ${JSON.stringify(r.error)} is not a documented error of ${op.name}`);
    for (const f of m.filters) {
      const field = req.get(f.field);
      if (!field) report(f.at.field ?? f.loc, `mock filter field "${f.field}" is not a request field of ${op.name}`);
      else if (scalarNames(field.type).length === 0)
        report(f.at.field ?? f.loc, `mock filter field "${f.field}" must be a scalar field or a list of scalars`);
      const item = p ? itemShape(service, res.get(p.items)?.type) : undefined;
      if (!p) report(f.loc, `a mock filter narrows the paginated list: ${op.name} has no \`pagination\``);
      else if (item && !item.fields.some((x) => x.name === f.matches))
        report(f.at.matches ?? f.loc, `mock filter matches "${f.matches}", which is not a field of ${item.name} (the items of ${p.items})`);
    }
  }
  const plugin = findProtocol(service.protocol.name);
  if (plugin && !op.wire) report(op.loc, `${op.name} needs \`${plugin.wireField}\` (protocol ${plugin.name})`);
  plugin?.lint?.(service, op, report);
  if (op.payloadAt === "envelope") {
    const status = envelopeOf(service.protocol.name).statusKeys;
    if (status.length === 0)
      report(
        op.loc,
        `\`payload: envelope\` is for ${besideStatusProtocols().join(", ")}: ${service.protocol.name} answers every payload under its payload key`,
      );
    for (const f of op.response.fields)
      if (status.includes(f.name))
        report(f.loc, `response field "${f.name}" is one of the envelope's own fields; with \`payload: envelope\` it cannot be a response field`);
  }
}

const isString = (f: Field) => f.type.kind === "scalar" && f.type.name === "string";

/** A cursor list: the cursor a request field, `next` a response field of the same kind or an integer item field, `first` and `end` values their fields can hold. */
function checkCursor(
  service: Service,
  op: Operation,
  p: Extract<Operation["pagination"], { style: "cursor" }>,
  report: Parameters<typeof unknownReference.check>[1],
) {
  const at = (key: string) => p.at[key] ?? p.loc;
  const cursor = op.request.fields.find((f) => f.name === p.cursor);
  const kindOk = (f: Field) => isString(f) || isInteger(f);
  if (!cursor) report(at("cursor"), `pagination cursor "${p.cursor}" is not a request field of ${op.name}`);
  else if (!kindOk(cursor)) report(at("cursor"), `pagination cursor "${p.cursor}" must be a string or an integer field`);
  const checker = new ValueChecker(service.shapes, { rejectUnknown: false });
  if ("field" in p.next) {
    const next = op.response.fields.find((f) => f.name === (p.next as { field: string }).field);
    if (!next) report(at("next"), `pagination next "${p.next.field}" is not a response field of ${op.name}`);
    else if (!kindOk(next)) report(at("next"), `pagination next "${p.next.field}" must be a string or an integer field`);
    else if (cursor && kindOk(cursor) && isString(cursor) !== isString(next))
      report(at("next"), `pagination next "${p.next.field}" and cursor "${p.cursor}" must be of one kind (both strings or both integers)`);
    // The mock must be able to answer the end of the list: an absent field, "", or the `end` value.
    else if (next.required && !isString(next) && !p.end)
      report(
        at("next"),
        `pagination next "${p.next.field}" is a required integer: \`end\` must say which value (or which other field) ends the list`,
      );
  } else {
    const items = op.response.fields.find((f) => f.name === p.items);
    const shape = itemShape(service, items?.type);
    const field = shape?.fields.find((f) => f.name === (p.next as { item: string }).item);
    if (items && !shape) report(at("next"), `pagination next takes an item field, but the items "${p.items}" are not objects`);
    else if (shape && !field) report(at("next"), `pagination next item "${p.next.item}" is not a field of ${shape.name}`);
    else if (field && !isInteger(field)) report(at("next"), `pagination next item "${p.next.item}" must be an integer field`);
    if (cursor && !isInteger(cursor))
      report(at("cursor"), `pagination cursor "${p.cursor}" must be an integer field: it takes an item's "${p.next.item}"`);
  }
  if (p.first !== undefined && cursor) {
    const issue = checker.checkField(cursor, p.first, p.cursor)[0];
    if (issue) report(at("first"), `pagination first: ${issue.message}`);
  } else if (cursor?.required) {
    report(at("cursor"), `pagination cursor "${p.cursor}" is required: \`first\` must give the first request's cursor (e.g. "")`);
  }
  if (p.end) {
    const end = op.response.fields.find((f) => f.name === p.end!.field);
    if (!end) report(at("end"), `pagination end "${p.end.field}" is not a response field of ${op.name}`);
    else {
      const issue = checker.checkField(end, p.end.equals, p.end.field)[0];
      if (issue) report(at("end"), `pagination end: ${issue.message}`);
      else if (isArray(end.type) || (!isString(end) && !isInteger(end) && !(end.type.kind === "scalar" && end.type.name === "boolean")))
        report(at("end"), `pagination end "${p.end.field}" must be a string, integer or boolean field`);
    }
  }
}

/** The shape of an array field's elements, when they are one. */
function itemShape(service: Service, type: TypeRef | undefined): Shape | undefined {
  if (type?.kind !== "array" || type.items.kind !== "shape") return undefined;
  const name = type.items.name;
  return service.shapes.find((s) => s.name === name);
}
