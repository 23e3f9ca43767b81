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
/** The runtime's modules that load part of it on demand (the client's call path, the transports), and
 * the package import (`imports`) the build makes their importers import instead: Node resolves it to
 * `lazy`, the entry that holds them; a bundler (the `module` condition, which Node never sets) to `bundled`,
 * an entry that imports the same parts statically: in one file of an app, loading on demand only adds
 * lazy-init wrappers (issue 15). */
export const RUNTIME_LOADERS = {
  specifier: "#loaders",
  modules: ["client/call-loader.js", "client/transport-loader.js"],
  lazy: "loaders",
  bundled: "loaders-bundled",
} as const;
