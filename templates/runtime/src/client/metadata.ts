// What the generated metadata looks like (structurally; `typeof metadata` satisfies it): the
// contract between a generated package and the client core, and the protocols' view of it.

import type { Representation } from "../shared/json.js";
import type { RequestValidateOptions, ShapeValidateOptions, ValidationResult } from "../validation/validation.js";

/** The service's protocol: its name (which protocol module serves it), its version, and what else that protocol reads (a TC3 service name). */
export interface ProtocolMetadata {
  readonly name: string;
  readonly version: string;
  readonly [field: string]: unknown;
}

export interface EndpointMetadata {
  readonly id: string;
  readonly host: string;
  readonly backup?: string;
  readonly region?: string;
  readonly default: boolean;
}

export interface RegionsMetadata {
  readonly required: boolean;
  /** Allowed regions; empty means any. */
  readonly values: readonly string[];
}

export interface ErrorMetadata {
  readonly retryable: boolean;
}

/** How an operation pages: by page number from `firstPage`, by `offset` (items to skip), or by a cursor. */
export type PaginationMetadata = {
  /** The largest page, when the spec knows it. */
  readonly maxSize: number | null;
  /** The page size the service uses when the size is left out, when the spec knows it. */
  readonly defaultSize: number | null;
  readonly items: string;
  /** The response field counting every item; null: a short or empty page ends the list. */
  readonly total: string | null;
  /** Smaller largest pages from the spec's `relations` (`bound` on the size field), each under its condition. */
  readonly sizeBounds?: readonly PageSizeBound[];
} & (
  /** `size`: the request field holding the page size. */
  | { readonly style: "page-number"; readonly page: string; readonly firstPage: number; readonly size: string }
  | { readonly style: "offset"; readonly offset: string; readonly size: string }
  | CursorPaginationMetadata
);

/**
 * A list asked for by a cursor: the request field `cursor` takes the response field `next` of the
 * page before (the list ends when it is absent, null or ""), or the smallest (`min`) or largest
 * (`max`) `nextItem.field` of its items; `first` is the first request's cursor (null: left out);
 * `end`, a response field whose value also ends the list.
 */
export interface CursorPaginationMetadata {
  readonly style: "cursor";
  readonly cursor: string;
  readonly next: string | null;
  readonly nextItem: { readonly field: string; readonly pick: "min" | "max" } | null;
  readonly first: string | number | null;
  readonly end: { readonly field: string; readonly equals: string | number | boolean } | null;
  /** The request field holding the page size, when there is one. */
  readonly size: string | null;
}

/** When a relation applies, as the validators read it: a field present (neither absent nor null) or
 * absent, or equal to a value (`text`: compared as decimal text, for a 64-bit field held as a string or bigint). */
export type RelationConditionMetadata =
  | { readonly field: string; readonly present: boolean }
  | { readonly field: string; readonly equals: string | number | boolean; readonly text?: boolean };

/** The page size is at most `maximum` when `when` holds (always when null). */
export interface PageSizeBound {
  readonly maximum: number;
  readonly when: RelationConditionMetadata | null;
}

export interface OperationMetadata {
  readonly name: string;
  /** The operation's key on the wire, by protocol (a TC3 action, a Chat `servicename/command`). */
  readonly action?: string;
  readonly command?: string;
  readonly regions: RegionsMetadata;
  readonly rateLimit: { readonly requests: number; readonly per: "second" | "minute" } | null;
  readonly pagination: PaginationMetadata | null;
  readonly timeWindows: readonly unknown[];
  readonly errors: { readonly [code: string]: ErrorMetadata };
  /** The lossless-JSON plan for the payload's 64-bit fields (absent: plain lossless parsing). */
  readonly responseRepresentation?: Representation | null;
  /** A success may leave the payload out (a Chat command that returns nothing): it stands for `{}`. */
  readonly payloadOptional?: boolean;
  /** `envelope`: the answer holds the response fields beside the envelope's own fields, not under the protocol's payload key. */
  readonly payloadAt?: "envelope";
}

export interface ServiceMetadata {
  readonly id: string;
  readonly title: string;
  readonly protocol: ProtocolMetadata;
  readonly endpoints: readonly EndpointMetadata[];
  readonly regions: RegionsMetadata;
  readonly commonErrors: { readonly [code: string]: ErrorMetadata };
  readonly operations: { readonly [method: string]: OperationMetadata };
}

export interface OperationValidators {
  request(value: unknown, options: RequestValidateOptions): ValidationResult<unknown>;
  response(value: unknown, options: ShapeValidateOptions): ValidationResult<unknown>;
}

export type ServiceValidators = { readonly [method: string]: OperationValidators | undefined };

export type OperationName<M extends ServiceMetadata> = keyof M["operations"] & string;
