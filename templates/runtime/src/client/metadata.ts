// The client core's view of a generated package: its metadata (declared in shared/metadata.ts) and its validators.

import type { ErrorMetadata, ServiceMetadata } from "../shared/metadata.js";
import type { RequestValidateOptions, ShapeValidateOptions, ValidationResult } from "../validation/validation.js";

// The metadata's types have one home, shared with the mock.
export type {
  CursorPaginationMetadata,
  EndpointMetadata,
  ErrorMetadata,
  OperationMetadata,
  PageSizeBound,
  PaginationMetadata,
  ProtocolMetadata,
  RegionsMetadata,
  RelationConditionMetadata,
  ServiceMetadata,
  TimeWindowMetadata,
} from "../shared/metadata.js";

/** A response validator: a package's `validate<Operation>Response`. */
export type ResponseValidator = (value: unknown, options: ShapeValidateOptions) => ValidationResult<unknown>;

export interface OperationValidators {
  request(value: unknown, options: RequestValidateOptions): ValidationResult<unknown>;
  /**
   * The operation's function leaves it out, so a bundle without response validation holds none:
   * the class client and the `responseValidators` option give it.
   */
  response?: ResponseValidator | undefined;
  /**
   * The response's fields declared with a type other than `any`, as JSON: `1` a field, an object a
   * shape's field and its own such fields (arrays transparent). Parsed only when an answer holds an
   * integer beyond 2^53 away from a bigint field: there, such a field is refused, others keep it.
   */
  typedFields?: string | undefined;
}

export type ServiceValidators = { readonly [method: string]: OperationValidators | undefined };

export type OperationName<M extends ServiceMetadata> = keyof M["operations"] & string;

const RETRYABLE: ErrorMetadata = Object.freeze({ retryable: true });
const NOT_RETRYABLE: ErrorMetadata = Object.freeze({ retryable: false });

/**
 * A table of error codes (`commonErrors`) from its codes, in the spec's order (its keys keep it), and
 * those of them a retry can help. A package's metadata writes the table this way, as it is about half
 * the size of one object per code in a client's bundle.
 */
/* @__NO_SIDE_EFFECTS__ */
export function errorTable(codes: readonly string[], retryable: readonly string[]): { readonly [code: string]: ErrorMetadata } {
  const table: Record<string, ErrorMetadata> = {};
  for (const code of codes) table[code] = retryable.includes(code) ? RETRYABLE : NOT_RETRYABLE;
  return table;
}
