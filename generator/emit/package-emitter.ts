// Packages: one npm package per service, and the shared runtime package the client and mock issues fill.
import type { ErrorDef, Ir, JsonValue, Operation, Pagination, Service } from "../ir/types.js";
import { commonErrors, operationErrors } from "../ir/usage.js";
import { stringifyJson } from "../ir/json-text.js";
import { representationOf } from "../ir/representation.js";
import { pageSizeBounds } from "../ir/pagination.js";
import { payloadOptional, protocolOf } from "../protocols/index.js";
import { clientOptionsName } from "../ir/names.js";
import { jsonHeaderText, mdHeader, serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { code } from "./markdown.js";
import type { OperationMetadata, PageSizeBound, PaginationMetadata, ServiceMetadata } from "../../templates/runtime/src/client/metadata.js";
import type { MockOperationMetadata, MockServiceMetadata } from "../../templates/runtime/src/mock/definition.js";
import { runtimeEntries } from "./runtime-emitter.js";
import { docText } from "./symbols.js";

export const RUNTIME_PACKAGE = { name: "@rtc-apigen/runtime", dir: "runtime" };
/** The runtime's module (and subpath) with the helpers the validators build issues with: the build
 * bundles it into each service package (generator/build/build-packages.ts). */
export const VALIDATION_CORE = "validation-core";
export const RUNTIME_VALIDATION_CORE = `${RUNTIME_PACKAGE.name}/${VALIDATION_CORE}`;
export const PACKAGE_VERSION = "0.1.0";

// What metadata.ts holds is read by the runtime's client and by its mock, each through its own type:
// what the emitter writes must satisfy both (until the runtime has one definition).
type GeneratedOperationMetadata = OperationMetadata & MockOperationMetadata;
type GeneratedServiceMetadata = Omit<ServiceMetadata & MockServiceMetadata, "operations"> & { readonly operations: { readonly [method: string]: GeneratedOperationMetadata } };

function errorMap(errors: ErrorDef[]) {
  return Object.fromEntries(errors.map((e) => [String(e.code), { retryable: e.retryable }]));
}

/** The runtime's PaginationMetadata: the style's position field, then what every style has (null where the spec is silent),
 * and the relations' bounds on the page size, so the iterators ask for a page the request may have. */
function paginationMetadata(op: Operation, p: Pagination): PaginationMetadata & GeneratedOperationMetadata["pagination"] {
  const sizeBounds = pageSizeBounds(op).map(({ maximum, when, byText }): PageSizeBound => ({
    maximum,
    when: !when ? null : when.equals !== undefined ? { field: when.field, equals: when.equals, ...(byText ? { text: true } : {}) } : { field: when.field, present: when.present !== false },
  }));
  const rest = { maxSize: p.maxSize ?? null, defaultSize: p.defaultSize ?? null, items: p.items, total: p.total ?? null, sizeBounds };
  if (p.style === "offset") return { style: p.style, offset: p.offset, size: p.size, ...rest };
  if (p.style === "page-number") return { style: p.style, page: p.page, firstPage: p.firstPage, size: p.size, ...rest };
  return {
    style: p.style,
    cursor: p.cursor,
    next: "field" in p.next ? p.next.field : null,
    nextItem: "item" in p.next ? { field: p.next.item, pick: p.next.pick } : null,
    first: p.first ?? null,
    end: p.end ? { field: p.end.field, equals: p.end.equals } : null,
    // A cursor list may have no size field.
    size: p.size ?? null,
    ...rest,
  };
}


function operationMetadata(service: Service, op: Operation): GeneratedOperationMetadata {
  return {
    name: op.name,
    /** The wire key, under the name the protocol's runtime reads (`action`, `command`). */
    ...(op.wire ? { [protocolOf(service).wireField]: op.wire.key } : {}),
    /** The answer holds the response fields beside the envelope's status fields, not inside its payload key. */
    ...(op.payloadAt ? { payloadAt: op.payloadAt } : {}),
    regions: { required: op.regions.required, values: op.regions.values },
    rateLimit: op.rateLimit ? { requests: op.rateLimit.requests, per: op.rateLimit.per } : null,
    pagination: op.pagination ? paginationMetadata(op, op.pagination) : null,
    timeWindows: op.timeWindows.map(({ loc: _loc, at: _at, source: _source, description: _d, ...w }) => w),
    /** The operation's own codes; look up `commonErrors` for the rest. */
    errors: errorMap(operationErrors(op)),
    /** The code the service answers for each kind of invalid request. */
    validationErrors: { codes: op.validationErrors.codes, fields: op.validationErrors.fields },
    /** 64-bit fields of the payloads held as strings or bigints, for the lossless JSON parse. */
    requestRepresentation: representationOf(service, op.request) ?? null,
    responseRepresentation: representationOf(service, op.response) ?? null,
    /** The envelope may leave the payload out (a Chat command that returns nothing): it stands for `{}`. */
    ...(payloadOptional(service, op) ? { payloadOptional: true } : {}),
    /** What the mock does with its state for this operation. */
    mock: op.mock
      ? {
          resource: op.mock.resource,
          action: op.mock.action,
          key: op.mock.key ?? null,
          ...(op.mock.keyFrom ? { keyFrom: { side: op.mock.keyFrom.side, path: op.mock.keyFrom.path } } : {}),
          ...(op.mock.conflict !== undefined ? { conflict: op.mock.conflict } : {}),
          ...(op.mock.sets ? { sets: { state: op.mock.sets.state } } : {}),
          notFound: op.mock.notFound ?? null,
          requires: op.mock.requires.map((r) => ({ state: r.state, withinSeconds: r.withinSeconds ?? null, error: r.error ?? null })),
          filters: op.mock.filters.map((f) => ({ field: f.field, matches: f.matches, paging: f.paging, total: f.total })),
        }
      : null,
  };
}

export function serviceMetadata(service: Service): GeneratedServiceMetadata {
  return {
    id: service.id,
    title: service.title,
    protocol: service.protocol,
    endpoints: service.endpoints.map((e) => ({ id: e.id, host: e.host, ...(e.backup ? { backup: e.backup } : {}), ...(e.region ? { region: e.region } : {}), default: e.isDefault })),
    regions: { required: service.regions.required, values: service.regions.values },
    commonErrors: errorMap(commonErrors(service)),
    resources: Object.fromEntries(service.resources.map((r) => [r.name, { description: r.description, key: r.key }])),
    operations: Object.fromEntries(service.operations.map((op) => [op.method, operationMetadata(service, op)])),
  };
}

/** The module-level name of an operation's metadata literal in metadata.ts (the standalone functions import it). */
export function operationMetadataName(op: Operation): string {
  return `${op.method}Operation`;
}

/** The service-level parts of `metadata`, each a const of its own: what the core client needs without any operation. */
const SERVICE_PARTS = ["protocol", "endpoints", "regions", "commonErrors"] as const;

/**
 * Literals printed straight from canonical JSON (ts-morph's writer would re-indent them and prettier
 * would spend most of a large run on them, for the same text). Each operation's metadata is a const
 * of its own and `metadata` is assembled from names, with no spread or call: a bundler drops the
 * literals of operations an app never calls (an object literal of names has no side effects). Every
 * const is declared with the runtime's type of what it holds (`OperationData`): inferred, the
 * declarations would repeat every literal as a type, the largest .d.ts of a package for data that
 * is read at run time.
 */
function metadataSource(service: Service): string {
  const all = serviceMetadata(service);
  // The metadata is JSON data (typed above as the runtime reads it).
  const json = (v: unknown) => stringifyJson(v as JsonValue, 2);
  const doc = `/** What the spec says about ${docText(service.title)}, as data: endpoints, regions, the errors every operation shares (\`commonErrors\`), and per operation the rate limit, pagination, time windows and its own errors (by code, with whether a retry can help). */`;
  const object = (lines: string[], sep: string) => `{\n${lines.map((l) => `  ${l}${sep}`).join("\n")}\n}`;
  const head = [`id: ${JSON.stringify(all.id)}`, `title: ${JSON.stringify(all.title)}`, ...SERVICE_PARTS];
  const operationsType = object(service.operations.map((op) => `readonly ${JSON.stringify(op.method)}: OperationData`), ";").replace(/\n/g, "\n  ");
  const operations = object(service.operations.map((op) => `${JSON.stringify(op.method)}: ${operationMetadataName(op)}`), ",").replace(/\n/g, "\n  ");
  return [
    `import type { OperationMetadata, ServiceMetadata } from "${RUNTIME_PACKAGE.name}";`,
    `import type { MockOperationMetadata, MockServiceMetadata } from "${RUNTIME_PACKAGE.name}/mock";\n`,
    "/** What the client and the mock read of an operation. */",
    // The wire key is the protocol's own field (a protocol from a plugin names one the runtime's type does not list).
    `type OperationData = OperationMetadata & MockOperationMetadata & { readonly ${JSON.stringify(protocolOf(service).wireField)}: string };`,
    "/** What the client and the mock read of the service, besides its resources and operations. */",
    `type ServiceData = Omit<ServiceMetadata & MockServiceMetadata, "resources" | "operations">;\n`,
    ...SERVICE_PARTS.map((part) => `const ${part}: ServiceData[${JSON.stringify(part)}] = ${json(all[part])};\n`),
    `const resources: MockServiceMetadata["resources"] = ${json(all.resources)};\n`,
    `/** ${docText(service.title)} without its operations: what a core client needs before any operation is called. */`,
    `export const serviceMetadata: ServiceData = ${object(head, ",")};\n`,
    ...service.operations.map((op) => `export const ${operationMetadataName(op)}: OperationData = ${json(all.operations[op.method])};\n`),
    doc,
    `export const metadata: ServiceData & {\n  readonly resources: MockServiceMetadata["resources"];\n  readonly operations: ${operationsType};\n} = ${object([...head, "resources", `operations: ${operations}`], ",")};\n`,
  ].join("\n");
}

/** ES modules only: one condition set for `import` and `require` alike (Node >= 20.19, Bun and Deno
 * `require()` an ES module without a flag, and the entries have no top-level await, which would stop that). */
function entry(name: string) {
  return { types: `./dist/esm/${name}.d.ts`, default: `./dist/esm/${name}.js` };
}
const ENTRY = entry("index");
/** Every package has a \`/mock\` subpath: the mock never loads with a client. */
const MOCK_ENTRY = entry("mock");

/** \`<package>/<subpath>\` for resolvers without \`exports\` (TypeScript's node10): a folder with its own package.json. */
function subpathStub(dir: string, subpath: string, sources: string[]): GeneratedFile {
  return {
    path: `${dir}/${subpath}/package.json`,
    content: JSON.stringify({ "//": jsonHeaderText(sources), main: `../dist/esm/${subpath}.js`, types: `../dist/esm/${subpath}.d.ts` }, null, 2) + "\n",
  };
}

function packageJson(name: string, description: string, sources: string[], extra: { dependencies?: Record<string, string>; files: string[]; exports?: Record<string, string | ReturnType<typeof entry>> }): string {
  return (
    JSON.stringify(
      {
        "//": jsonHeaderText(sources),
        name,
        version: PACKAGE_VERSION,
        description,
        license: "MIT",
        type: "module",
        sideEffects: false,
        engines: { node: ">=20.19" },
        // Built by `npm run build` (dist/esm); in the repository, tsconfig paths point at src/.
        main: ENTRY.default,
        types: ENTRY.types,
        exports: { ".": ENTRY, "./mock": MOCK_ENTRY, ...extra.exports, "./package.json": "./package.json" },
        files: extra.files,
        ...(extra.dependencies ? { dependencies: extra.dependencies } : {}),
      },
      null,
      2,
    ) + "\n"
  );
}

export const packageEmitter: Emitter = {
  name: "package",
  emitService(service): GeneratedFile[] {
    const sources = serviceFiles(service);
    const index = [
      tsHeader(sources),
      `export { ${service.clientName}, type ${clientOptionsName(service.clientName)} } from "./client.js";`,
      // The core client and one function per operation: what a bundled app that calls a few operations imports.
      `export * from "./operations.js";`,
      `export { ApiError, ValidationError, type CallOptions, type ClientErrorCode, type Issue, type ValidationResult } from "${RUNTIME_PACKAGE.name}";`,
      `export type * from "./types.js";`,
      `export { metadata } from "./metadata.js";`,
      `export * from "./validators.js";`,
      "",
    ].join("\n");
    return [
      {
        path: `${service.id}/package.json`,
        content: packageJson(service.packageName, service.packageDescription ?? `${service.title}: a typed client, validators and a mock generated from the spec.`, sources, {
          dependencies: { [RUNTIME_PACKAGE.name]: PACKAGE_VERSION },
          // The code and the README: docs/, schemas/ and openapi.json are the contract artifacts of the
          // repository, committed beside src/, and are not installed (they were most of the installed bytes).
          files: ["dist", "mock", "README.md"],
        }),
      },
      subpathStub(service.id, "mock", sources),
      { path: `${service.id}/src/index.ts`, content: index },
      // A large literal printed from canonical JSON; prettier would spend most of a run on it.
      { path: `${service.id}/src/metadata.ts`, content: tsHeader(sources) + "\n" + metadataSource(service), preformatted: true },
    ];
  },
  emitAll(ir: Ir): GeneratedFile[] {
    const sources = ["generator/emit/package-emitter.ts"];
    // Every module at the top of the runtime's src/ is an entry: `index` the main one, the others subpaths (`mock`, one per protocol...).
    const subpaths = runtimeEntries(ir).filter((e) => e !== "index");
    return [
      {
        path: `${RUNTIME_PACKAGE.dir}/package.json`,
        content: packageJson(RUNTIME_PACKAGE.name, "Shared runtime of the generated packages: signing, transport, retries, validation and mocks.", sources, {
          files: ["dist", ...subpaths, "README.md"],
          exports: Object.fromEntries(subpaths.filter((e) => e !== "mock").map((e) => [`./${e}`, entry(e)])),
        }),
      },
      ...subpaths.map((e) => subpathStub(RUNTIME_PACKAGE.dir, e, sources)),
      {
        path: `${RUNTIME_PACKAGE.dir}/README.md`,
        content: `${mdHeader(sources)}\n# ${RUNTIME_PACKAGE.name}\n\nThe shared runtime of the generated packages (${ir.services.map((s) => code(s.packageName)).join(", ")}). It has no runtime dependencies.\n`,
      },
      {
        path: "tsconfig.json",
        content:
          JSON.stringify(
            {
              "//": jsonHeaderText(sources),
              compilerOptions: {
                target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
                exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, types: ["node"],
                // In the repo the runtime is a folder beside the services; installed, it is a dependency.
                paths: Object.fromEntries([
                  ...[[RUNTIME_PACKAGE.name, RUNTIME_PACKAGE.dir], ...ir.services.map((s) => [s.packageName, s.id])].flatMap(([name, dir]) => [
                    [name, [`./${dir}/src/index.ts`]],
                    [`${name}/mock`, [`./${dir}/src/mock.ts`]],
                  ]),
                  ...subpaths.filter((e) => e !== "mock").map((e) => [`${RUNTIME_PACKAGE.name}/${e}`, [`./${RUNTIME_PACKAGE.dir}/src/${e}.ts`]]),
                ]),
              },
              include: ["*/src/**/*.ts"],
            },
            null,
            2,
          ) + "\n",
      },
    ];
  },
};
