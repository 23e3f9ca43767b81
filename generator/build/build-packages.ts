// Build: compile each generated package's src/ to dist/esm (ES modules, bundled per entry), JavaScript
// and declarations, so the packages install and run without TypeScript. There is no CommonJS build:
// the packages need Node >= 20.19, which `require()`s an ES module (as Bun and Deno do). The runtime
// goes first: the service packages compile against its declarations, as they will once installed.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { build, type Plugin } from "esbuild";
import path from "node:path";
import ts from "typescript";
import {
  BUNDLED_SUFFIX,
  RUNTIME_CORE,
  RUNTIME_LOADERS,
  RUNTIME_PACKAGE,
  RUNTIME_VALIDATION_CORE,
  SERVICE_MOCK_BUNDLED,
  SERVICE_VALIDATORS,
  VALIDATION_CORE,
} from "../emit/package-emitter.js";
import { squeezeWhitespace } from "./squeeze-whitespace.js";

export interface BuiltPackage {
  name: string;
  dir: string;
}

export interface BuildResult {
  packages: BuiltPackage[];
  /** Compiler errors, `file:line message`; empty when the build succeeded. */
  diagnostics: string[];
}

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
}

/** The package folders of `generatedDir`, dependencies before their dependents. */
export function packagesOf(generatedDir: string): Array<BuiltPackage & { deps: string[] }> {
  const found = readdirSync(generatedDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(generatedDir, d.name, "package.json")))
    .map((d) => {
      const pkg = JSON.parse(readFileSync(path.join(generatedDir, d.name, "package.json"), "utf8")) as PackageJson;
      return { name: pkg.name, dir: path.join(generatedDir, d.name), deps: Object.keys(pkg.dependencies ?? {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const ordered: typeof found = [];
  const visit = (p: (typeof found)[number], seen: Set<string>) => {
    if (ordered.includes(p)) return;
    if (seen.has(p.name)) throw new Error(`dependency cycle through ${p.name}`);
    for (const d of p.deps) {
      const dep = found.find((x) => x.name === d);
      if (dep) visit(dep, new Set([...seen, p.name]));
    }
    ordered.push(p);
  };
  for (const p of found) visit(p, new Set());
  return ordered;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The module of dist/esm a package.json `exports` target names (`./dist/esm/tc3-node.js` → `tc3-node`). */
function distModule(target: unknown): string | undefined {
  return typeof target === "string" ? /^\.\/dist\/esm\/([a-z0-9-]+)\.js$/.exec(target)?.[1] : undefined;
}

/**
 * The entries besides `index` a package has: its package.json `exports` that name a module of dist/esm
 * (`mock`, one per protocol...), and the runtime's on-demand loaders (RUNTIME_LOADERS.lazy: its core
 * imports them, no subpath names them).
 */
function subpathsOf(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; exports?: Record<string, unknown> };
  const exported = Object.keys(pkg.exports ?? {}).map((key) => /^\.\/([a-z0-9-]+)$/.exec(key)?.[1]);
  // A root's Node build (a service's index-node, nodeBuildsOf) is an entry too, though no subpath names it.
  const nodeBuilds = [...nodeBuildsOf(dir).keys()];
  const loaders = pkg.name === RUNTIME_PACKAGE.name ? [RUNTIME_LOADERS.lazy] : [];
  return [...new Set([...exported, ...nodeBuilds, ...loaders])].filter(
    (sub): sub is string => sub !== undefined && existsSync(path.join(dir, "src", `${sub}.ts`)),
  );
}

/** The entries a package's `exports` name under the `node` condition, each with the entry it stands for there (`<entry>-node` → `<entry>`). */
function nodeBuildsOf(dir: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { exports?: Record<string, unknown> };
  const builds = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports ?? {})) {
    const entry = key === "." ? "index" : /^\.\/([a-z0-9-]+)$/.exec(key)?.[1];
    // `node`, or `default` where bundlers have their own (`module`: a service's root, SERVICE_ENTRY).
    const conditions =
      typeof target === "object" && target !== null ? (target as { node?: unknown; module?: unknown; default?: unknown }) : undefined;
    const node = conditions?.node ?? (conditions?.module !== undefined && conditions.module !== conditions.default ? conditions.default : undefined);
    const build = distModule(node);
    if (entry !== undefined && build !== undefined && build !== entry) builds.set(build, entry);
  }
  return builds;
}

/** One program over every package; each output file is written to its own package's dist/esm. */
function compile(generatedDir: string, packages: BuiltPackage[]): string[] {
  const staging = path.join(generatedDir, ".build");
  // The whole dist/: a CommonJS half left by an earlier build would be packed with the rest.
  for (const p of packages) rmSync(path.join(p.dir, "dist"), { recursive: true, force: true });
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    declaration: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: generatedDir,
    outDir: staging,
    newLine: ts.NewLineKind.LineFeed,
    // Imports between packages keep their package names in the output; here they resolve to the sources.
    paths: Object.fromEntries(
      packages.flatMap((b) => [
        [b.name, [path.join(b.dir, "src", "index.ts")]],
        ...subpathsOf(b.dir).map((sub) => [`${b.name}/${sub}`, [path.join(b.dir, "src", `${sub}.ts`)]]),
      ]),
    ),
  };
  const files = packages.flatMap((p) => sourceFiles(path.join(p.dir, "src")));
  const program = ts.createProgram(files, options);
  const problems = [...ts.getPreEmitDiagnostics(program)];
  if (!problems.length) {
    const emitted = program.emit(undefined, (file, text) => {
      // <staging>/<pkg>/src/x.js → <pkg>/dist/<format>/x.js
      const [pkg, src, ...rest] = path.relative(staging, file).split(path.sep);
      if (src !== "src" || !pkg) throw new Error(`unexpected output ${file}`);
      const target = path.join(generatedDir, pkg, "dist", "esm", ...rest);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    });
    problems.push(...emitted.diagnostics);
  }
  return problems.map((d) => {
    const where = d.file ? `${path.relative(process.cwd(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`.trim();
  });
}

/**
 * Each package's ES entries as single files: `index.js` holds everything the main entry needs (a
 * client's cold import reads one file per package: measured about 4× faster than a file per
 * module, and faster than shared chunks), and each other entry (`mock.js`, the runtime's `tc3.js`,
 * `chat-rest.js`...) imports what it shares with an entry bundled before it from that entry's file,
 * so all entries see the same module instances (one `metadata`, one `ApiError`). Entries are
 * bundled after `index` from the smallest module graph up, so a protocol's entry comes before the
 * entries that use it. Other packages stay imports, but for the runtime's validation-core: it is
 * bundled into each service package, so the validators call helpers of their own module (V8 ran
 * the invalid-value path about 25% faster so, measured with `npm run bench -- validators`). It
 * holds only pure functions and constant tables, so a copy per package changes no identity
 * (`instanceof`, caches). The declarations stay one per module.
 */
async function bundleEsm(packages: BuiltPackage[]): Promise<void> {
  const external = packages.flatMap((p) => [p.name, `${p.name}/*`]);
  const runtime = packages.find((p) => p.name === RUNTIME_PACKAGE.name);
  // The runtime entries the bundlers' core holds, with their exports: their bundlers' builds re-export the core.
  const heldByBundlersCore = new Map<string, string[]>();
  for (const p of packages) {
    const dir = path.join(p.dir, "dist", "esm");
    const staging = path.join(p.dir, "dist", ".bundle");
    rmSync(staging, { recursive: true, force: true });
    const plugins: Plugin[] =
      runtime && p !== runtime ? [inlined(RUNTIME_VALIDATION_CORE, path.join(runtime.dir, "dist", "esm", `${VALIDATION_CORE}.js`))] : [];
    const common = {
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      external,
      logLevel: "silent",
      metafile: true,
      absWorkingDir: p.dir,
      // Syntax only (`x === undefined || x === null` → `x == null`, merged declarations…): fewer tokens
      // for a cold import to parse, names and lines kept. Not esbuild's whitespace minification: it
      // would drop the `@__PURE__` marks an app's bundler tree-shakes by (squeeze-whitespace.ts keeps them).
      minifySyntax: true,
    } as const;
    const entries = subpathsOf(p.dir).filter((e) => e !== VALIDATION_CORE);
    plugins.push(entriesStayFiles(dir, entries));
    // A Node build is `<entry>` under the `node` condition (package.json `exports`): Node loads one or
    // the other, so the Node build holds its own copy of what it shares with `<entry>` (importing
    // `tc3.js` from `tc3-node.js` cost a Node cold import of LCIC about 1.2 of 15 ms CPU, paired
    // fresh processes) and, bundled last, lends no module to another entry. The copies hold no state
    // that must be one: ApiError and the like come from index.js, the provider cache key is a Symbol.for.
    const defaultBuildOf = new Map(
      [...nodeBuildsOf(p.dir)].filter(([build, entry]) => entries.includes(build) && (entry === "index" || entries.includes(entry))),
    );
    // The entries an entry imports modules from: any bundled before it; for a Node build only the
    // runtime's core (where there is one), so a Node import of it reads core.js and no other entry.
    // Node's builds of the runtime's split entries (bundlersBuildsOf) and its loaders import the core as
    // `./core.js`; the other entries as `@rtc-apigen/runtime/core`, which bundlers resolve to the bundlers'
    // core. The first borrow from the core only and lend nothing, as Node builds do, so that a bundle
    // never reaches Node's core through them.
    const bundlersBuilds = p === runtime ? bundlersBuildsOf(p.dir) : new Map<string, string>();
    const nodeRelative = new Set([...bundlersBuilds.keys(), ...(p === runtime ? [RUNTIME_CORE, RUNTIME_LOADERS.lazy] : [])]);
    const borrowsFromCoreOnly = (name: string) => defaultBuildOf.has(name) || (nodeRelative.has(name) && name !== RUNTIME_CORE);
    // A service's root has its Node build (index-node, its validators loaded on demand) bundled after its
    // validators, as an entry of its own: it owns what it shares with the mock (one `metadata` in a Node
    // process that runs both), and index.js, the bundlers' root, borrows nothing from it.
    const rootNodeBuild = p === runtime ? undefined : [...defaultBuildOf].find(([, entry]) => entry === "index")?.[0];
    if (rootNodeBuild) defaultBuildOf.delete(rootNodeBuild);
    const lendsTo =
      (name: string) =>
      (entry: string): boolean =>
        name === "index" && entry === rootNodeBuild
          ? false
          : !borrowsFromCoreOnly(name)
            ? true
            : entries.includes(RUNTIME_CORE)
              ? entry === RUNTIME_CORE
              : entry !== defaultBuildOf.get(name);
    // Each module belongs to the first entry bundled that holds it; later entries import it from
    // there (`./index.js#client/errors.js` until written: which names of which module they need).
    const owner = new Map<string, string>();
    const inputsOf = async (name: string) =>
      Object.keys(
        (
          await build({
            ...common,
            entryPoints: [path.join(dir, `${name}.js`)],
            write: false,
            plugins: [...(p === runtime ? [loadersByCondition(dir, name, false)] : []), ...plugins],
          })
        ).metafile.inputs,
      ).length;
    const sizes = new Map(await Promise.all(entries.map(async (e) => [e, await inputsOf(e)] as const)));
    const bySize = entries.sort((a, b) => sizes.get(a)! - sizes.get(b)! || a.localeCompare(b));
    // The runtime's `core` (what a service package needs of the root at import) goes first, so the root
    // imports its modules from core.js and a service package can load core.js alone (importRuntimeThroughProtocol).
    // A service's validators go first too: its index.js imports them from validators.js, and its
    // index-node.js loads that file on the first call (so neither Node build nor mock has a copy).
    const first =
      entries.includes(RUNTIME_CORE) && p === runtime
        ? [RUNTIME_CORE, "index"]
        : [
            ...(p !== runtime && entries.includes(SERVICE_VALIDATORS) ? [SERVICE_VALIDATORS] : []),
            ...(rootNodeBuild ? [rootNodeBuild] : []),
            "index",
          ];
    const rest = bySize.filter((e) => !first.includes(e));
    const order = [...first, ...rest.filter((e) => !borrowsFromCoreOnly(e)), ...rest.filter((e) => borrowsFromCoreOnly(e))];
    // What each entry exports beyond its source, by module: the names later entries import from its modules.
    const extra = new Map<string, Map<string, Set<string>>>();
    const entryPoint = (name: string, also: readonly string[] = []) => {
      const reexports = [...(extra.get(name) ?? [])].map(([module, names]) => `export { ${[...names].sort().join(", ")} } from "./${module}";`);
      reexports.push(...also);
      return reexports.length
        ? { stdin: { contents: [`export * from "./${name}.js";`, ...reexports].join("\n"), resolveDir: dir, sourcefile: `${name}-entry.js` } }
        : { entryPoints: [path.join(dir, `${name}.js`)] };
    };
    const bundleEntry = (name: string) => {
      return build({
        ...common,
        ...entryPoint(name),
        write: false,
        outfile: path.join(staging, `${name}.js`),
        plugins: [
          ...(p === runtime ? [loadersByCondition(dir, name, entries.includes(RUNTIME_CORE))] : []),
          ...plugins,
          fromEarlierEntries(owner, name, dir, lendsTo(name)),
        ],
      });
    };
    const results = new Map<string, Awaited<ReturnType<typeof bundleEntry>>>();
    for (const name of order) {
      const result = await bundleEntry(name);
      results.set(name, result);
      if (!borrowsFromCoreOnly(name))
        for (const file of Object.keys(result.metafile.inputs)) if (!owner.has(path.resolve(p.dir, file))) owner.set(path.resolve(p.dir, file), name);
    }
    // An entry also exports, under their own names, what later entries import from its modules: at
    // run time only (its declarations, and so its API, stay those of its source). Re-exporting can
    // make an entry import more from earlier ones, so this runs until nothing is missing.
    for (let round = 0; ; round++) {
      const stale = new Set<string>();
      for (const result of results.values())
        for (const [entry, modules] of importedFromEntries(result.outputFiles[0]!.text)) {
          const exported = new Set(Object.values(results.get(entry)!.metafile.outputs).flatMap((o) => o.exports));
          for (const [module, names] of modules)
            for (const n of names.filter((n) => !exported.has(n))) {
              // One binding under one name: a module's re-export of another's (TC3_ENV) is not written twice.
              if ([...(extra.get(entry)?.entries() ?? [])].some(([m, set]) => m !== module && set.has(n))) continue;
              const byModule = extra.get(entry) ?? new Map<string, Set<string>>();
              extra.set(entry, byModule);
              byModule.set(module, (byModule.get(module) ?? new Set()).add(n));
              stale.add(entry);
            }
        }
      if (stale.size === 0) break;
      if (round === 5) throw new Error(`${p.name}: the entries' shared exports do not settle (${[...stale].join(", ")})`);
      for (const entry of stale) results.set(entry, await bundleEntry(entry));
    }
    mkdirSync(staging, { recursive: true });
    for (const [name, result] of results) {
      const code = result.outputFiles[0]!.text;
      // An entry's own module (`./validators.js#validators.js`) may be imported whole: the entry exports all of it.
      const whole = code.match(/import\s*\*\s*as\s*[\w$]+\s*from\s*"\.\/([a-z0-9-]+)\.js#\1\.js"/g)?.length ?? 0;
      const marked = (code.match(/"\.\/[a-z0-9-]+\.js#[^"]*"/g)?.length ?? 0) - whole;
      // Every import of a sibling entry must be by name: a namespace or default import would see the whole entry.
      if (marked > 0 && code.match(/(?:import|export)\s*\{[^}]*\}\s*from\s*"\.\/[a-z0-9-]+\.js#[^"]*"/g)?.length !== marked)
        throw new Error(`${p.name}: ${name}.js imports a sibling entry other than by name: ${code.match(/.*\.js#.*/g)?.join("\n")}`);
      const unmarked = code.replace(/"(\.\/[a-z0-9-]+\.js)#[^"]*"/g, '"$1"');
      writeFileSync(path.join(staging, `${name}.js`), nodeRelative.has(name) || p !== runtime ? unmarked : coreBySubpath(unmarked));
    }
    // A service's mock for bundlers (SERVICE_MOCK_BUNDLED): the same code, importing the root bundlers
    // resolve the package to (index.js), so a bundle of the client and the mock holds one `metadata`.
    if (rootNodeBuild && results.has("mock")) {
      const code = readFileSync(path.join(staging, "mock.js"), "utf8");
      const from = `"./${rootNodeBuild}.js"`;
      const named = [...code.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${from.replaceAll(".", "\\.")}`, "g"))];
      const rootExports = Object.values(results.get("index")!.metafile.outputs).flatMap((o) => o.exports);
      const names = named.flatMap((m) => m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!)).filter((n) => n !== "");
      const missing = names.filter((n) => !rootExports.includes(n));
      if (named.length !== code.split(from).length - 1 || missing.length)
        throw new Error(
          `${p.name}: mock.js imports from ${rootNodeBuild}.js what index.js does not export: ${missing.join(", ") || "(not by name)"}`,
        );
      writeFileSync(path.join(staging, `${SERVICE_MOCK_BUNDLED}.js`), code.replaceAll(from, `"./index.js"`));
    }
    // The bundlers' core: the core's exports (with what later entries import of it), its loaders the
    // static ones, so it holds the call path and the transports; it imports no other entry.
    if (p === runtime && entries.includes(RUNTIME_CORE)) {
      // It holds the entries its loaders import (the call path, the transports) and exports them, so their
      // bundlers' builds only re-export it: one copy in a bundle (one `defaultTransport`, one keep-alive pool).
      const held = RUNTIME_LOADERS.loaded.filter((e) => bundlersBuilds.has(e) && results.has(e));
      const bundlers = await build({
        ...common,
        ...entryPoint(
          RUNTIME_CORE,
          held.map((e) => `export * from "./${e}.js";`),
        ),
        write: false,
        outfile: path.join(staging, `${RUNTIME_CORE}${BUNDLED_SUFFIX}.js`),
        plugins: [staticLoaders(dir), ...plugins],
      });
      const exportsOf = (r: typeof bundlers) => Object.values(r.metafile.outputs).flatMap((o) => o.exports);
      const missing = exportsOf(results.get(RUNTIME_CORE)!).filter((n) => !exportsOf(bundlers).includes(n));
      for (const e of held) {
        const names = exportsOf(results.get(e)!);
        missing.push(...names.filter((n) => !exportsOf(bundlers).includes(n)));
        heldByBundlersCore.set(e, names);
      }
      if (missing.length) throw new Error(`${p.name}: the bundlers' core does not export ${missing.join(", ")}`);
      writeFileSync(path.join(staging, `${RUNTIME_CORE}${BUNDLED_SUFFIX}.js`), bundlers.outputFiles[0]!.text);
    }
    // Self-contained (it imports nothing), so its own file is its bundle.
    const coreEntry = path.join(dir, `${VALIDATION_CORE}.js`);
    if (existsSync(coreEntry)) await build({ ...common, entryPoints: [coreEntry], outfile: path.join(staging, `${VALIDATION_CORE}.js`) });
    // The per-module JavaScript is in the bundles now; the declarations stay.
    for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) if (f.endsWith(".js")) rmSync(path.join(dir, f));
    for (const f of readdirSync(staging)) renameSync(path.join(staging, f), path.join(dir, f));
    rmSync(staging, { recursive: true, force: true });
  }
  if (runtime) {
    importRuntimeThroughProtocol(packages, runtime);
    // Each split entry's bundlers' build: Node's, importing the core by subpath (read last, with the core re-exported).
    const dir = path.join(runtime.dir, "dist", "esm");
    for (const [entry, bundlers] of bundlersBuildsOf(runtime.dir)) {
      if (entry === RUNTIME_CORE) continue;
      if (!existsSync(path.join(dir, `${entry}.js`)))
        throw new Error(
          `${RUNTIME_PACKAGE.name}: package.json exports ./dist/esm/${bundlers}.js, the bundlers' build of ${entry}, but ${entry}.js was not built`,
        );
      const held = heldByBundlersCore.get(entry);
      if (held) {
        writeFileSync(path.join(dir, `${bundlers}.js`), `export { ${held.join(", ")} } from "${RUNTIME_PACKAGE.name}/${RUNTIME_CORE}";\n`);
        continue;
      }
      const code = coreBySubpath(readFileSync(path.join(dir, `${entry}.js`), "utf8"));
      const relative = code.match(/from\s*"\.\.?\/[^"]*"|import\s*\(/g);
      if (relative) throw new Error(`${RUNTIME_PACKAGE.name}: ${entry}.js imports more than the core: ${relative.join(", ")}`);
      writeFileSync(path.join(dir, `${bundlers}.js`), code);
    }
  }
  // Last, so that the rewrites above read esbuild's own printing.
  for (const p of packages) {
    const dir = path.join(p.dir, "dist", "esm");
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".js")))
      writeFileSync(path.join(dir, f), squeezeWhitespace(readFileSync(path.join(dir, f), "utf8")));
  }
}

/** `./core.js` imports as imports of the runtime's `/core` subpath (Node's core in Node, the bundlers' in a bundle). */
function coreBySubpath(code: string): string {
  return code.replaceAll(`"./${RUNTIME_CORE}.js"`, `"${RUNTIME_PACKAGE.name}/${RUNTIME_CORE}"`);
}

/**
 * The runtime entries whose bundlers' build is a file of its own (package.json `exports`: the files
 * an export with a `module` condition names outside it, each with the file it names under `module`
 * for the same platform): `core` → `core-bundled`, `tc3-client-node` → `tc3-client-node-bundled`.
 */
function bundlersBuildsOf(dir: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { exports?: Record<string, unknown> };
  const builds = new Map<string, string>();
  for (const target of Object.values(pkg.exports ?? {})) {
    if (typeof target !== "object" || target === null || !("module" in target)) continue;
    const { module, node, default: fallback } = target as Record<string, unknown>;
    const forBundlers = (platform: "node" | "default") =>
      distModule(
        typeof module === "object" && module !== null
          ? ((module as Record<string, unknown>)[platform] ?? (module as Record<string, unknown>).default)
          : module,
      );
    for (const [platform, own] of [
      ["node", node],
      ["default", fallback],
    ] as const) {
      const entry = distModule(own);
      const bundlers = forBundlers(platform);
      if (entry !== undefined && bundlers !== undefined) builds.set(entry, bundlers);
    }
  }
  return builds;
}

/** The bundlers' core: imports of the on-demand loaders become imports of the module that imports the same parts statically (RUNTIME_LOADERS.bundled). */
function staticLoaders(dir: string): Plugin {
  const modules = new Set(RUNTIME_LOADERS.modules.map((m) => path.join(dir, m)));
  const bundled = path.join(dir, `${RUNTIME_LOADERS.bundled}.js`);
  return {
    name: "static-loaders",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) =>
        args.importer !== bundled && modules.has(path.resolve(args.resolveDir, args.path)) ? { path: bundled } : undefined,
      );
    },
  };
}

/**
 * A dynamic import of an entry stays a dynamic import of that entry's file: what a module loads on
 * demand (the runtime's transports, on a client's first request) is not parsed with its importer.
 * (esbuild would inline it into the importer's bundle.)
 */
function entriesStayFiles(dir: string, entries: readonly string[]): Plugin {
  const files = new Map(entries.map((e) => [path.join(dir, `${e}.js`), e]));
  return {
    name: "dynamic-entries-stay-files",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const entry = files.get(path.resolve(args.resolveDir, args.path));
        return entry === undefined ? undefined : { path: `./${entry}.js`, external: true };
      });
    },
  };
}

/**
 * The runtime's imports of its on-demand loaders become imports of the entry that holds them for Node
 * (RUNTIME_LOADERS.lazy), relative: no package-map lookup (a `#loaders` package import cost a Node 20
 * cold import of LCIC about 0.6 of 12 ms CPU, paired fresh processes). Only the core (bundled first)
 * imports it: the other entries import the loaders from the core (`./core.js#…`, as they import what
 * else it holds), so a bundle reaches them through the bundlers' core, whose loaders are static (staticLoaders).
 */
function loadersByCondition(dir: string, entry: string, hasCore: boolean): Plugin {
  const modules = new Set(RUNTIME_LOADERS.modules.map((m) => path.join(dir, m)));
  const holder = path.join(dir, `${RUNTIME_LOADERS.lazy}.js`);
  const viaCore = hasCore && ![RUNTIME_CORE, RUNTIME_LOADERS.lazy, RUNTIME_LOADERS.bundled].includes(entry);
  return {
    name: "loaders-by-condition",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        if (args.importer === holder || !modules.has(file)) return undefined;
        const module = path.relative(dir, file).split(path.sep).join("/");
        return { path: viaCore ? `./${RUNTIME_CORE}.js#${module}` : `./${RUNTIME_LOADERS.lazy}.js`, external: true };
      });
    },
  };
}

/**
 * A service package's main entry imports the runtime's root and its protocol's entry (`/tc3`…):
 * two package specifiers for a cold import to resolve. The protocol's entry re-exports the root's
 * core (`export * from "./core.js"`, in the runtime's JavaScript only: what service packages import
 * of the root, without the rest of the root) and the package imports everything from it: one
 * specifier, about 0.7 ms of a 20 ms LCIC import (measured with callgrind), and about half of the
 * runtime's code not parsed (about 1 ms of 11.5, paired fresh processes). The declarations are unchanged; the bindings are the root's own (one ApiError).
 */
function importRuntimeThroughProtocol(packages: BuiltPackage[], runtime: BuiltPackage): void {
  const root = RUNTIME_PACKAGE.name;
  const entries = new Set<string>();
  // The root's part a service package needs at import (core.js, bundled first) when there is one: the
  // rest of the root is not parsed by a cold import. Every name a package imports from the root must be there.
  const coreFile = path.join(runtime.dir, "dist", "esm", `${RUNTIME_CORE}.js`);
  const shared = existsSync(coreFile) ? `${RUNTIME_CORE}.js` : "index.js";
  const sharedNames = new Set(exportedNames(readFileSync(path.join(runtime.dir, "dist", "esm", shared), "utf8")));
  for (const p of packages.filter((p) => p !== runtime)) {
    const dir = path.join(p.dir, "dist", "esm");
    const imported = new Set(
      [...readFileSync(path.join(dir, "index.js"), "utf8").matchAll(/\bfrom\s*"([^"]+)"/g)].map((m) => m[1]!).filter((s) => s.startsWith(`${root}/`)),
    );
    if (imported.size !== 1) continue;
    const missing = readdirSync(dir)
      .filter((f) => f.endsWith(".js"))
      .flatMap((f) => namesImportedFrom(readFileSync(path.join(dir, f), "utf8"), root))
      .filter((n) => !sharedNames.has(n));
    if (missing.length) throw new Error(`${p.name} imports ${[...new Set(missing)].join(", ")} from ${root}, which its ${shared} does not export`);
    const [entry] = imported;
    entries.add(entry!.slice(root.length + 1));
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
      const file = path.join(dir, f);
      writeFileSync(file, readFileSync(file, "utf8").replaceAll(`from "${root}";`, `from "${entry}";`));
    }
  }
  // An entry's Node build (its `node` condition in package.json `exports`), where there is one, re-exports the root too.
  const nodeBuilds = nodeBuildsOf(runtime.dir);
  for (const entry of [...entries].flatMap((e) => [e, ...[...nodeBuilds].filter(([, of]) => of === e).map(([build]) => build)])) {
    const file = path.join(runtime.dir, "dist", "esm", `${entry}.js`);
    if (!existsSync(file)) continue;
    const code = readFileSync(file, "utf8");
    const star = `export * from "./${shared}";\n`;
    if (!code.includes(star))
      writeFileSync(
        file,
        `${code}${code.endsWith("\n") ? "" : "\n"}// The root's core too: a service package imports all it needs of the runtime from here.\n${star}`,
      );
  }
}

/** The names a built module exports (esbuild writes `export { a, b as c };` and `export * from` only for other files). */
function exportedNames(code: string): string[] {
  return [...code.matchAll(/\bexport\s*\{([^}]*)\}/g)].flatMap((m) =>
    m[1]!
      .split(",")
      .map((part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      )
      .filter(Boolean),
  );
}

/** The names a built module imports (or re-exports) from `specifier` (`import { a, b as c } from "specifier"`). */
function namesImportedFrom(code: string, specifier: string): string[] {
  return [...code.matchAll(/\b(?:import|export)\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)]
    .filter((m) => m[2] === specifier)
    .flatMap((m) =>
      m[1]!
        .split(",")
        .map((part) => part.trim().split(/\s+as\s+/)[0]!)
        .filter(Boolean),
    );
}

/** Imports of `specifier` are bundled from `file` instead of staying imports. */
function inlined(specifier: string, file: string): Plugin {
  const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
  return {
    name: "inline-subpath",
    setup(b) {
      b.onResolve({ filter }, () => ({ path: file }));
    },
  };
}

/**
 * Imports of a module that an entry bundled before `self` holds become imports of that entry's file,
 * marked with the module (`./index.js#client/errors.js`), when `lends` says that entry lends to `self`.
 */
function fromEarlierEntries(owner: ReadonlyMap<string, string>, self: string, dir: string, lends: (entry: string) => boolean): Plugin {
  return {
    name: "shared-with-earlier-entries",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const file = path.resolve(args.resolveDir, args.path);
        const entry = owner.get(file);
        return entry !== undefined && entry !== self && lends(entry)
          ? { path: `./${entry}.js#${path.relative(dir, file).split(path.sep).join("/")}`, external: true }
          : undefined;
      });
    },
  };
}

/** The names a bundle imports (or re-exports) from sibling entries' modules (esbuild writes `import { a, b as c } from "./index.js#x.js"`): entry → module → names. */
function importedFromEntries(code: string): Map<string, Map<string, string[]>> {
  const byEntry = new Map<string, Map<string, string[]>>();
  for (const m of code.matchAll(/(?:import|export)\s*\{([^}]*)\}\s*from\s*"\.\/([a-z0-9-]+)\.js#([^"]+)"/g)) {
    const modules = byEntry.get(m[2]!) ?? new Map<string, string[]>();
    byEntry.set(m[2]!, modules);
    const names = modules.get(m[3]!) ?? [];
    modules.set(m[3]!, names);
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0]!;
      if (name) names.push(name);
    }
  }
  return byEntry;
}

/** Compile every package of `generatedDir` to dist/esm. */
export async function buildPackages(generatedDir: string, progress?: (message: string) => void): Promise<BuildResult> {
  const packages = packagesOf(generatedDir).map(({ name, dir }) => ({ name, dir }));
  progress?.(`compiling ${packages.length} packages to dist/esm`);
  const diagnostics = compile(generatedDir, packages);
  if (!diagnostics.length) await bundleEsm(packages);
  return { packages: diagnostics.length ? [] : packages, diagnostics };
}
