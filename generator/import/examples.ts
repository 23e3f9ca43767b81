// examples.json → spec examples, verbatim. An example the lint's own check rejects is kept and
// marked `contradicts` at exactly the paths that check reports, so the skeleton passes the lint and
// the maintainer sees where the metadata's example and its types disagree.
import { ValueChecker, type ValueIssue } from "../ir/check-value.js";
import { parseJsonText } from "../ir/json-text.js";
import { apiJsonProtocol } from "../protocols/index.js";
import type { Shape } from "../ir/types.js";
import type { ApiExample } from "./api-json.js";
import { oneLine } from "./text.js";

export interface ExampleModel {
  title: string;
  description?: string;
  source: string;
  request?: string;
  response?: string;
  contradicts?: { reason: string; paths: string[] };
}

/** The JSON body of a raw HTTP example (`POST / HTTP/1.1`, headers, blank line, body); a request
 * without a blank line (the GET query-string form some examples use) is kept whole. */
export function requestBody(input: string): string {
  const text = input.replace(/\r\n?/g, "\n");
  const blank = text.indexOf("\n\n");
  return (blank < 0 ? text : text.slice(blank + 2)).replace(/^\n+/, "");
}

/** What the lint's check finds wrong with an example's request and response. */
export function exampleIssues(checker: ValueChecker, request: Shape, response: Shape, ex: Pick<ExampleModel, "request" | "response">): ValueIssue[] {
  const out: ValueIssue[] = [];
  if (ex.request !== undefined) {
    const r = parseJsonText(ex.request);
    if ("error" in r) out.push({ path: "request", code: "type", message: "not JSON" });
    else out.push(...checker.checkShape(request, r.value, "request"));
  }
  if (ex.response !== undefined) {
    const r = parseJsonText(ex.response);
    const { payloadKey: key, errorOf } = apiJsonProtocol().envelope;
    if ("error" in r) out.push({ path: "response", code: "type", message: "not JSON" });
    else if (!r.value || typeof r.value !== "object" || Array.isArray(r.value) || !(key in r.value))
      out.push({ path: "response", code: "required", message: "no envelope" });
    // A published error answer is an example of its own kind: lint checks its code is documented.
    else if (errorOf(r.value)) return out;
    else out.push(...checker.checkShape(response, (r.value as Record<string, never>)[key], "response"));
  }
  return out;
}

const PROBLEMS: Record<string, string> = {
  required: "a required field is missing",
  type: "a value of another type",
  null: "null where the field is not nullable",
  unknown: "a field the spec does not declare",
  precision: "an integer beyond 2^53",
};

function reason(found: ValueIssue[]): string {
  const problems = found.map((i) =>
    i.message === "not JSON"
      ? `the ${i.path} is not a JSON body`
      : i.message === "no envelope"
        ? "the response has no Response envelope"
        : (PROBLEMS[i.code] ?? `a ${i.code} problem`),
  );
  return (
    `Imported as published; against the imported spec it has ${[...new Set(problems)].join(", ")}. ` +
    "TODO(import): decide whether the example or the spec is wrong, fix that, and drop this mark."
  );
}

/**
 * The action's examples. `shapes`: every shape the request and response reach. The response text
 * already carries the protocol's envelope `{"Response": …}`, as the spec format wants.
 */
export function exampleModels(
  action: string,
  list: readonly ApiExample[],
  shapes: Iterable<Shape>,
  request: Shape,
  response: Shape,
  source: string,
): ExampleModel[] {
  const checker = new ValueChecker(shapes, { rejectUnknown: true });
  const titles = new Set<string>();
  return list.map((x, i) => {
    let title = oneLine(x.title) || `${action} example ${i + 1}`;
    for (let n = 2; titles.has(title); n++) title = `${oneLine(x.title) || action} (${n})`;
    titles.add(title);
    const description = oneLine(x.document);
    const ex: ExampleModel = {
      title,
      ...(description && description !== title ? { description } : {}),
      source,
      ...(x.input?.trim() ? { request: requestBody(x.input) } : {}),
      ...(x.output?.trim() ? { response: x.output } : {}),
    };
    const found = exampleIssues(checker, request, response, ex);
    if (found.length) ex.contradicts = { reason: reason(found), paths: [...new Set(found.map((f) => f.path))] };
    return ex;
  });
}
