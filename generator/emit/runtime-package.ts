// The runtime package's name, folder and version: read by the emitters that import from it and by the build.
export const RUNTIME_PACKAGE = { name: "@rtc-apigen/runtime", dir: "runtime" };
/** The runtime's module (and subpath) with the helpers the validators build issues with: the build
 * bundles it into each service package (generator/build/build-packages.ts). */
export const VALIDATION_CORE = "validation-core";
export const RUNTIME_VALIDATION_CORE = `${RUNTIME_PACKAGE.name}/${VALIDATION_CORE}`;
/** The runtime's entry holding what a service package needs of the root when it is imported: the build
 * bundles it first and points the service packages' JavaScript at it (generator/build/build-packages.ts). */
export const RUNTIME_CORE = "core";
export const PACKAGE_VERSION = "0.1.0";
