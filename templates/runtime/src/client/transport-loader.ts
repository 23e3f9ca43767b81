// The built-in transports (transport.ts, with the HTTP/1.1 client and undici's
// adapter under it), loaded on the first request that needs one: a cold import of a client does not
// parse them. The import names the runtime's `transport` entry, so the build keeps it a file of its
// own (a bundler that makes one file of an app inlines it).
import type { Transport } from "./transport.js";

type TransportModule = typeof import("../transport.js");

let loading: Promise<TransportModule> | undefined;

/** The `@rtc-apigen/runtime/transport` module, imported once. */
export function loadTransports(): Promise<TransportModule> {
  return (loading ??= import("../transport.js"));
}

/** A transport that is `make(transports)`, made on its first request (then called directly). */
export function lazyTransport(make: (transports: TransportModule) => Transport): Transport {
  let made: Transport | undefined;
  return (request) => (made ? made(request) : loadTransports().then((m) => (made ??= make(m))(request)));
}
