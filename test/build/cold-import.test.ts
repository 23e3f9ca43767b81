// A cold import of a built service package reads what the import needs and no more (issue 15): the
// package's JavaScript imports the runtime through its protocol's entry, which re-exports the root's
// `core`, not the root; the client's call path (the runtime's `call` entry) and the rest of the root
// load on the first request. Checked in a fresh Node process, with a module loader hook that lists
// every file Node loads.
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildPackages } from "../../generator/build/build-packages.js";
import { GENERATED } from "../helpers.js";

const runtimeName = "@rtc-apigen/runtime";
// A service of the protocol that has a Node build (`/tc3`, what LCIC's cold-import target is measured
// on), read from its generated files: its package, client class and first operation's method.
const service = readdirSync(GENERATED)
  .filter((id) => existsSync(path.join(GENERATED, id, "src", "operations.ts")))
  .sort()
  .map((id) => {
    const src = (file: string) => readFileSync(path.join(GENERATED, id, "src", file), "utf8");
    return {
      id,
      packageName: (JSON.parse(readFileSync(path.join(GENERATED, id, "package.json"), "utf8")) as { name: string }).name,
      clientName: /export \{ (\w+Client),/.exec(src("index.ts"))![1]!,
      method: /^ {2}(\w+): \{ request: /m.exec(src("validators.ts"))![1]!,
      // The core client and an operation's function: what an app that bundles a few operations imports.
      coreName: /^export class (\w+Core) /m.exec(src("operations.ts"))![1]!,
      operationFunction: /^export async function (\w+)\(/m.exec(src("operations.ts"))![1]!,
      tc3: src("operations.ts").includes(`from "${runtimeName}/tc3"`),
    };
  })
  .find((s) => s.tc3)!;

// The runtime and the service built from generated/ in a folder of their own (dist/ is not committed).
const staged = mkdtempSync(path.join(tmpdir(), "cold-import-"));
for (const dir of ["runtime", service.id])
  cpSync(path.join(GENERATED, dir), path.join(staged, dir), {
    recursive: true,
    filter: (from) => path.relative(path.join(GENERATED, dir), from) !== "dist",
  });
const built = await buildPackages(staged);
afterAll(() => rmSync(staged, { recursive: true, force: true }));

// The staging folder is the project that has both packages installed (Node resolves a linked package from its real path).
const project = staged;
mkdirSync(path.join(project, "node_modules", "@rtc-apigen"), { recursive: true });
writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "cold-import", private: true, type: "module" }));
symlinkSync(path.join(staged, "runtime"), path.join(project, "node_modules", runtimeName), "dir");
symlinkSync(path.join(staged, service.id), path.join(project, "node_modules", service.packageName), "dir");

// Every URL Node loads, appended to the file the child names (hooks run on a thread of their own).
writeFileSync(
  path.join(project, "hooks.mjs"),
  `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  appendFileSync(process.env.LOADED_LOG, url + "\\n");\n  return next(url, context);\n}\n`,
);
writeFileSync(path.join(project, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);

const answer = JSON.stringify({ Response: { RequestId: "req-1" } });
// Imports the client, then calls one operation through a transport of its own (no network), listing the loaded files after each step.
writeFileSync(
  path.join(project, "child.mjs"),
  `import { readFileSync, writeFileSync } from "node:fs";
const log = process.env.LOADED_LOG;
const { ${service.clientName} } = await import(${JSON.stringify(service.packageName)});
const imported = readFileSync(log, "utf8");
const client = new ${service.clientName}({
  credentials: { secretId: "AKIDcoldimport", secretKey: "cold-import-key" },
  validateRequests: "off",
  transport: async () => ({ status: 200, headers: {}, body: ${JSON.stringify(answer)} }),
});
const constructed = readFileSync(log, "utf8");
const payload = await client.${service.method}({});
writeFileSync(process.env.RESULT, JSON.stringify({ imported, constructed, called: readFileSync(log, "utf8"), payload }));
`,
);

interface Run {
  imported: string[];
  constructed: string[];
  called: string[];
  payload: unknown;
}

/** The runtime's built files (`core.js`…) among loaded URLs. */
const runtimeFiles = (urls: string): string[] => {
  const dist = pathToFileURL(path.join(staged, "runtime", "dist", "esm")).href + "/";
  return urls
    .split("\n")
    .filter((u) => u.startsWith(dist))
    .map((u) => u.slice(dist.length));
};

function run(): Run {
  const log = path.join(project, "loaded.log");
  const result = path.join(project, "result.json");
  writeFileSync(log, "");
  execFileSync(process.execPath, ["--import", "./register.mjs", "child.mjs"], {
    cwd: project,
    env: { ...process.env, NODE_OPTIONS: "", LOADED_LOG: log, RESULT: result },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const r = JSON.parse(readFileSync(result, "utf8")) as { imported: string; constructed: string; called: string; payload: unknown };
  return { imported: runtimeFiles(r.imported), constructed: runtimeFiles(r.constructed), called: runtimeFiles(r.called), payload: r.payload };
}

/** What holds the client's call path: the built file that defines the function ProtocolClient.call runs. */
const holdsCallPath = (file: string) => /\bfunction callOperation\(/.test(readFileSync(path.join(staged, "runtime", "dist", "esm", file), "utf8"));

describe(`a cold import of ${service.packageName}, built and installed`, () => {
  const loaded = built.diagnostics.length === 0 ? run() : undefined;

  it("builds", () => {
    expect(built.diagnostics).toEqual([]);
  });

  it("reads the runtime's core through the protocol's entry, not the root, and none of the call path", () => {
    expect(loaded!.imported).toContain("core.js");
    expect(loaded!.imported).not.toContain("index.js");
    expect(loaded!.imported.filter(holdsCallPath)).toEqual([]);
  });

  it("still reads none of the call path once the client is constructed", () => {
    expect(loaded!.constructed).toEqual(loaded!.imported);
  });

  it("loads the call path on the first request, which then answers as before", () => {
    expect(loaded!.called.filter(holdsCallPath)).toEqual(["call.js"]);
    expect(loaded!.payload).toEqual({ RequestId: "req-1" });
  });
});

// In one file of an app, loading on demand saves nothing and costs lazy-init wrappers (about 0.6 KB
// of a one-operation bundle): a bundler resolves the runtime's `#loaders` to the static imports (the
// `module` condition), Node to the on-demand loaders (above).
describe(`an app bundling ${service.coreName} and ${service.operationFunction}()`, () => {
  const app = path.join(project, "bundled-app.mjs");
  writeFileSync(
    app,
    `import { ${service.operationFunction}, ${service.coreName} } from ${JSON.stringify(service.packageName)};\n` +
      `const client = new ${service.coreName}({ credentials: { secretId: "AKIDbundle", secretKey: "bundle-key" }, validateRequests: "off",\n` +
      `  transport: async () => ({ status: 200, headers: {}, body: ${JSON.stringify(answer)} }) });\n` +
      `console.log(JSON.stringify(await ${service.operationFunction}(client, {})));\n`,
  );
  /** The app as one file, written beside it: minified (what the size target measures) or not (esbuild's helpers keep their names). */
  const bundle = async (platform: "node" | "browser", conditions: string[] | undefined, minify: boolean) => {
    const outfile = path.join(project, `bundled-app-${platform}${conditions ? "-worker" : ""}${minify ? ".min" : ""}.mjs`);
    await build({
      entryPoints: [app],
      outfile,
      bundle: true,
      minify,
      format: "esm",
      platform,
      conditions,
      logLevel: "silent",
      absWorkingDir: project,
    });
    return { outfile, code: readFileSync(outfile, "utf8") };
  };

  // esbuild's own conditions for each platform, and those wrangler gives it for a worker.
  it.each([
    ["node", undefined],
    ["browser", undefined],
    ["browser", ["workerd", "worker", "browser"]],
  ] as const)("holds the call path and the transports as static code (esbuild, platform %s, conditions %j)", async (platform, given) => {
    const conditions = given ? [...given] : undefined;
    expect(built.diagnostics).toEqual([]);
    // esbuild wraps every module a dynamic import reaches in `__esm(...)` lazy-init functions, and
    // inlines the import as `Promise.resolve().then(() => (init_x(), x_exports))`.
    const plain = (await bundle(platform, conditions, false)).code;
    expect(plain).not.toContain("__esm");
    expect(plain).not.toMatch(/\bimport\(|Promise\.resolve\(\)\.then\(\(\) => \(init_/);
    const { outfile, code } = await bundle(platform, conditions, true);
    expect(code).not.toMatch(/\bimport\(/);
    if (platform === "node") expect(JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8" }))).toEqual({ RequestId: "req-1" });
  });

  it("while Node resolves the runtime's loaders to the on-demand ones", () => {
    const resolved = execFileSync(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("#loaders"))'], {
      cwd: path.join(staged, "runtime"),
      env: { ...process.env, NODE_OPTIONS: "" },
      encoding: "utf8",
    }).trim();
    const file = readFileSync(new URL(resolved), "utf8");
    expect(file).toMatch(/\bimport\("\.\/call\.js"\)/);
    expect(file).not.toMatch(/\bfunction callOperation\(/);
  });
});
