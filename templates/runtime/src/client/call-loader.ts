// The client's call path (client-call.ts, the runtime's `call` entry), loaded on the first call: a
// cold import of a client does not parse it (issue 15). Node's core imports it from loaders.ts; the
// bundlers' core (the `module` condition) from loaders-bundled.ts, which imports the call path statically.
import type { ClientState } from "./client-state.js";
import { onDemand } from "./on-demand.js";
import type { CallOptions } from "./options.js";

const callPath = /* @__PURE__ */ onDemand(() => import("../call.js"), "the runtime's call path (@rtc-apigen/runtime/call)");

/**
 * Runs `callOperation` of client-call.ts: directly once it is loaded, so a call reads its request
 * (validates and serialises it) before it returns, as a bundled app's calls always do; the first
 * calls of a process wait for the import.
 */
export function startCall<T = unknown>(state: ClientState, method: string, request: unknown, options?: CallOptions): Promise<T> {
  const loaded = callPath.loaded;
  if (loaded) return loaded.callOperation<T>(state, method, request, options);
  return callPath.load().then((m) => m.callOperation<T>(state, method, request, options));
}
