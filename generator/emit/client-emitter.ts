// Client: per service, operations.ts (a core client and one function per operation, over the
// runtime's ProtocolClient) and client.ts (a class with one method per operation, and page/item
// iterators where the operation pages, each calling its function), plus the usage snippet the docs show.
import type { Field, JsonValue, Operation, Pagination, Service } from "../ir/types.js";
import { clientOptionsName, coreClientName } from "../ir/names.js";
import { cursorPhrase, pageSizeBounds, pagingRequestFields } from "../ir/pagination.js";
import { representationOf } from "../ir/representation.js";
import { applyRepresentation } from "../../templates/runtime/src/shared/json.js";
import { exampleIssues } from "../ir/example-issues.js";
import { indentCode } from "./indent.js";
import { conditionText } from "./relation-checks.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { operationMetadataName, RUNTIME_PACKAGE } from "./package-emitter.js";
import { docText, lineCommentText, SymbolRegistry, tsLiteral } from "./symbols.js";
import { protocolOf, type ProtocolPlugin } from "../protocols/index.js";


/** The item type of a paginated operation's items field. */
function itemType(op: Operation, symbols: SymbolRegistry): string | undefined {
  const f = op.pagination && op.response.fields.find((x) => x.name === op.pagination!.items);
  if (!f || f.type.kind !== "array") return undefined;
  const inner: Field = { ...f, type: f.type.items };
  return symbols.fieldType(inner);
}

/** How the iterators choose the page size, e.g. "`Limit` defaults to the largest page, 200", and
 * where a relation lowers it, e.g. "; at most 6 when `DataType` is set". */
function pageSizeChoice(op: Operation, p: Pagination): string {
  const bounds = pageSizeBounds(op).map((b) => `at most ${b.maximum}${conditionText(b.when, (n) => `\`${n}\``)}`);
  const lowered = bounds.length ? `; ${bounds.join(", ")}` : "";
  if (p.size === undefined) return "the service chooses the page size";
  if (p.maxSize !== undefined) return `\`${p.size}\` defaults to the largest page, ${p.maxSize}${lowered}`;
  if (p.defaultSize !== undefined) return `\`${p.size}\` defaults to the service's default page, ${p.defaultSize}${lowered}`;
  return `\`${p.size}\` is left to the service unless given${lowered}`;
}

/** Where the page iterator starts and when it stops. */
function pagesPhrase(p: Pagination): string {
  if (p.style === "cursor") {
    const { from, next } = cursorPhrase(p, (n) => `\`${n}\``);
    return `from ${from}, then with ${next}`;
  }
  const from =
    p.style === "offset" ? `from \`${p.offset}\` (default 0, moving by the items received)` : `from \`${p.page}\` (default ${p.firstPage})`;
  const until = p.total !== undefined ? `until \`${p.total}\` items have been seen or a page is empty` : "until a page is shorter than the page size or empty";
  return `${from} ${until}`;
}

/** The request a snippet sends: the first valid example, else values from each required field's example. */
export function snippetRequest(service: Service, op: Operation): Record<string, JsonValue> {
  const plan = representationOf(service, op.request);
  // An error example's request is one the service refuses: a snippet shows a call that succeeds.
  const ex = op.examples.find((e) => !e.contradicts && !e.error && e.request && typeof e.request === "object" && !exampleIssues(service, op, e).some((i) => i.path.startsWith("request")));
  if (ex?.request) return (plan ? applyRepresentation(ex.request, plan) : ex.request) as Record<string, JsonValue>;
  const out: Record<string, JsonValue> = {};
  for (const f of op.request.fields) if (f.required) out[f.name] = (f.example ?? f.default ?? (f.type.kind === "scalar" && f.type.name === "string" ? "" : 0)) as JsonValue;
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

/** One member of the client: a call, or a paginated operation's page or item iterator. */
interface Member {
  op: Operation;
  name: string;
  doc: string;
  request: string;
  returns: string;
  /** The runtime ServiceClient's method and its type argument. */
  runtime: "call" | "pages" | "items";
  typeArg: string;
}

function members(service: Service, op: Operation, symbols: SymbolRegistry): Member[] {
  const req = symbols.shape(op.request.name);
  const res = symbols.shape(op.response.name);
  const out: Member[] = [
    { op, name: op.method, doc: methodDoc(service, op), request: `T.${req}`, returns: `Promise<T.${res}>`, runtime: "call", typeArg: `T.${res}` },
  ];
  const item = itemType(op, symbols);
  if (op.pagination && item) {
    const p = op.pagination;
    const paging = pagingRequestFields(p).map((f) => JSON.stringify(f)).join(" | ");
    const pageReq = `Omit<T.${req}, ${paging}> & Partial<Pick<T.${req}, ${paging}>>`;
    const itemT = /^[A-Z]/.test(item) && !item.includes(" ") ? `T.${item}` : item.replace(/\b([A-Z]\w*)\b/g, "T.$1");
    out.push(
      {
        op,
        name: `${op.method}Pages`,
        doc: `/**\n * Every page of ${op.name}, ${docText(pagesPhrase(p))}; ${docText(pageSizeChoice(op, p))}.\n *\n * @throws {ApiError} as ${op.method}.\n */`,
        request: pageReq,
        returns: `AsyncGenerator<T.${res}, void, undefined>`,
        runtime: "pages",
        typeArg: `T.${res}`,
      },
      {
        op,
        name: `${op.method}Items`,
        doc: `/**\n * Every item of \`${p.items}\` across the pages of ${op.name}.\n *\n * @throws {ApiError} as ${op.method}.\n */`,
        request: pageReq,
        returns: `AsyncGenerator<${itemT}, void, undefined>`,
        runtime: "items",
        typeArg: itemT,
      },
    );
  }
  return out;
}

/** The core client's class name: `LcicClient` → `LcicCore`. */
export function coreClassName(service: Service): string {
  return coreClientName(service.clientName);
}

/** Internal names of operations.ts start with `_`: an operation's method never does (the spec's pattern). */
const opConst = (op: Operation) => `_${op.method}`;

/** The runtime names operations.ts imports: the core's, and its protocol's factory and options type (from the runtime's root, or its own entry point). */
function runtimeImports(protocol: ProtocolPlugin["client"]): string[] {
  const core = ["ApiError", "ProtocolClient", "type CallOptions", "type OperationMetadata", "type OperationValidators"];
  const own = [protocol.factory, `type ${protocol.optionsType} as ProtocolClientOptions`];
  if (!protocol.module) return [`import { ${[core[0], own[0], ...core.slice(1), own[1]].join(", ")} } from "${RUNTIME_PACKAGE.name}";`];
  return [`import { ${core.join(", ")} } from "${RUNTIME_PACKAGE.name}";`, `import { ${own.join(", ")} } from "${RUNTIME_PACKAGE.name}/${protocol.module}";`];
}

/**
 * operations.ts: the core client (options, credentials, transport; no operation) and one function
 * per operation taking it first. Each function reaches its operation's metadata and validators by
 * name and registers them with the core on its first call, so a bundler keeps only the operations
 * an app imports; nothing at module level has a side effect (`sideEffects: false` holds).
 */
export function emitOperationsSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const core = coreClassName(service);
  const optionsType = clientOptionsName(service.clientName);
  // The core client names its protocol's factory, so a bundle holds one protocol.
  const protocol = protocolOf(service).client;
  const descriptors = service.operations.map((op) => {
    const req = symbols.shape(op.request.name);
    const res = symbols.shape(op.response.name);
    return `const ${opConst(op)}: Operation = { method: ${JSON.stringify(op.method)}, metadata: M.${operationMetadataName(op)}, validators: { request: V.validate${req}, response: V.validate${res} } };`;
  });
  const functions = service.operations.flatMap((op) =>
    members(service, op, symbols).map((m) => {
      const doc = m.doc.replace(/\n \*\/$/, `\n *\n * @param client an {@link ${core}} or a {@link ${service.clientName}}.\n */`);
      // async (and async function*): a wrong first argument rejects, or throws at the first `next()`, as a call's failures do.
      const runtimeCall = `_clientOf(client, ${opConst(op)}).${m.runtime}<${m.typeArg}>(${JSON.stringify(op.method)}, request, options)`;
      const body = m.runtime === "call" ? `return ${runtimeCall};` : `yield* ${runtimeCall};`;
      return `${doc}\nexport async function${m.runtime === "call" ? "" : "*"} ${m.name}(client: ${core}, request: ${m.request}, options?: CallOptions): ${m.returns} {\n  ${body}\n}`;
    }),
  );
  return [
    tsHeader(serviceFiles(service)),
    ...runtimeImports(protocol),
    `import * as M from "./metadata.js";`,
    `import type * as T from "./types.js";`,
    `import * as V from "./validators.js";`,
    "",
    `/** Options of {@link ${core}} and {@link ${service.clientName}}: credentials, endpoint, region, timeouts, retries, rate limiting, validation, transport and hooks. */`,
    `export type ${optionsType} = ProtocolClientOptions;`,
    "",
    "/** One operation as its function hands it to the core: its metadata and validators. */",
    "interface Operation {",
    "readonly method: string;",
    "readonly metadata: OperationMetadata;",
    "readonly validators: OperationValidators;",
    "}",
    "",
    "/** Per core client: the runtime's client, over the operations called through it so far. */",
    "interface Registry {",
    "readonly client: ProtocolClient;",
    "readonly operations: Record<string, OperationMetadata>;",
    "readonly validators: Record<string, OperationValidators>;",
    "}",
    "",
    `const _registries = /* @__PURE__ */ new WeakMap<${core}, Registry>();`,
    "",
    `/**
 * ${docText(service.title)}, without its operations: call each with the function of the same name,
 * the client first (\`await ${service.operations[0]?.method ?? "operation"}(client, request)\`). A bundler keeps only the
 * operations an app imports. {@link ${service.clientName}} is this class with one method per operation.
 * Requests are validated before sending, ${protocolOf(service).client.authPhrase}, rate-limited to the spec's
 * limits and retried when a retry can help; responses are parsed without precision loss.
 */`,
    `export class ${core} {`,
    `constructor(options: ${optionsType} = {}) {`,
    "const operations: Record<string, OperationMetadata> = {};",
    "const validators: Record<string, OperationValidators> = {};",
    `_registries.set(this, { client: new ProtocolClient({ ...M.serviceMetadata, operations }, validators, options, ${protocol.factory}), operations, validators });`,
    "}",
    "}",
    "",
    `/** The runtime client of \`client\`, with \`operation\` registered. */`,
    `function _clientOf(client: ${core}, operation: Operation): ProtocolClient {`,
    "const registry = _registries.get(client);",
    `if (!registry) throw new ApiError({ code: "ClientError.Configuration", message: \`\${operation.metadata.name}: the first argument must be a client made with new ${core}() or new ${service.clientName}()\`, operation: operation.metadata.name });`,
    "registry.operations[operation.method] ??= operation.metadata;",
    "registry.validators[operation.method] ??= operation.validators;",
    "return registry.client;",
    "}",
    "",
    ...descriptors,
    "",
    functions.join("\n\n"),
    "",
  ].join("\n");
}

/** client.ts: the full client, the core with one method per operation (each calls the function of the same name). */
export function emitClientSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const core = coreClassName(service);
  const methods = service.operations.flatMap((op) =>
    members(service, op, symbols).map((m) => `${m.doc}\n${m.name}(request: ${m.request}, options?: CallOptions): ${m.returns} {\n  return O.${m.name}(this, request, options);\n}`),
  );
  return [
    tsHeader(serviceFiles(service)),
    `import type { CallOptions } from "${RUNTIME_PACKAGE.name}";`,
    `import * as O from "./operations.js";`,
    `import type * as T from "./types.js";`,
    "",
    `export type { ${clientOptionsName(service.clientName)} } from "./operations.js";`,
    "",
    `/**
 * ${docText(service.title)}: one method per operation, typed from the spec. Requests are validated
 * before sending, ${protocolOf(service).client.authPhrase}, rate-limited to the spec's limits and retried
 * when a retry can help; responses are parsed without precision loss. An app that calls a few
 * operations and is bundled can use {@link O.${core}} and the operations' functions instead.
 */`,
    `export class ${service.clientName} extends O.${core} {`,
    methods.join("\n\n"),
    "}",
    "",
  ].join("\n");
}

export const clientEmitter: Emitter = {
  name: "client",
  emitService(service): GeneratedFile[] {
    return [
      { path: `${service.id}/src/operations.ts`, content: indentCode(emitOperationsSource(service)), preformatted: true },
      { path: `${service.id}/src/client.ts`, content: indentCode(emitClientSource(service)), preformatted: true },
    ];
  },
};
