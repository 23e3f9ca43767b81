// TencentCloud API 3.0 in front of the mocked operations, as the API gateway does it:
// POST / with a TC3-HMAC-SHA256 Authorization, routed by the credential scope's service and
// X-TC-Action, X-TC-Version and X-TC-Region checked, errors in `{"Response": {"Error": ...}}`.
import { failure, type MockHttpRequest, type MockOutcome } from "../../mock/envelope.js";
import type { MockGateway, MockGatewayInstance, MockRouted } from "../../mock/gateway.js";
import type { MockOperation } from "../../mock/operation.js";
import type { MockRateLimiter } from "../../mock/rate-limit.js";
import { TC3, TC3_ENV } from "./client.js";
import { Tc3KeyCache, verifyTc3, type HmacSha256Key, type Tc3Credential, type Tc3VerifyRequest } from "./signing.js";

/** A key pair the mock accepts (the public example keys of the reference by default, PROTOCOLS.md C.1). */
export interface MockTc3Credential {
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it as X-TC-Token (temporary credentials). */
  token?: string | undefined;
}

export interface Tc3Service {
  id: string;
  /** The credential-scope service name (`lcic`). */
  scope: string;
  version: string;
  /** By X-TC-Action. */
  actions: ReadonlyMap<string, MockOperation>;
}

export interface Tc3RouterContext {
  /** By credential-scope service name. */
  services: ReadonlyMap<string, Tc3Service>;
  lookup: (secretId: string) => Tc3Credential | undefined;
  nowMs: () => number;
  limiter: MockRateLimiter | undefined;
  /** The derived signing key of the last credential and day, per served service: most requests reuse it. */
  keyCache: ScopedKeyCache;
}

/**
 * A Tc3KeyCache per service the mock serves, so that a mock serving several (lcic, trtc) does not
 * derive the key again at every switch; a scope it does not serve shares one (the request is
 * refused once verified, and no client-chosen name grows the map).
 */
export class ScopedKeyCache {
  readonly #served = new Map<string, Tc3KeyCache>();
  readonly #other = new Tc3KeyCache();

  serve(service: string): void {
    if (!this.#served.has(service)) this.#served.set(service, new Tc3KeyCache());
  }

  signer(secretKey: string, date: string, service: string): HmacSha256Key {
    return (this.#served.get(service) ?? this.#other).signer(secretKey, date, service);
  }
}

/** What a TC3 request gets: the outcome, and the operation it reached (for the call log). */
export function handleTc3(req: MockHttpRequest, ctx: Tc3RouterContext): MockRouted {
  if (req.method !== "POST" && req.method.toUpperCase() !== "POST") {
    return { outcome: failure("UnsupportedProtocol", `HTTP ${req.method} is not supported: the mock serves POST requests only.`) };
  }
  if (req.body === undefined) {
    return { outcome: failure("RequestSizeLimitExceeded", "The request body exceeds the size limit.") };
  }
  const query = req.url.indexOf("?");
  const path = query < 0 ? req.url : req.url.slice(0, query);
  if (path !== "/") return { outcome: failure("InvalidAction", `No API is served at ${JSON.stringify(path?.slice(0, 64))}: post to /.`) };

  const { headers } = req;
  const verified = verifyTc3(req as Tc3VerifyRequest, ctx.lookup, { nowSeconds: Math.floor(ctx.nowMs() / 1000), keyCache: ctx.keyCache });
  if (!verified.ok) return { outcome: failure(verified.code, verified.message) };
  const service = ctx.services.get(verified.service);
  if (!service)
    return { outcome: failure("NoSuchProduct", `The credential scope names the product "${verified.service}", which this mock does not serve.`) };

  const action = headers["x-tc-action"];
  if (action === undefined || action === "")
    return { outcome: failure("MissingParameter", "The request is missing the X-TC-Action header."), service: service.id };
  const operation = service.actions.get(action);
  if (!operation)
    return { outcome: failure("InvalidAction", `The action "${action.slice(0, 64)}" does not exist in ${service.scope}.`), service: service.id };
  const found = { service: service.id, operation };
  const version = headers["x-tc-version"];
  if (version === undefined || version === "")
    return { outcome: failure("MissingParameter", "The request is missing the X-TC-Version header."), ...found };
  if (version !== service.version) {
    return {
      outcome: failure("NoSuchVersion", `The API version "${version.slice(0, 32)}" does not exist; ${service.scope} serves ${service.version}.`),
      ...found,
    };
  }

  const meta = operation.ctx.meta;
  const region = headers["x-tc-region"] || undefined;
  const { required, values } = meta.regions;
  const regionCode = meta.validationErrors.codes.region ?? "UnsupportedRegion";
  if (region === undefined && required) {
    return { outcome: failure(regionCode, `${meta.name} requires X-TC-Region, one of ${values.join(", ")}.`), ...found };
  }
  if (region !== undefined && values.length > 0 && !values.includes(region)) {
    return {
      outcome: failure(regionCode, `${meta.name} does not support the region "${region.slice(0, 32)}": use one of ${values.join(", ")}.`),
      ...found,
    };
  }

  if (meta.rateLimit && ctx.limiter && !ctx.limiter.take(`${service.id}\n${verified.secretId}\n${action}`, meta.rateLimit, ctx.nowMs())) {
    const { requests, per } = meta.rateLimit;
    return { outcome: failure("RequestLimitExceeded", `The number of requests exceeds the frequency limit of ${requests} per ${per}.`), ...found };
  }
  return { outcome: operation.handle(req.body, region, req.bytes), service: service.id, operation };
}

/** `{"Response": {...payload, "RequestId"}}` or `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`. */
function envelope(outcome: MockOutcome, requestId: string): unknown {
  const inner = outcome.ok
    ? { ...outcome.payload, RequestId: requestId }
    : { Error: { Code: String(outcome.code), Message: outcome.message }, RequestId: requestId };
  return { Response: inner };
}

/** The TencentCloud API gateway: `POST /` for every service, told apart by the credential scope. */
export const tc3Gateway: MockGateway<MockTc3Credential, "tc3"> = {
  name: TC3,
  catchAll: true,
  credentials: {
    key: TC3,
    defaults: [{ secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" }],
    fromEnv(env) {
      const secretId = env[TC3_ENV.secretId];
      const secretKey = env[TC3_ENV.secretKey];
      const token = env[TC3_ENV.token];
      if (!secretId && !secretKey) return undefined;
      if (!secretId || !secretKey) throw new TypeError(`set both ${TC3_ENV.secretId} and ${TC3_ENV.secretKey}, or neither`);
      return [token ? { secretId, secretKey, token } : { secretId, secretKey }];
    },
    cli: {
      flags: [
        { name: "secret-id", value: "ID", help: "accepted TC3 SecretId", env: TC3_ENV.secretId },
        { name: "secret-key", value: "KEY", help: "its SecretKey", env: TC3_ENV.secretKey },
        { name: "session-token", value: "T", help: "required X-TC-Token", env: TC3_ENV.token },
      ],
      fromFlags(values, base) {
        const { "secret-id": secretId, "secret-key": secretKey, "session-token": token } = values;
        if (secretId || secretKey) {
          if (!secretId || !secretKey) throw new TypeError("--secret-id and --secret-key go together");
          return [token ? { secretId, secretKey, token } : { secretId, secretKey }];
        }
        // A token alone is required of the environment's (or the default) key pairs.
        return token ? base.map((c) => ({ ...c, token })) : undefined;
      },
      describe: (credentials) => `TC3 SecretId ${credentials.map((c) => c.secretId).join(", ")}`,
    },
  },
  codes: { internal: "InternalError", malformed: "UnsupportedProtocol", body: "InvalidParameter" },
  wireCode: (code) => String(code),
  envelope,
  // A version-4 UUID, as the TencentCloud gateway's ids look (digits 12 and 16 of the 32 replaced).
  requestId: ([a8, b8, c8, d8]) => `${a8}-${b8.slice(0, 4)}-4${b8.slice(5)}-a${c8.slice(1, 4)}-${c8.slice(4)}${d8}`,
  open({ credentials, nowMs, limiter }): MockGatewayInstance {
    const services = new Map<string, Tc3Service>();
    const bySecretId = new Map(credentials.map((c) => [c.secretId, c]));
    const ctx: Tc3RouterContext = { services, lookup: (id) => bySecretId.get(id), nowMs, limiter, keyCache: new ScopedKeyCache() };
    return {
      add({ id, metadata, operations }) {
        const scope = metadata.protocol["service"];
        if (typeof scope !== "string") throw new TypeError(`createMock: ${id} names no TC3 service in its protocol metadata`);
        if (services.has(scope)) throw new TypeError(`createMock: two services use the credential scope ${scope}`);
        const actions = new Map<string, MockOperation>();
        for (const [method, op] of operations) {
          const action = op.ctx.meta.action;
          if (!action) throw new TypeError(`createMock: ${id}.${method} has no action`);
          actions.set(action, op);
        }
        services.set(scope, { id, scope, version: metadata.protocol.version, actions });
        ctx.keyCache.serve(scope);
      },
      owns: () => false,
      route: (request) => handleTc3(request, ctx),
    };
  },
};
