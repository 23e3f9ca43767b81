// `@rtc-apigen/runtime/validation-core`: the pure helpers the generated validators build issues with
// (bundled into each service package).
export * from "./validation/validation-core.js";
export * from "./validation/checks.js";
