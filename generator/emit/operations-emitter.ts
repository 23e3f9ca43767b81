// operations.ts, per service: the core client (options, credentials, transport; no operation) and one
// function per operation taking it first; the import planner writes the imports from the symbols the
// declarations use. Written as text, in the layout ts-morph's printer gave it
// (test/emit/client-emitter-text.test.ts holds that printer as the reference): an edit that
// re-emits a service's client then loads neither ts-morph nor TypeScript.
import type { Operation, Service, Shape } from "../ir/types.js";
import { scalarNames, shapeNames } from "../ir/type-ref.js";
import { shapesByName } from "../ir/usage.js";
import { clientOptionsName } from "../ir/names.js";
import { serviceFiles, tsHeader } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { coreClassName, members, type Member } from "./client-members.js";
import { operationMetadataName } from "./metadata-emitter.js";
import { RUNTIME_PACKAGE } from "./runtime-package.js";
import { CLIENT_SYMBOLS } from "./runtime-symbols.js";
import { docText, SymbolRegistry } from "./symbols.js";
import { block, functionText, INDENT, type FunctionDecl } from "./statements.js";
import { docCommentText } from "./doc-comment.js";
import { protocolOf } from "../protocols/index.js";

/** Internal names of operations.ts start with `_`: an operation's method never does (the spec's pattern). */
const opConst = (op: Operation) => `_${op.method}`;

/** A response's fields declared with a type other than `any` (the runtime's OperationValidators.typedFields). */
type TypedFields = { [name: string]: 1 | TypedFields };

/** The typed fields of `shape`: `1` a field, an object a field holding a shape (a shape met again inside itself: `1`). */
export function typedFieldsOf(service: Service, shape: Shape, seen: ReadonlySet<string> = new Set()): TypedFields {
  const inner = new Set([...seen, shape.name]);
  const fields: TypedFields = {};
  for (const f of shape.fields) {
    if (scalarNames(f.type).includes("any")) continue;
    const nested = shapeNames(f.type)
      .filter((name) => !inner.has(name))
      .map((name) => shapesByName(service).get(name))
      .filter((s): s is Shape => s !== undefined);
    fields[f.name] = nested.length ? Object.assign({}, ...nested.map((s) => typedFieldsOf(service, s, inner))) : 1;
  }
  return fields;
}

/**
 * The descriptor an operation's functions hand the core: its metadata, request validator and the
 * response's typed fields, by name. Not the response validator: a bundle holds it only when the app
 * passes it (`responseValidators`) or uses the class client. A function that makes it, called on the
 * operation's first call through a client: a cold import evaluates no object per operation, and
 * parses the typed fields' text only as a function body (issue 15).
 */
function descriptor(service: Service, op: Operation, symbols: SymbolRegistry, variant: ClientVariant): string {
  const M = symbols.imports.namespace("./metadata.js", "M");
  const V = validatorsRef(symbols, variant);
  const json = JSON.stringify(typedFieldsOf(service, op.response));
  // Single-quoted when it can be (field names never hold a quote): no escaped double quotes.
  const typed = /['\\]/.test(json) ? JSON.stringify(json) : `'${json}'`;
  const validators = `{ request: ${V}.validate${symbols.shape(op.request.name)}, typedFields: ${typed} }`;
  return `function ${opConst(op)}(): Operation {\n${INDENT}return { metadata: ${M}.${operationMetadataName(op)}, validators: ${validators} };\n}\n`;
}

/**
 * Where a service's client code reaches its validators. `bundled` (bundlers: package.json's `module`,
 * `worker` and `browser` conditions): a static import, so a one-operation bundle keeps that
 * operation's validator only. `node` (the default condition): validators-lazy.ts, which loads the
 * validators module on the first call (with the runtime's call path), so a cold import in Node does
 * not parse it (issue 15: it was about 70% of LCIC's import CPU).
 */
export type ClientVariant = "bundled" | "node";

/** The module with the validators' names: the validators themselves, or the node variant's lazy binding of them. */
export const VALIDATORS_LAZY = "validators-lazy";

/** `V`, whose properties are the validators. */
function validatorsRef(symbols: SymbolRegistry, variant: ClientVariant): string {
  return variant === "bundled" ? symbols.imports.namespace("./validators.js", "V") : symbols.imports.named(`./${VALIDATORS_LAZY}.js`, "V");
}

/** A module of the node variant: the source file of `module` ("operations", "client") in it. */
export function variantModule(module: string, variant: ClientVariant): string {
  return variant === "bundled" ? module : `${module}-node`;
}

/** Written apart from its parenthesis: the generator's own bundle must hold no dynamic import, even as text (test/cli/precompiled.test.ts). */
const DYNAMIC_IMPORT = "import";

/** validators-lazy.ts (node variant): the validators module as a binding set when it is loaded (the runtime's onDemand). */
export function emitValidatorsLazySource(service: Service): string {
  const what = JSON.stringify(`the package's validators (${service.packageName}/validators)`);
  return `${tsHeader(serviceFiles(service))}
import { onDemand } from "${RUNTIME_PACKAGE.name}";
import type * as Validators from "./validators.js";

/** The validators module, once a call has loaded it (validatorsLoading). */
export let V: typeof Validators;

const validators = /* @__PURE__ */ onDemand(() => ${DYNAMIC_IMPORT}("./validators.js").then((m) => (V = m)), ${what});

/** Loads the validators module on a client's first call: \`undefined\` once loaded, so a call reads its request before it returns. */
export function validatorsLoading(): Promise<unknown> | undefined {
${INDENT}return validators.loaded ? undefined : validators.load();
}
`;
}

/** A member as a function taking the core client first. async (and async function*): a wrong first
 * argument rejects, or throws at the first \`next()\`, as a call's failures do. */
function memberFunction(service: Service, m: Member, symbols: SymbolRegistry, variant: ClientVariant): FunctionDecl {
  const core = coreClassName(service);
  const method = JSON.stringify(m.op.method);
  const runtime = `_clientOf(client, ${method}, ${opConst(m.op)})`;
  // Paging is the runtime's functions, not client methods: an app that pages nothing bundles none of it.
  const runtimeCall =
    m.runtime === "call"
      ? `${runtime}.call<${m.typeArg}>(${method}, request, options)`
      : `${symbols.use(m.runtime === "pages" ? "paginate" : "paginateItems")}<${m.typeArg}>(${runtime}, ${method}, request, options)`;
  return {
    doc: [...m.doc, "", `@param client an {@link ${core}} or a {@link ${service.clientName}}.`],
    exported: true,
    async: m.runtime === "call" ? "async" : "async*",
    name: m.name,
    parameters: [
      ["client", core],
      ["request", m.request],
      ["options?", symbols.use("CallOptions")],
    ],
    returnType: m.returns,
    body:
      variant === "bundled"
        ? [m.runtime === "call" ? `return ${runtimeCall};` : `yield* ${runtimeCall};`]
        : m.runtime === "call"
          ? [`return _ready(() => ${runtimeCall});`]
          : [`await ${symbols.imports.named(`./${VALIDATORS_LAZY}.js`, "validatorsLoading")}();`, `yield* ${runtimeCall};`],
  };
}

/** The core class: it holds the runtime client, made with its protocol's factory (so a bundle holds one protocol). */
function coreClass(service: Service, symbols: SymbolRegistry, factory: string): string {
  const core = coreClassName(service);
  const metadata = symbols.use("OperationMetadata");
  const validators = symbols.use("OperationValidators");
  const M = symbols.imports.namespace("./metadata.js", "M");
  const client = `new ${symbols.use("ProtocolClient")}({ ...${M}.serviceMetadata, operations }, validators, options, ${factory})`;
  const doc = `${docText(service.title)}, without its operations: call each with the function of the same name,
the client first (\`await ${service.operations[0]?.method ?? "operation"}(client, request)\`). A bundler keeps only the
operations an app imports. {@link ${service.clientName}} is this class with one method per operation.
Requests are validated before sending, ${protocolOf(service).client.authPhrase}, rate-limited to the spec's
limits and retried when a retry can help; responses are parsed without precision loss.`;
  const body = [
    `const operations: Record<string, ${metadata}> = {};`,
    `const validators: Record<string, ${validators}> = {};`,
    `_registries.set(this, { client: ${client}, operations, validators });`,
  ];
  return `${docCommentText(doc, "")}export class ${core} {
${INDENT}constructor(options: ${clientOptionsName(service.clientName)} = {}) {
${body.map((l) => `${INDENT}${INDENT}${l}\n`).join("")}${INDENT}}
}
`;
}

/** An interface of readonly properties, documented. */
function readonlyInterface(doc: string, name: string, properties: Array<[name: string, type: string]>): string {
  return `${docCommentText(doc, "")}interface ${name} {\n${properties.map(([n, t]) => `${INDENT}readonly ${n}: ${t};\n`).join("")}}\n`;
}

/** The core's internals: the operation descriptor type and the registry per core client. */
function registry(service: Service, symbols: SymbolRegistry): string {
  const [metadata, validators] = [symbols.use("OperationMetadata"), symbols.use("OperationValidators")];
  const operation = readonlyInterface("One operation as its function hands it to the core: its metadata and validators.", "Operation", [
    ["metadata", `() => ${metadata}`],
    ["validators", validators],
  ]);
  const registryType = readonlyInterface("Per core client: the runtime's client, over the operations called through it so far.", "Registry", [
    ["client", symbols.use("ProtocolClient")],
    ["operations", `Record<string, ${metadata}>`],
    ["validators", `Record<string, ${validators}>`],
  ]);
  return `${operation}\n${registryType}\nconst _registries = /* @__PURE__ */ new WeakMap<${coreClassName(service)}, Registry>();\n`;
}

/** `_clientOf`: the runtime client of a core client, with an operation registered. */
function clientOf(service: Service, symbols: SymbolRegistry): string {
  const core = coreClassName(service);
  const message = `\`\${name}: the first argument must be a client made with new ${core}() or new ${service.clientName}()\``;
  const configurationError = `new ${symbols.use("ApiError")}({ code: "ClientError.Configuration", message: ${message}, operation: name })`;
  return functionText({
    doc: "The runtime client of `client`, with `method` (whose descriptor `operation` makes) registered on its first call.",
    name: "_clientOf",
    parameters: [
      ["client", core],
      ["method", "string"],
      ["operation", "() => Operation"],
    ],
    returnType: symbols.use("ProtocolClient"),
    body: [
      "const registry = _registries.get(client);",
      block("if (!registry)", ["const name = operation().metadata().name;", `throw ${configurationError};`]),
      block("if (!registry.validators[method])", [
        "const { metadata, validators } = operation();",
        "registry.operations[method] = metadata();",
        "registry.validators[method] = validators;",
      ]),
      "return registry.client;",
    ],
  });
}

/** `_ready` (node variant): runs a call once the validators are loaded, at once when they are. */
function ready(symbols: SymbolRegistry): string {
  const loading = symbols.imports.named(`./${VALIDATORS_LAZY}.js`, "validatorsLoading");
  return functionText({
    doc: "Runs `call` once the validators are loaded: at once when they are, so the call reads its request before it returns.",
    name: "_ready<R>",
    parameters: [["call", "() => Promise<R>"]],
    returnType: "Promise<R>",
    body: [`const loading = ${loading}();`, "return loading ? loading.then(call) : call();"],
  });
}

/**
 * operations.ts. Each function reaches its operation's metadata and validators by name and
 * registers them with the core on its first call, so a bundler keeps only the operations an app
 * imports; nothing at module level has a side effect (`sideEffects: false` holds).
 */
export function emitOperationsSource(service: Service, variant: ClientVariant = "bundled"): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(CLIENT_SYMBOLS));
  const core = coreClassName(service);
  const protocol = protocolOf(service).client;
  // The protocol's factory and options type: from the runtime's root, or its own entry point.
  const from = protocol.module ? `${RUNTIME_PACKAGE.name}/${protocol.module}` : RUNTIME_PACKAGE.name;
  const factory = symbols.imports.named(from, protocol.factory);
  const optionsDoc =
    `Options of {@link ${core}} and {@link ${service.clientName}}: ` +
    "credentials, endpoint, region, timeouts, retries, rate limiting, validation, transport and hooks.";
  const options = `${docCommentText(optionsDoc, "")}export type ${clientOptionsName(service.clientName)} = ${symbols.imports.named(from, protocol.optionsType, true, "ProtocolClientOptions")};\n`;
  const declarations = [
    options,
    registry(service, symbols),
    coreClass(service, symbols, factory),
    clientOf(service, symbols),
    ...(variant === "node" ? [ready(symbols)] : []),
  ].join("\n");
  const descriptors = service.operations.map((op) => descriptor(service, op, symbols, variant)).join("\n");
  const functions = service.operations
    .flatMap((op) => members(op, symbols).map((m) => `\n${functionText(memberFunction(service, m, symbols, variant))}`))
    .join("");
  // Every declaration is built above, so every symbol it uses is declared: the imports are complete.
  return `${tsHeader(serviceFiles(service))}\n${symbols.imports.text()}\n${declarations}\n${descriptors}${functions}`;
}
