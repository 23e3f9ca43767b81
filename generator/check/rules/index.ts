import type { Rule } from "../rule.js";
import { contradictingLimits } from "./contradicting-limits.js";
import { duplicateOperation } from "./duplicate-operation.js";
import { duplicateType } from "./duplicate-type.js";
import { endpoints } from "./endpoints.js";
import { errorCodeFormat } from "./error-code-format.js";
import { exampleInvalid } from "./example-invalid.js";
import { integerPrecision } from "./integer-precision.js";
import { regionOutsideList } from "./region-outside-list.js";
import { unknownReference } from "./unknown-reference.js";
import { unknownSource } from "./unknown-source.js";
import { unknownType } from "./unknown-type.js";

export const RULES: readonly Rule[] = [
  unknownType,
  duplicateOperation,
  duplicateType,
  contradictingLimits,
  exampleInvalid,
  integerPrecision,
  regionOutsideList,
  errorCodeFormat,
  unknownReference,
  endpoints,
  unknownSource,
];
