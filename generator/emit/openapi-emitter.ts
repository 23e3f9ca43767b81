// OpenAPI 3.1 document per service (`<service>/openapi.json`), for Swagger UI, Postman, Prism and other
// generators. Schemas use OpenAPI 3.1's JSON Schema 2020-12 dialect.
// The protocol's plugin (generator/protocols/) gives the envelopes, the security scheme, the paths
// and the shared parameters; this file builds the rest: schemas, examples, Operation Objects.
import type { ErrorDef, Example, Field, Ir, JsonValue, Operation, Regions, Service, Shape } from "../ir/types.js";
import { stringifyJson } from "../ir/json-text.js";
import { paginationFacts } from "../ir/pagination.js";
import { has64BitInteger } from "../ir/type-ref.js";
import { payloadOptional, protocolOf } from "../protocols/index.js";
import type { OpenApiContext } from "../protocols/types.js";
import { commonErrors, operationErrors, requestShapeNames } from "../ir/usage.js";
import { jsonHeaderText, serviceFiles, type Emitter, type GeneratedFile } from "./generated-file.js";
import { typeSchema, withoutUndefined as obj, type SchemaDialect } from "./type-schema.js";

type Json = { [key: string]: JsonValue };

const ref = (section: string, name: string): Json => ({ $ref: `#/components/${section}/${name}` });

// Component names outside the spec's identifier form (`^[A-Za-z][A-Za-z0-9_]*$`), so they can never
// collide with a shape.
const envelopeName = (op: Operation) => `${op.response.name}.Envelope`;
const errorEnvelopeName = (service: Service) => `${service.protocol.name}.ErrorEnvelope`;
const exampleName = (op: Operation, i: number, part: "request" | "response") => `${op.name}.${i + 1}.${part}`;

// ---- Schemas ------------------------------------------------------------------------------------

/** `double-int` (format registry): an integer a double holds exactly, which is what `integer` means here.
 * `uint32`/`uint64` are not in the registry yet (OAI#4564) but are what gnostic and others use. */
const INT_FORMAT: Record<string, string> = { integer: "double-int", int32: "int32", uint32: "uint32", int64: "int64", uint64: "uint64" };

const JS_NOTE = {
  number: "In JavaScript a number: the spec asserts it stays within 2^53, and the generated client refuses a larger value rather than round it.",
  bigint: "In JavaScript a bigint, read from the JSON text without rounding.",
  string: "In JavaScript the exact decimal string, read from the JSON text without rounding.",
} as const;

/** Shapes are components; integers carry their format. */
const OPENAPI_3_1: SchemaDialect = { ref: (shape) => ref("schemas", shape), integerFormat: (name) => INT_FORMAT[name]!, enumDescriptions: true };

function fieldSchema(f: Field): Json {
  const js = f.js && has64BitInteger(f.type) ? f.js : undefined;
  const description = js ? `${f.description} ${JS_NOTE[js]}` : f.description;
  const type = typeSchema(f.type, f, OPENAPI_3_1);
  const body = f.nullable ? { anyOf: [type, { type: "null" }] } : type;
  return obj({
    description,
    ...body,
    default: f.default,
    examples: f.example !== undefined ? [f.example] : undefined,
    deprecated: f.deprecated ? true : undefined,
    "x-deprecated": f.deprecated,
    "x-js-type": js,
    "x-unit": f.unit,
    "x-unix-time": f.constraints.format === "unix-time" ? (f.unit ?? "seconds") : undefined,
  });
}

function shapeSchema(shape: Shape, closed: boolean): Json {
  const required = shape.fields.filter((f) => f.required).map((f) => f.name);
  return obj({
    title: shape.name,
    description: shape.description,
    type: "object",
    properties: Object.fromEntries(shape.fields.map((f) => [f.name, fieldSchema(f)])),
    required: required.length ? required : undefined,
    // Requests refuse unknown fields (the services answer UnknownParameter); responses tolerate them.
    additionalProperties: closed ? false : undefined,
  });
}

function codeSchema(service: Service): Json {
  const code = service.protocolInfo.errorCode;
  return obj({ type: code.type, description: code.description, pattern: code.pattern, minimum: code.minimum, maximum: code.maximum });
}

function componentSchemas(service: Service): Record<string, Json> {
  const closed = requestShapeNames(service);
  const shapes = [...service.operations.flatMap((o) => [o.request, o.response]), ...service.shapes];
  return {
    ...Object.fromEntries(shapes.map((s) => [s.name, shapeSchema(s, closed.has(s.name))])),
    ...protocolOf(service).openapi.envelopeSchemas(service, CONTEXT),
  };
}

// ---- Examples -----------------------------------------------------------------------------------

/** Whether the spec marks this part of the example as contradicting its page. */
function contradicted(ex: Example, part: "request" | "response"): boolean {
  return (ex.contradicts?.paths ?? []).some((p) => p === part || p.startsWith(`${part}.`) || p.startsWith(`${part}[`));
}

/** The example parts the spec holds valid, under their component names. */
function exampleParts(op: Operation): Array<{ name: string; part: "request" | "response"; ex: Example }> {
  return op.examples.flatMap((ex, i) =>
    (["request", "response"] as const)
      .filter((part) => ex[part] !== undefined && !contradicted(ex, part))
      .map((part) => ({ name: exampleName(op, i, part), part, ex })),
  );
}

function componentExamples(service: Service): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const op of service.operations)
    for (const { name, part, ex } of exampleParts(op))
      out[name] = obj({
        summary: ex.title,
        description: ex.description ? `${ex.description} (source: ${ex.source})` : `Source: ${ex.source}.`,
        value: ex[part],
      });
  return out;
}

function mediaExamples(ops: Operation[], part: "request" | "response"): Json | undefined {
  const names = ops.flatMap((op) =>
    exampleParts(op)
      .filter((p) => p.part === part)
      .map((p) => p.name),
  );
  // Keyed without the part: Swagger UI and Postman show the key next to the summary.
  return names.length ? Object.fromEntries(names.map((n) => [n.slice(0, n.lastIndexOf(".")), ref("examples", n)])) : undefined;
}

// ---- Operations ---------------------------------------------------------------------------------

function errorList(errors: ErrorDef[]): Json[] {
  return errors.map((e) => obj({ code: e.code, description: e.description, retryable: e.retryable, scope: e.scope }));
}

function regionsExtension(r: Regions): Json {
  return { required: r.required, values: r.values };
}

const commonErrorCounts = new WeakMap<Service, number>();

/** How many codes every operation of the service shares: once per service, not per operation (an
 * emitter recording its reads (write/read-set.ts) pays for every element it looks at). */
function commonErrorCount(service: Service): number {
  let n = commonErrorCounts.get(service);
  if (n === undefined) commonErrorCounts.set(service, (n = commonErrors(service).length));
  return n;
}

function describeOperation(service: Service, op: Operation): string {
  const lines = [op.description];
  if (op.deprecated) lines.push(`**Deprecated:** ${op.deprecated}`);
  if (op.rateLimit) lines.push(`**Rate limit:** ${op.rateLimit.requests} requests per ${op.rateLimit.per} (\`x-rate-limit\`).`);
  if (op.regions.values.length || op.regions.required)
    lines.push(
      `**Regions:** ${op.regions.required ? "required" : "optional"}${op.regions.values.length ? `, one of ${op.regions.values.map((v) => `\`${v}\``).join(", ")}` : ""} (\`x-regions\`).`,
    );
  for (const w of op.timeWindows) lines.push(`**Time window:** ${w.description}`);
  const own = operationErrors(op);
  lines.push(
    own.length
      ? `**Errors** this operation documents:\n\n${own.map((e) => `- \`${e.code}\`${e.retryable ? " (retryable)" : ""}: ${e.description}`).join("\n")}`
      : "**Errors:** this operation documents no codes of its own.",
    `It can also return the ${commonErrorCount(service)} codes common to every operation of the service (${service.protocolInfo.title} and the service's own). ` +
      `\`x-error-codes\` lists all ${op.errors.length}, each with whether a retry can help.`,
  );
  return lines.join("\n\n");
}

function operationExtensions(op: Operation): Json {
  return obj({
    "x-error-codes": errorList(op.errors),
    "x-rate-limit": op.rateLimit ? { requests: op.rateLimit.requests, per: op.rateLimit.per } : undefined,
    "x-regions": regionsExtension(op.regions),
    "x-time-windows": op.timeWindows.length
      ? op.timeWindows.map(({ loc: _l, at: _a, source: _s, ...w }) => obj(w as Record<string, JsonValue | undefined>))
      : undefined,
    "x-pagination": op.pagination ? obj(paginationFacts(op.pagination)) : undefined,
    "x-client-method": op.method,
  });
}

function body(schema: Json, examples: Json | undefined): Json {
  return { "application/json": obj({ schema, examples }) };
}

function requestBody(service: Service, ops: Operation[]): Json {
  const schema = ops.length === 1 ? ref("schemas", ops[0]!.request.name) : { anyOf: ops.map((o) => ref("schemas", o.request.name)) };
  return { required: true, content: body(schema, mediaExamples(ops, "request")) };
}

function responses(service: Service, ops: Operation[]): Json {
  const schema = { anyOf: [...ops.map((o) => ref("schemas", envelopeName(o))), ref("schemas", errorEnvelopeName(service))] };
  const description = protocolOf(service).openapi.responseDescription;
  return { "200": { description, content: body(schema, mediaExamples(ops, "response")) } };
}

function regionParameter(regions: Regions): Json {
  return {
    name: "X-TC-Region",
    in: "header",
    required: regions.required,
    description: regions.required ? "The region; this call requires one." : "The region; sent only when the caller names one.",
    schema: regions.values.length ? { type: "string", enum: regions.values } : { type: "string" },
  };
}

function operationObject(service: Service, op: Operation, parameters: Json[]): Json {
  return obj({
    operationId: op.method,
    summary: op.summary,
    description: describeOperation(service, op),
    tags: [service.id],
    deprecated: op.deprecated ? true : undefined,
    parameters,
    requestBody: requestBody(service, [op]),
    responses: responses(service, [op]),
    ...operationExtensions(op),
  });
}

// ---- Document -----------------------------------------------------------------------------------

function servers(service: Service): Json[] {
  const ordered = [...service.endpoints.filter((e) => e.isDefault), ...service.endpoints.filter((e) => !e.isDefault)];
  return ordered.flatMap((e) => {
    const main = obj({
      url: `https://${e.host}`,
      description: `${e.description} (endpoint \`${e.id}\`${e.isDefault ? ", the default" : ""})`,
      "x-endpoint-id": e.id,
      "x-region": e.region,
    });
    const backup = e.backup
      ? [
          obj({
            url: `https://${e.backup}`,
            description: `Backup host of ${e.host} (endpoint \`${e.id}\`).`,
            "x-endpoint-id": e.id,
            "x-backup": true,
            "x-region": e.region,
          }),
        ]
      : [];
    return [main, ...backup];
  });
}

/** What the protocol plugins build their part of the document from. */
const CONTEXT: OpenApiContext = {
  ref,
  envelopeName,
  errorEnvelopeName,
  codeSchema,
  operationObject,
  requestBody,
  responses,
  errorList,
  regionsExtension,
  regionParameter,
  commonErrors,
  payloadOptional,
};

export function openApiDocument(service: Service): Json {
  const plugin = protocolOf(service).openapi;
  const [schemeName, scheme] = plugin.securityScheme(service);
  const version = service.protocol.version;
  const { paths, pathItems, parameters } = plugin.operations(service, CONTEXT);
  const examples = componentExamples(service);
  return obj({
    openapi: "3.1.0",
    "x-generated-by": jsonHeaderText(serviceFiles(service)),
    info: obj({
      title: service.title,
      description: `${service.description}\n\n${service.protocolInfo.description ?? service.protocolInfo.title}`,
      version,
      "x-package": service.packageName,
      "x-protocol": { ...service.protocol },
    }),
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    servers: servers(service),
    security: [{ [schemeName]: [] }],
    tags: [{ name: service.id, description: service.title }],
    paths,
    components: obj({
      schemas: componentSchemas(service),
      parameters,
      examples: Object.keys(examples).length ? examples : undefined,
      securitySchemes: { [schemeName]: scheme },
      pathItems,
    }),
    "x-regions": regionsExtension(service.regions),
    "x-common-error-codes": errorList(commonErrors(service)),
    "x-sources": service.sources.map((s) => obj({ id: s.id, title: s.title, url: s.url, file: s.file, updated: s.updated })),
  });
}

export const openApiEmitter: Emitter = {
  name: "openapi",
  emitService(service: Service, _ir: Ir): GeneratedFile[] {
    return [{ path: `${service.id}/openapi.json`, content: stringifyJson(openApiDocument(service), 2) + "\n", preformatted: true }];
  },
};
