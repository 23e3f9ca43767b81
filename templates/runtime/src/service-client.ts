// `@rtc-apigen/runtime/service-client`: a client that picks its protocol by the metadata, over
// every built-in protocol (so it loads them all; generated packages use their own protocol's entry).
export { findProtocolFactory, ServiceClient, type AnyClientProtocol, type ClientOptions, type ClientOptionsFor } from "./client/service-client.js";
export { BUILTIN_CLIENT_PROTOCOLS, type BuiltinClientProtocol } from "./protocols/clients.js";
