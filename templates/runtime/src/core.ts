// `@rtc-apigen/runtime/core`: the part of the root a generated service package needs when it is
// imported, and what the protocols' entries share with the root (the root re-exports all of it):
// ApiError, the validation errors, ProtocolClient, whose call path loads on its first call
// (`@rtc-apigen/runtime/call`), pagination, the credentials cache. A service package's JavaScript
// reads it through its protocol's entry instead of the root, so that a cold import does not parse
// the rest of the root (lossless JSON, rate limiting, middleware...).
export { ProtocolClient } from "./client/client-core.js";
export { paginate, paginateItems } from "./client/pagination.js";
export { ApiError, CLIENT_ERROR_CODES, isClientErrorCode, type ApiErrorInit, type ClientErrorCode } from "./client/errors.js";
export { errorTable } from "./client/metadata.js";
export { onDemand, type OnDemand } from "./client/on-demand.js";
export { asserter, ValidationError } from "./validation/validation-error.js";
export { DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS, type ExpiresAt } from "./client/credential-cache.js";
