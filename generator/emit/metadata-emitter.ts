// metadata.ts of a service package: what the spec says about the service and each operation, as data
// the runtime's client and mock read at run time.
import type { ErrorDef, JsonValue, Operation, Pagination, Service } from "../ir/types.js";
import { commonErrors, operationErrors } from "../ir/usage.js";
import { stringifyJson } from "../ir/json-text.js";
import { representationOf } from "../ir/representation.js";
import { pageSizeBounds } from "../ir/pagination.js";
import { payloadOptional, protocolOf } from "../protocols/index.js";
// The runtime's own declaration of what metadata.ts holds (type-only: the generator never loads the runtime).
import type { MockOperationMetadata, MockServiceMetadata, PageSizeBound, PaginationMetadata } from "../../templates/runtime/src/shared/metadata.js";
import { RUNTIME_PACKAGE } from "./runtime-package.js";
import { docText } from "./symbols.js";

function errorMap(errors: ErrorDef[]) {
  return Object.fromEntries(errors.map((e) => [String(e.code), { retryable: e.retryable }]));
}

/** The runtime's PaginationMetadata: the style's position field, then what every style has (null where the spec is silent),
 * and the relations' bounds on the page size, so the iterators ask for a page the request may have. */
function paginationMetadata(op: Operation, p: Pagination): PaginationMetadata {
  const sizeBounds = pageSizeBounds(op).map(({ maximum, when, byText }): PageSizeBound => ({
    maximum,
    when: !when
      ? null
      : when.equals !== undefined
        ? { field: when.field, equals: when.equals, ...(byText ? { text: true } : {}) }
        : { field: when.field, present: when.present !== false },
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

function operationMetadata(service: Service, op: Operation): MockOperationMetadata {
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

export function serviceMetadata(service: Service): MockServiceMetadata {
  return {
    id: service.id,
    title: service.title,
    protocol: service.protocol,
    endpoints: service.endpoints.map((e) => ({
      id: e.id,
      host: e.host,
      ...(e.backup ? { backup: e.backup } : {}),
      ...(e.region ? { region: e.region } : {}),
      default: e.isDefault,
    })),
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

/**
 * What of an operation's metadata only the mock (and readers of `metadata`) use: the client core never
 * reads them, so they are a lazy value of their own that a client's bundle does not reach.
 */
const MOCK_ONLY = ["timeWindows", "validationErrors", "requestRepresentation", "mock"] as const satisfies ReadonlyArray<keyof MockOperationMetadata>;

/** An operation's metadata as the client reads it, and the rest (MOCK_ONLY) apart. */
export function splitOperationMetadata(all: MockOperationMetadata): { client: Record<string, unknown>; mockOnly: Record<string, unknown> } {
  const client: Record<string, unknown> = { ...all };
  const mockOnly: Record<string, unknown> = {};
  for (const key of MOCK_ONLY) {
    mockOnly[key] = all[key];
    delete client[key];
  }
  return { client, mockOnly };
}

/** The name of the lazy value holding an operation's MOCK_ONLY metadata. */
export function operationMockDataName(op: Operation): string {
  return `${operationMetadataName(op)}Mock`;
}

/** The service-level parts of `metadata`, each a const of its own: what the core client needs without any operation. */
const SERVICE_PARTS = ["protocol", "endpoints", "regions", "commonErrors"] as const;

/**
 * `JSON.parse('…')` of a value's compact JSON text, marked pure. A cold import parses JSON text
 * about twice as fast as the same object literal as JavaScript (measured 3.8 → 2.1 ms for LCIC's
 * metadata), and the mark lets a bundler drop a const nobody reads, as it drops a literal. A bare
 * integer past 2^53 means the same number here as in a literal.
 */
export function jsonParseExpression(value: unknown): string {
  // In a single-quoted string, JSON's own escapes need their backslash escaped; JSON text has no line breaks.
  const text = stringifyJson(value as JsonValue)
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'");
  return `/* @__PURE__ */ JSON.parse('${text}')`;
}

/** The value each `JSON.parse('…')` of `source` (as `metadataSource` writes it) stands for, as a literal: for type checks of the data. */
export function withLiterals(source: string): string {
  return source.replace(/\/\* @__PURE__ \*\/ JSON\.parse\('((?:[^'\\]|\\.)*)'\)/g, (_m, text: string) =>
    stringifyJson(JSON.parse(text.replace(/\\(['\\])/g, "$1")) as JsonValue, 2),
  );
}

/** The arguments of the runtime's `errorTable(codes, retryable)` for `table`: its codes in its (the spec's) order, and those a retry can help. */
function errorTableArguments(table: MockServiceMetadata["commonErrors"]): string {
  const codes = Object.keys(table);
  return `${JSON.stringify(codes)}, ${JSON.stringify(codes.filter((code) => table[code]!.retryable))}`;
}

/** The runtime's `errorTable(codes, retryable)` call that makes `table` (half the bytes of its JSON in a client's bundle). */
export function errorTableExpression(table: MockServiceMetadata["commonErrors"]): string {
  return `/* @__PURE__ */ errorTable(${errorTableArguments(table)})`;
}

/** The validation error codes most of a service's operations answer with (as JSON text), or undefined when it has no operation. */
function sharedValidationCodes(all: MockServiceMetadata): string | undefined {
  const counts = new Map<string, number>();
  for (const op of Object.values(all.operations)) {
    const codes = stringifyJson(op.validationErrors.codes as unknown as JsonValue);
    counts.set(codes, (counts.get(codes) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * An operation's data as metadata.ts writes it: the client's part with its own error codes as the
 * arguments of `withErrors` (its codes and the retryable ones, about half the text of an object per code; `errors: 0`
 * holds the key's place), the mock's part without the validation codes the service's operations share
 * (`withValidationCodes` adds them back). A cold import scans this text, if only as function bodies
 * (issue 15): about a third less of it.
 */
export function compactOperationData(client: Record<string, unknown>, mockOnly: Record<string, unknown>, sharedCodes: string | undefined) {
  const errors = (client.errors ?? {}) as MockServiceMetadata["commonErrors"];
  const validation = mockOnly.validationErrors as MockOperationMetadata["validationErrors"];
  const { codes: own, ...rest } = validation;
  const shared = sharedCodes !== undefined && stringifyJson(own as unknown as JsonValue) === sharedCodes;
  return {
    client: `withErrors(${jsonParseExpression({ ...client, errors: 0 })}, ${errorTableArguments(errors)})`,
    mockOnly: `withValidationCodes(${jsonParseExpression({ ...mockOnly, validationErrors: shared ? rest : validation })})`,
  };
}

/**
 * Each operation's metadata is a function of its own that parses its JSON text on first use (and
 * keeps the result): a cold import parses none of it, and the client parses an operation's data
 * when that operation is first called. `metadata` is assembled from names, with no spread or call
 * at import (its `resources` and `operations` are getters, filled on first read): a bundler drops
 * the data of operations an app never calls. Every value is declared with the runtime's type of
 * what it holds (`OperationData`): inferred, the declarations would repeat every value as a type,
 * the largest .d.ts of a package for data that is read at run time.
 */
export function metadataSource(service: Service): string {
  const all = serviceMetadata(service);
  const json = jsonParseExpression;
  const doc = `/** What the spec says about ${docText(service.title)}, as data: endpoints, regions, the errors every operation shares (\`commonErrors\`), and per operation the rate limit, pagination, time windows and its own errors (by code, with whether a retry can help). */`;
  const object = (lines: string[], sep: string) => `{\n${lines.map((l) => `  ${l}${sep}`).join("\n")}\n}`;
  const head = [`id: ${JSON.stringify(all.id)}`, `title: ${JSON.stringify(all.title)}`, ...SERVICE_PARTS];
  const operationsType = object(
    service.operations.map((op) => `readonly ${JSON.stringify(op.method)}: OperationData & OperationMockData`),
    ";",
  );
  const operations = object(
    service.operations.map((op) => `${JSON.stringify(op.method)}: { ...${operationMetadataName(op)}(), ...${operationMockDataName(op)}() }`),
    ",",
  ).replace(/\n/g, "\n    ");
  /** A function returning `value`, parsed from its JSON text on the first call. */
  const lazy = (name: string, type: string, expression: string, exported: boolean, docLine?: string) =>
    [
      `let ${name}Data: ${type} | undefined;`,
      ...(docLine ? [docLine] : []),
      `${exported ? "export " : ""}const ${name}: () => ${type} = () => (${name}Data ??= ${expression});\n`,
    ].join("\n");
  const sharedCodes = sharedValidationCodes(all);
  const validationCodes = sharedCodes === undefined ? "{}" : json(JSON.parse(sharedCodes));
  return [
    `import { errorTable, type OperationMetadata } from "${RUNTIME_PACKAGE.name}";`,
    `import type { MockOperationMetadata, MockServiceMetadata } from "${RUNTIME_PACKAGE.name}/mock";\n`,
    "/** What the client reads of an operation. */",
    // The wire key is the protocol's own field (a protocol from a plugin names one the runtime's type does not list).
    `type OperationData = OperationMetadata & Pick<MockOperationMetadata, "responseRepresentation"> & { readonly ${JSON.stringify(protocolOf(service).wireField)}: string };`,
    "/** What only the mock (and readers of `metadata`) read of an operation. */",
    `type OperationMockData = Pick<MockOperationMetadata, ${MOCK_ONLY.map((k) => JSON.stringify(k)).join(" | ")}>;`,
    `type ValidationCodes = OperationMockData["validationErrors"]["codes"];`,
    "/** What the client and the mock read of the service, besides its resources and operations. */",
    `type ServiceData = Omit<MockServiceMetadata, "resources" | "operations">;`,
    `/** The operations of \`metadata\`, by client method name. */`,
    `type OperationsData = ${operationsType};\n`,
    ...SERVICE_PARTS.map(
      (part) =>
        `const ${part}: ServiceData[${JSON.stringify(part)}] = ${part === "commonErrors" ? errorTableExpression(all.commonErrors) : json(all[part])};\n`,
    ),
    lazy("resources", `MockServiceMetadata["resources"]`, json(all.resources), false),
    "/** An operation's data with its own error codes as a table (errorTable): its text lists them in the spec's order, and those a retry can help. */",
    `const withErrors = (data: Omit<OperationData, "errors"> & { readonly errors: 0 }, codes: readonly string[], retryable: readonly string[]): OperationData => ({ ...data, errors: errorTable(codes, retryable) });\n`,
    `let validationCodesData: ValidationCodes | undefined;`,
    "/** An operation's mock data with the validation codes most operations share, where its text names none of its own. */",
    `const withValidationCodes = (data: Omit<OperationMockData, "validationErrors"> & { readonly validationErrors: Omit<OperationMockData["validationErrors"], "codes"> & { readonly codes?: ValidationCodes } }): OperationMockData => ({\n  ...data,\n  validationErrors: { codes: (validationCodesData ??= Object.freeze(${validationCodes})), ...data.validationErrors },\n});\n`,
    `/** ${docText(service.title)} without its operations: what a core client needs before any operation is called. */`,
    `export const serviceMetadata: ServiceData = ${object(head, ",")};\n`,
    ...service.operations.map((op) => {
      const parts = splitOperationMetadata(all.operations[op.method]!);
      const { client, mockOnly } = compactOperationData(parts.client, parts.mockOnly, sharedCodes);
      return [
        lazy(
          operationMetadataName(op),
          "OperationData",
          client,
          true,
          `/** ${op.name}'s metadata as the client reads it, parsed on the first call. */`,
        ),
        lazy(operationMockDataName(op), "OperationMockData", mockOnly, false),
      ].join("\n");
    }),
    `let operationsData: OperationsData | undefined;\n`,
    doc,
    `export const metadata: ServiceData & {\n  readonly resources: MockServiceMetadata["resources"];\n  readonly operations: OperationsData;\n} = ${object(
      [...head, "get resources() {\n    return resources();\n  }", `get operations() {\n    return (operationsData ??= ${operations});\n  }`],
      ",",
    )};\n`,
  ].join("\n");
}
