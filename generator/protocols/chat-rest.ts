// Chat (IM) server REST API: `POST /<version>/<servicename>/<command>` with a UserSig in the query;
// the body answers an envelope with `ActionStatus`, `ErrorCode`, `ErrorInfo`, `RequestId` and the
// payload in `Response` (or beside them, `payload: envelope`).
import type { JsonValue, Service } from "../ir/types.js";
import type { EnvelopeIssue, ErrorEnvelope, Json, OpenApiContext, ProtocolPlugin } from "./types.js";

const NAME = "chat-rest";

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{"ActionStatus": "FAIL", "ErrorCode": n, "ErrorInfo": "…"}`: an error is `FAIL`, or a non-zero `ErrorCode`. */
function chatError(body: JsonValue): ErrorEnvelope | undefined {
  if (!isObject(body)) return undefined;
  const status = body["ActionStatus"];
  const code = body["ErrorCode"];
  if (status !== "FAIL" && (code === undefined || code === 0)) return undefined;
  const issues: EnvelopeIssue[] = [];
  if (status !== "FAIL") issues.push({ path: "response.ActionStatus", message: `response.ActionStatus: an error answer says "FAIL"` });
  if (typeof code !== "number" || !Number.isInteger(code) || code === 0)
    issues.push({ path: "response.ErrorCode", message: "response.ErrorCode: an error answer has a non-zero integer code" });
  const message = body["ErrorInfo"];
  if (message !== undefined && typeof message !== "string")
    issues.push({ path: "response.ErrorInfo", message: "response.ErrorInfo: must be a string" });
  if ("Response" in body) issues.push({ path: "response.Response", message: "response.Response: an error answer has no payload" });
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}), issues };
}

function envelopeSchemas(service: Service, ctx: OpenApiContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  const common = { ErrorInfo: { type: "string" }, RequestId: { type: "string" } };
  for (const op of service.operations)
    out[ctx.envelopeName(op)] =
      op.payloadAt === "envelope"
        ? {
            title: ctx.envelopeName(op),
            description: `The wire body of a successful ${op.name}: the envelope, with the response fields beside \`ActionStatus\` (not inside \`Response\`).`,
            allOf: [
              {
                type: "object",
                properties: { ActionStatus: { const: "OK" }, ErrorCode: { const: 0 }, ...common },
                required: ["ActionStatus", "ErrorCode"],
              },
              ctx.ref("schemas", op.response.name),
            ],
          }
        : {
            title: ctx.envelopeName(op),
            description: `The wire body of a successful ${op.name}: the envelope, with the response fields inside \`Response\`.`,
            type: "object",
            properties: { ActionStatus: { const: "OK" }, ErrorCode: { const: 0 }, ...common, Response: ctx.ref("schemas", op.response.name) },
            required: ctx.payloadOptional(service, op) ? ["ActionStatus", "ErrorCode"] : ["ActionStatus", "ErrorCode", "Response"],
          };
  out[ctx.errorEnvelopeName(service)] = {
    title: ctx.errorEnvelopeName(service),
    description:
      "The wire body of a failed call (HTTP 200 unless a network error occurs). The codes each operation documents are in its `x-error-codes`.",
    type: "object",
    properties: { ActionStatus: { const: "FAIL" }, ErrorCode: ctx.codeSchema(service), ...common },
    required: ["ActionStatus", "ErrorCode"],
  };
  return out;
}

const QUERY_PARAMETERS: Record<string, Json> = {
  sdkappid: {
    name: "sdkappid",
    in: "query",
    required: true,
    description: "The SDKAppID of the Chat application.",
    schema: { type: "integer", format: "uint32", minimum: 1, maximum: 4294967295 },
  },
  identifier: {
    name: "identifier",
    in: "query",
    required: true,
    description: "An App administrator account; the UserSig (`usersig`) must be generated for it.",
    schema: { type: "string" },
  },
  random: {
    name: "random",
    in: "query",
    required: true,
    description: "A random 32-bit unsigned integer, fresh for every request.",
    schema: { type: "integer", format: "uint32", minimum: 0, maximum: 4294967295 },
  },
  contenttype: { name: "contenttype", in: "query", required: true, description: "Always `json`.", schema: { type: "string", const: "json" } },
};

export const chatRestProtocol: ProtocolPlugin = {
  name: NAME,
  wireField: "command",
  binding: (raw) => ({ name: NAME, version: String(raw.version) }),
  envelope: {
    payloadKey: "Response",
    payloadOptional: true,
    errorOf: chatError,
    statusKeys: ["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"],
    errorCodePath: "response.ErrorCode",
  },
  openapi: {
    envelopeSchemas,
    responseDescription:
      "The envelope: `ActionStatus` `OK` with `ErrorCode` 0 and the response fields in `Response`, or `ActionStatus` `FAIL` with `ErrorCode` and `ErrorInfo`. HTTP 200 unless a network error occurs.",
    securityScheme: () => [
      "UserSig",
      {
        type: "apiKey",
        in: "query",
        name: "usersig",
        description:
          "The UserSig of the App administrator named in `identifier`, generated from the application's secret key " +
          "(tls-sig-api-v2); valid until it expires, so it can be pasted as a key.",
      },
    ],
    // One to one: `POST /<version>/<servicename>/<command>`.
    operations(service, ctx) {
      const paths: Json = {};
      for (const op of service.operations)
        paths[`/${service.protocol.version}/${op.wire?.key}`] = {
          post: ctx.operationObject(
            service,
            op,
            Object.keys(QUERY_PARAMETERS).map((n) => ctx.ref("parameters", n)),
          ),
        };
      return { paths, parameters: QUERY_PARAMETERS };
    },
  },
  docs: {
    wirePhrase: (service, op, style) =>
      `${style.text(service.protocolInfo.title)}: ${style.code(`POST /${service.protocol.version}/${op.wire?.key}`)}`,
  },
  client: {
    module: "chat-rest",
    factory: "chatProtocolFactory",
    optionsType: "ChatClientOptions",
    authPhrase: "authenticated with a UserSig in the query",
    credentialsNote:
      "// Credentials: pass { credentials: { sdkAppId, identifier, key } }, or set TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_IDENTIFIER and TENCENT_CHAT_SECRET_KEY.",
  },
  scaffold: {
    option: { value: "PATH", help: "<servicename>/<command>", placeholder: "<servicename>/<command>" },
    required: true,
    responseFields: "",
  },
  mockBanner: (m, url) => Object.values(m.operations).map((o) => `${m.id}: POST ${url}/${String(m.protocol.version)}/${String(o.command)}`),
};
