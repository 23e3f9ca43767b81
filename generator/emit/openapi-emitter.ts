// OpenAPI 3.1 document per service (`<service>/openapi.json`), for Swagger UI, Postman, Prism and other
// generators. Schemas use OpenAPI 3.1's JSON Schema 2020-12 dialect.
//
// Cloud API 3.0 (tc3): every action is `POST /` on the wire, told apart only by the X-TC-Action header,
// while OpenAPI keys an operation by path and method alone (OAI/OpenAPI-Specification#182 and #164:
// no header- or query-keyed operations). The workarounds put something in the path key that is not on
// the wire: `/#Action` fragments (tools percent-encode or route them) or `/?Action=` (a query is not
// allowed in a path key), or `POST /{Action}`, which no tc3 host serves. So `paths` holds the one real
// operation, `POST /`, with X-TC-Action as an enum header and the body `anyOf` the actions' requests
// (anyOf, not oneOf: two actions may accept the same body; the header decides). Each action is also a
// complete Operation Object in `components/pathItems/<Action>` (OpenAPI 3.1 reusable path items, so
// validators check them) with its X-TC-Action `const`, schemas, errors, rate limit and regions;
// `x-tc-actions` on `POST /` points at them, and a tool that needs one operation per action can mount
// one of them at `/`. Chat REST maps one to one: `POST /<version>/<servicename>/<command>`.
import { integerBounds } from "../ir/int-ranges.js";
import type { ErrorDef, Example, Field, Ir, JsonValue, Operation, Regions, Service, Shape, TypeRef } from "../ir/types.js";
import { stringifyJson } from "../ir/json-text.js";
import { paginationFacts } from "../ir/pagination.js";
import { payloadOptional } from "../ir/protocols.js";
import { commonErrors, operationErrors, requestShapeNames } from "../ir/usage.js";
import { jsonHeaderText, serviceFiles, type Emitter, type GeneratedFile } from "./generated-file.js";

type Json = { [key: string]: JsonValue };

/** An object without its undefined members (JSON has no undefined). */
function obj(entries: Record<string, JsonValue | undefined>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return out;
}

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

const asJson = (n: bigint): number | bigint => (n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);

function is64(t: TypeRef): boolean {
  if (t.kind === "scalar") return t.name === "int64" || t.name === "uint64";
  if (t.kind === "array") return is64(t.items);
  return t.kind === "union" && t.members.some(is64);
}

function typeSchema(t: TypeRef, f: Field): Json {
  const c = f.constraints;
  switch (t.kind) {
    case "shape":
      return ref("schemas", t.name);
    case "array":
      return obj({ type: "array", items: typeSchema(t.items, f), minItems: c.minItems, maxItems: c.maxItems });
    case "union":
      return { anyOf: t.members.map((m) => typeSchema(m, f)) };
    case "scalar": {
      if (t.name === "any") return {};
      if (t.name === "boolean") return { type: "boolean" };
      let s: Json;
      if (t.name === "string") {
        const format = c.format && c.format !== "unix-time" ? c.format : undefined;
        s = obj({ type: "string", format, minLength: c.minLength, maxLength: c.maxLength, pattern: c.pattern });
      } else if (t.name === "float") {
        s = obj({ type: "number", minimum: c.minimum, maximum: c.maximum });
      } else {
        const [min, max] = integerBounds(t.name, c);
        s = { type: "integer", format: INT_FORMAT[t.name]!, minimum: asJson(min), maximum: asJson(max) };
      }
      // A union's enum lists values of several types: each member keeps its own.
      const values = (f.enum ?? []).filter((e) => (s.type === "string" ? typeof e.value === "string" : typeof e.value === "number"));
      if (values.length) {
        s.enum = values.map((e) => e.value);
        if (values.some((e) => e.description)) s["x-enum-descriptions"] = values.map((e) => e.description ?? "");
      }
      return s;
    }
  }
}

function fieldSchema(f: Field): Json {
  const js = f.js && is64(f.type) ? f.js : undefined;
  const description = js ? `${f.description} ${JS_NOTE[js]}` : f.description;
  const type = typeSchema(f.type, f);
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

function envelopeSchemas(service: Service): Record<string, Json> {
  const out: Record<string, Json> = {};
  const code = service.protocolInfo.errorCode;
  const codeSchema = obj({ type: code.type, description: code.description, pattern: code.pattern, minimum: code.minimum, maximum: code.maximum });
  if (service.protocol.name === "tc3") {
    for (const op of service.operations)
      out[envelopeName(op)] = {
        title: envelopeName(op),
        description: `The wire body of a successful ${op.name}: the response fields inside \`Response\`.`,
        type: "object",
        properties: { Response: ref("schemas", op.response.name) },
        required: ["Response"],
      };
    out[errorEnvelopeName(service)] = {
      title: errorEnvelopeName(service),
      description: "The wire body of a failed call (HTTP 200 all the same). The codes each operation documents are in its `x-error-codes`.",
      type: "object",
      properties: {
        Response: {
          type: "object",
          properties: {
            Error: { type: "object", properties: { Code: codeSchema, Message: { type: "string" } }, required: ["Code", "Message"] },
            RequestId: { type: "string" },
          },
          required: ["Error", "RequestId"],
        },
      },
      required: ["Response"],
    };
  } else {
    const common = { ErrorInfo: { type: "string" }, RequestId: { type: "string" } };
    for (const op of service.operations)
      out[envelopeName(op)] = op.payloadAt === "envelope"
        ? {
            title: envelopeName(op),
            description: `The wire body of a successful ${op.name}: the envelope, with the response fields beside \`ActionStatus\` (not inside \`Response\`).`,
            allOf: [
              { type: "object", properties: { ActionStatus: { const: "OK" }, ErrorCode: { const: 0 }, ...common }, required: ["ActionStatus", "ErrorCode"] },
              ref("schemas", op.response.name),
            ],
          }
        : {
            title: envelopeName(op),
            description: `The wire body of a successful ${op.name}: the envelope, with the response fields inside \`Response\`.`,
            type: "object",
            properties: { ActionStatus: { const: "OK" }, ErrorCode: { const: 0 }, ...common, Response: ref("schemas", op.response.name) },
            required: payloadOptional(service, op) ? ["ActionStatus", "ErrorCode"] : ["ActionStatus", "ErrorCode", "Response"],
          };
    out[errorEnvelopeName(service)] = {
      title: errorEnvelopeName(service),
      description: "The wire body of a failed call (HTTP 200 unless a network error occurs). The codes each operation documents are in its `x-error-codes`.",
      type: "object",
      properties: { ActionStatus: { const: "FAIL" }, ErrorCode: codeSchema, ...common },
      required: ["ActionStatus", "ErrorCode"],
    };
  }
  return out;
}

function componentSchemas(service: Service): Record<string, Json> {
  const closed = requestShapeNames(service);
  const shapes = [...service.operations.flatMap((o) => [o.request, o.response]), ...service.shapes];
  return { ...Object.fromEntries(shapes.map((s) => [s.name, shapeSchema(s, closed.has(s.name))])), ...envelopeSchemas(service) };
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
      out[name] = obj({ summary: ex.title, description: ex.description ? `${ex.description} (source: ${ex.source})` : `Source: ${ex.source}.`, value: ex[part] });
  return out;
}

function mediaExamples(ops: Operation[], part: "request" | "response"): Json | undefined {
  const names = ops.flatMap((op) => exampleParts(op).filter((p) => p.part === part).map((p) => p.name));
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

function describeOperation(service: Service, op: Operation): string {
  const lines = [op.description];
  if (op.deprecated) lines.push(`**Deprecated:** ${op.deprecated}`);
  if (op.rateLimit) lines.push(`**Rate limit:** ${op.rateLimit.requests} requests per ${op.rateLimit.per} (\`x-rate-limit\`).`);
  if (op.regions.values.length || op.regions.required)
    lines.push(`**Regions:** ${op.regions.required ? "required" : "optional"}${op.regions.values.length ? `, one of ${op.regions.values.map((v) => `\`${v}\``).join(", ")}` : ""} (\`x-regions\`).`);
  for (const w of op.timeWindows) lines.push(`**Time window:** ${w.description}`);
  const own = operationErrors(op);
  lines.push(
    own.length
      ? `**Errors** this operation documents:\n\n${own.map((e) => `- \`${e.code}\`${e.retryable ? " (retryable)" : ""}: ${e.description}`).join("\n")}`
      : "**Errors:** this operation documents no codes of its own.",
    `It can also return the ${commonErrors(service).length} codes common to every operation of the service (${service.protocolInfo.title} and the service's own). ` +
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
    "x-pagination": op.pagination
      ? obj(paginationFacts(op.pagination))
      : undefined,
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
  const description =
    service.protocol.name === "tc3"
      ? "The envelope `{\"Response\": {...}}`: the response fields on success, `Error` with `Code` and `Message` on failure. The services answer HTTP 200 either way."
      : "The envelope: `ActionStatus` `OK` with `ErrorCode` 0 and the response fields in `Response`, or `ActionStatus` `FAIL` with `ErrorCode` and `ErrorInfo`. HTTP 200 unless a network error occurs.";
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

function tc3Parameters(action: Json, regions: Regions): Json[] {
  return [
    { name: "X-TC-Action", in: "header", required: true, description: "The action (operation) to call.", schema: action },
    ref("parameters", "X-TC-Version"),
    ref("parameters", "X-TC-Timestamp"),
    regionParameter(regions),
    ref("parameters", "X-TC-Token"),
    ref("parameters", "X-TC-Language"),
  ];
}

function tc3SharedParameters(version: string): Record<string, Json> {
  return {
    "X-TC-Version": { name: "X-TC-Version", in: "header", required: true, description: "The API version.", schema: { type: "string", const: version } },
    "X-TC-Timestamp": {
      name: "X-TC-Timestamp",
      in: "header",
      required: true,
      description: "The current Unix time in seconds, the one signed in `Authorization`; the service refuses a time more than five minutes off (AuthFailure.SignatureExpire).",
      schema: { type: "integer", format: "int64", minimum: 0 },
    },
    "X-TC-Token": { name: "X-TC-Token", in: "header", required: false, description: "The session token of temporary credentials.", schema: { type: "string" } },
    "X-TC-Language": { name: "X-TC-Language", in: "header", required: false, description: "The language of error messages.", schema: { type: "string", enum: ["zh-CN", "en-US"] } },
  };
}

const CHAT_PARAMETERS: Record<string, Json> = {
  sdkappid: { name: "sdkappid", in: "query", required: true, description: "The SDKAppID of the Chat application.", schema: { type: "integer", format: "uint32", minimum: 1, maximum: 4294967295 } },
  identifier: { name: "identifier", in: "query", required: true, description: "An App administrator account; the UserSig (`usersig`) must be generated for it.", schema: { type: "string" } },
  random: { name: "random", in: "query", required: true, description: "A random 32-bit unsigned integer, fresh for every request.", schema: { type: "integer", format: "uint32", minimum: 0, maximum: 4294967295 } },
  contenttype: { name: "contenttype", in: "query", required: true, description: "Always `json`.", schema: { type: "string", const: "json" } },
};

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

/** tc3: the one wire operation, `POST /`, whose X-TC-Action picks the action. */
function tc3Call(service: Service): Json {
  const ops = service.operations;
  const list = ops.map((op) => `- \`${op.action}\`: ${op.summary} Details: \`#/components/pathItems/${op.action}\`.`).join("\n");
  return {
    operationId: "callAction",
    summary: `Call an action of ${service.title}`,
    description:
      "Every action is `POST /` with its name in the `X-TC-Action` header; the body is the action's request. " +
      "OpenAPI cannot key operations by a header, so this is the one operation on the wire, and each action is " +
      "described in full (its own request, response, errors, rate limit and regions) by a path item under " +
      `\`components/pathItems\`, listed in \`x-tc-actions\`.\n\nActions:\n\n${list}`,
    tags: [service.id],
    parameters: tc3Parameters({ type: "string", enum: ops.map((o) => o.action!) }, service.regions),
    requestBody: requestBody(service, ops),
    responses: responses(service, ops),
    "x-error-codes": errorList(commonErrors(service)),
    "x-regions": regionsExtension(service.regions),
    "x-tc-actions": Object.fromEntries(ops.map((op) => [op.action!, `#/components/pathItems/${op.action}`])),
  };
}

// ---- Document -----------------------------------------------------------------------------------

function servers(service: Service): Json[] {
  const ordered = [...service.endpoints.filter((e) => e.isDefault), ...service.endpoints.filter((e) => !e.isDefault)];
  return ordered.flatMap((e) => {
    const main = obj({ url: `https://${e.host}`, description: `${e.description} (endpoint \`${e.id}\`${e.isDefault ? ", the default" : ""})`, "x-endpoint-id": e.id, "x-region": e.region });
    const backup = e.backup ? [obj({ url: `https://${e.backup}`, description: `Backup host of ${e.host} (endpoint \`${e.id}\`).`, "x-endpoint-id": e.id, "x-backup": true, "x-region": e.region })] : [];
    return [main, ...backup];
  });
}

function securityScheme(service: Service): [string, Json] {
  if (service.protocol.name === "tc3")
    return [
      "TC3-HMAC-SHA256",
      {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description:
          "Tencent Cloud API 3.0 signature, computed per request: `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/" +
          `${service.protocol.service}/tc3_request, SignedHeaders=content-type;host, Signature=<hex>\`. The signature is an ` +
          "HMAC-SHA256 chain over the canonical request (method, `/`, empty query, the signed headers, the SHA-256 of the body) " +
          `with the date, the credential-scope service \`${service.protocol.service}\` (never taken from the host) and ` +
          "`X-TC-Timestamp`. No static key works here: sign each request (the generated client does, as do the official SDKs), " +
          "for example in a Postman pre-request script.",
        "x-credential-scope-service": service.protocol.service,
      },
    ];
  return [
    "UserSig",
    {
      type: "apiKey",
      in: "query",
      name: "usersig",
      description:
        "The UserSig of the App administrator named in `identifier`, generated from the application's secret key " +
        "(tls-sig-api-v2); valid until it expires, so it can be pasted as a key.",
    },
  ];
}

export function openApiDocument(service: Service): Json {
  const [schemeName, scheme] = securityScheme(service);
  const tc3 = service.protocol.name === "tc3";
  const version = service.protocol.version;
  const paths: Json = {};
  const pathItems: Json = {};
  for (const op of service.operations) {
    if (tc3) pathItems[op.action!] = { post: operationObject(service, op, tc3Parameters({ type: "string", const: op.action! }, op.regions)) };
    else paths[`/${version}/${op.command}`] = { post: operationObject(service, op, Object.keys(CHAT_PARAMETERS).map((n) => ref("parameters", n))) };
  }
  if (tc3 && service.operations.length) paths["/"] = { post: tc3Call(service) };
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
      parameters: tc3 ? tc3SharedParameters(version) : CHAT_PARAMETERS,
      examples: Object.keys(examples).length ? examples : undefined,
      securitySchemes: { [schemeName]: scheme },
      pathItems: tc3 ? pathItems : undefined,
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
