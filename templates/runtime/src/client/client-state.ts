// What a client holds for its calls: ProtocolClient (client-core.ts) makes it when it is constructed,
// its call path (client-call.ts, loaded on the first call) reads it. A module of its own, so that the
// call path does not import the client that loads it.
import type { ApiError } from "./errors.js";
import type { ServiceMetadata, ServiceValidators } from "./metadata.js";
import type { Middleware } from "./middleware.js";
import type { CommonClientOptions, Logger } from "./options.js";
import type { Protocol } from "./protocol.js";
import type { ClientRateLimiter } from "./rate-limit.js";
import type { Clock, RetryPolicy } from "./retry.js";
import type { Transport } from "./transport.js";

export const NO_MIDDLEWARE: readonly Middleware[] = Object.freeze([]);

/** The client's middleware, then the call's; a value that is not an array is kept as one entry, refused when the call runs. */
export const callMiddleware = (client: readonly Middleware[], call: readonly Middleware[]): readonly Middleware[] =>
  Array.isArray(call) ? (call.length === 0 ? client : [...client, ...call]) : [...client, call as unknown as Middleware];

/** What a client holds for its calls (client-call.ts reads it). */
export interface ClientState {
  readonly metadata: ServiceMetadata;
  readonly validators: ServiceValidators;
  readonly options: CommonClientOptions;
  readonly protocol: Protocol;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** What every call fails with, when the options cannot work: the endpoint, then the clock, then the backup endpoint. */
  readonly problem: ApiError | undefined;
  /** The endpoint; undefined only with a problem. */
  readonly endpoint: { url: URL; region: string | undefined } | undefined;
  /** Where a retry goes after a failure another host could fix (failover.ts); undefined: none. */
  readonly backup: URL | undefined;
  readonly buckets: Map<string, ClientRateLimiter>;
  /** The client's retry policy; a call's `retry` option is merged over the client's options. */
  readonly retryPolicy: RetryPolicy;
  readonly now: () => number;
  /** The client's middleware, first outermost (a copy: later changes to the option's array do not count). */
  readonly middleware: readonly Middleware[];
}
