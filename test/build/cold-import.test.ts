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
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { buildPackages } from "../../generator/build/build-packages.js";
import { GENERATED } from "../helpers.js";

const runtimeName = "@rtc-apigen/runtime";
// A service of the protocol that has a Node build (`/tc3`, what LCIC's cold-import target is measured
// on), read from its generated files: its package, client class and first operation's method.
const services = readdirSync(GENERATED)
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
      tc3: new RegExp(`from "${runtimeName}/tc3(-client)?"`).test(src("operations.ts")),
      // The runtime entry its client imports its protocol from.
      protocolEntry: new RegExp(`from "(${runtimeName}/[a-z0-9-]+)"`).exec(src("operations.ts"))?.[1],
    };
  });
const service = services.find((s) => s.tc3)!;
// One service per protocol entry besides it: each is imported cold too.
const others = services.filter(
  (s, i) => s.protocolEntry !== service.protocolEntry && services.findIndex((o) => o.protocolEntry === s.protocolEntry) === i,
);

// The runtime and the service built from generated/ in a folder of their own (dist/ is not committed).
const staged = mkdtempSync(path.join(tmpdir(), "cold-import-"));
for (const dir of ["runtime", service.id, ...others.map((o) => o.id)])
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
for (const s of [service, ...others]) symlinkSync(path.join(staged, s.id), path.join(project, "node_modules", s.packageName), "dir");

// Every URL Node loads, appended to the file the child names (hooks run on a thread of their own).
writeFileSync(
  path.join(project, "hooks.mjs"),
  `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  appendFileSync(process.env.LOADED_LOG, url + "\\n");\n  return next(url, context);\n}\n` +
    // Each resolution too, marked: a package-map lookup (a `#` import, a package's subpath) costs a cold import 0.1 to 0.6 ms.
    `export async function resolve(specifier, context, next) {\n  appendFileSync(process.env.LOADED_LOG, "resolve " + specifier + "\\n");\n  return next(specifier, context);\n}\n`,
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
  /** The package-map lookups of the import (`#…` package imports, the runtime's subpaths), one line per resolution. */
  packageImports: string[];
  /** The same, to the end of the first call. */
  packageImportsCalled: string[];
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
  const lookups = (log: string) =>
    log
      .split("\n")
      .filter((line) => line.startsWith("resolve #") || line.startsWith(`resolve ${runtimeName}`))
      .map((line) => line.slice("resolve ".length));
  return {
    packageImports: lookups(r.imported),
    packageImportsCalled: lookups(r.called),
    imported: runtimeFiles(r.imported),
    constructed: runtimeFiles(r.constructed),
    called: runtimeFiles(r.called),
    payload: r.payload,
  };
}

/** The runtime files and package-map lookups of a fresh Node process that only imports `packageName`. */
function importOnly(packageName: string): { files: string[]; packageImports: string[] } {
  const log = path.join(project, "loaded-only.log");
  writeFileSync(log, "");
  execFileSync(process.execPath, ["--import", "./register.mjs", "--input-type=module", "-e", `await import(${JSON.stringify(packageName)});`], {
    cwd: project,
    env: { ...process.env, NODE_OPTIONS: "", LOADED_LOG: log },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const text = readFileSync(log, "utf8");
  const lookups = text.split("\n").filter((line) => line.startsWith("resolve #") || line.startsWith(`resolve ${runtimeName}`));
  return { files: runtimeFiles(text), packageImports: lookups.map((line) => line.slice("resolve ".length)) };
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

  it("looks up no package map in the runtime but its protocol's entry: the core imports its on-demand loaders relatively", () => {
    expect(loaded!.packageImports).toEqual([service.protocolEntry]);
  });

  it("reads, of its protocol, an entry that exports no more than the package imports (none of the signing, verification or credential providers of the protocol's public entry)", async () => {
    const dist = path.join(staged, "runtime", "dist", "esm");
    const exportsOf = async (file: string) => Object.keys((await import(pathToFileURL(path.join(dist, file)).href)) as object);
    const core = new Set(await exportsOf("core.js"));
    const protocolEntries = loaded!.imported.filter((f) => f !== "core.js" && !(f.startsWith("loaders") && f.endsWith(".js")));
    expect(protocolEntries).toHaveLength(1);
    const code = readFileSync(path.join(staged, service.id, "dist", "esm", "index.js"), "utf8");
    const imported = new Set(
      [...code.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*"@rtc-apigen\/runtime[^"]*"/g)].flatMap((m) =>
        m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!),
      ),
    );
    const extra = (await exportsOf(protocolEntries[0]!)).filter((n) => !core.has(n) && !imported.has(n));
    expect(extra).toEqual([]);
  });

  it("still reads none of the call path once the client is constructed", () => {
    expect(loaded!.constructed).toEqual(loaded!.imported);
  });

  // What the loaders import on demand (call.js, transport.js) imports the core relatively too, and holds
  // what it needs of the root: the first call reads no 31 KB index.js (about 1 ms of 13.5 CPU).
  it("reads none of the root and looks up no other package map on the first request either", () => {
    expect(loaded!.called).not.toContain("index.js");
    // (The service's own files a first call loads may import the protocol's entry again.)
    expect([...new Set(loaded!.packageImportsCalled)]).toEqual([service.protocolEntry]);
  });

  it("loads the call path on the first request, which then answers as before", () => {
    expect(loaded!.called.filter(holdsCallPath)).toEqual(["call.js"]);
    expect(loaded!.payload).toEqual({ RequestId: "req-1" });
  });
});

// Each other protocol's service too: its entry imports the core relatively and none of the root (whose
// validation helpers, 31 KB, its UserSig verifier's clock option once came from).
describe.each(others.map((o) => [o.packageName, o] as const))("a cold import of %s, built and installed", (_, other) => {
  it("reads the runtime's core and its protocol's entry, not the root, and looks up no package map but that entry", () => {
    expect(built.diagnostics).toEqual([]);
    const { files, packageImports } = importOnly(other.packageName);
    expect(files).toContain("core.js");
    expect(files).not.toContain("index.js");
    expect(packageImports).toEqual([other.protocolEntry]);
  });
});

/** The nodes of `file` that `match`, each with whether it sits in a function's body (evaluated when called) or in module-level code (evaluated at import). */
function located(file: string, match: (node: ts.Node) => boolean): Array<{ text: string; inFunction: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const found: Array<{ text: string; inFunction: boolean }> = [];
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (match(node)) found.push({ text: node.getText(source).slice(0, 80), inFunction });
    node.forEachChild((child) => visit(child, inFunction || ts.isFunctionLike(node)));
  };
  visit(source, false);
  return found;
}

// What a cold import evaluates of the package's own code: its module-level statements. An operation's
// data (its metadata's JSON text, the descriptor its functions hand the core) is made on the
// operation's first call, in a function: the import only parses it as a function body (issue 15).
describe(`the module-level code of ${service.packageName}'s built entry`, () => {
  const entry = path.join(staged, service.id, "dist", "esm", "index.js");

  it("makes no operation's descriptor: each is made by a function, on the operation's first call", () => {
    expect(built.diagnostics).toEqual([]);
    const descriptors = located(entry, (n) => ts.isPropertyAssignment(n) && n.name.getText() === "typedFields");
    expect(descriptors.length).toBeGreaterThan(0);
    expect(descriptors.filter((d) => !d.inFunction).map((d) => d.text)).toEqual([]);
  });

  it("parses no operation's metadata: its JSON text is parsed in a function, on first use", () => {
    const operationData = located(
      entry,
      (n) => ts.isCallExpression(n) && n.expression.getText() === "JSON.parse" && n.arguments[0]?.getText().includes('"rateLimit":') === true,
    );
    expect(operationData.length).toBeGreaterThan(0);
    expect(operationData.filter((d) => !d.inFunction).map((d) => d.text)).toEqual([]);
  });

  // Less text to scan: an operation's own error codes as two lists (withErrors), and the validation
  // codes of the mock's data written once where operations share them.
  it("writes an operation's error codes as lists, not an object per code, and shared validation codes once", () => {
    const code = readFileSync(entry, "utf8");
    expect(code).toMatch(/"rateLimit":/);
    expect(code).not.toMatch(/":\{"retryable":(true|false)\}/);
    const codes = [...code.matchAll(/"body":"[^"]*","missing":[^}]*\}/g)].map((m) => m[0]);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
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

  it("while Node's core loads them on demand", () => {
    const dist = path.join(staged, "runtime", "dist", "esm");
    const loaders = /\bfrom\s*"(\.\/[a-z0-9-]+\.js)"/.exec(readFileSync(path.join(dist, "core.js"), "utf8"))?.[1];
    const file = readFileSync(path.join(dist, loaders!), "utf8");
    expect(file).toMatch(/\bimport\("\.\/call\.js"\)/);
    expect(file).not.toMatch(/\bfunction callOperation\(/);
  });
});

// The validators are the package's `/validators` subpath, not on the root's import path in Node (they
// were about 70% of LCIC's cold import CPU): the root's Node build loads them on the first call,
// with the runtime's call path, and a call then validates its request as before.
describe(`the validators of ${service.packageName} in Node`, () => {
  const serviceDist = pathToFileURL(path.join(staged, service.id, "dist", "esm")).href + "/";
  writeFileSync(
    path.join(project, "validators-child.mjs"),
    `import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
const log = process.env.LOADED_LOG;
const root = await import(${JSON.stringify(service.packageName)});
const imported = readFileSync(log, "utf8");
// A first call that cannot load the validators fails as a configuration error, and the next call tries again.
const file = ${JSON.stringify(path.join(staged, service.id, "dist", "esm", "validators.js"))};
let unloadable = existsSync(file) ? undefined : "no validators file";
if (unloadable === undefined) renameSync(file, file + ".away");
if (unloadable === undefined) try {
  const broken = new root.${service.coreName}({ credentials: { secretId: "AKIDvalidators", secretKey: "validators-key" }, transport: async () => { throw new Error("sent"); } });
  unloadable = await root.${service.operationFunction}(broken, {}).then(() => undefined, (e) => ({ code: e.code, cause: e.cause !== undefined }));
} finally {
  renameSync(file + ".away", file);
}
let sent = 0;
const client = new root.${service.clientName}({
  credentials: { secretId: "AKIDvalidators", secretKey: "validators-key" },
  transport: async () => (sent++, { status: 200, headers: {}, body: ${JSON.stringify(answer)} }),
});
const rejected = await client.${service.method}(42).then(() => undefined, (e) => ({ code: e.code, name: e.name }));
const called = readFileSync(log, "utf8");
// Loaded now: a call reads its request before it returns, as a bundled app's calls do.
let body = "";
const probe = new root.${service.clientName}({
  credentials: { secretId: "AKIDvalidators", secretKey: "validators-key" },
  validateRequests: "off",
  transport: async (request) => ((body = request.body), { status: 200, headers: {}, body: ${JSON.stringify(answer)} }),
});
const request = { Probe: "as called" };
const pending = probe.${service.method}(request);
request.Probe = "changed after the call returned";
await pending;
const subpath = await import(${JSON.stringify(`${service.packageName}/validators`)}).catch(() => ({}));
writeFileSync(process.env.RESULT, JSON.stringify({
  imported, called, rejected, sent, unloadable, body,
  rootValidators: Object.keys(root).filter((n) => /^(validate|assert|is)[A-Z]|^validators$/.test(n)),
  subpathValidators: Object.keys(subpath).filter((n) => /^(validate|assert|is)[A-Z]|^validators$/.test(n)).length,
}));
`,
  );
  const result = (() => {
    if (built.diagnostics.length) return undefined;
    const log = path.join(project, "validators-loaded.log");
    const out = path.join(project, "validators-result.json");
    writeFileSync(log, "");
    execFileSync(process.execPath, ["--import", "./register.mjs", "validators-child.mjs"], {
      cwd: project,
      env: { ...process.env, NODE_OPTIONS: "", LOADED_LOG: log, RESULT: out },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const r = JSON.parse(readFileSync(out, "utf8")) as {
      imported: string;
      called: string;
      rejected: { code: string } | undefined;
      unloadable: { code: string; cause: boolean } | undefined;
      body: string;
      sent: number;
      rootValidators: string[];
      subpathValidators: number;
    };
    /** The package's own built files among loaded URLs. */
    const own = (urls: string) => [
      ...new Set(
        urls
          .split("\n")
          .filter((u) => u.startsWith(serviceDist))
          .map((u) => u.slice(serviceDist.length)),
      ),
    ];
    return { ...r, imported: own(r.imported), called: own(r.called) };
  })();
  const validatorsFile = `${"validators"}.js`;

  it("imports the root without loading the validators module", () => {
    expect(built.diagnostics).toEqual([]);
    expect(result!.imported).toHaveLength(1);
    expect(result!.imported).not.toContain(validatorsFile);
    expect(result!.rootValidators).toEqual([]);
  });

  it("the root's Node build holds no validator: it loads them on demand", () => {
    const root = result!.imported[0]!;
    const code = readFileSync(path.join(staged, service.id, "dist", "esm", root), "utf8");
    expect(code).toMatch(/\bimport\("\.\/validators\.js"\)/);
    expect(code).not.toMatch(/\bvalidator\(|\basserter\(/);
  });

  it("validates the first call's request before sending it (the validators load with the call)", () => {
    expect(result!.rejected?.code).toBe("ClientError.Validation");
    expect(result!.sent).toBe(0);
    expect(result!.called).toContain(validatorsFile);
  });

  it("rejects a call whose validators cannot load with ClientError.Configuration and its cause, and tries again on the next call", () => {
    expect(result!.unloadable).toEqual({ code: "ClientError.Configuration", cause: true });
    // The next call (above) loaded them and validated its request.
    expect(result!.rejected?.code).toBe("ClientError.Validation");
  });

  it("once they are loaded, reads a call's request before the call returns", () => {
    expect(result!.body).toContain("as called");
  });

  it("exports the validators from its /validators subpath", () => {
    expect(result!.subpathValidators).toBeGreaterThan(0);
  });

  it("lets a bundled one-operation app keep that operation's request validator statically", async () => {
    const app = path.join(project, "validators-app.mjs");
    writeFileSync(
      app,
      `import { ${service.operationFunction}, ${service.coreName} } from ${JSON.stringify(service.packageName)};\n` +
        `console.log(await ${service.operationFunction}(new ${service.coreName}(), {}).catch((e) => e.code));\n`,
    );
    const code = (
      await build({ entryPoints: [app], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent", absWorkingDir: project })
    ).outputFiles[0]!.text;
    // The operation's request validator, as its descriptor names it in the generated source.
    const operations = readFileSync(path.join(GENERATED, service.id, "src", "operations.ts"), "utf8");
    const own = new RegExp(`function _${service.operationFunction}\\(\\): Operation \\{\\s*return \\{[^}]*request: V\\.(\\w+)`).exec(operations)![1]!;
    expect(code).toContain(`${own} =`);
    expect([...code.matchAll(/\bvalidate\w+Request =/g)].map((m) => m[0])).toEqual([`${own} =`]);
    expect(code).not.toMatch(/\bimport\(|__esm/);
  });
});
