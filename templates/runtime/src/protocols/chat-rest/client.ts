// Chat (IM) REST on the wire: POST `<endpoint>/v4/<servicename>/<command>?sdkappid=&identifier=
// &usersig=&random=&contenttype=json`; the answer is `{ActionStatus, ErrorCode, ErrorInfo,
// RequestId, Response?}`, with HTTP 200 even on failure; an operation with `payloadAt: "envelope"`
// gets its fields beside the status fields instead of inside `Response`.

import { expiryMs, providerError, providerName, RefreshingCredentials, type ExpiresAt } from "../../client/credential-cache.js";
import { ApiError, configurationError } from "../../client/errors.js";
import type { CommonClientOptions } from "../../client/options.js";
import type { ClientProtocol, PreparedRequest, Protocol, ProtocolFactory, ProtocolOutcome } from "../../client/protocol.js";
import type { TransportResponse } from "../../client/transport.js";
import { randomUint32 } from "../../shared/platform.js";
import { UserSigCache, userSigSignsSynchronously } from "./signing.js";

/** The name services of this protocol give in `metadata.protocol.name`. */
export const CHAT_REST = "chat-rest";

export interface ChatCredentials {
  /** The application's SDKAppID. */
  sdkAppId: number;
  /** An App administrator account (the REST API's `identifier`). */
  identifier: string;
  /** The application's secret key: UserSigs are generated from it and cached. */
  key?: string | undefined;
  /**
   * A ready UserSig for `identifier`, used as is (when there is no `key`); or a provider of them,
   * called before `expiresAt` (and again after the server answers 70001, UserSig expired), never
   * twice at once.
   */
  userSig?: string | UserSigProvider | undefined;
  /** Lifetime of generated UserSigs (default one day). */
  userSigExpireSeconds?: number | undefined;
}

/** A UserSig from elsewhere (a signing service): the UserSig, or it with when it stops being valid. */
export type UserSigProvider = () => Promise<string | { userSig: string; expiresAt?: ExpiresAt | undefined }>;

/** The environment variables read when no credentials are passed. */
export const CHAT_ENV = {
  sdkAppId: "TENCENT_CHAT_SDKAPPID",
  identifier: "TENCENT_CHAT_IDENTIFIER",
  key: "TENCENT_CHAT_SECRET_KEY",
  userSig: "TENCENT_CHAT_USERSIG",
} as const;

export interface ChatClientOptions extends CommonClientOptions {
  /** Default: TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_IDENTIFIER, TENCENT_CHAT_SECRET_KEY (or TENCENT_CHAT_USERSIG). */
  credentials?: ChatCredentials | undefined;
  /** The `random` query parameter source, a uint32 per request (default crypto). */
  random?: (() => number) | undefined;
}

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
  /** How long before a provided UserSig's `expiresAt` the provider is called again (default 5 minutes). */
  refreshMarginMs?: number | undefined;
}): Protocol {
  const { credentials } = config;
  // node:crypto (else Web Crypto) is loaded on the first request, not on import.
  const random = config.random ?? randomUint32;
  // node:crypto and node:zlib generate UserSigs synchronously; without them (a worker) prepare returns a promise.
  let synchronous: boolean | undefined;
  let cache: UserSigCache | undefined;
  let provided: RefreshingCredentials<string> | undefined;
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
  } else if (typeof credentials.userSig === "function") {
    provided = providedUserSig(credentials.userSig, config.now, config.refreshMarginMs);
  } else if (!credentials.userSig) {
    problem = "credentials need a key (to generate UserSigs) or a userSig";
  }
  const fixedSecrets = credentials ? [credentials.key ?? "", typeof credentials.userSig === "string" ? credentials.userSig : ""].filter(Boolean) : [];
  const request = (credentials: ChatCredentials, endpoint: URL, command: string, userSig: string): PreparedRequest => {
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
  };

  return {
    get secrets() {
      return provided ? provided.secrets : fixedSecrets;
    },
    payloadKey: "Response",
    prepare({ operation, endpoint }): PreparedRequest | Promise<PreparedRequest> {
      if (problem !== undefined || !credentials) {
        throw new ApiError({ code: "ClientError.Credentials", message: problem ?? "no Chat credentials", secrets: fixedSecrets });
      }
      const command = operation.command;
      if (!command) throw configurationError(`operation ${operation.name} has no Chat command`);
      let userSig: string;
      try {
        if (provided) {
          const current = provided.get();
          if (current instanceof Promise) return current.then((sig) => request(credentials, endpoint, command, sig));
          userSig = current;
        } else if (cache && !(synchronous ??= userSigSignsSynchronously())) {
          return cache.getAsync().then(
            (sig) => request(credentials, endpoint, command, sig),
            (error: unknown) => Promise.reject(noUserSig(error, fixedSecrets)),
          );
        } else userSig = cache ? cache.get() : typeof credentials.userSig === "string" ? credentials.userSig : "";
      } catch (error) {
        throw noUserSig(error, fixedSecrets);
      }
      return request(credentials, endpoint, command, userSig);
    },
    interpret(body: unknown, response: TransportResponse, options?: { payloadOptional?: boolean; payloadAt?: "envelope" }): ProtocolOutcome {
      const ok2xx = response.status >= 200 && response.status <= 299;
      const status = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
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
        if (code === 70001) (cache ?? provided)?.invalidate();
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

export const chatProtocolFactory: ProtocolFactory<ChatClientOptions> = (protocol, options, env, now) =>
  chatProtocol({
    version: protocol.version,
    credentials: resolveChatCredentials(chatCredentials(options.credentials), env),
    now,
    random: options.random,
    refreshMarginMs: options.credentialRefreshMarginMs,
  });

/** A UserSig provider behind a per-client cache; what it gives is checked (and never shown in an error). */
function providedUserSig(provider: UserSigProvider, now: () => number, marginMs: number | undefined): RefreshingCredentials<string> {
  const name = providerName(provider);
  return new RefreshingCredentials<string>(
    name,
    async () => {
      const given: unknown = await provider();
      const userSig =
        typeof given === "string" ? given : given !== null && typeof given === "object" ? (given as { userSig?: unknown }).userSig : undefined;
      if (typeof userSig !== "string" || userSig === "") throw providerError(name, "it gave no UserSig (a non-empty string)", []);
      const expiresAt = typeof given === "object" ? expiryMs((given as { expiresAt?: unknown }).expiresAt) : undefined;
      return { value: userSig, expiresAt, secrets: [userSig] };
    },
    now,
    marginMs,
  );
}

function noUserSig(error: unknown, secrets: readonly string[]): ApiError {
  return new ApiError({
    code: "ClientError.Credentials",
    message: `no UserSig could be generated: ${(error as Error).message}`,
    cause: error,
    secrets,
  });
}

/** Credentials of this protocol's shape only (a client chosen by metadata may be handed another protocol's). */
function chatCredentials(credentials: unknown): ChatCredentials | undefined {
  return typeof credentials === "object" && credentials !== null && "sdkAppId" in credentials ? (credentials as ChatCredentials) : undefined;
}

export const chatRestClientProtocol: ClientProtocol<typeof CHAT_REST, ChatClientOptions> = { name: CHAT_REST, factory: chatProtocolFactory };

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
