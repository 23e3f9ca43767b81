// A cold import of a built service package reads what the import needs and no more (issue 15): the
// package's JavaScript imports the runtime through its protocol's entry, which re-exports the root's
// `core`, not the root; the client's call path (the runtime's `call` entry) and the rest of the root
// load on the first request. Checked in a fresh Node process, with a module loader hook that lists
// every file Node loads.
import { execFileSync } from "node:child_process";
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
