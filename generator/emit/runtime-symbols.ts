// What generated code imports from the runtime package, by name: the catalogue the symbol registry
// plans imports from. A name missing here fails the emitter at once (ImportPlanner.use).
import type { SymbolCatalogue, SymbolSource } from "./imports.js";
import { RUNTIME_PACKAGE, RUNTIME_VALIDATION_CORE } from "./package-emitter.js";

const from = (module: string, names: readonly string[], type = false): Record<string, SymbolSource> =>
  Object.fromEntries(names.map((name) => [name, type ? { from: module, type } : { from: module }]));

/** The validators' imports: the public result and error types from the package, and the helpers
 * that build issues from its validation core (which the build bundles into each service package). */
export const VALIDATOR_SYMBOLS: SymbolCatalogue = {
  ...from(RUNTIME_PACKAGE.name, ["ValidationError"]),
  ...from(RUNTIME_PACKAGE.name, ["RequestValidateOptions", "ShapeValidateOptions", "ValidationResult"], true),
  ...from(RUNTIME_VALIDATION_CORE, ["Issues"], true),
  ...from(RUNTIME_VALIDATION_CORE, [
    "addAll",
    "dateValue",
    "decimalInRange",
    "describeValue",
    "failed",
    "FORMATS",
    "got",
    "hasIssueAt",
    "isDecimal",
    "issue",
    "MAX_ISSUES",
    "nowMs",
    "pathOf",
    "pickUnionIssues",
    "relationIssue",
    "report",
    "spanText",
    "timeValue",
    "unixMs",
    "windowIssue",
  ]),
};
