// `@rtc-apigen/runtime`: what every client and validator needs, whatever its protocol. Each wire
// protocol is an entry of its own (`@rtc-apigen/runtime/tc3`, `@rtc-apigen/runtime/chat-rest`), so a
// service package loads only its protocol's code; `@rtc-apigen/runtime/service-client` picks the
// protocol by the metadata; the mock is `@rtc-apigen/runtime/mock`.
export { ProtocolClient } from "./client/client-core.js";
export { paginate, paginateItems } from "./client/pagination.js";
export { ApiError, CLIENT_ERROR_CODES, isClientErrorCode, type ApiErrorInit, type ClientErrorCode } from "./client/errors.js";
export type {
  CursorPaginationMetadata,
  EndpointMetadata,
  ErrorMetadata,
  OperationMetadata,
  OperationName,
  OperationValidators,
  PageSizeBound,
  PaginationMetadata,
  ProtocolMetadata,
  RegionsMetadata,
  RelationConditionMetadata,
  ResponseValidator,
  ServiceMetadata,
  ServiceValidators,
  TimeWindowMetadata,
} from "./client/metadata.js";
export { errorTable } from "./client/metadata.js";
export { onDemand, type OnDemand } from "./client/on-demand.js";
export type { AttemptEvent, CallOptions, CommonClientOptions, Logger, ValidateRequestsMode, ValidateResponsesMode } from "./client/options.js";
export type { ClientProtocol, PreparedRequest, Protocol, ProtocolFactory, ProtocolOutcome } from "./client/protocol.js";
export type {
  Middleware,
  MiddlewareChain,
  MiddlewareContext,
  MiddlewareNext,
  MiddlewareRequest,
  MiddlewareResponse,
  NextOptions,
} from "./client/middleware.js";
export { middlewareChain } from "./client/middleware-runner.js";
export { DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS, type ExpiresAt } from "./client/credential-cache.js";
export type { ProxyOption } from "./client/proxy.js";
export { ClientRateLimiter, type RateLimitOptions, type ReleaseSlot } from "./client/rate-limit.js";
export { systemClock, type Clock, type RetryOptions } from "./client/retry.js";
// The built-in transports are the `@rtc-apigen/runtime/transport` entry (loaded on a client's first request).
export type {
  FetchInit,
  FetchLike,
  FetchResponseLike,
  NodeTransportOptions,
  Transport,
  TransportRequest,
  TransportResponse,
} from "./client/transport.js";
export {
  createUndiciTransport,
  type UndiciDispatcherLike,
  type UndiciModuleLike,
  type UndiciTransport,
  type UndiciTransportOptions,
} from "./client/undici-transport.js";
export * from "./shared/json.js";
export { RATE_PERIOD_MS, RateWindow, type Rate } from "./shared/rate-window.js";
export * from "./validation/validation.js";
