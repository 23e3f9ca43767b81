// The usage snippet the docs show per operation: construct the client, call, handle an error and,
// where the operation pages, iterate its items. Type-checked by the docs tests.
import type { Field, JsonValue, Operation, Service } from "../ir/types.js";
import { pagingRequestFields } from "../ir/pagination.js";
import { representationOf } from "../ir/representation.js";
import { applyRepresentation } from "../../templates/runtime/src/shared/json.js";
import { exampleIssues } from "../ir/example-issues.js";
import { itemType, pageSizeChoice } from "./client-members.js";
import { lineCommentText, SymbolRegistry, tsLiteral } from "./symbols.js";
import { protocolOf } from "../protocols/index.js";

/** The request a snippet sends: the first valid example, else values from each required field's example. */
export function snippetRequest(service: Service, op: Operation): Record<string, JsonValue> {
  const plan = representationOf(service, op.request);
  // An error example's request is one the service refuses: a snippet shows a call that succeeds.
  const ex = op.examples.find(
    (e) =>
      !e.contradicts &&
      !e.error &&
      e.request &&
      typeof e.request === "object" &&
      !exampleIssues(service, op, e).some((i) => i.path.startsWith("request")),
  );
  if (ex?.request) return (plan ? applyRepresentation(ex.request, plan) : ex.request) as Record<string, JsonValue>;
  const out: Record<string, JsonValue> = {};
  for (const f of op.request.fields)
    if (f.required) out[f.name] = (f.example ?? f.default ?? (f.type.kind === "scalar" && f.type.name === "string" ? "" : 0)) as JsonValue;
  return out;
}

function credentialsNote(service: Service): string {
  return protocolOf(service).client.credentialsNote;
}

/**
 * Where the operation only accepts recent times (a lookback window), a snippet's example times go
 * stale: rebase every top-level unix-time field on the snippet's clock, one hour inside the window,
 * keeping the example's spans between them. Gives the text per field and the line defining `now`.
 */
function relativeTimes(op: Operation, request: Record<string, JsonValue>): { exprs: Map<string, string>; prelude: string[] } {
  const exprs = new Map<string, string>();
  const lookback = op.timeWindows.find((w) => w.kind === "lookback");
  if (!lookback || lookback.kind !== "lookback") return { exprs, prelude: [] };
  const seconds = (f: Field) => {
    const v = request[f.name];
    return typeof v === "number" ? (f.unit === "milliseconds" ? v / 1000 : v) : undefined;
  };
  const timeFields = op.request.fields.filter((f) => f.constraints.format === "unix-time" && seconds(f) !== undefined);
  const anchor = timeFields.find((f) => f.name === lookback.field);
  if (!anchor) return { exprs, prelude: [] };
  const back = Math.min(3600, Math.floor(lookback.withinSeconds / 2));
  for (const f of timeFields) {
    const offset = Math.round(seconds(f)! - seconds(anchor)!) - back;
    const inSeconds = offset === 0 ? "now" : `now ${offset < 0 ? "-" : "+"} ${Math.abs(offset)}`;
    exprs.set(f.name, f.unit === "milliseconds" ? `(${inSeconds}) * 1000` : inSeconds);
  }
  return { exprs, prelude: ["// The operation only accepts recent times: these are relative to now.", "const now = Math.floor(Date.now() / 1000);"] };
}

/** tsLiteral, with the given fields' values replaced by code. */
function requestLiteral(request: Record<string, JsonValue>, exprs: Map<string, string>): string {
  const marked = Object.fromEntries(Object.entries(request).map(([k, v]) => [k, exprs.has(k) ? `\u0000${k}\u0000` : v]));
  return tsLiteral(marked).replace(/"\\u0000([^"\\]+)\\u0000"/g, (_, k: string) => exprs.get(k)!);
}

/** A complete, type-checked usage example of one operation: construct, call, handle an error, iterate pages. */
export function usageSnippet(service: Service, op: Operation): string {
  const symbols = new SymbolRegistry(service);
  const request = snippetRequest(service, op);
  const times = relativeTimes(op, request);
  const region = op.regions.values[0] ?? service.regions.values[0];
  const options = region && op.regions.required ? `{ region: ${JSON.stringify(region)} }` : "";
  const lines = [
    `import { ApiError, ${service.clientName}, type ${op.name}ErrorCode } from "${service.packageName}";`,
    "",
    credentialsNote(service),
    `const client = new ${service.clientName}(${options});`,
    ...(times.prelude.length ? ["", ...times.prelude] : []),
    "",
    "try {",
    `  const response = await client.${op.method}(${requestLiteral(request, times.exprs)});`,
    `  console.log(response);`,
    "} catch (error) {",
    `  // Every failure is an ApiError: a documented code, a common code, or a ClientError.* code.`,
    `  if (!ApiError.is<${op.name}ErrorCode>(error)) throw error;`,
    `  console.error(error.code, error.message, error.requestId);`,
    "}",
  ];
  const item = itemType(op, symbols);
  if (op.pagination && item) {
    const paging = pagingRequestFields(op.pagination);
    const rest = Object.fromEntries(Object.entries(request).filter(([k]) => !paging.includes(k)));
    lines.push(
      "",
      `// Every item across pages (${lineCommentText(pageSizeChoice(op, op.pagination).replaceAll("`", ""))}).`,
      `for await (const item of client.${op.method}Items(${requestLiteral(rest, times.exprs)})) {`,
      "  console.log(item);",
      "}",
    );
  }
  return lines.join("\n");
}
