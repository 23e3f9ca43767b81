// `@rtc-apigen/runtime/transport`: the built-in transports. A client loads this entry on its first
// request (client/transport-loader.ts), so a cold import of a client does not parse them. It holds
// only what that needs: a one-file bundle keeps every export of a module imported dynamically.
export {
  createFetchTransport,
  createNodeTransport,
  defaultTransport,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
  type NodeTransport,
  type NodeTransportOptions,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./client/transport.js";
export type { ProxyOption } from "./client/proxy.js";
