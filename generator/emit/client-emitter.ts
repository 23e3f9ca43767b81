// Client: per service, a class with one method per operation (and page/item iterators where the
// operation pages) over the runtime's ServiceClient, plus the usage snippet the docs show.
import type { Field, JsonValue, Operation, Pagination, Service } from "../ir/types.js";
import { pageSizeBounds, positionField } from "../ir/pagination.js";
import { representationOf } from "../ir/representation.js";
import { applyRepresentation } from "../../templates/runtime/src/json.js";
import { exampleIssues } from "../check/rules/example-invalid.js";
import { indentCode } from "./indent.js";
import { conditionText } from "./relation-checks.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { RUNTIME_PACKAGE } from "./package-emitter.js";
import { docText, SymbolRegistry, tsLiteral } from "./symbols.js";

const OPTIONS_TYPE = { tc3: "Tc3ClientOptions", "chat-rest": "ChatClientOptions" } as const;

export function optionsTypeName(service: Service): string {
  return `${service.clientName.replace(/Client$/, "")}ClientOptions`;
}

/** The item type of a paginated operation's items field. */
function itemType(op: Operation, symbols: SymbolRegistry): string | undefined {
  const f = op.pagination && op.response.fields.find((x) => x.name === op.pagination!.items);
  if (!f || f.type.kind !== "array") return undefined;
  const inner: Field = { ...f, type: f.type.items };
  return symbols.fieldType(inner);
}

/** How the iterators choose the page size, e.g. "`Limit` defaults to the largest page, 200", and
 * where a relation lowers it, e.g. "(at most 6 when `DataType` is set)". */
function pageSizeChoice(op: Operation, p: Pagination): string {
  // A value's line separators escaped: the phrase also lands in a line comment of the snippet.
  const show = (v: string) => v.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const bounds = pageSizeBounds(op).map((b) => `at most ${b.maximum}${conditionText(b.when, (n) => `\`${n}\``, show)}`);
  const lowered = bounds.length ? ` (${bounds.join(", ")})` : "";
  if (p.maxSize !== undefined) return `\`${p.size}\` defaults to the largest page, ${p.maxSize}${lowered}`;
  if (p.defaultSize !== undefined) return `\`${p.size}\` defaults to the service's default page, ${p.defaultSize}${lowered}`;
  return `\`${p.size}\` is left to the service unless given${lowered}`;
}

/** Where the page iterator starts and when it stops. */
function pagesPhrase(p: Pagination): string {
  const from =
    p.style === "offset" ? `from \`${p.offset}\` (default 0, moving by the items received)` : `from \`${p.page}\` (default ${p.firstPage})`;
  const until = p.total !== undefined ? `until \`${p.total}\` items have been seen or a page is empty` : "until a page is shorter than the page size or empty";
  return `${from} ${until}`;
}

/** The request a snippet sends: the first valid example, else values from each required field's example. */
export function snippetRequest(service: Service, op: Operation): Record<string, JsonValue> {
  const plan = representationOf(service, op.request);
  const ex = op.examples.find((e) => !e.contradicts && e.request && typeof e.request === "object" && !exampleIssues(service, op, e).some((i) => i.path.startsWith("request")));
  if (ex?.request) return (plan ? applyRepresentation(ex.request, plan) : ex.request) as Record<string, JsonValue>;
  const out: Record<string, JsonValue> = {};
  for (const f of op.request.fields) if (f.required) out[f.name] = (f.example ?? f.default ?? (f.type.kind === "scalar" && f.type.name === "string" ? "" : 0)) as JsonValue;
  return out;
}

function credentialsNote(service: Service): string {
  return service.protocol.name === "tc3"
    ? "// Credentials: pass { credentials: { secretId, secretKey } }, or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY."
    : "// Credentials: pass { credentials: { sdkAppId, identifier, key } }, or set TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_IDENTIFIER and TENCENT_CHAT_SECRET_KEY.";
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
    const position = positionField(op.pagination);
    const rest = Object.fromEntries(Object.entries(request).filter(([k]) => k !== position && k !== op.pagination!.size));
    lines.push(
      "",
      `// Every item across pages (${pageSizeChoice(op, op.pagination).replaceAll("`", "")}).`,
      `for await (const item of client.${op.method}Items(${requestLiteral(rest, times.exprs)})) {`,
      "  console.log(item);",
      "}",
    );
  }
  return lines.join("\n");
}

function methodDoc(service: Service, op: Operation, extra: string[] = []): string {
  const lines = [docText(op.summary), "", docText(op.description)];
  const facts: string[] = [];
  if (op.rateLimit) facts.push(`Rate limit: ${op.rateLimit.requests} requests per ${op.rateLimit.per} (the client queues a burst instead of failing it).`);
  if (op.regions.required) facts.push(`Region required${op.regions.values.length ? `: one of ${op.regions.values.join(", ")}` : ""}.`);
  else if (op.regions.values.length) facts.push(`Regions: ${op.regions.values.join(", ")}.`);
  for (const w of op.timeWindows) facts.push(`Time window: ${docText(w.description)}`);
  if (facts.length) lines.push("", ...facts);
  lines.push(...extra, "", `@throws {ApiError} with a code of \`${op.name}ErrorCode\` or \`ClientErrorCode\`, the message and the request id.`, `@see docs/${op.name}.md`);
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */`;
}

export function emitClientSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const optionsType = optionsTypeName(service);
  const typeImports = new Set<string>();
  const methods = service.operations.flatMap((op) => {
    const req = symbols.shape(op.request.name);
    const res = symbols.shape(op.response.name);
    typeImports.add(req).add(res);
    const out = [
      `${methodDoc(service, op)}
  ${op.method}(request: T.${req}, options?: CallOptions): Promise<T.${res}> {
    return this.#core.call<T.${res}>(${JSON.stringify(op.method)}, request, options);
  }`,
    ];
    const item = itemType(op, symbols);
    if (op.pagination && item) {
      const p = op.pagination;
      const paging = `${JSON.stringify(positionField(p))} | ${JSON.stringify(p.size)}`;
      const pageReq = `Omit<T.${req}, ${paging}> & Partial<Pick<T.${req}, ${paging}>>`;
      const itemT = /^[A-Z]/.test(item) && !item.includes(" ") ? `T.${item}` : item.replace(/\b([A-Z]\w*)\b/g, "T.$1");
      out.push(
        `/**
   * Every page of ${op.name}, ${pagesPhrase(p)}; ${docText(pageSizeChoice(op, p))}.
   *
   * @throws {ApiError} as ${op.method}.
   */
  ${op.method}Pages(request: ${pageReq}, options?: CallOptions): AsyncGenerator<T.${res}, void, undefined> {
    return this.#core.pages<T.${res}>(${JSON.stringify(op.method)}, request, options);
  }`,
        `/**
   * Every item of \`${op.pagination.items}\` across the pages of ${op.name}.
   *
   * @throws {ApiError} as ${op.method}.
   */
  ${op.method}Items(request: ${pageReq}, options?: CallOptions): AsyncGenerator<${itemT}, void, undefined> {
    return this.#core.items<${itemT}>(${JSON.stringify(op.method)}, request, options);
  }`,
      );
    }
    return out;
  });
  const protocolOptions = OPTIONS_TYPE[service.protocol.name];
  return [
    tsHeader(serviceFiles(service)),
    `import { ServiceClient, type CallOptions, type ${protocolOptions} as ProtocolClientOptions } from "${RUNTIME_PACKAGE.name}";`,
    `import { metadata } from "./metadata.js";`,
    `import type * as T from "./types.js";`,
    `import { validators } from "./validators.js";`,
    "",
    `/** Options of {@link ${service.clientName}}: credentials, endpoint, region, timeouts, retries, rate limiting, validation, transport and hooks. */`,
    `export type ${optionsType} = ProtocolClientOptions;`,
    "",
    `/**
 * ${docText(service.title)}: one method per operation, typed from the spec. Requests are validated
 * before sending, ${service.protocol.name === "tc3" ? "signed with TC3-HMAC-SHA256" : "authenticated with a UserSig in the query"}, rate-limited to the spec's limits and retried
 * when a retry can help; responses are parsed without precision loss.
 */`,
    `export class ${service.clientName} {`,
    `  readonly #core: ServiceClient<typeof metadata>;`,
    "",
    `  constructor(options: ${optionsType} = {}) {`,
    `    this.#core = new ServiceClient(metadata, validators, options);`,
    "  }",
    "",
    "  " + methods.join("\n\n  "),
    "}",
    "",
  ].join("\n");
}

export const clientEmitter: Emitter = {
  name: "client",
  emitService(service): GeneratedFile[] {
    return [{ path: `${service.id}/src/client.ts`, content: indentCode(emitClientSource(service)), preformatted: true }];
  },
};
