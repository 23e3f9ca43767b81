// Failover: an endpoint may name a backup host in the spec (each Chat data centre has one). When an
// attempt fails in a way another host could fix (no connection, a timeout, a 5xx) and a retry
// follows, the retry goes to the other host: primary, backup, primary... Every call starts on the
// primary. Retries themselves (how many, how long) are the retry policy's; failover only picks where.

import { ApiError } from "./errors.js";
import type { ServiceMetadata } from "./metadata.js";

/**
 * The backup base URL for a client, or undefined when it has none: the `backupEndpoint` option when
 * given, else the spec's `backup` of the endpoint chosen by id (or by the same host name). `resolve`
 * reads an endpoint id, host name or URL as the client's `endpoint` option is read.
 */
export function resolveBackup(
  metadata: ServiceMetadata,
  options: { endpoint?: string | undefined; backupEndpoint?: string | undefined; failover?: boolean | undefined },
  primary: URL,
  resolve: (endpoint: string) => { url: URL } | ApiError,
): URL | ApiError | undefined {
  if (options.failover === false) return undefined;
  if (options.backupEndpoint !== undefined) {
    const resolved = resolve(options.backupEndpoint);
    return resolved instanceof ApiError ? resolved : resolved.url;
  }
  const { endpoint } = options;
  const known =
    endpoint === undefined
      ? metadata.endpoints.find((e) => e.default)
      : (metadata.endpoints.find((e) => e.id === endpoint) ??
        metadata.endpoints.find((e) => e.host.toLowerCase() === primary.host.toLowerCase() && primary.protocol === "https:"));
  return known?.backup ? new URL(`https://${known.backup}/`) : undefined;
}

/** Whether another host could answer where this one failed: no connection or answer, or a 5xx. */
export function failsOver(error: ApiError): boolean {
  if (error.httpStatus !== undefined) return error.httpStatus >= 500 && error.httpStatus <= 599;
  return error.code === "ClientError.Network" || error.code === "ClientError.Timeout";
}
