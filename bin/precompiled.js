// The generator precompiled: generator/ (and the template files it imports) bundled by esbuild into
// one CommonJS file in node_modules/.cache/rtc-apigen/, so that a run does not pay for transpiling
// ~100 TypeScript modules through a loader (tsx). generator.json beside it lists the files that went
// into it and a hash of their bytes; the bundle is used only while every one of them is unchanged
// (an edit that adds an import changes the importing file), and rebuilt (~0.2 s) otherwise. A file
// whose stat (size, mtime, ctime, inode) is the recorded one is not read again, unless it changed
// less than RACY_MARGIN_NS (stat-stamp.js) before its stat was recorded (an edit in the same clock tick would not
// show in it: such a file is read and hashed, and recorded again). Any
// failure falls back to tsx, so a fresh clone, CI and a half-edited tree run exactly the sources.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { threadId, Worker } from "node:worker_threads";
import { fileURLToPath, pathToFileURL } from "node:url";
import { RACY_MARGIN_NS, settledStamp, statStamp } from "./stat-stamp.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(ROOT, "generator", "cli", "main.ts");
export const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "rtc-apigen");
const MANIFEST = path.join(CACHE_DIR, "generator.json");
/** Bump when the way the bundle is made changes. */
const FORMAT = 2;
const LOADERS = { ".ts": "ts", ".mts": "ts", ".js": "js", ".mjs": "js", ".cjs": "js", ".json": "json" };

const require = createRequire(import.meta.url);

export function hashOf(files) {
  const hash = createHash("sha256");
  for (const [file, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  return hash.digest("hex").slice(0, 24);
}

function versions() {
  const esbuild = JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;
  return {
    format: FORMAT,
    node: process.version,
    esbuild,
    self: hashOf(new Map([["bin/precompiled.js", readFileSync(fileURLToPath(import.meta.url))]])),
  };
}

/** What changes when a file's bytes do (an edit always moves ctime), so that an unchanged file need not be read. */
export function statOf(file) {
  return statStamp(statSync(file, { bigint: true }));
}

export { RACY_MARGIN_NS };

/** The wall clock in nanoseconds, as the manifest keeps it. */
export function nowNs() {
  return String(BigInt(Date.now()) * 1_000_000n);
}

/**
 * Whether the inputs are the bytes the manifest `m` hashed: each input whose stat is the one
 * recorded (at `m.statsAt`, and settled then) counts as unchanged; the others are read and hashed
 * with them. `stats`, `statsAt`: each input's stat (taken before its bytes were read) and when, to
 * record when some changed but the bytes did not (a `touch`), or were not settled.
 */
export function inputsUnchanged(m, root = ROOT) {
  const recorded = m.stats && typeof m.stats === "object" ? m.stats : {};
  const statsAt = nowNs();
  const stats = Object.fromEntries(m.inputs.map((rel) => [rel, statOf(path.join(root, rel))]));
  if (m.inputs.every((rel) => recorded[rel] === stats[rel] && settledStamp(stats[rel], m.statsAt))) return { same: true };
  const inputs = new Map(m.inputs.map((rel) => [rel, readFileSync(path.join(root, rel))]));
  return { same: hashOf(inputs) === m.hash, stats, statsAt };
}

/** The bundle that the manifest names, when the manifest matches these versions and every input is unchanged. */
function current(v) {
  let m;
  try {
    m = JSON.parse(readFileSync(MANIFEST, "utf8"));
  } catch {
    return undefined;
  }
  if (m.format !== v.format || m.node !== v.node || m.esbuild !== v.esbuild || m.self !== v.self || !Array.isArray(m.inputs)) return undefined;
  try {
    const { same, stats, statsAt } = inputsUnchanged(m);
    if (!same) return undefined;
    if (stats) {
      try {
        writeManifest({ ...m, stats, statsAt });
      } catch {
        // a read-only cache: the stats are checked by content again next time, the bundle still serves
      }
    }
    return path.join(CACHE_DIR, `generator-${m.hash}.cjs`);
  } catch {
    return undefined; // an input is gone: rebuild
  }
}

function writeManifest(m) {
  const tmp = `${MANIFEST}.${process.pid}-${threadId}`;
  writeFileSync(tmp, JSON.stringify(m, null, 1));
  renameSync(tmp, MANIFEST);
}

/**
 * An `import()` of a computed specifier (a protocol plugin's URL), which esbuild leaves as it is:
 * in the bundle it calls DYNAMIC_IMPORT instead, so that the bundle compiles from the V8 code cache
 * (a script compiled there cannot import dynamically). Literal specifiers are bundled by esbuild.
 */
const COMPUTED_IMPORT = /(?<![\w$.])import\((?=\s*(?:[\w$]|`\$\{))/g;
const DYNAMIC_IMPORT = "rtc-apigen.import";
/** A real dynamic import left in a file (`import()`, empty, is only ever text in a message). */
const IMPORTS_DYNAMICALLY = /(?<![\w$.])import\((?!\))/;

/**
 * Packages bundled with the generator rather than required from node_modules: yaml parses the edited
 * spec in every edit run, and required it is ~70 small modules, each resolved and compiled (10–30 ms);
 * in the bundle it compiles from the code cache. Its files are inputs like the generator's own.
 */
const BUNDLED_PACKAGES = new Set(["yaml"]);

/** Every other package stays external (as esbuild's `packages: "external"`). */
const externalPackages = {
  name: "rtc-apigen-external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/** Bundle, hashing exactly the bytes esbuild compiled; each source keeps its own `import.meta.url`. */
async function build(v) {
  const esbuild = await import("esbuild");
  const inputs = new Map();
  const stats = {};
  const statsAt = nowNs();
  const plugin = {
    name: "rtc-apigen-inputs",
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        const rel = path.relative(ROOT, args.path).split(path.sep).join("/");
        stats[rel] = statOf(args.path);
        const bytes = readFileSync(args.path);
        inputs.set(rel, bytes);
        const url = JSON.stringify(pathToFileURL(args.path).href);
        const contents = bytes
          .toString("utf8")
          .replaceAll("import.meta.url", url)
          .replace(COMPUTED_IMPORT, `globalThis[Symbol.for(${JSON.stringify(DYNAMIC_IMPORT)})](`);
        return { contents, loader: LOADERS[path.extname(args.path)] ?? "js" };
      });
    },
  };
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = path.join(CACHE_DIR, `.build-${process.pid}.cjs`);
  try {
    await esbuild.build({
      entryPoints: [ENTRY],
      outfile: tmp,
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      plugins: [externalPackages, plugin],
    });
    const hash = hashOf(inputs);
    const name = `generator-${hash}.cjs`;
    renameSync(tmp, path.join(CACHE_DIR, name));
    const rels = [...inputs.keys()].sort();
    writeManifest({ ...v, hash, inputs: rels, statsAt, stats: Object.fromEntries(rels.map((rel) => [rel, stats[rel]])) });
    // One bundle per source version would pile up; a run still using an old one has it in memory.
    for (const old of readdirSync(CACHE_DIR)) if (old.startsWith("generator-") && old !== name) rmSync(path.join(CACHE_DIR, old), { force: true });
    return path.join(CACHE_DIR, name);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Large CommonJS dependencies (TypeScript, under ts-morph, is 9 MB) and the generator's own bundle
 * (its computed imports rewritten, see COMPUTED_IMPORT) compile in a fraction of the time from V8's code cache.
 */
const CODE_CACHE_DIR = path.join(CACHE_DIR, "v8");
const CODE_CACHE_MIN_BYTES = 64 * 1024;

/**
 * Files that mention `import(` but never call it: TypeScript's compiler (9 MB, ~0.3 s a run to compile
 * without the cache) has it only in its messages. Kept to names, so a new file with a real `import()`
 * is still left to Node (a script compiled here cannot import dynamically).
 */
const NO_DYNAMIC_IMPORT = new Set(["typescript.js"]);

/**
 * Compile the large files of node_modules from a V8 code cache kept in CODE_CACHE_DIR (keyed by path,
 * size and modification time), written at exit with the functions the run compiled. Files that use
 * `import()` are left to Node, but for NO_DYNAMIC_IMPORT.
 */
function useCodeCache() {
  const compile = Module.prototype._compile;
  const fresh = [];
  Module.prototype._compile = function (content, filename) {
    if (
      content.length < CODE_CACHE_MIN_BYTES ||
      !filename.includes(`${path.sep}node_modules${path.sep}`) ||
      (!NO_DYNAMIC_IMPORT.has(path.basename(filename)) && IMPORTS_DYNAMICALLY.test(content))
    )
      return compile.call(this, content, filename);
    const { size, mtimeMs } = statSync(filename);
    const file = path.join(
      CODE_CACHE_DIR,
      createHash("sha256").update(`${process.version}\0${filename}\0${size}\0${mtimeMs}`).digest("hex").slice(0, 32),
    );
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      // No cached code yet: compile from source.
    }
    // A hashbang (the bundle's, from its entry) is valid only at the very start of a script: made a comment.
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) fresh.push({ script, file });
    const module = this;
    const require = (id) => module.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    require.main = process.mainModule;
    require.cache = Module._cache;
    return script.runInThisContext().call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  };
  process.once("exit", () => {
    try {
      if (fresh.length) mkdirSync(CODE_CACHE_DIR, { recursive: true });
      for (const { script, file } of fresh) {
        // A worker thread (check-worker.ts) shares the process id: the thread's id keeps their files apart.
        const tmp = `${file}.${process.pid}-${threadId}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
      }
    } catch {
      // Only a cache: the next run compiles from source again.
    }
  });
}

/** The precompiled generator's `run`, or undefined when it cannot be had (then run from source). */
export async function precompiledRun() {
  if (process.env.RTC_APIGEN_FROM_SOURCE) return undefined;
  try {
    const v = versions();
    const bundle = current(v) ?? (await build(v));
    const generator = bundleHere(bundle);
    globalThis[Symbol.for(CHECK_WORKER)] ??= (workerData) =>
      new Worker(`import(${JSON.stringify(import.meta.url)}).then((m) => m.bundleHere(${JSON.stringify(bundle)}).checkWorkerMain())`, {
        eval: true,
        workerData,
      });
    return generator.run;
  } catch {
    return undefined;
  }
}

/** How generator/load/check-worker.ts starts its worker thread on the precompiled generator. */
const CHECK_WORKER = "rtc-apigen.check-worker";

/** The precompiled generator's exports, loaded in this thread (the main one, or a worker's). */
export function bundleHere(bundle) {
  useCodeCache();
  globalThis[Symbol.for(DYNAMIC_IMPORT)] ??= (specifier) => import(specifier);
  return require(bundle);
}
