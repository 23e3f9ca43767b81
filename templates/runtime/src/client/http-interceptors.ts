// Test interceptors (MSW, nock, a stub of http.request) patch node:http, which the node transport's
// direct path (http1.ts) never calls. While one is active, requests go through node:http instead,
// so a mocked test suite never reaches a real host. Checked per call (a symbol lookup and three
// identity comparisons), so an interceptor started or stopped mid-process switches the path.

import type http from "node:http";
import type https from "node:https";

/** Where @mswjs/interceptors (MSW 2, nock 14) keeps its applied ClientRequest interceptor. */
const MSWJS_INTERCEPTOR = Symbol.for("client-request-interceptor");

interface NodeHttpEntryPoints {
  request: typeof http.request;
  httpsRequest: typeof https.request;
  ClientRequest: typeof http.ClientRequest;
}

let own: NodeHttpEntryPoints | undefined;

const entryPoints = (h: typeof http, s: typeof https): NodeHttpEntryPoints => ({
  request: h.request,
  httpsRequest: s.request,
  ClientRequest: h.ClientRequest,
});

/**
 * True when something intercepts node:http: an applied @mswjs/interceptors ClientRequest
 * interceptor, nock 13 (its `OverriddenClientRequest`), or `http.request`, `https.request` or
 * `http.ClientRequest` replaced since the first look with none of those active (Node's own then).
 */
export function nodeHttpIntercepted(h: typeof http, s: typeof https): boolean {
  if ((globalThis as Record<symbol, unknown>)[MSWJS_INTERCEPTOR] !== undefined) return true;
  if (own !== undefined) return h.request !== own.request || s.request !== own.httpsRequest || h.ClientRequest !== own.ClientRequest;
  // No baseline yet: not while an interceptor is known to be applied (older @mswjs/interceptors key
  // their global with an unregistered symbol of the same description).
  if (h.ClientRequest.name !== "ClientRequest") return true;
  for (const key of Object.getOwnPropertySymbols(globalThis))
    if (key.description === "client-request-interceptor" && (globalThis as Record<symbol, unknown>)[key] !== undefined) return true;
  own = entryPoints(h, s);
  return false;
}
