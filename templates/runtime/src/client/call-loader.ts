// The client's call path (client-call.ts, the runtime's `call` entry), loaded on the first call: a
// cold import of a client does not parse it (issue 15). Node's core imports it from loaders.ts; the
// bundlers' core (the `module` condition) from loaders-bundled.ts, which imports the call path statically.
import type { ClientState } from "./client-state.js";
import { ApiError } from "./errors.js";
import type { CallOptions } from "./options.js";

type CallOperation = (typeof import("../call.js"))["callOperation"];

let loaded: CallOperation | undefined;
let loading: Promise<CallOperation> | undefined;

/** A failed load is not kept: the next call tries again (a file replaced mid-deploy, EMFILE under load). */
function load(): Promise<CallOperation> {
  return (loading ??= import("../call.js").then(
    (m) => (loaded = m.callOperation),
    (cause: unknown) => {
      loading = undefined;
      throw new ApiError({
        code: "ClientError.Configuration",
        message: "the runtime's call path (@rtc-apigen/runtime/call) could not be loaded; is the package installed whole?",
        cause,
      });
    },
  ));
}

/**
 * Runs `callOperation` of client-call.ts: directly once it is loaded, so a call reads its request
 * (validates and serialises it) before it returns, as a bundled app's calls always do; the first
 * calls of a process wait for the import.
 */
export function startCall<T = unknown>(state: ClientState, method: string, request: unknown, options?: CallOptions): Promise<T> {
  if (loaded) return loaded<T>(state, method, request, options);
  return load().then((call) => call<T>(state, method, request, options));
}
