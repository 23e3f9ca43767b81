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
/** The runtime's modules that load part of it on demand (the client's call path, the transports): in
 * Node's build the core imports them from `lazy` (relatively: no package-map lookup, which costs a
 * Node 20 cold import about 0.6 ms), an entry that loads those parts on demand; in the bundlers' build
 * of the core (`<core>-bundled`, by export conditions, BUNDLER_CONDITIONS) from `bundled`, a module that
 * imports the same parts statically: in one file of an app, loading on demand only adds lazy-init
 * wrappers (issue 15). */
export const RUNTIME_LOADERS = {
  modules: ["client/call-loader.js", "client/transport-loader.js"],
  lazy: "loaders",
  bundled: "loaders-bundled",
  /** The entries `lazy` imports: Node's builds import the core relatively too (no lookup on a first call). */
  loaded: ["call", "transport"],
} as const;
/** The export conditions bundlers set and Node, Bun and Deno do not: `module` (esbuild, webpack and
 * Rollup set it), `worker` and `browser` (wrangler's esbuild sets its own conditions). */
export const BUNDLER_CONDITIONS = ["module", "worker", "browser"] as const;
/** The suffix of an entry's bundlers' build: `<entry>-bundled.js` imports the core by the package's
 * own `/core` subpath (which bundlers resolve to the bundlers' core), where `<entry>.js`, Node's, imports
 * `./core.js`. */
export const BUNDLED_SUFFIX = "-bundled";
