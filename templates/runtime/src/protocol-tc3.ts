// TencentCloud API 3.0 on the wire: a signed JSON POST to the endpoint's root; the answer is
// `{"Response": {..., "RequestId", "Error"?: {"Code", "Message"}}}`, errors normally with HTTP 200.

import type { Protocol, ProtocolOutcome, PreparedRequest } from "./client-core.js";
import { ApiError } from "./errors.js";
import { signTc3, Tc3KeyCache } from "./tc3-signing.js";
import type { TransportResponse } from "./transport.js";

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials (sent as X-TC-Token). */
  token?: string | undefined;
}

/** The environment variables read when no credentials are passed (the official SDKs' names). */
export const TC3_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: "TENCENTCLOUD_SESSION_TOKEN",
} as const;

export type Tc3Language = "zh-CN" | "en-US";

const CONTENT_TYPE = "application/json";

/** Credentials from the options, else from the environment; undefined when neither has both parts. */
export function resolveTc3Credentials(
  given: Tc3Credentials | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Tc3Credentials | undefined {
  if (given) return given;
  const secretId = env[TC3_ENV.secretId];
  const secretKey = env[TC3_ENV.secretKey];
  if (!secretId || !secretKey) return undefined;
  const token = env[TC3_ENV.token];
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

export function tc3Protocol(config: {
  service: string;
  version: string;
  credentials: Tc3Credentials | undefined;
  language?: Tc3Language | undefined;
}): Protocol {
  const { credentials, service, version, language } = config;
  const secrets = credentials ? [credentials.secretKey, credentials.token ?? ""].filter(Boolean) : [];
  // kSigning changes once a day: one HMAC per request instead of four.
  const keyCache = new Tc3KeyCache();
  return {
    secrets,
    prepare({ operation, endpoint, body, region, nowMs }): PreparedRequest {
      if (!credentials) {
        throw new ApiError({
          code: "ClientError.Credentials",
          message: `no TencentCloud credentials: pass credentials { secretId, secretKey } or set ${TC3_ENV.secretId} and ${TC3_ENV.secretKey}`,
        });
      }
      const action = operation.action;
      if (!action)
        throw new ApiError({
          code: "ClientError.Configuration",
          message: `operation ${operation.name} has no TC3 action`,
        });
      const { token } = credentials;
      const host = endpoint.host;
      const timestamp = Math.floor(nowMs / 1000);
      let signed: ReturnType<typeof signTc3>;
      try {
        signed = signTc3({
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          token,
          service,
          host,
          action,
          version,
          region,
          language,
          timestamp,
          payload: body,
          contentType: CONTENT_TYPE,
          keyCache,
        });
      } catch (error) {
        // signTc3 refuses unusable credentials (empty key, separators in the SecretId).
        throw new ApiError({
          code: "ClientError.Credentials",
          message: `the request could not be signed: ${(error as Error).message}`,
          cause: error,
          secrets,
        });
      }
      // signTc3's headers, in its order, with lower-case names.
      const headers: Record<string, string> = {
        "content-type": CONTENT_TYPE,
        host,
        "x-tc-action": action,
        "x-tc-version": version,
        "x-tc-timestamp": String(timestamp),
      };
      if (region !== undefined) headers["x-tc-region"] = region;
      if (token !== undefined) headers["x-tc-token"] = token;
      if (language !== undefined) headers["x-tc-language"] = language;
      headers["authorization"] = signed.authorization;
      return { url: endpoint.href, headers, secrets: [signed.signature] };
    },
    payloadKey: "Response",
    interpret(body: unknown, response: TransportResponse): ProtocolOutcome {
      const inner = isObject(body) ? body["Response"] : undefined;
      if (!isObject(inner)) return invalid(response, 'the body has no "Response" object');
      const requestId = typeof inner["RequestId"] === "string" ? inner["RequestId"] : undefined;
      const error = inner["Error"];
      if (error !== undefined && error !== null) {
        if (!isObject(error) || typeof error["Code"] !== "string" || error["Code"] === "") {
          return invalid(response, 'Response.Error has no "Code"', requestId);
        }
        const message = typeof error["Message"] === "string" ? error["Message"] : "";
        return { kind: "error", code: error["Code"], message, requestId };
      }
      if (response.status < 200 || response.status > 299) return httpStatus(response, requestId);
      return { kind: "ok", payload: inner, requestId };
    },
  };
}

function invalid(response: TransportResponse, message: string, requestId?: string): ProtocolOutcome {
  if (response.status < 200 || response.status > 299) return httpStatus(response, requestId);
  return { kind: "client", code: "ClientError.InvalidResponse", message, requestId };
}

function httpStatus(response: TransportResponse, requestId?: string): ProtocolOutcome {
  return {
    kind: "client",
    code: "ClientError.HttpStatus",
    message: `the server answered HTTP ${response.status}`,
    requestId,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
