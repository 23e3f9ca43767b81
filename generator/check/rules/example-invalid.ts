import { ValueChecker, type ValueIssue } from "../../ir/check-value.js";
import { ENVELOPES } from "../../ir/protocols.js";
import type { Example, Operation, Service } from "../../ir/types.js";
import type { Rule } from "../rule.js";
import { eachField } from "./walk.js";

/** Every problem of one example, as `request…`/`response…` paths. */
export function exampleIssues(service: Service, op: Operation, ex: Example): ValueIssue[] {
  const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
  const issues: ValueIssue[] = [];
  if (ex.requestText !== undefined) {
    if (ex.requestParseError) issues.push({ path: "request", code: "type", message: `request: not valid JSON (${ex.requestParseError})` });
    else issues.push(...checker.checkShape(op.request, ex.request, "request"));
  }
  if (ex.responseText !== undefined) {
    if (ex.responseParseError) issues.push({ path: "response", code: "type", message: `response: not valid JSON (${ex.responseParseError})` });
    else if (ex.error) issues.push(...errorAnswerIssues(service, op, ex));
    else if (ex.responsePayload === undefined) issues.push({ path: "response", code: "required", message: "response: the body has no payload object inside the protocol's envelope" });
    else issues.push(...checker.checkShape(op.response, ex.responsePayload, "response"));
  }
  return issues;
}

/** An error example: the envelope in the protocol's form, and a code the operation documents (its own, the service's or the protocol's). */
function errorAnswerIssues(service: Service, op: Operation, ex: Example): ValueIssue[] {
  const envelope = ENVELOPES[service.protocol.name].errorOf(ex.response!);
  const issues: ValueIssue[] = (envelope?.issues ?? []).map((i) => ({ path: i.path, code: "type", message: i.message }));
  const code = ex.error?.code;
  if ((typeof code === "string" || typeof code === "number") && !op.errors.some((e) => String(e.code) === String(code))) {
    const path = service.protocol.name === "tc3" ? "response.Error.Code" : "response.ErrorCode";
    issues.push({ path, code: "enum", message: `${path}: ${JSON.stringify(code)} is not an error ${op.name} documents` });
  }
  return issues;
}

export const exampleInvalid: Rule = {
  id: "example-invalid",
  severity: "error",
  description: "An example (or a field's `example`/`default`) fails its own schema (an error example: the protocol's error envelope and a code the operation documents) and is not marked `contradicts`, or is marked but fails elsewhere or not at all.",
  check(ir, report) {
    for (const service of ir.services) {
      const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
      for (const { field } of eachField(service))
        for (const key of ["example", "default"] as const) {
          const value = field[key];
          if (value === undefined) continue;
          for (const i of checker.checkField(field, value, field.name))
            report(field.at[key] ?? field.loc, `${key} of field "${field.name}": ${i.message.replace(/^[^:]*: /, "")}`);
        }
      for (const op of service.operations)
        for (const ex of op.examples) {
          const issues = exampleIssues(service, op, ex);
          const declared = new Set(ex.contradicts?.paths ?? []);
          const found = new Set(issues.map((i) => i.path));
          for (const i of issues) if (!declared.has(i.path)) report(ex.loc, `example "${ex.title}": ${i.message}`);
          for (const p of declared) if (!found.has(p)) report(ex.loc, `example "${ex.title}" is marked to fail at ${p}, but it passes there`);
        }
    }
  },
};
