// What generated code imports from the runtime package, by name: the catalogue the symbol registry
// plans imports from. A name missing here fails the emitter at once (ImportPlanner.use).
import type { SymbolCatalogue, SymbolSource } from "./imports.js";
import { RUNTIME_PACKAGE, RUNTIME_VALIDATION_CORE } from "./runtime-package.js";

const RUNTIME_MOCK = `${RUNTIME_PACKAGE.name}/mock`;

const from = (module: string, names: readonly string[], type = false): Record<string, SymbolSource> =>
  Object.fromEntries(names.map((name) => [name, type ? { from: module, type } : { from: module }]));

/** The validators' imports: the public result and error types from the package, and the helpers
 * that build issues from its validation core (which the build bundles into each service package). */
export const VALIDATOR_SYMBOLS: SymbolCatalogue = {
  ...from(RUNTIME_PACKAGE.name, ["asserter", "ValidationError"]),
  ...from(RUNTIME_PACKAGE.name, ["RequestValidateOptions", "ShapeValidateOptions", "ValidationResult"], true),
  ...from(RUNTIME_VALIDATION_CORE, ["Issues"], true),
  ...from(RUNTIME_VALIDATION_CORE, [
    "addAll",
    "dateValue",
    "decimalInRange",
    "describeValue",
    "failed",
    "formatDate",
    "formatDateTime",
    "formatIpv4",
    "formatUri",
    "guard",
    "hasIssueAt",
    "intRule",
    "INVALID",
    "isInt53",
    "isUint53",
    "listRule",
    "MAX_ISSUES",
    "notObject",
    "nowMs",
    "numRule",
    "pathOf",
    "pickUnionIssues",
    "relationIssue",
    "report",
    "spanText",
    "strRule",
    "timeValue",
    "unixMs",
    "unknownField",
    "vAny",
    "vBig",
    "vBool",
    "vDec",
    "vInt",
    "vList",
    "vNum",
    "validator",
    "vStr",
    "windowIssue",
  ]),
};

/** operations.ts and client.ts: the core client's pieces from the package's root (the protocol's
 * factory and options type come from its plugin). */
export const CLIENT_SYMBOLS: SymbolCatalogue = {
  ...from(RUNTIME_PACKAGE.name, ["ApiError", "paginate", "paginateItems", "ProtocolClient"]),
  ...from(RUNTIME_PACKAGE.name, ["CallOptions", "OperationMetadata", "OperationValidators"], true),
};

/** mock.ts: the runtime mock's sampling helpers and definition types. */
export const MOCK_SYMBOLS: SymbolCatalogue = {
  ...from(RUNTIME_MOCK, ["drawPattern", "orderTimes", "placeInTime", "sortByTime"]),
  ...from(RUNTIME_MOCK, ["MockItemPosition", "MockServiceDefinition", "MockServiceInput", "PatternProgram", "Rng"], true),
};
