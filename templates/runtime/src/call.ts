// `@rtc-apigen/runtime/call`: a client's call path (client/client-call.ts), which ProtocolClient
// imports on its first call: a cold import of a client does not parse it. A bundler that makes one
// file of an app inlines it.
export { callOperation } from "./client/client-call.js";
