// An app bundle that imports a package's subpaths beside its client holds one copy of each module:
// the runtime's `/transport` and `/call` beside a service client (one `defaultTransport`, so one
// keep-alive pool that `defaultTransport().close()` closes), a service's `/mock` beside its client
// for a browser (one `metadata`, one client class). Built from generated/ in a folder of its own.
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPackages } from "../../generator/build/build-packages.js";
import { RUNTIME_PACKAGE } from "../../generator/emit/runtime-package.js";
import { GENERATED } from "../helpers.js";

// The first service (by folder) with a mock, read from its generated files.
const id = readdirSync(GENERATED)
  .filter((d) => existsSync(path.join(GENERATED, d, "src", "mock.ts")))
  .sort()[0]!;
const packageName = (JSON.parse(readFileSync(path.join(GENERATED, id, "package.json"), "utf8")) as { name: string }).name;
const clientName = /export \{ (\w+Client),/.exec(readFileSync(path.join(GENERATED, id, "src", "index.ts"), "utf8"))![1]!;

const staged = mkdtempSync(path.join(tmpdir(), "bundled-once-"));
for (const dir of [RUNTIME_PACKAGE.dir, id])
  cpSync(path.join(GENERATED, dir), path.join(staged, dir), {
    recursive: true,
    filter: (from) => path.relative(path.join(GENERATED, dir), from) !== "dist",
  });
const built = await buildPackages(staged);
afterAll(() => rmSync(staged, { recursive: true, force: true }));
mkdirSync(path.join(staged, "node_modules", "@rtc-apigen"), { recursive: true });
writeFileSync(path.join(staged, "package.json"), JSON.stringify({ name: "bundled-once", private: true, type: "module" }));
symlinkSync(path.join(staged, RUNTIME_PACKAGE.dir), path.join(staged, "node_modules", RUNTIME_PACKAGE.name), "dir");
symlinkSync(path.join(staged, id), path.join(staged, "node_modules", packageName), "dir");

/** The app `source` bundled as an app's bundler would (keeping names, so declarations can be counted). */
async function bundle(name: string, source: string, platform: "node" | "browser"): Promise<string> {
  const entry = path.join(staged, `${name}.mjs`);
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform,
    format: "esm",
    write: false,
    logLevel: "silent",
    absWorkingDir: staged,
    ...(platform === "browser" ? { external: ["node:*"] } : {}),
  });
  return result.outputFiles[0]!.text;
}
const count = (code: string, pattern: RegExp) => code.match(pattern)?.length ?? 0;

describe("a bundle of subpaths beside a client", () => {
  it("builds", () => expect(built.diagnostics).toEqual([]));

  it.each([
    ["transport", "defaultTransport"],
    ["call", "callOperation"],
  ])("the runtime's /%s with a client holds one %s", async (subpath, name) => {
    const code = await bundle(
      `app-${subpath}`,
      `import { ${name} } from "${RUNTIME_PACKAGE.name}/${subpath}";\nimport { ${clientName} } from "${packageName}";\n` +
        `const client = new ${clientName}({ credentials: { secretId: "id", secretKey: "key" } });\n` +
        `export const app = [${name}, client.constructor];\n`,
      "node",
    );
    expect(count(code, new RegExp(`\\bfunction ${name}\\d*\\(`, "g"))).toBe(1);
  });

  it("the service's /mock with its client, for a browser, holds one client class and one metadata", async () => {
    const code = await bundle(
      "app-mock",
      `import { ${clientName}, metadata } from "${packageName}";\nimport * as mock from "${packageName}/mock";\n` +
        `export const app = [${clientName}, metadata, mock];\n`,
      "browser",
    );
    expect(count(code, new RegExp(`\\bclass ${clientName}\\d*\\b|\\b${clientName}\\d* = class\\b`, "g"))).toBe(1);
    expect(count(code, /\bmetadata\d*\s*=\s*\{/g)).toBe(1);
  });
});
