// Whether an example holds to its operation: the request and response against their shapes, an error
// example against the protocol's error envelope and the operation's codes. The example-invalid rule
// reports these; the client and mock emitters use only the examples without any.
import { envelopeOf } from "../protocols/index.js";
import { ValueChecker, type ValueIssue } from "./check-value.js";
import type { Example, Operation, Service } from "./types.js";

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
    else if (ex.responsePayload === undefined)
      issues.push({ path: "response", code: "required", message: "response: the body has no payload object inside the protocol's envelope" });
    else issues.push(...checker.checkShape(op.response, ex.responsePayload, "response"));
  }
  return issues;
}

/** An error example: the envelope in the protocol's form, and a code the operation documents (its own, the service's or the protocol's). */
function errorAnswerIssues(service: Service, op: Operation, ex: Example): ValueIssue[] {
  const { errorOf, errorCodePath: path } = envelopeOf(service.protocol.name);
  const envelope = errorOf(ex.response!);
  const issues: ValueIssue[] = (envelope?.issues ?? []).map((i) => ({ path: i.path, code: "type", message: i.message }));
  const code = ex.error?.code;
  if ((typeof code === "string" || typeof code === "number") && !op.errors.some((e) => String(e.code) === String(code))) {
    issues.push({ path, code: "enum", message: `${path}: ${JSON.stringify(code)} is not an error ${op.name} documents` });
  }
  return issues;
}
