// The generator precompiled: generator/ (and the template files it imports) bundled by esbuild into
// one CommonJS file in node_modules/.cache/rtc-apigen/, so that a run does not pay for transpiling
// ~100 TypeScript modules through a loader (tsx). generator.json beside it lists the files that went
// into it and a hash of their bytes; the bundle is used only while every one of them is unchanged
// (an edit that adds an import changes the importing file), and rebuilt (~0.2 s) otherwise. Any
// failure falls back to tsx, so a fresh clone, CI and a half-edited tree run exactly the sources.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(ROOT, "generator", "cli", "main.ts");
export const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "rtc-apigen");
const MANIFEST = path.join(CACHE_DIR, "generator.json");
/** Bump when the way the bundle is made changes. */
const FORMAT = 1;
const LOADERS = { ".ts": "ts", ".mts": "ts", ".js": "js", ".mjs": "js", ".cjs": "js", ".json": "json" };

const require = createRequire(import.meta.url);

function hashOf(files) {
  const hash = createHash("sha256");
  for (const [file, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  return hash.digest("hex").slice(0, 24);
}

function versions() {
  const esbuild = JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;
  return { format: FORMAT, node: process.version, esbuild, self: hashOf(new Map([["bin/precompiled.js", readFileSync(fileURLToPath(import.meta.url))]])) };
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
    const inputs = new Map(m.inputs.map((rel) => [rel, readFileSync(path.join(ROOT, rel))]));
    return hashOf(inputs) === m.hash ? path.join(CACHE_DIR, `generator-${m.hash}.cjs`) : undefined;
  } catch {
    return undefined; // an input is gone: rebuild
  }
}

/** Bundle, hashing exactly the bytes esbuild compiled; each source keeps its own `import.meta.url`. */
async function build(v) {
  const esbuild = await import("esbuild");
  const inputs = new Map();
  const plugin = {
    name: "rtc-apigen-inputs",
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        const bytes = readFileSync(args.path);
        inputs.set(path.relative(ROOT, args.path).split(path.sep).join("/"), bytes);
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return { contents: bytes.toString("utf8").replaceAll("import.meta.url", url), loader: LOADERS[path.extname(args.path)] ?? "js" };
      });
    },
  };
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = path.join(CACHE_DIR, `.build-${process.pid}.cjs`);
  try {
    await esbuild.build({ entryPoints: [ENTRY], outfile: tmp, bundle: true, format: "cjs", platform: "node", target: "node20", packages: "external", logLevel: "silent", plugins: [plugin] });
    const hash = hashOf(inputs);
    const name = `generator-${hash}.cjs`;
    renameSync(tmp, path.join(CACHE_DIR, name));
    const manifestTmp = `${MANIFEST}.${process.pid}`;
    writeFileSync(manifestTmp, JSON.stringify({ ...v, hash, inputs: [...inputs.keys()].sort() }, null, 1));
    renameSync(manifestTmp, MANIFEST);
    // One bundle per source version would pile up; a run still using an old one has it in memory.
    for (const old of readdirSync(CACHE_DIR)) if (old.startsWith("generator-") && old !== name) rmSync(path.join(CACHE_DIR, old), { force: true });
    return path.join(CACHE_DIR, name);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The precompiled generator's `run`, or undefined when it cannot be had (then run from source). */
export async function precompiledRun() {
  if (process.env.RTC_APIGEN_FROM_SOURCE) return undefined;
  try {
    const v = versions();
    return require(current(v) ?? (await build(v))).run;
  } catch {
    return undefined;
  }
}
