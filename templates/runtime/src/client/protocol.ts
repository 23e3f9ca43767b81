// The protocol seam of the client: what a wire protocol (protocols/<name>/client.ts) gives the
// client core. Protocols depend on this module, never on the core.

import type { OperationMetadata, ProtocolMetadata } from "./metadata.js";
import type { CommonClientOptions } from "./options.js";
import type { TransportResponse } from "./transport.js";

export interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  /** Secrets used by this attempt (signature, UserSig) to redact from errors. */
  secrets: readonly string[];
}

export type ProtocolOutcome =
  | { kind: "ok"; payload: unknown; requestId: string | undefined }
  | { kind: "error"; code: string | number; message: string; requestId: string | undefined }
  | {
      kind: "client";
      code: "ClientError.InvalidResponse" | "ClientError.HttpStatus";
      message: string;
      requestId: string | undefined;
    };

export interface Protocol {
  /** Long-lived secrets (keys, tokens) to redact from every error. */
  readonly secrets: readonly string[];
  /** The body key the payload sits under (the JSON plan is applied below it). */
  readonly payloadKey: string;
  /** The URL and headers of one attempt; throws an ApiError (credentials, configuration). A promise
   * only while a credentials provider is being called (see credential-cache.ts); otherwise synchronous. */
  prepare(input: {
    operation: OperationMetadata;
    endpoint: URL;
    body: string;
    region: string | undefined;
    nowMs: number;
  }): PreparedRequest | Promise<PreparedRequest>;
  /** The parsed body (JSON) of a response; `payloadOptional`: a success without a payload is `{}`;
   * `payloadAt: "envelope"`: the payload is the body's fields beside the envelope's own. */
  interpret(body: unknown, response: TransportResponse, options?: { payloadOptional?: boolean; payloadAt?: "envelope" }): ProtocolOutcome;
}

/** The protocol of a client: builds it from the service's protocol metadata, the options, the environment and the clock. */
export type ProtocolFactory<O extends CommonClientOptions = CommonClientOptions> = (
  protocol: ProtocolMetadata,
  options: O,
  env: Readonly<Record<string, string | undefined>>,
  now: () => number,
) => Protocol;

/** A protocol as a client registry holds it: the name services give in `metadata.protocol.name`, and its factory. */
export interface ClientProtocol<Name extends string = string, O extends CommonClientOptions = CommonClientOptions> {
  readonly name: Name;
  readonly factory: ProtocolFactory<O>;
}
