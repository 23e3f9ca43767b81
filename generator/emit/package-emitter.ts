// Packages: one npm package per service, and the shared runtime package the client and mock issues fill.
import type { Ir } from "../ir/types.js";
import { clientOptionsName } from "../ir/names.js";
import { jsonHeaderText, mdHeader, PRINT_WIDTH, serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { code } from "./markdown.js";
import { metadataSource } from "./metadata-emitter.js";
import { BUNDLED_SUFFIX, BUNDLER_CONDITIONS, PACKAGE_VERSION, RUNTIME_CORE, RUNTIME_LOADERS, RUNTIME_PACKAGE } from "./runtime-package.js";
import { protocolPlugins } from "../protocols/index.js";
import { runtimeEntries } from "./runtime-emitter.js";
import { type ClientVariant, variantModule } from "./operations-emitter.js";

export {
  BUNDLED_SUFFIX,
  BUNDLER_CONDITIONS,
  PACKAGE_VERSION,
  RUNTIME_CORE,
  RUNTIME_LOADERS,
  RUNTIME_PACKAGE,
  RUNTIME_VALIDATION_CORE,
  VALIDATION_CORE,
} from "./runtime-package.js";

/** ES modules only: one condition set for `import` and `require` alike (Node >= 20.19, Bun and Deno
 * `require()` an ES module without a flag, and the entries have no top-level await, which would stop that). */
function entry(name: string, node?: string) {
  return { types: `./dist/esm/${name}.d.ts`, ...(node ? { node: `./dist/esm/${node}.js` } : {}), default: `./dist/esm/${name}.js` };
}
const ENTRY = entry("index");
/**
 * A runtime entry Node must reach with no package-map lookup past the one that found it: the core, and
 * each protocol's entry a service package imports. Node, Bun and Deno get `<entry>.js` (or its `-node`
 * build), which imports the core relatively, so its on-demand loaders come with it; bundlers
 * (BUNDLER_CONDITIONS) get `<entry>-bundled.js`, which imports it as `@rtc-apigen/runtime/core`, the
 * core whose call path and transports are static imports: each build has one core, one ApiError.
 */
function splitEntry(name: string, node?: string) {
  const bundled = (file: string) => `./dist/esm/${file}${BUNDLED_SUFFIX}.js`;
  return {
    types: `./dist/esm/${name}.d.ts`,
    ...Object.fromEntries(
      BUNDLER_CONDITIONS.map((c) => [c, c === "module" && node ? { node: bundled(node), default: bundled(name) } : bundled(name)]),
    ),
    ...(node ? { node: `./dist/esm/${node}.js` } : {}),
    default: `./dist/esm/${name}.js`,
  };
}
/** A service package's validators: their own subpath, not on the root's import path (issue 15). */
export const SERVICE_VALIDATORS = "validators";
/**
 * A service package's root: bundlers (BUNDLER_CONDITIONS) get index.js, whose operations import the
 * validators statically (a bundle keeps the ones it calls);
 * Node, Bun and Deno get index-node.js, which loads them on the first call. By export conditions on the
 * entry the app imports: no package-map lookup of its own in a cold import.
 */
const SERVICE_ENTRY = {
  types: ENTRY.types,
  ...Object.fromEntries(BUNDLER_CONDITIONS.map((c) => [c, ENTRY.default])),
  default: "./dist/esm/index-node.js",
};
/** Every package has a \`/mock\` subpath: the mock never loads with a client. */
const MOCK_ENTRY = entry("mock");
/** A service's mock: split as its root is, so that it imports the root an app's build resolves (index.js
 * for bundlers, index-node.js for Node) and a build with both holds one `metadata`. */
export const SERVICE_MOCK_BUNDLED = `mock${BUNDLED_SUFFIX}`;
const SERVICE_MOCK_ENTRY = {
  types: MOCK_ENTRY.types,
  ...Object.fromEntries(BUNDLER_CONDITIONS.map((c) => [c, `./dist/esm/${SERVICE_MOCK_BUNDLED}.js`])),
  default: MOCK_ENTRY.default,
};

/** An export list as prettier writes it at the generator's width: one line when it fits (or holds one name), else a name per line. */
export function exportList(names: readonly string[], from: string): string {
  const line = `export { ${names.join(", ")} } from "${from}";`;
  return line.length <= PRINT_WIDTH || names.length === 1 ? line : `export {\n${names.map((n) => `  ${n},\n`).join("")}} from "${from}";`;
}

/** \`<package>/<subpath>\` for resolvers without \`exports\` (TypeScript's node10): a folder with its own package.json. */
function subpathStub(dir: string, subpath: string, sources: string[]): GeneratedFile {
  return {
    path: `${dir}/${subpath}/package.json`,
    content:
      JSON.stringify({ "//": jsonHeaderText(sources), main: `../dist/esm/${subpath}.js`, types: `../dist/esm/${subpath}.d.ts` }, null, 2) + "\n",
  };
}

function packageJson(
  name: string,
  description: string,
  sources: string[],
  extra: {
    dependencies?: Record<string, string>;
    files: string[];
    root?: Record<string, string>;
    exports?: Record<string, string | object>;
  },
): string {
  return (
    JSON.stringify(
      {
        "//": jsonHeaderText(sources),
        name,
        version: PACKAGE_VERSION,
        description,
        license: "MIT",
        type: "module",
        sideEffects: false,
        engines: { node: ">=20.19" },
        // Built by `npm run build` (dist/esm); in the repository, tsconfig paths point at src/.
        main: ENTRY.default,
        types: ENTRY.types,
        exports: { ".": extra.root ?? ENTRY, "./mock": MOCK_ENTRY, ...extra.exports, "./package.json": "./package.json" },
        files: extra.files,
        ...(extra.dependencies ? { dependencies: extra.dependencies } : {}),
      },
      null,
      2,
    ) + "\n"
  );
}

export const packageEmitter: Emitter = {
  name: "package",
  emitService(service): GeneratedFile[] {
    const sources = serviceFiles(service);
    // The same exports in both variants (ClientVariant); the validators are the `/validators` subpath's.
    const index = (variant: ClientVariant) =>
      [
        tsHeader(sources),
        exportList([service.clientName, `type ${clientOptionsName(service.clientName)}`], `./${variantModule("client", variant)}.js`),
        // The core client and one function per operation: what a bundled app that calls a few operations imports.
        `export * from "./${variantModule("operations", variant)}.js";`,
        exportList(
          ["ApiError", "ValidationError", "type CallOptions", "type ClientErrorCode", "type Issue", "type ValidationResult"],
          RUNTIME_PACKAGE.name,
        ),
        `export type * from "./types.js";`,
        `export { metadata } from "./metadata.js";`,
        "",
      ].join("\n");
    return [
      {
        path: `${service.id}/package.json`,
        content: packageJson(
          service.packageName,
          service.packageDescription ?? `${service.title}: a typed client, validators and a mock generated from the spec.`,
          sources,
          {
            dependencies: { [RUNTIME_PACKAGE.name]: PACKAGE_VERSION },
            root: SERVICE_ENTRY,
            exports: { "./mock": SERVICE_MOCK_ENTRY, [`./${SERVICE_VALIDATORS}`]: entry(SERVICE_VALIDATORS) },
            // The code and the README: docs/, schemas/ and openapi.json are the contract artifacts of the
            // repository, committed beside src/, and are not installed (they were most of the installed bytes).
            files: ["dist", "mock", SERVICE_VALIDATORS, "README.md"],
          },
        ),
      },
      subpathStub(service.id, "mock", sources),
      subpathStub(service.id, SERVICE_VALIDATORS, sources),
      // Written as prettier would: a run whose other units are cached or preformatted never loads it.
      { path: `${service.id}/src/index.ts`, content: index("bundled"), preformatted: true },
      { path: `${service.id}/src/${variantModule("index", "node")}.ts`, content: index("node"), preformatted: true },
      // A large literal printed from canonical JSON; prettier would spend most of a run on it.
      { path: `${service.id}/src/metadata.ts`, content: tsHeader(sources) + "\n" + metadataSource(service), preformatted: true },
    ];
  },
  emitAll(ir: Ir): GeneratedFile[] {
    const sources = ["generator/emit/package-emitter.ts"];
    // Every module at the top of the runtime's src/ is an entry: `index` the main one, the others subpaths (`mock`, one per protocol...).
    // The loaders are reached through the core only (RUNTIME_LOADERS): internal, not subpaths.
    const internal: readonly string[] = [RUNTIME_LOADERS.lazy, RUNTIME_LOADERS.bundled];
    const split = new Set<string>([RUNTIME_CORE, ...RUNTIME_LOADERS.loaded, ...protocolPlugins().flatMap((p) => p.client.module ?? [])]);
    const subpaths = runtimeEntries(ir).filter((e) => e !== "index" && !internal.includes(e));
    return [
      {
        path: `${RUNTIME_PACKAGE.dir}/package.json`,
        content: packageJson(
          RUNTIME_PACKAGE.name,
          "Shared runtime of the generated packages: signing, transport, retries, validation and mocks.",
          sources,
          {
            files: ["dist", ...subpaths, "README.md"],
            // An entry with an `<entry>-node` sibling (tc3) resolves to it under the `node` condition: Node's build of it.
            exports: Object.fromEntries(
              subpaths
                .filter((e) => e !== "mock")
                .map((e) => {
                  const node = subpaths.includes(`${e}-node`) ? `${e}-node` : undefined;
                  // A split entry's Node build is one too: a bundler importing it by its own subpath gets its bundlers' build.
                  return [`./${e}`, split.has(e) || split.has(e.replace(/-node$/, "")) ? splitEntry(e, node) : entry(e, node)];
                }),
            ),
          },
        ),
      },
      ...subpaths.map((e) => subpathStub(RUNTIME_PACKAGE.dir, e, sources)),
      {
        path: `${RUNTIME_PACKAGE.dir}/README.md`,
        content: `${mdHeader(sources)}\n# ${RUNTIME_PACKAGE.name}\n\nThe shared runtime of the generated packages (${ir.services.map((s) => code(s.packageName)).join(", ")}). It has no runtime dependencies.\n`,
      },
      {
        path: "tsconfig.json",
        content:
          JSON.stringify(
            {
              "//": jsonHeaderText(sources),
              compilerOptions: {
                target: "ES2022",
                module: "NodeNext",
                moduleResolution: "NodeNext",
                strict: true,
                noEmit: true,
                exactOptionalPropertyTypes: true,
                noUncheckedIndexedAccess: true,
                skipLibCheck: false,
                types: ["node"],
                // In the repo the runtime is a folder beside the services; installed, it is a dependency.
                paths: Object.fromEntries([
                  ...[[RUNTIME_PACKAGE.name, RUNTIME_PACKAGE.dir], ...ir.services.map((s) => [s.packageName, s.id])].flatMap(([name, dir]) => [
                    [name, [`./${dir}/src/index.ts`]],
                    [`${name}/mock`, [`./${dir}/src/mock.ts`]],
                  ]),
                  ...ir.services.map((s) => [`${s.packageName}/${SERVICE_VALIDATORS}`, [`./${s.id}/src/${SERVICE_VALIDATORS}.ts`]]),
                  ...subpaths.filter((e) => e !== "mock").map((e) => [`${RUNTIME_PACKAGE.name}/${e}`, [`./${RUNTIME_PACKAGE.dir}/src/${e}.ts`]]),
                ]),
              },
              include: ["*/src/**/*.ts"],
            },
            null,
            2,
          ) + "\n",
      },
    ];
  },
};
