// Every usage snippet of the generated docs RUNS against the mock, as written: the snippet's own
// client construction is kept, and only what a reader's machine would supply (credentials in the
// environment, the network) is swapped for the in-process mock. A snippet whose request the client
// or the mock refuses (an example with a stale time, a missing region) reaches its `catch` and logs
// an ApiError, which fails here.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { afterAll, describe, expect, it, vi } from "vitest";
import { MOCK_DEFAULT_CREDENTIALS, createMock } from "../../templates/runtime/src/mock/server.js";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import { GENERATED, realIr } from "../helpers.js";
import { writeDocSnippets } from "./support/doc-snippets.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "doc-snippets-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The runtime's entries: `index`, and each module at the top of its src/ (`/mock`, `/tc3`...). */
const RUNTIME_ENTRIES: Record<string, string> = Object.fromEntries(
  readdirSync(path.join(GENERATED, "runtime", "src"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => [f === "index.ts" ? "" : `/${f.slice(0, -3)}`, f]),
);
const HOOK = "__docSnippetClientOptions";

/** Resolves the packages to generated/ and wraps each client so it talks to the mock. */
function packagesPlugin(services: Array<{ id: string; packageName: string; clientName: string }>): Plugin {
  return {
    name: "generated-packages",
    setup(b) {
      b.onResolve({ filter: /^@rtc-apigen\/runtime(\/.*)?$/ }, (args) => {
        const entry = RUNTIME_ENTRIES[args.path.slice("@rtc-apigen/runtime".length)];
        if (!entry) return { errors: [{ text: `no runtime entry ${args.path}` }] };
        return { path: path.join(GENERATED, "runtime", "src", entry) };
      });
      for (const s of services) {
        b.onResolve({ filter: new RegExp(`^${s.packageName.replace(/[/]/g, "\\/")}$`) }, () => ({ path: s.id, namespace: "client-shim" }));
      }
      b.onLoad({ filter: /.*/, namespace: "client-shim" }, (args) => {
        const s = services.find((x) => x.id === args.path)!;
        const index = JSON.stringify(path.join(GENERATED, s.id, "src", "index.ts"));
        return {
          resolveDir: GENERATED,
          loader: "ts",
          contents: [
            `export * from ${index};`,
            `import { ${s.clientName} as Base } from ${index};`,
            `export class ${s.clientName} extends Base {`,
            `  constructor(options: any = {}) { super({ ...options, ...(globalThis as any).${HOOK} }); }`,
            `}`,
          ].join("\n"),
        };
      });
    },
  };
}

describe("usage snippets in the generated docs, run against the mock", async () => {
  const ir = await realIr();
  const services = ir.services.map((s) => ({ id: s.id, packageName: s.packageName, clientName: s.clientName }));
  const snippets = writeDocSnippets(dir);
  const outdir = path.join(dir, "out");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await build({
    entryPoints: snippets.map((s) => s.file),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
    plugins: [packagesPlugin(services)],
  });
  const definitions: MockServiceDefinition[] = [];
  for (const s of ir.services) {
    const mod = (await import(pathToFileURL(path.join(GENERATED, s.id, "src", "mock.ts")).href)) as { mockDefinition: MockServiceDefinition };
    definitions.push(mod.mockDefinition);
  }
  const tc3 = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
  const chat = MOCK_DEFAULT_CREDENTIALS.chat[0]!;
  // What a reader sets in their shell; every key exists in the mock, so a refusal is the snippet's fault.
  const env = {
    TENCENTCLOUD_SECRET_ID: tc3.secretId,
    TENCENTCLOUD_SECRET_KEY: tc3.secretKey,
    TENCENT_CHAT_SDKAPPID: String(chat.sdkAppId),
    TENCENT_CHAT_IDENTIFIER: chat.identifier,
    TENCENT_CHAT_SECRET_KEY: chat.key,
  };

  it("cover every operation page", () => {
    const expected = ir.services.flatMap((s) => s.operations.map((o) => `${s.id}/docs/${o.name}.md`)).sort();
    expect([...new Set(snippets.map((s) => s.from))].sort()).toEqual(expected);
  });

  for (const snippet of snippets) {
    it(`${path.basename(snippet.file)} runs to its end without an error`, async () => {
      const mock = createMock(definitions, { seed: 1, rateLimit: false, existence: 1 });
      (globalThis as Record<string, unknown>)[HOOK] = { fetch: mock.fetch, env, retry: false, rateLimit: false };
      const errors: unknown[][] = [];
      const logged: unknown[][] = [];
      const err = vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(args));
      const log = vi.spyOn(console, "log").mockImplementation((...args) => void logged.push(args));
      try {
        await import(pathToFileURL(path.join(outdir, path.basename(snippet.file).replace(/\.ts$/, ".js"))).href);
      } finally {
        err.mockRestore();
        log.mockRestore();
        delete (globalThis as Record<string, unknown>)[HOOK];
      }
      expect(
        errors.map((a) => a.map(String).join(" ")),
        snippet.from,
      ).toEqual([]);
      expect(logged.length, `${snippet.from} printed its response`).toBeGreaterThan(0);
    });
  }
});
