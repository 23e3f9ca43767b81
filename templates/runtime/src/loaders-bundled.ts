// What the bundlers' build of the core (`core-bundled.js`, the `module`, `worker` and `browser`
// conditions of `/core`) takes its loaders from: the call path and the transports imported statically. Loading them on demand (client/call-loader.ts,
// client/transport-loader.ts: what Node resolves) keeps a cold import small, but in one file of an
// app it only adds lazy-init wrappers (issue 15).
import type { Transport } from "./client/transport.js";
import type { TransportModule } from "./client/transport-loader.js";
import { createFetchTransport, defaultTransport } from "./transport.js";

export { callOperation as startCall } from "./call.js";

const transports: TransportModule = { createFetchTransport, defaultTransport };

/** A transport that is `make(transports)`, made on its first request (then called directly). */
export function lazyTransport(make: (transports: TransportModule) => Transport): Transport {
  let made: Transport | undefined;
  return (request) => (made ??= make(transports))(request);
}
