import { ValueChecker, type ValueIssue } from "../../ir/check-value.js";
import type { Example, Operation, Service } from "../../ir/types.js";
import type { Rule } from "../rule.js";

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
    else if (ex.responsePayload === undefined) issues.push({ path: "response", code: "required", message: "response: the body has no payload object inside the protocol's envelope" });
    else issues.push(...checker.checkShape(op.response, ex.responsePayload, "response"));
  }
  return issues;
}

export const exampleInvalid: Rule = {
  id: "example-invalid",
  severity: "error",
  description: "An example fails its own operation's schema and is not marked `contradicts`, or is marked but fails elsewhere or not at all.",
  check(ir, report) {
    for (const service of ir.services)
      for (const op of service.operations)
        for (const ex of op.examples) {
          const scopes = [ex.suppress, op.suppress, service.suppress];
          const issues = exampleIssues(service, op, ex);
          const declared = new Set(ex.contradicts?.paths ?? []);
          const found = new Set(issues.map((i) => i.path));
          for (const i of issues) if (!declared.has(i.path)) report(ex.loc, `example "${ex.title}": ${i.message}`, scopes);
          for (const p of declared) if (!found.has(p)) report(ex.loc, `example "${ex.title}" is marked to fail at ${p}, but it passes there`, scopes);
        }
  },
};
