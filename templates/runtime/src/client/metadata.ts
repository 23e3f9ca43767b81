// The client core's view of a generated package: its metadata (declared in shared/metadata.ts) and its validators.

import type { ServiceMetadata } from "../shared/metadata.js";
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

export interface OperationValidators {
  request(value: unknown, options: RequestValidateOptions): ValidationResult<unknown>;
  response(value: unknown, options: ShapeValidateOptions): ValidationResult<unknown>;
}

export type ServiceValidators = { readonly [method: string]: OperationValidators | undefined };

export type OperationName<M extends ServiceMetadata> = keyof M["operations"] & string;
