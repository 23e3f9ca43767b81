import type { Rule } from "../rule.js";
import { contradictingLimits } from "./contradicting-limits.js";
import { duplicateOperation } from "./duplicate-operation.js";
import { duplicateType } from "./duplicate-type.js";
import { endpoints } from "./endpoints.js";
import { errorCodeFormat } from "./error-code-format.js";
import { exampleInvalid } from "./example-invalid.js";
import { importTodo } from "./import-todo.js";
import { integerPrecision } from "./integer-precision.js";
import { mockLifecycle } from "./mock-lifecycle.js";
import { nonEnglishText } from "./non-english-text.js";
import { invalidPattern } from "./invalid-pattern.js";
import { patternNeedsExample } from "./pattern-needs-example.js";
import { regionOutsideList } from "./region-outside-list.js";
import { relations } from "./relations.js";
import { reservedName } from "./reserved-name.js";
import { unknownReference } from "./unknown-reference.js";
import { unknownSource } from "./unknown-source.js";
import { unknownType } from "./unknown-type.js";
import { unsafePattern } from "./unsafe-pattern.js";

export const RULES: readonly Rule[] = [
  unknownType,
  duplicateOperation,
  duplicateType,
  contradictingLimits,
  exampleInvalid,
  integerPrecision,
  invalidPattern,
  unsafePattern,
  patternNeedsExample,
  reservedName,
  regionOutsideList,
  errorCodeFormat,
  unknownReference,
  mockLifecycle,
  relations,
  endpoints,
  importTodo,
  nonEnglishText,
  unknownSource,
];
