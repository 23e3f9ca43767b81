// Chat (IM) REST in front of the mocked operations: POST /<ver>/<servicename>/<command> with
// sdkappid, identifier (an App administrator), usersig, random and contenttype in the query; the
// UserSig is verified as the Chat server does; errors are `{ActionStatus: "FAIL", ErrorCode, ...}`.
//
// Codes chosen where the documentation leaves a choice (PROTOCOLS.md E.2):
//   not POST, body over the limit → 60008 ("HTTP request format incorrect"; no size code exists)
//   unknown version/service/command → 60009 ("request resource error, check the URL")
//   sdkappid missing or not a number → 60012; identifier missing or not an administrator → 60010
//   sdkappid unknown to the mock → 70020 ("SDKAppID does not exist, UserSig verification failed")
//   rate above the spec's per-API limit → 60007 ("REST API call frequency exceeds the limit";
//   60011 is the per-SDKAppID limit, which the specs do not document)
import { failure, type MockHttpRequest, type MockOutcome } from "../../mock/envelope.js";
import type { MockGateway, MockGatewayInstance, MockRouted } from "../../mock/gateway.js";
import type { MockOperation } from "../../mock/operation.js";
import type { MockRateLimiter } from "../../mock/rate-limit.js";
import { CHAT_ENV, CHAT_REST } from "./client.js";
import { UserSigVerifier } from "./signing.js";

/** An application the mock accepts: its SDKAppID, secret key and administrator account. */
export interface MockChatCredential {
  sdkAppId: number;
  /** The App administrator account (`identifier` in the URL). */
  identifier: string;
  /** The secret key UserSigs are signed with. */
  key: string;
}

export interface ChatRoute {
  serviceId: string;
  operation: MockOperation;
}

export interface ChatRouterContext {
  /** By `<ver>/<servicename>/<command>`. */
  commands: ReadonlyMap<string, ChatRoute>;
  lookup: (sdkAppId: number) => MockChatCredential | undefined;
  /** Verifies UserSigs, remembering the authentic ones until they expire. */
  userSigs: UserSigVerifier;
  nowMs: () => number;
  limiter: MockRateLimiter | undefined;
}

const SDKAPPID = /^[1-9][0-9]{0,15}$/;
const SLASH = 0x2f;
const QUESTION = 0x3f;

/** The query parameters the gateway reads, each the first of its name (as URLSearchParams.get), null when absent. */
interface ChatQuery {
  sdkappid: string | null;
  identifier: string | null;
  usersig: string | null;
}

/**
 * The gateway's query parameters. A query with no escape and no `+` (what clients send: the UserSig
 * alphabet needs none) is split as it is; any other goes through URLSearchParams, which never
 * throws (malformed escapes are kept as text).
 */
function chatQuery(query: string): ChatQuery {
  if (query.includes("%") || query.includes("+")) {
    const params = new URLSearchParams(query);
    return { sdkappid: params.get("sdkappid"), identifier: params.get("identifier"), usersig: params.get("usersig") };
  }
  const out: ChatQuery = { sdkappid: null, identifier: null, usersig: null };
  let at = 0;
  while (at <= query.length) {
    let end = query.indexOf("&", at);
    if (end < 0) end = query.length;
    if (end > at) {
      const eq = query.indexOf("=", at);
      const nameEnd = eq < 0 || eq > end ? end : eq;
      const name = query.slice(at, nameEnd);
      if ((name === "sdkappid" || name === "identifier" || name === "usersig") && out[name] === null)
        out[name] = nameEnd === end ? "" : query.slice(nameEnd + 1, end);
    }
    at = end + 1;
  }
  return out;
}

export function handleChat(req: MockHttpRequest, ctx: ChatRouterContext): MockRouted {
  if (req.method.toUpperCase() !== "POST") {
    return { outcome: failure(60008, `HTTP ${req.method} is not supported: the REST API takes POST requests.`) };
  }
  if (req.body === undefined) return { outcome: failure(60008, "The request body exceeds the size limit.") };

  const q = req.url.indexOf("?");
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const params = chatQuery(q < 0 ? "" : req.url.slice(q + 1));
  const command =
    path.charCodeAt(0) === SLASH && path.charCodeAt(1) !== SLASH && path.charCodeAt(path.length - 1) !== SLASH
      ? path.slice(1)
      : path.replace(/^\/+|\/+$/g, "");
  const route = ctx.commands.get(command);
  if (!route) return { outcome: failure(60009, `No REST API is served at ${JSON.stringify(path.slice(0, 96))}.`) };
  const found = { service: route.serviceId, operation: route.operation };

  const sdkAppIdText = params.sdkappid;
  if (!sdkAppIdText || !SDKAPPID.test(sdkAppIdText)) return { outcome: failure(60012, "The request URL needs the SDKAppID (sdkappid)."), ...found };
  const identifier = params.identifier;
  if (!identifier) return { outcome: failure(60010, "The request needs an App administrator account (identifier)."), ...found };
  const sdkAppId = Number(sdkAppIdText);
  const app = ctx.lookup(sdkAppId);
  if (!app) return { outcome: failure(70020, `The SDKAppID ${sdkAppId} does not exist; the UserSig cannot be verified.`), ...found };
  const verified = ctx.userSigs.verify(params.usersig ?? "", {
    sdkAppId,
    identifier,
    key: app.key,
    nowSeconds: Math.floor(ctx.nowMs() / 1000),
  });
  if (!verified.ok) return { outcome: failure(verified.code, verified.message), ...found };
  if (identifier !== app.identifier) {
    return { outcome: failure(60010, "The request requires App administrator permissions: identifier is not the administrator."), ...found };
  }

  const meta = route.operation.ctx.meta;
  if (meta.rateLimit && ctx.limiter && !ctx.limiter.take(`${route.serviceId}\n${sdkAppId}\n${identifier}\n${command}`, meta.rateLimit, ctx.nowMs())) {
    const { requests, per } = meta.rateLimit;
    return { outcome: failure(60007, `The REST API call frequency exceeds the limit of ${requests} per ${per}.`), ...found };
  }
  return { outcome: route.operation.handle(req.body, undefined, req.bytes), service: route.serviceId, operation: route.operation };
}

/**
 * The first path segment when a `/` follows it (`/v4/group_open_http_svc/...` → `v4`), leading
 * slashes skipped; "" when there is none. Scanned rather than matched: it runs on every request of
 * a mock that serves several protocols.
 */
export function versionOf(url: string): string {
  let start = 0;
  while (url.charCodeAt(start) === SLASH) start++;
  if (start === 0) return "";
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === SLASH) return i > start ? url.slice(start, i) : "";
    if (c === QUESTION) return "";
  }
  return "";
}

/** `{ActionStatus, ErrorCode, ErrorInfo, RequestId, Response?}`, HTTP 200 on failure too; `beside`: the payload's fields beside the status fields, not in `Response`. */
function envelope(outcome: MockOutcome, requestId: string, beside: boolean): unknown {
  return outcome.ok
    ? beside
      ? { ...outcome.payload, ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", RequestId: requestId }
      : { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", RequestId: requestId, Response: outcome.payload }
    : { ActionStatus: "FAIL", ErrorCode: chatCode(outcome.code), ErrorInfo: outcome.message, RequestId: requestId };
}

/** Chat codes are integers on the wire; metadata keys hold them as text. */
function chatCode(code: string | number): number {
  const n = typeof code === "number" ? code : Number(code);
  return Number.isSafeInteger(n) && n > 0 ? n : 60008;
}

/** The Chat REST server: `POST /<version>/<servicename>/<command>` with the UserSig in the query. */
export const chatRestGateway: MockGateway<MockChatCredential, "chat"> = {
  name: CHAT_REST,
  credentials: {
    key: "chat",
    defaults: [{ sdkAppId: 1400000000, identifier: "admin", key: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e" }],
    fromEnv(env) {
      const sdkAppIdText = env[CHAT_ENV.sdkAppId];
      const identifier = env[CHAT_ENV.identifier];
      const key = env[CHAT_ENV.key];
      if (!sdkAppIdText && !identifier && !key) return undefined;
      const sdkAppId = Number(sdkAppIdText);
      if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) throw new TypeError(`${CHAT_ENV.sdkAppId} must be a positive integer`);
      if (!identifier || !key) throw new TypeError(`set ${CHAT_ENV.sdkAppId}, ${CHAT_ENV.identifier} and ${CHAT_ENV.key} together`);
      return [{ sdkAppId, identifier, key }];
    },
    cli: {
      flags: [
        { name: "sdkappid", value: "N", help: "accepted Chat SDKAppID", env: CHAT_ENV.sdkAppId },
        { name: "identifier", value: "ID", help: "its administrator account", env: CHAT_ENV.identifier },
        { name: "chat-key", value: "KEY", help: "its secret key", env: CHAT_ENV.key },
      ],
      fromFlags(values) {
        const { sdkappid, identifier, "chat-key": key } = values;
        if (!sdkappid && !identifier && !key) return undefined;
        const sdkAppId = Number(sdkappid);
        if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) throw new TypeError("--sdkappid must be a positive integer");
        if (!identifier || !key) throw new TypeError("--sdkappid, --identifier and --chat-key go together");
        return [{ sdkAppId, identifier, key }];
      },
      describe: (credentials) => `Chat SDKAppID ${credentials.map((c) => `${c.sdkAppId} (administrator ${c.identifier})`).join(", ")}`,
    },
  },
  // Chat REST documents no generic server error; 60008 ("service request timed out") is the nearest.
  codes: { internal: 60008, malformed: 60002, body: 60003 },
  wireCode: (code) => Number(code),
  envelope,
  requestId: ([a8, b8, c8, d8], n) => `Id-${a8}${b8}${c8}${d8}-O-Seq-${n}`,
  open({ credentials, nowMs, limiter }): MockGatewayInstance {
    const commands = new Map<string, ChatRoute>();
    const versions = new Set<string>();
    const bySdkAppId = new Map(credentials.map((c) => [c.sdkAppId, c]));
    const ctx: ChatRouterContext = { commands, lookup: (id) => bySdkAppId.get(id), userSigs: new UserSigVerifier(), nowMs, limiter };
    return {
      add({ id, metadata, operations }) {
        const version = metadata.protocol.version;
        versions.add(version);
        for (const [method, op] of operations) {
          const command = op.ctx.meta.command;
          if (!command) throw new TypeError(`createMock: ${id}.${method} has no command`);
          const path = `${version}/${command}`;
          if (commands.has(path)) throw new TypeError(`createMock: two operations are served at /${path}`);
          commands.set(path, { serviceId: id, operation: op });
        }
      },
      // Paths under a served version (`/v4/...`).
      owns(url) {
        const version = versionOf(url);
        return version !== "" && versions.has(version);
      },
      route: (request) => handleChat(request, ctx),
    };
  },
};
