// Chat (IM) REST on the wire: POST `<endpoint>/v4/<servicename>/<command>?sdkappid=&identifier=
// &usersig=&random=&contenttype=json`; the answer is `{ActionStatus, ErrorCode, ErrorInfo,
// RequestId, Response?}`, with HTTP 200 even on failure; an operation with `payloadAt: "envelope"`
// gets its fields beside the status fields instead of inside `Response`.

import type { Protocol, ProtocolOutcome, PreparedRequest } from "./client-core.js";
import { ApiError } from "./errors.js";
import type { TransportResponse } from "./transport.js";
import { UserSigCache } from "./usersig.js";

export interface ChatCredentials {
  /** The application's SDKAppID. */
  sdkAppId: number;
  /** An App administrator account (the REST API's `identifier`). */
  identifier: string;
  /** The application's secret key: UserSigs are generated from it and cached. */
  key?: string | undefined;
  /** A ready UserSig for `identifier`, used as is (when there is no `key`). */
  userSig?: string | undefined;
  /** Lifetime of generated UserSigs (default one day). */
  userSigExpireSeconds?: number | undefined;
}

/** The environment variables read when no credentials are passed. */
export const CHAT_ENV = {
  sdkAppId: "TENCENT_CHAT_SDKAPPID",
  identifier: "TENCENT_CHAT_IDENTIFIER",
  key: "TENCENT_CHAT_SECRET_KEY",
  userSig: "TENCENT_CHAT_USERSIG",
} as const;

/** Credentials from the options, else from the environment; undefined when incomplete. */
export function resolveChatCredentials(
  given: ChatCredentials | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ChatCredentials | undefined {
  if (given) return given;
  const sdkAppId = Number(env[CHAT_ENV.sdkAppId]);
  const identifier = env[CHAT_ENV.identifier];
  const key = env[CHAT_ENV.key];
  const userSig = env[CHAT_ENV.userSig];
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0 || !identifier || (!key && !userSig)) return undefined;
  return key ? { sdkAppId, identifier, key } : { sdkAppId, identifier, userSig };
}

export function chatProtocol(config: {
  version: string;
  credentials: ChatCredentials | undefined;
  /** Milliseconds since the epoch, for UserSig times. */
  now: () => number;
  /** A fresh uint32 per request (default: crypto). */
  random?: (() => number) | undefined;
}): Protocol {
  const { credentials } = config;
  // node:crypto is loaded on the first request, not on import.
  const random = config.random ?? (() => process.getBuiltinModule("node:crypto").randomInt(0, 2 ** 32));
  let cache: UserSigCache | undefined;
  let problem: string | undefined;
  if (!credentials) {
    problem = `no Chat credentials: pass credentials { sdkAppId, identifier, key } or set ${CHAT_ENV.sdkAppId}, ${CHAT_ENV.identifier} and ${CHAT_ENV.key} (or ${CHAT_ENV.userSig})`;
  } else if (!Number.isSafeInteger(credentials.sdkAppId) || credentials.sdkAppId <= 0) {
    problem = "credentials.sdkAppId must be a positive integer";
  } else if (!credentials.identifier) {
    problem = "credentials.identifier is empty";
  } else if (credentials.key) {
    try {
      cache = new UserSigCache({
        sdkAppId: credentials.sdkAppId,
        identifier: credentials.identifier,
        key: credentials.key,
        expireSeconds: credentials.userSigExpireSeconds,
        now: config.now,
      });
    } catch (error) {
      problem = `UserSig settings are unusable: ${(error as Error).message}`;
    }
  } else if (!credentials.userSig) {
    problem = "credentials need a key (to generate UserSigs) or a userSig";
  }
  const secrets = credentials ? [credentials.key ?? "", credentials.userSig ?? ""].filter(Boolean) : [];

  return {
    secrets,
    payloadKey: "Response",
    prepare({ operation, endpoint }): PreparedRequest {
      if (problem !== undefined || !credentials) {
        throw new ApiError({ code: "ClientError.Credentials", message: problem ?? "no Chat credentials", secrets });
      }
      const command = operation.command;
      if (!command)
        throw new ApiError({
          code: "ClientError.Configuration",
          message: `operation ${operation.name} has no Chat command`,
        });
      let userSig: string;
      try {
        userSig = cache ? cache.get() : (credentials.userSig ?? "");
      } catch (error) {
        throw new ApiError({
          code: "ClientError.Credentials",
          message: `no UserSig could be generated: ${(error as Error).message}`,
          cause: error,
          secrets,
        });
      }
      const query = new URLSearchParams({
        sdkappid: String(credentials.sdkAppId),
        identifier: credentials.identifier,
        usersig: userSig,
        random: String(random() >>> 0),
        contenttype: "json",
      });
      const base = endpoint.href.replace(/\/+$/, "");
      return {
        url: `${base}/${config.version}/${command}?${query.toString()}`,
        headers: { "content-type": "application/json" },
        secrets: [userSig],
      };
    },
    interpret(body: unknown, response: TransportResponse, options?: { payloadOptional?: boolean; payloadAt?: "envelope" }): ProtocolOutcome {
      const ok2xx = response.status >= 200 && response.status <= 299;
      const status =
        body !== null && typeof body === "object" && !Array.isArray(body)
          ? (body as Record<string, unknown>)
          : undefined;
      const action = status?.["ActionStatus"];
      if (!status || (action !== "OK" && action !== "FAIL")) {
        return ok2xx
          ? {
              kind: "client",
              code: "ClientError.InvalidResponse",
              message: 'the body is not a Chat envelope (no "ActionStatus")',
              requestId: undefined,
            }
          : httpStatus(response, undefined);
      }
      const requestId = typeof status["RequestId"] === "string" ? status["RequestId"] : undefined;
      const code = status["ErrorCode"];
      const info = typeof status["ErrorInfo"] === "string" ? status["ErrorInfo"] : "";
      if (action === "FAIL" || (code !== undefined && code !== 0)) {
        if (typeof code !== "number" || code === 0) {
          return {
            kind: "client",
            code: "ClientError.InvalidResponse",
            message: `a failed envelope without an ErrorCode: ${info}`,
            requestId,
          };
        }
        // 70001: the UserSig expired (clock skew, or a cached one outlived its lifetime): drop it so the next call signs anew.
        if (code === 70001) cache?.invalidate();
        return { kind: "error", code, message: info, requestId };
      }
      if (!ok2xx) return httpStatus(response, requestId);
      // Some commands (the gift getters) answer their fields beside ActionStatus, not inside Response.
      if (options?.payloadAt === "envelope") return { kind: "ok", payload: besideStatus(status), requestId };
      // A command that returns nothing (destroy_room, ban_member...) sends no Response at all.
      if (!("Response" in status) && options?.payloadOptional) return { kind: "ok", payload: {}, requestId };
      const payload = status["Response"];
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        return {
          kind: "client",
          code: "ClientError.InvalidResponse",
          message: 'the OK envelope has no "Response" object',
          requestId,
        };
      }
      return { kind: "ok", payload, requestId };
    },
  };
}

/** The envelope's own fields; a payload beside them is every other field of the body. */
const STATUS_FIELDS = new Set(["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"]);

function besideStatus(body: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!STATUS_FIELDS.has(key)) payload[key] = value;
  return payload;
}

function httpStatus(response: TransportResponse, requestId: string | undefined): ProtocolOutcome {
  return {
    kind: "client",
    code: "ClientError.HttpStatus",
    message: `the server answered HTTP ${response.status}`,
    requestId,
  };
}
