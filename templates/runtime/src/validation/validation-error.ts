// The error the asserting validators throw, and the factory of those validators (validation.ts re-exports both).
import type { Issue, ValidationFailure } from "./validation-core.js";

/** Thrown by the asserting validators; its message lists every issue. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly code = "ClientError.Validation";
  constructor(
    readonly subject: string,
    readonly issues: readonly Issue[],
  ) {
    super(`${subject} is invalid: ${issues.map((i) => i.message).join("; ")}`);
  }
}

/** `assert*` of a shape or request: throws a ValidationError listing every issue `validate` finds.
 * A factory, so each generated `assert*` is one short line to parse (issue 15). */
/* @__NO_SIDE_EFFECTS__ */
export function asserter<T, O>(
  validate: (value: unknown, options?: O) => { ok: true; value: T } | ValidationFailure,
  subject: string,
): (value: unknown, options?: O) => asserts value is T {
  return (value, options) => {
    const r = validate(value, options);
    if (!r.ok) throw new ValidationError(subject, r.issues);
  };
}
