// Tencent Cloud API 3.0 with TC3-HMAC-SHA256 signing: every action is `POST /`, named by the
// X-TC-Action header; the body answers `{"Response": {...}}`, an error `Response.Error`.
import type { JsonValue, Operation, ProtocolBinding, Regions, Service } from "../ir/types.js";
import type { EnvelopeIssue, ErrorEnvelope, Json, OpenApiContext, ProtocolPlugin } from "./types.js";

const NAME = "tc3";

interface Tc3Binding extends ProtocolBinding {
  /** The service name in the credential scope (never taken from the host). */
  service: string;
}

const bindingOf = (service: Service) => service.protocol as Tc3Binding;

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`: an error is a `Response` holding `Error`. */
function tc3Error(body: JsonValue): ErrorEnvelope | undefined {
  const inner = isObject(body) ? body["Response"] : undefined;
  if (!isObject(inner) || !("Error" in inner)) return undefined;
  const issues: EnvelopeIssue[] = [];
  const error = inner["Error"];
  if (!isObject(error)) return { issues: [{ path: "response.Error", message: "response.Error: must be an object with Code and Message" }] };
  const code = error["Code"];
  const message = error["Message"];
  if (typeof code !== "string") issues.push({ path: "response.Error.Code", message: "response.Error.Code: must be a string" });
  if (typeof message !== "string") issues.push({ path: "response.Error.Message", message: "response.Error.Message: must be a string" });
  if (typeof inner["RequestId"] !== "string")
    issues.push({ path: "response.RequestId", message: "response.RequestId: an error answer has a string RequestId" });
  for (const k of Object.keys(error))
    if (k !== "Code" && k !== "Message") issues.push({ path: `response.Error.${k}`, message: `response.Error.${k}: not a field of an error answer` });
  for (const k of Object.keys(inner))
    if (k !== "Error" && k !== "RequestId")
      issues.push({ path: `response.${k}`, message: `response.${k}: an error answer holds only Error and RequestId` });
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}), issues };
}

// ---- OpenAPI ------------------------------------------------------------------------------------
// Every action is `POST /` on the wire, told apart only by the X-TC-Action header, while OpenAPI keys
// an operation by path and method alone (OAI/OpenAPI-Specification#182 and #164: no header- or
// query-keyed operations). The workarounds put something in the path key that is not on the wire:
// `/#Action` fragments (tools percent-encode or route them) or `/?Action=` (a query is not allowed in
// a path key), or `POST /{Action}`, which no host serves. So `paths` holds the one real operation,
// `POST /`, with X-TC-Action as an enum header and the body `anyOf` the actions' requests (anyOf, not
// oneOf: two actions may accept the same body; the header decides). Each action is also a complete
// Operation Object in `components/pathItems/<Action>` (OpenAPI 3.1 reusable path items, so validators
// check them) with its X-TC-Action `const`, schemas, errors, rate limit and regions; `x-tc-actions` on
// `POST /` points at them, and a tool that needs one operation per action can mount one of them at `/`.

function envelopeSchemas(service: Service, ctx: OpenApiContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const op of service.operations)
    out[ctx.envelopeName(op)] = {
      title: ctx.envelopeName(op),
      description: `The wire body of a successful ${op.name}: the response fields inside \`Response\`.`,
      type: "object",
      properties: { Response: ctx.ref("schemas", op.response.name) },
      required: ["Response"],
    };
  out[ctx.errorEnvelopeName(service)] = {
    title: ctx.errorEnvelopeName(service),
    description: "The wire body of a failed call (HTTP 200 all the same). The codes each operation documents are in its `x-error-codes`.",
    type: "object",
    properties: {
      Response: {
        type: "object",
        properties: {
          Error: { type: "object", properties: { Code: ctx.codeSchema(service), Message: { type: "string" } }, required: ["Code", "Message"] },
          RequestId: { type: "string" },
        },
        required: ["Error", "RequestId"],
      },
    },
    required: ["Response"],
  };
  return out;
}

function actionParameters(ctx: OpenApiContext, action: Json, regions: Regions): Json[] {
  return [
    { name: "X-TC-Action", in: "header", required: true, description: "The action (operation) to call.", schema: action },
    ctx.ref("parameters", "X-TC-Version"),
    ctx.ref("parameters", "X-TC-Timestamp"),
    ctx.regionParameter(regions),
    ctx.ref("parameters", "X-TC-Token"),
    ctx.ref("parameters", "X-TC-Language"),
  ];
}

function sharedParameters(version: string): Record<string, Json> {
  return {
    "X-TC-Version": {
      name: "X-TC-Version",
      in: "header",
      required: true,
      description: "The API version.",
      schema: { type: "string", const: version },
    },
    "X-TC-Timestamp": {
      name: "X-TC-Timestamp",
      in: "header",
      required: true,
      description:
        "The current Unix time in seconds, the one signed in `Authorization`; the service refuses a time more than five minutes off (AuthFailure.SignatureExpire).",
      schema: { type: "integer", format: "int64", minimum: 0 },
    },
    "X-TC-Token": {
      name: "X-TC-Token",
      in: "header",
      required: false,
      description: "The session token of temporary credentials.",
      schema: { type: "string" },
    },
    "X-TC-Language": {
      name: "X-TC-Language",
      in: "header",
      required: false,
      description: "The language of error messages.",
      schema: { type: "string", enum: ["zh-CN", "en-US"] },
    },
  };
}

const actionOf = (op: Operation) => op.wire?.key ?? "";

/** The one wire operation, `POST /`, whose X-TC-Action picks the action. */
function callAction(service: Service, ctx: OpenApiContext): Json {
  const ops = service.operations;
  const list = ops.map((op) => `- \`${actionOf(op)}\`: ${op.summary} Details: \`#/components/pathItems/${actionOf(op)}\`.`).join("\n");
  return {
    operationId: "callAction",
    summary: `Call an action of ${service.title}`,
    description:
      "Every action is `POST /` with its name in the `X-TC-Action` header; the body is the action's request. " +
      "OpenAPI cannot key operations by a header, so this is the one operation on the wire, and each action is " +
      "described in full (its own request, response, errors, rate limit and regions) by a path item under " +
      `\`components/pathItems\`, listed in \`x-tc-actions\`.\n\nActions:\n\n${list}`,
    tags: [service.id],
    parameters: actionParameters(ctx, { type: "string", enum: ops.map(actionOf) }, service.regions),
    requestBody: ctx.requestBody(service, ops),
    responses: ctx.responses(service, ops),
    "x-error-codes": ctx.errorList(ctx.commonErrors(service)),
    "x-regions": ctx.regionsExtension(service.regions),
    "x-tc-actions": Object.fromEntries(ops.map((op) => [actionOf(op), `#/components/pathItems/${actionOf(op)}`])),
  };
}

function securityScheme(service: Service): [string, Json] {
  const scope = bindingOf(service).service;
  return [
    "TC3-HMAC-SHA256",
    {
      type: "apiKey",
      in: "header",
      name: "Authorization",
      description:
        "Tencent Cloud API 3.0 signature, computed per request: `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/" +
        `${scope}/tc3_request, SignedHeaders=content-type;host, Signature=<hex>\`. The signature is an ` +
        "HMAC-SHA256 chain over the canonical request (method, `/`, empty query, the signed headers, the SHA-256 of the body) " +
        `with the date, the credential-scope service \`${scope}\` (never taken from the host) and ` +
        "`X-TC-Timestamp`. No static key works here: sign each request (the generated client does, as do the official SDKs), " +
        "for example in a Postman pre-request script.",
      "x-credential-scope-service": scope,
    },
  ];
}

export const tc3Protocol: ProtocolPlugin = {
  name: NAME,
  wireField: "action",
  binding: (raw) => ({ name: NAME, service: String(raw.service), version: String(raw.version) }),
  envelope: { payloadKey: "Response", payloadOptional: false, errorOf: tc3Error, statusKeys: [], errorCodePath: "response.Error.Code" },
  openapi: {
    envelopeSchemas,
    responseDescription:
      'The envelope `{"Response": {...}}`: the response fields on success, `Error` with `Code` and `Message` on failure. The services answer HTTP 200 either way.',
    securityScheme,
    operations(service, ctx) {
      const pathItems: Json = {};
      for (const op of service.operations)
        pathItems[actionOf(op)] = {
          post: ctx.operationObject(service, op, actionParameters(ctx, { type: "string", const: actionOf(op) }, op.regions)),
        };
      const paths: Json = service.operations.length ? { "/": { post: callAction(service, ctx) } } : {};
      return { paths, pathItems, parameters: sharedParameters(service.protocol.version) };
    },
  },
  docs: {
    wirePhrase: (service, op, style) =>
      `${style.text(service.protocolInfo.title)}: action ${style.code(String(op.wire?.key))}, version ${style.code(service.protocol.version)}, signing service ${style.code(bindingOf(service).service)}`,
  },
  client: {
    module: "tc3-client",
    factory: "tc3ProtocolFactory",
    optionsType: "Tc3ClientOptions",
    authPhrase: "signed with TC3-HMAC-SHA256",
    credentialsNote: "// Credentials: pass { credentials: { secretId, secretKey } }, or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.",
  },
  scaffold: {
    option: { value: "NAME", help: "the X-TC-Action (default: the name)", placeholder: "<Action>" },
    required: false,
    responseFields: `    RequestId:
      type: string
      required: true
      description: The unique request ID, returned with every response.
`,
  },
  mockBanner: (m, url) => [
    `${m.id}: TC3 ${String(m.protocol.service)} ${String(m.protocol.version)}, POST ${url}/ with X-TC-Action ${Object.values(m.operations)
      .map((o) => o.action)
      .join(", ")}`,
  ],
  apiJson: { binding: (scope, version) => ({ name: NAME, service: scope, version }) },
};
