// TencentCloud API 3.0 on the wire: a signed JSON POST to the endpoint's root; the answer is
// `{"Response": {..., "RequestId", "Error"?: {"Code", "Message"}}}`, errors normally with HTTP 200.

import { ApiError, configurationError } from "../../client/errors.js";
import type { CommonClientOptions } from "../../client/options.js";
import type { ClientProtocol, PreparedRequest, Protocol, ProtocolFactory, ProtocolOutcome } from "../../client/protocol.js";
import type { TransportResponse } from "../../client/transport.js";
import { TC3_ENV, TC3_PROVIDER_CACHE, type Tc3Credentials } from "./credential-types.js";
import type { Tc3CredentialProvider } from "./provided.js";
import { signTc3Async, signTc3Authorization, tc3SignsSynchronously, Tc3KeyCache, type Tc3SignInput, type Tc3Signature } from "./signing.js";

export { TC3_ENV, type Tc3Credentials };

/** The name services of this protocol give in `metadata.protocol.name`. */
export const TC3 = "tc3";

export type Tc3Language = "zh-CN" | "en-US";

export interface Tc3ClientOptions extends CommonClientOptions {
  /**
   * Fixed credentials, or a provider (`fromCvmRole()`, `defaultChain()`, or `tc3Provider(fn)` around any
   * async function giving `{ secretId, secretKey, token?, expiresAt? }`) called before they expire. Default:
   * TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN.
   */
  credentials?: Tc3Credentials | Tc3CredentialProvider | undefined;
  /** X-TC-Language for server messages. */
  language?: Tc3Language | undefined;
}

const CONTENT_TYPE = "application/json";

/** Credentials from the options, else from the environment; undefined when neither has both parts. */
export function resolveTc3Credentials(
  given: Tc3Credentials | Tc3CredentialProvider | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Tc3Credentials | Tc3CredentialProvider | undefined {
  if (given) return given;
  const secretId = env[TC3_ENV.secretId];
  const secretKey = env[TC3_ENV.secretKey];
  if (!secretId || !secretKey) return undefined;
  const token = env[TC3_ENV.token];
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

export interface Tc3ProtocolConfig {
  service: string;
  version: string;
  credentials: Tc3Credentials | Tc3CredentialProvider | undefined;
  language?: Tc3Language | undefined;
  /** A provider's clock, for its `expiresAt` (default Date.now). */
  now?: (() => number) | undefined;
  /** How long before `expiresAt` a provider is called again (default 5 minutes). */
  refreshMarginMs?: number | undefined;
}

/** What a client sends of a signature. */
type Tc3Signed = Pick<Tc3Signature, "authorization" | "signature">;

/** How a client signs: signTc3Authorization, or (in any runtime) signTc3Async where there is no node:crypto. */
export type Tc3Signer = (input: Tc3SignInput) => Tc3Signed | Promise<Tc3Signed>;

/** node:crypto synchronously where there is one (Node, Bun, Deno), else Web Crypto (a worker). */
const signAnywhere: Tc3Signer = (input) => (tc3SignsSynchronously() ? signTc3Authorization(input) : signTc3Async(input));

export function tc3Protocol(config: Tc3ProtocolConfig): Protocol {
  return tc3ProtocolSignedWith(signAnywhere, config);
}

/**
 * The protocol signing with `signer`: the runtime's Node build (`@rtc-apigen/runtime/tc3` under the
 * `node` condition, client-node.ts) passes signTc3Authorization alone, so a Node app's bundle holds no Web Crypto.
 */
export function tc3ProtocolSignedWith(signer: Tc3Signer, config: Tc3ProtocolConfig): Protocol {
  const { service, version, language } = config;
  const now = config.now ?? Date.now;
  const given = config.credentials;
  // A provider brings its own cache (provided.ts); a bare function cannot be used.
  const cache = typeof given === "function" ? (given as Partial<Tc3CredentialProvider>)[TC3_PROVIDER_CACHE] : undefined;
  const provided = cache?.(now, config.refreshMarginMs);
  const fixed = typeof given === "function" ? undefined : given;
  const bareFunction =
    typeof given === "function" && !provided
      ? configurationError('credentials: a function must be wrapped as tc3Provider(fn) (import { tc3Provider } from "@rtc-apigen/runtime/tc3")')
      : undefined;
  const fixedSecrets = fixed ? [fixed.secretKey, fixed.token ?? ""].filter(Boolean) : [];
  // kSigning changes once a day: one HMAC per request instead of four.
  const keyCache = new Tc3KeyCache();
  type Input = Parameters<Protocol["prepare"]>[0];
  const sign = (credentials: Tc3Credentials, { operation, endpoint, body, region, nowMs }: Input): PreparedRequest | Promise<PreparedRequest> => {
    const secrets = provided ? provided.secrets : fixedSecrets;
    const action = operation.action;
    if (!action) throw configurationError(`operation ${operation.name} has no TC3 action`);
    const { token } = credentials;
    const host = endpoint.host;
    const timestamp = Math.floor(nowMs / 1000);
    const input = {
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
    };
    let signed: Tc3Signed | Promise<Tc3Signed>;
    try {
      signed = signer(input);
    } catch (error) {
      throw unsigned(error, secrets);
    }
    // Web Crypto signs asynchronously: prepare returns a promise then.
    if (signed instanceof Promise) {
      return signed.then(
        (s) => prepared(s, input, endpoint.href, secrets),
        (error: unknown) => Promise.reject(unsigned(error, secrets)),
      );
    }
    return prepared(signed, input, endpoint.href, secrets);
  };
  /** The request to send: signTc3's headers, in its order, with lower-case names. */
  const prepared = (signed: Tc3Signed, input: Tc3SignInput, url: string, secrets: readonly string[]): PreparedRequest => {
    const { region, token } = input;
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPE,
      host: input.host,
      "x-tc-action": input.action,
      "x-tc-version": version,
      "x-tc-timestamp": String(input.timestamp),
    };
    if (region !== undefined) headers["x-tc-region"] = region;
    if (token !== undefined) headers["x-tc-token"] = token;
    if (language !== undefined) headers["x-tc-language"] = language;
    headers["authorization"] = signed.authorization;
    // Provided credentials change: redact this attempt's along with its signature.
    return { url, headers, secrets: provided ? [signed.signature, ...secrets] : [signed.signature] };
  };
  return {
    get secrets() {
      return provided ? provided.secrets : fixedSecrets;
    },
    prepare(input): PreparedRequest | Promise<PreparedRequest> {
      if (provided) {
        const current = provided.get();
        // Signed when the credentials arrive, at that time.
        return current instanceof Promise ? current.then((c) => sign(c, { ...input, nowMs: now() })) : sign(current, input);
      }
      if (bareFunction) throw bareFunction;
      if (!fixed) {
        throw new ApiError({
          code: "ClientError.Credentials",
          message: `no TencentCloud credentials: pass credentials { secretId, secretKey }, a provider (defaultChain()), or set ${TC3_ENV.secretId} and ${TC3_ENV.secretKey}`,
        });
      }
      return sign(fixed, input);
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
        // The session token was refused (expired early, revoked): the next call asks the provider again.
        if (provided && error["Code"] === "AuthFailure.TokenFailure") provided.invalidate();
        return { kind: "error", code: error["Code"], message, requestId };
      }
      if (response.status < 200 || response.status > 299) return httpStatus(response, requestId);
      return { kind: "ok", payload: inner, requestId };
    },
  };
}

/** The factory of the protocol signing with `signer`; the service name comes from the metadata (`protocol.service`), never from the endpoint. */
export const tc3ProtocolFactoryWith =
  (signer: Tc3Signer): ProtocolFactory<Tc3ClientOptions> =>
  (protocol, options, env, now) =>
    tc3ProtocolSignedWith(signer, {
      service: typeof protocol["service"] === "string" ? protocol["service"] : "",
      version: protocol.version,
      credentials: resolveTc3Credentials(tc3Credentials(options.credentials), env),
      language: options.language,
      now,
      refreshMarginMs: options.credentialRefreshMarginMs,
    });

/** The TC3 protocol of a client, in any runtime. */
export const tc3ProtocolFactory: ProtocolFactory<Tc3ClientOptions> = /* @__PURE__ */ tc3ProtocolFactoryWith(signAnywhere);

/** Credentials of this protocol's shape only (a client chosen by metadata may be handed another protocol's). */
function tc3Credentials(credentials: unknown): Tc3Credentials | Tc3CredentialProvider | undefined {
  if (typeof credentials === "function") return credentials as Tc3CredentialProvider;
  return typeof credentials === "object" && credentials !== null && "secretId" in credentials ? (credentials as Tc3Credentials) : undefined;
}

export const tc3ClientProtocol: ClientProtocol<typeof TC3, Tc3ClientOptions> = { name: TC3, factory: tc3ProtocolFactory };

/** signTc3 refuses unusable credentials (empty key, separators in the SecretId). */
function unsigned(error: unknown, secrets: readonly string[]): ApiError {
  return new ApiError({
    code: "ClientError.Credentials",
    message: `the request could not be signed: ${(error as Error).message}`,
    cause: error,
    secrets,
  });
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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
