// The public surface of @rtc-apigen/runtime for clients and validators; the mock is `@rtc-apigen/runtime/mock`.
export {
  chatProtocolFactory,
  ProtocolClient,
  ServiceClient,
  tc3ProtocolFactory,
  type ProtocolFactory,
  type AttemptEvent,
  type CallOptions,
  type ChatClientOptions,
  type ClientOptions,
  type ClientOptionsFor,
  type CommonClientOptions,
  type EndpointMetadata,
  type Logger,
  type OperationMetadata,
  type OperationName,
  type OperationValidators,
  type PaginationMetadata,
  type CursorPaginationMetadata,
  type ServiceMetadata,
  type ServiceValidators,
  type Tc3ClientOptions,
  type ValidateRequestsMode,
  type ValidateResponsesMode,
} from "./client-core.js";
export { ApiError, CLIENT_ERROR_CODES, isClientErrorCode, type ApiErrorInit, type ClientErrorCode } from "./errors.js";
export * from "./json.js";
export { CHAT_ENV, type ChatCredentials } from "./protocol-chat.js";
export { TC3_ENV, type Tc3Credentials, type Tc3Language } from "./protocol-tc3.js";
export { ClientRateLimiter, type RateLimitOptions, type ReleaseSlot } from "./rate-limit.js";
export { RATE_PERIOD_MS, RateWindow, type Rate } from "./rate-window.js";
export { systemClock, type Clock, type RetryOptions } from "./retry.js";
export * from "./tc3-signing.js";
export {
  createFetchTransport,
  createNodeTransport,
  defaultTransport,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
  type NodeTransportOptions,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./transport.js";
export * from "./usersig.js";
export * from "./validation.js";
