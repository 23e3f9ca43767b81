// Validation results shared by every generated validator: issues with a path, a machine-readable
// code, what was expected and what was received, and a message a person understands.

import type { Issue, IssueCode, NowOption, ValidationFailure } from "./validation-core.js";

export * from "./validation-core.js";

/** A failure lists at most MAX_ISSUES (100) issues, with `truncated: true` when the value had more. */
export type ValidationResult<T> = { ok: true; value: T } | ValidationFailure;

export interface ShapeValidateOptions {
  /** Report fields the spec does not declare. Requests always do; responses only in strict mode. */
  strict?: boolean;
}

export interface RequestValidateOptions {
  /** The clock for time windows, in milliseconds since the epoch, or a fixed time as a number or Date (default `Date.now`). */
  now?: NowOption | undefined;
  /** Check the region against the operation's list; a key present with `undefined` means "no region". */
  region?: string | undefined;
}

// In a module of their own: the runtime's `core` entry (what a service package needs at import) takes them without the rest.
export { asserter, ValidationError } from "./validation-error.js";

/** What the service answers for each kind of request problem (generated per operation from the spec). */
export interface ValidationErrorMap {
  codes: {
    body?: string | number;
    missing?: string | number;
    type?: string | number;
    value?: string | number;
    unknown?: string | number;
    region?: string | number;
  };
  /** Per top-level request field, where the service answers with a more specific code. */
  fields: { [field: string]: { missing?: string | number; type?: string | number; value?: string | number } };
}

const KIND: Record<IssueCode, "missing" | "type" | "value" | "unknown" | "region"> = {
  required: "missing",
  type: "type",
  null: "type",
  precision: "type",
  enum: "value",
  minimum: "value",
  maximum: "value",
  minLength: "value",
  maxLength: "value",
  pattern: "value",
  format: "value",
  minItems: "value",
  maxItems: "value",
  "time-window": "value",
  relation: "value",
  unknown: "unknown",
  region: "region",
};

/** The error code the real service answers for one issue. */
export function protocolCodeOf(issue: Issue, map: ValidationErrorMap): string | number | undefined {
  if ((issue.code === "time-window" || issue.code === "relation") && issue.error !== undefined) return issue.error;
  // The body itself is not an object: the protocol's answer to an unusable body.
  if (issue.path === "" && (issue.code === "type" || issue.code === "null")) return map.codes.body ?? map.codes.type;
  const kind = KIND[issue.code];
  const field = /^[^.[]*/.exec(issue.path)?.[0] ?? "";
  const specific = kind === "unknown" || kind === "region" ? undefined : map.fields[field]?.[kind];
  return specific ?? map.codes[kind] ?? map.codes.value;
}

/** The one error a service answers for a request with these issues: the first issue decides, as the service stops at its first problem. */
export function protocolErrorOf(issues: readonly Issue[], map: ValidationErrorMap): { code: string | number; message: string } | undefined {
  const first = issues[0];
  if (!first) return undefined;
  const code = protocolCodeOf(first, map);
  return code === undefined ? undefined : { code, message: first.message };
}
