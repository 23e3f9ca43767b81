// The client's call path (client-call.ts, the runtime's `call` entry), loaded on the first call: a
// cold import of a client does not parse it (issue 15). Node resolves the runtime's `#loaders` to
// loaders.ts, which holds this; a bundler (the `module` condition) gets loaders-bundled.ts, which imports it statically.
import type { ClientState } from "./client-state.js";
import type { CallOptions } from "./options.js";

let loading: Promise<typeof import("../call.js")> | undefined;

/** Runs `callOperation` of client-call.ts, imported once on the first call. */
export function startCall<T = unknown>(state: ClientState, method: string, request: unknown, options?: CallOptions): Promise<T> {
  return (loading ??= import("../call.js")).then((m) => m.callOperation<T>(state, method, request, options));
}
