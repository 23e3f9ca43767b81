// What a generated package's metadata.ts holds: the one declaration of it, read by the client core
// (OperationMetadata, ServiceMetadata) and by the mock (the Mock* types extend them with what only the
// mock reads). The generator types its metadata emitter against these same declarations
// (generator/emit/metadata-emitter.ts), and test/architecture/metadata-types.test.ts type-checks
// what it emits for every spec against them.

import type { Representation } from "./json.js";
import type { ValidationErrorMap } from "../validation/validation.js";

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

/**
 * How an operation pages: by page number from `firstPage`, by `offset` (items to skip), or by a
 * cursor. Without a size in the request the mock serves `defaultSize` items, else `maxSize`, else
 * the whole list.
 */
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
} &
  /** `size`: the request field holding the page size. */
  (
    | { readonly style: "page-number"; readonly page: string; readonly firstPage: number; readonly size: string }
    | { readonly style: "offset"; readonly offset: string; readonly size: string }
    | CursorPaginationMetadata
  );

/**
 * A list asked for by a cursor: the request field `cursor` takes the response field `next` of the
 * page before (the list ends when it is absent, null or ""), or the smallest (`min`) or largest
 * (`max`) `nextItem.field` of its items; `first` is the first request's cursor (null: left out);
 * `end`, a response field whose value also ends the list. The mock issues the `next` cursors
 * itself, and numbers a list paged by an item field 1, 2, 3… in list order.
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

/**
 * A limit on when a request may be sent, as the spec states it (the validators check it against
 * `options.now`): within `withinSeconds` after an event, a time field looking back at most
 * `withinSeconds`, or a time field not before another; `error`: the code the service answers.
 */
export type TimeWindowMetadata = { readonly error?: string | number } & (
  | { readonly kind: "after-event"; readonly event: string; readonly withinSeconds?: number }
  | { readonly kind: "lookback"; readonly field: string; readonly withinSeconds: number }
  | { readonly kind: "order"; readonly field: string; readonly notBefore: string }
);

/** What the client core reads of an operation. */
export interface OperationMetadata {
  readonly name: string;
  /** The operation's key on the wire, under the field its protocol reads (a TC3 action, a Chat `servicename/command`). */
  readonly action?: string;
  readonly command?: string;
  readonly regions: RegionsMetadata;
  readonly rateLimit: { readonly requests: number; readonly per: "second" | "minute" } | null;
  readonly pagination: PaginationMetadata | null;
  /** Not read by the client (the validators check the windows): a package's client data leaves it out, `metadata` has it. */
  readonly timeWindows?: readonly TimeWindowMetadata[];
  /** The operation's own codes; the service's `commonErrors` hold the rest. */
  readonly errors: { readonly [code: string]: ErrorMetadata };
  /** The lossless-JSON plan for the payload's 64-bit fields (absent: plain lossless parsing). */
  readonly responseRepresentation?: Representation | null;
  /** A success may leave the payload out (a Chat command that returns nothing): it stands for `{}`. */
  readonly payloadOptional?: boolean;
  /** `envelope`: the answer holds the response fields beside the envelope's own fields, not under the protocol's payload key. */
  readonly payloadAt?: "envelope";
}

/** What the client core reads of a service. */
export interface ServiceMetadata {
  readonly id: string;
  readonly title: string;
  readonly protocol: ProtocolMetadata;
  readonly endpoints: readonly EndpointMetadata[];
  readonly regions: RegionsMetadata;
  readonly commonErrors: { readonly [code: string]: ErrorMetadata };
  readonly operations: { readonly [method: string]: OperationMetadata };
}

/** A resource the mock keeps (e.g. a room), with a lifecycle the operations' rules read. */
export interface MockResourceSpec {
  readonly description: string;
  /** Wire type of the key. */
  readonly key: "string" | "integer";
}

/** What an operation does to its resource: `read` is what every `mock:` meant before actions. */
export type MockAction = "create" | "read" | "update" | "delete" | "list";

/** What an operation does with the mock's state, from the spec's `mock:` section. */
export interface MockOperationSpec {
  readonly resource: string;
  /** Absent in metadata generated before actions: read. */
  readonly action?: MockAction;
  /**
   * The request field holding the resource key, a dotted path into nested objects (`RoomInfo.RoomId`);
   * a segment ending in `[]` goes through a list, each element a key (`GroupIds[]`); null for create and list.
   */
  readonly key: string | null;
  /** update: the lifecycle state the resource enters. */
  readonly sets?: { readonly state: "not-started" | "live" | "ended" } | null;
  /** create: where the new key is: allocated by the mock and answered in a response field, or named by the caller in a request field. */
  readonly keyFrom?: { readonly side: "request" | "response"; readonly path: string } | null;
  /** create with a caller-named key that exists: this error (null: the create replaces it). */
  readonly conflict?: string | number | null;
  /** The error for an unknown key; null: an unknown key gets an empty result. */
  readonly notFound: string | number | null;
  /** Lifecycle states the resource must be in, with the error otherwise (null: an empty result). */
  readonly requires: ReadonlyArray<{
    readonly state: "not-started" | "live" | "ended";
    readonly withinSeconds: number | null;
    readonly error: string | number | null;
  }>;
  /**
   * Request fields narrowing the paginated list to the items whose `matches` field is equal; a
   * filter is off when its field is absent, null or "". `paging: "ignored"`: every matching item in
   * one answer; `total: "unfiltered"`: the total still counts every item.
   */
  readonly filters?: ReadonlyArray<{
    readonly field: string;
    readonly matches: string;
    readonly paging: "applies" | "ignored";
    readonly total: "filtered" | "unfiltered";
  }>;
}

/** What the mock reads of an operation: all the client reads, and what it needs to check and answer a request. */
export interface MockOperationMetadata extends OperationMetadata {
  readonly timeWindows: readonly TimeWindowMetadata[];
  /** The code the service answers for each kind of invalid request. */
  readonly validationErrors: ValidationErrorMap;
  /** The lossless-JSON plans of the request and response payloads' 64-bit fields. */
  readonly requestRepresentation: Representation | null;
  readonly responseRepresentation: Representation | null;
  /** What the mock does with its state for this operation (null: it answers sampled data). */
  readonly mock: MockOperationSpec | null;
}

/** What the mock reads of a service: the whole of metadata.ts. */
export interface MockServiceMetadata extends ServiceMetadata {
  readonly resources: { readonly [name: string]: MockResourceSpec };
  readonly operations: { readonly [method: string]: MockOperationMetadata };
}
