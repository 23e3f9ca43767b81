// The intermediate representation: plain data, the only contract between specs and emitters.
// No YAML nodes survive here; every node keeps the spec position it came from.

export interface SourceLoc {
  /** Path of the spec file, relative to the specs root's parent (e.g. `specs/lcic/GetRoomEvent.yaml`). */
  file: string;
  line: number;
  col: number;
}

/** Where the value of each key of a node is, so a diagnostic can point at `maximum: 0`, not at the field. */
export type KeyLocs = Partial<Record<string, SourceLoc>>;

/** A JSON value read without precision loss: integers beyond 2^53 are bigint. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

export type ScalarName = "string" | "boolean" | "integer" | "int32" | "uint32" | "int64" | "uint64" | "float" | "any";

export type TypeRef =
  { kind: "scalar"; name: ScalarName } | { kind: "shape"; name: string } | { kind: "array"; items: TypeRef } | { kind: "union"; members: TypeRef[] };

export interface EnumValue {
  value: string | number;
  description?: string;
  source?: string;
  /** Where the value is written, for diagnostics. */
  loc?: SourceLoc;
}

export interface Note {
  topic: string;
  text: string;
  ref?: string;
}

export interface Constraints {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: "unix-time" | "uri" | "ipv4" | "date" | "date-time";
  minItems?: number;
  maxItems?: number;
}

/** What the service answers for a request field's problems, where the spec says so. */
export interface FieldErrors {
  missing?: string | number;
  invalid?: string | number;
}

export interface Field {
  name: string;
  type: TypeRef;
  description: string;
  required: boolean;
  nullable: boolean;
  /** How 64-bit integers reach JavaScript; absent for other types. */
  js?: "number" | "bigint" | "string";
  constraints: Constraints;
  unit?: "seconds" | "milliseconds" | "bytes" | "count";
  enum?: EnumValue[];
  default?: JsonValue;
  example?: JsonValue;
  deprecated?: string;
  errors?: FieldErrors;
  source?: string;
  notes: Note[];
  loc: SourceLoc;
  at: KeyLocs;
}

export interface Shape {
  name: string;
  description: string;
  fields: Field[];
  source?: string;
  notes: Note[];
  /** The service's shared types live in service.yaml; operation-local ones in the operation file. */
  definedIn: string;
  /** `order:` times of one object that come in order, for the mock's data; absent: the name rule of generator/ir/time-order.ts. */
  order?: TimeOrder[];
  loc: SourceLoc;
}

/** One `order:` entry of a shape: `then` is not before `first`. */
export interface TimeOrder {
  first: string;
  then: string;
  loc: SourceLoc;
  at: KeyLocs;
}

export interface ErrorDef {
  code: string | number;
  description: string;
  retryable: boolean;
  /** Where the code is declared: the protocol's common list, the service, or the operation. */
  scope: "protocol" | "service" | "operation";
  source?: string;
  notes: Note[];
  loc: SourceLoc;
}

export interface Regions {
  required: boolean;
  /** Empty: any region. */
  values: string[];
  source?: string;
  notes: Note[];
  loc: SourceLoc;
  at: KeyLocs;
}

export interface RateLimit {
  requests: number;
  per: "second" | "minute";
  source?: string;
  notes: Note[];
  loc: SourceLoc;
}

export type TimeWindow = {
  description: string;
  error?: string | number;
  source?: string;
  loc: SourceLoc;
  at: KeyLocs;
} & (
  | { kind: "after-event"; event: string; withinSeconds?: number }
  | { kind: "lookback"; field: string; withinSeconds: number }
  | { kind: "order"; field: string; notBefore: string }
);

/** When a relation applies: another request field is present (neither absent nor null), absent, or equal to a value. */
export interface RelationCondition {
  field: string;
  present?: boolean;
  equals?: string | number | boolean;
  loc: SourceLoc;
  at: KeyLocs;
}

/** A relation between request fields (`relations:`), checked by the validators and so by the mock. */
export type Relation = {
  description?: string;
  when?: RelationCondition;
  error?: string | number;
  source?: string;
  notes: Note[];
  loc: SourceLoc;
  at: KeyLocs;
} &
  /** `to` at most `withinMs` after `from`. */
  (
    | { kind: "max-span"; from: string; to: string; withinMs: number }
    | { kind: "bound"; field: string; minimum?: number; maximum?: number; minItems?: number; maxItems?: number }
    /** `then` not before `first` (strictly after unless `allowEqual`). */
    | { kind: "order"; first: string; then: string; allowEqual: boolean }
  );

/** Where a cursor list's next cursor comes from: a response field, or the smallest or largest value of an item field. */
export type CursorNext = { field: string } | { item: string; pick: "min" | "max" };

/** How an operation's results page: by page number (from `firstPage`), by item offset, or by a cursor. */
export type Pagination = {
  /** Request field holding the page size (always for page-number and offset; a cursor list may have none). */
  size?: string;
  /** The largest page: the size field's maximum. */
  maxSize?: number;
  /** The page size the service uses when the size field is left out: the field's default. */
  defaultSize?: number;
  items: string;
  /** Response field counting every item; absent: a short or empty page ends the list. */
  total?: string;
  loc: SourceLoc;
  at: KeyLocs;
} & PaginationStyle;

/** The keys of one pagination style. */
export type PaginationStyle =
  | { style: "page-number"; page: string; firstPage: number; size: string }
  /** `offset` counts the items to skip, not pages. */
  | { style: "offset"; offset: string; size: string }
  /** `cursor` is the request field the next page is asked with; `first` its value on the first request (absent: left out);
   * `end`: a response field whose value ends the list, besides an absent, null or "" `next` field. */
  | {
      style: "cursor";
      cursor: string;
      next: CursorNext;
      first?: string | number;
      end?: { field: string; equals: string | number | boolean };
      size?: string;
    };

export interface Example {
  title: string;
  description?: string;
  source: string;
  /** Verbatim JSON text from the page. */
  requestText?: string;
  responseText?: string;
  /** Parsed without precision loss; undefined when absent or not JSON. */
  request?: JsonValue;
  /** The whole wire body, envelope included. */
  response?: JsonValue;
  /** The part of the body that the operation's response fields describe. */
  responsePayload?: JsonValue;
  requestParseError?: string;
  responseParseError?: string;
  contradicts?: { reason: string; paths: string[] };
  /**
   * The response is the protocol's error answer (its plugin's `envelope.errorOf` says which): the
   * code and message it carries as written. `responsePayload` is then absent.
   */
  error?: { code?: JsonValue; message?: JsonValue };
  loc: SourceLoc;
}

export type ValidationErrorKind = "body" | "missing" | "type" | "value" | "unknown" | "region";

/** `validationErrors:` of a protocol or a service file. */
export type ValidationErrorSettings = Partial<Record<ValidationErrorKind, string | number>> & {
  fieldSpecific?: boolean;
  loc: SourceLoc;
  at: KeyLocs;
};

/** The code the service answers for each kind of request problem, resolved for one operation:
 * undefined where neither the service nor the protocol says (a lint error). */
export interface ValidationErrorMap {
  codes: Partial<Record<ValidationErrorKind, string | number>>;
  /** Per top-level request field, where it differs from `codes`. */
  fields: Record<string, Partial<Record<"missing" | "type" | "value", string | number>>>;
  /** Where each code came from, for diagnostics. */
  at: Partial<Record<ValidationErrorKind, SourceLoc>>;
}

/** A resource the mock keeps state about, from service.yaml `resources`. */
export interface Resource {
  name: string;
  description: string;
  key: "string" | "integer";
  loc: SourceLoc;
}

export type MockAction = "create" | "read" | "update" | "delete" | "list";

export type LifecycleState = "not-started" | "live" | "ended";

/** The operation's `mock:` section: the resource it acts on, how, and what the resource's state calls for. */
export interface MockRules {
  resource: string;
  /** Default read (what every `mock:` meant before actions existed). */
  action: MockAction;
  /** Dotted request path of the key (read, update, delete); a name ending in `[]` is a list whose every element is a key (`GroupIds[]`, `Users[].UserId`). */
  key?: string;
  /** update: the lifecycle state the resource enters (StartRoom: live, EndRoom: ended). */
  sets?: { state: LifecycleState };
  /** create: where the new key is: allocated by the mock into a response field, or named by the caller in a request field. */
  keyFrom?: { side: "request" | "response"; path: string };
  /** create with a caller-named key that exists already. */
  conflict?: string | number;
  /**
   * `attributes:` how this operation's fields map onto the resource's attributes; `in` may name a
   * list of objects for a create of several (one resource per element). `state`: the response (or
   * list item) field that shows the lifecycle state, with its value per state.
   */
  attributes: {
    in?: string;
    rename: Record<string, string>;
    omit: string[];
    state?: { field: string; values: Partial<Record<LifecycleState, string | number>> };
  };
  notFound?: string | number;
  requires: Array<{ state: LifecycleState; withinSeconds?: number; error?: string | number; loc: SourceLoc; at: KeyLocs }>;
  /** Request fields narrowing the paginated list to the items whose `matches` field equals them. */
  filters: MockFilter[];
  loc: SourceLoc;
  at: KeyLocs;
}

/** One `mock.filters` entry: off when the request field is absent, null or "". */
export interface MockFilter {
  field: string;
  matches: string;
  /** `ignored`: while the filter is on, every matching item comes in one answer. */
  paging: "applies" | "ignored";
  /** What the total counts while the filter is on. */
  total: "filtered" | "unfiltered";
  loc: SourceLoc;
  at: KeyLocs;
}

export interface Operation {
  name: string;
  method: string;
  /** Where the operation is on the wire, in its protocol's terms; absent when the spec leaves out the protocol's wire key (a lint error). */
  wire?: Wire;
  /** `envelope` when the answer holds the response fields beside `ActionStatus` rather than inside `Response`. */
  payloadAt?: "envelope";
  summary: string;
  description: string;
  source: string;
  deprecated?: string;
  regions: Regions;
  rateLimit?: RateLimit;
  timeWindows: TimeWindow[];
  relations: Relation[];
  pagination?: Pagination;
  request: Shape;
  response: Shape;
  /** Documented errors of this operation, then the service's, then the protocol's, without repeats. */
  errors: ErrorDef[];
  /** What the service answers for an invalid request. */
  validationErrors: ValidationErrorMap;
  mock?: MockRules;
  examples: Example[];
  notes: Note[];
  file: string;
  loc: SourceLoc;
}

export interface Endpoint {
  id: string;
  host: string;
  backup?: string;
  description: string;
  isDefault: boolean;
  region?: string;
  source?: string;
  loc: SourceLoc;
  at: KeyLocs;
}

/**
 * service.yaml `protocol:`: the protocol's name, the version, and the protocol's own settings (a
 * signing scope, say), as its plugin (generator/protocols/) reads them.
 */
export interface ProtocolBinding {
  name: string;
  version: string;
  [setting: string]: string;
}

/** The operation's wire key, tagged with its protocol: the action header's value, the command path, … (the plugin names the spec key). */
export interface Wire {
  kind: string;
  key: string;
}

export interface Protocol {
  name: ProtocolBinding["name"];
  title: string;
  description?: string;
  errorCode: { type: "string" | "integer"; pattern?: string; minimum?: number; maximum?: number; description: string; at?: KeyLocs };
  errors: ErrorDef[];
  validationErrors?: ValidationErrorSettings;
  sources: string[];
  notes: Note[];
  file: string;
}

export interface SourceDoc {
  id: string;
  title: string;
  file?: string;
  url?: string;
  updated?: string;
  /** How many operations the document describes in all (a catalogue), for the coverage line of the index. */
  operations?: number;
}

export interface Service {
  id: string;
  title: string;
  description: string;
  clientName: string;
  packageName: string;
  packageDescription?: string;
  protocol: ProtocolBinding;
  protocolInfo: Protocol;
  endpoints: Endpoint[];
  regions: Regions;
  /** Shared and operation-local shapes, sorted by name. Request and response shapes are on the operations. */
  shapes: Shape[];
  serviceErrors: ErrorDef[];
  validationErrors?: ValidationErrorSettings;
  resources: Resource[];
  operations: Operation[];
  sources: SourceDoc[];
  notes: Note[];
  file: string;
  loc: SourceLoc;
}

export interface Ir {
  services: Service[];
  protocols: Protocol[];
}
