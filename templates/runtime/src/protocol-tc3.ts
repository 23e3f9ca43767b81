// TencentCloud API 3.0 on the wire: a signed JSON POST to the endpoint's root; the answer is
// `{"Response": {..., "RequestId", "Error"?: {"Code", "Message"}}}`, errors normally with HTTP 200.

import type { Protocol, ProtocolOutcome, PreparedRequest } from "./client-core.js";
import { ApiError } from "./errors.js";
import { signTc3 } from "./tc3-signing.js";
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
  const { credentials } = config;
  const secrets = credentials ? [credentials.secretKey, credentials.token ?? ""].filter(Boolean) : [];
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
      let signed: ReturnType<typeof signTc3>;
      try {
        signed = signTc3({
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          token: credentials.token,
          service: config.service,
          host: endpoint.host,
          action,
          version: config.version,
          region,
          language: config.language,
          timestamp: Math.floor(nowMs / 1000),
          payload: body,
          contentType: "application/json",
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
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
      return { url: endpoint.href, headers, secrets: [...secrets, signed.signature] };
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
