// The built-in transports (transport.ts, with the HTTP/1.1 client and undici's
// adapter under it), loaded on the first request that needs one: a cold import of a client does not
// parse them. The import names the runtime's `transport` entry, so the build keeps it a file of its
// own. Node's core imports this from loaders.ts; the bundlers' core (the `module` condition) from
// loaders-bundled.ts, which imports them statically.
import type { Transport } from "./transport.js";

/** What the client makes its transport with. */
export type TransportModule = Pick<typeof import("../transport.js"), "createFetchTransport" | "defaultTransport">;

let loading: Promise<TransportModule> | undefined;

/** A transport that is `make(transports)`, made on its first request (then called directly). */
export function lazyTransport(make: (transports: TransportModule) => Transport): Transport {
  let made: Transport | undefined;
  return (request) =>
    made
      ? made(request)
      : (loading ??= import("../transport.js").catch((cause: unknown) => {
          loading = undefined; // not kept: the next request tries again
          throw cause;
        })).then((m) => (made ??= make(m))(request));
}
