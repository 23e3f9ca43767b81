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
import { failure, type MockHttpRequest, type MockOutcome } from "./mock-envelope.js";
import type { MockOperation } from "./mock-operation.js";
import type { MockRateLimiter } from "./mock-rate-limit.js";
import { verifyUserSig } from "./usersig.js";

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
  nowMs: () => number;
  limiter: MockRateLimiter | undefined;
}

const SDKAPPID = /^[1-9][0-9]{0,15}$/;

export function handleChat(req: MockHttpRequest, ctx: ChatRouterContext): { outcome: MockOutcome; service?: string; operation?: MockOperation } {
  if (req.method.toUpperCase() !== "POST") {
    return { outcome: failure(60008, `HTTP ${req.method} is not supported: the REST API takes POST requests.`) };
  }
  if (req.body === undefined) return { outcome: failure(60008, "The request body exceeds the size limit.") };

  const q = req.url.indexOf("?");
  const path = q < 0 ? req.url : req.url.slice(0, q);
  // URLSearchParams never throws: malformed escapes are kept as text.
  const params = new URLSearchParams(q < 0 ? "" : req.url.slice(q + 1));
  const command = path.replace(/^\/+|\/+$/g, "");
  const route = ctx.commands.get(command);
  if (!route) return { outcome: failure(60009, `No REST API is served at ${JSON.stringify(path.slice(0, 96))}.`) };
  const found = { service: route.serviceId, operation: route.operation };

  const sdkAppIdText = params.get("sdkappid");
  if (!sdkAppIdText || !SDKAPPID.test(sdkAppIdText)) return { outcome: failure(60012, "The request URL needs the SDKAppID (sdkappid)."), ...found };
  const identifier = params.get("identifier");
  if (!identifier) return { outcome: failure(60010, "The request needs an App administrator account (identifier)."), ...found };
  const sdkAppId = Number(sdkAppIdText);
  const app = ctx.lookup(sdkAppId);
  if (!app) return { outcome: failure(70020, `The SDKAppID ${sdkAppId} does not exist; the UserSig cannot be verified.`), ...found };
  const verified = verifyUserSig(params.get("usersig") ?? "", {
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
  return { outcome: route.operation.handle(req.body, undefined, req.bytes), ...found };
}
