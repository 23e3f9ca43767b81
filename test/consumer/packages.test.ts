// The packages as a consuming team gets them: build, `npm pack` each, install the tarballs into a
// fresh project outside the repository, type-check a file that uses every client and the mock
// under `strict`, and run it as ESM and as CommonJS against the mock server on 127.0.0.1. The
// packages are ES modules only: the CommonJS consumer `require()`s them (Node >= 20.19).
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse, type Comment } from "acorn";
import MarkdownIt from "markdown-it";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackages, packagesOf } from "../../generator/build/build-packages.js";
import { GENERATED, ROOT } from "../helpers.js";

const run = promisify(execFile);
const work = mkdtempSync(path.join(os.tmpdir(), "apigen-consumer-"));
const app = path.join(work, "app");
// Built from a copy of generated/: a build elsewhere (another test, a bench) empties dist/ while it runs.
const staged = path.join(work, "generated");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Uses every client against the mock, then prints one JSON line the test checks. The same program
 * is written twice: as an ES module (`import`) and as CommonJS (`require`). */
function consumerSource(kind: "esm" | "cjs"): string {
  const imports =
    kind === "esm"
      ? `import { createMock } from "@rtc-apigen/runtime/mock";
import { ApiError, LcicClient, metadata as lcicMetadata, ValidationError, type GetRoomEventErrorCode } from "@rtc-apigen/lcic";
import { mockDefinition as lcicMock } from "@rtc-apigen/lcic/mock";
import { TrtcClient } from "@rtc-apigen/trtc";
import { assertDescribeUserEventRequest, validateDescribeUserEventRequest } from "@rtc-apigen/trtc/validators";
import { mockDefinition as trtcMock } from "@rtc-apigen/trtc/mock";
import { ChatClient, type LiveRoomInfo } from "@rtc-apigen/chat";
import { mockDefinition as chatMock } from "@rtc-apigen/chat/mock";`
      : `import runtimeMock = require("@rtc-apigen/runtime/mock");
import lcic = require("@rtc-apigen/lcic");
import trtc = require("@rtc-apigen/trtc");
import trtcValidators = require("@rtc-apigen/trtc/validators");
import chat = require("@rtc-apigen/chat");
const { createMock } = runtimeMock;
const { ApiError, LcicClient, metadata: lcicMetadata, ValidationError } = lcic;
const { mockDefinition: lcicMock } = require("@rtc-apigen/lcic/mock") as typeof import("@rtc-apigen/lcic/mock");
type GetRoomEventErrorCode = lcic.GetRoomEventErrorCode;
const { TrtcClient } = trtc;
const { validateDescribeUserEventRequest } = trtcValidators;
// An assertion function is callable by a name declared with its type.
const assertDescribeUserEventRequest: typeof trtcValidators.assertDescribeUserEventRequest = trtcValidators.assertDescribeUserEventRequest;
const { mockDefinition: trtcMock } = require("@rtc-apigen/trtc/mock") as typeof import("@rtc-apigen/trtc/mock");
const { ChatClient } = chat;
const { mockDefinition: chatMock } = require("@rtc-apigen/chat/mock") as typeof import("@rtc-apigen/chat/mock");
type LiveRoomInfo = chat.LiveRoomInfo;`;
  return `${imports}

async function main(): Promise<void> {
  const mock = createMock([lcicMock, trtcMock, chatMock], { seed: 7 });
  const server = await mock.listen({ port: 0 });
  try {
    const tc3 = { endpoint: server.url, credentials: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" } };
    const lcicClient = new LcicClient(tc3);
    const room = lcicMock.examples.find((e) => e.method === "describeRoomStatistics")!.request.RoomId as number;
    const stats = await lcicClient.describeRoomStatistics({ RoomId: room, Page: 1, Limit: 10 });
    let items = 0;
    for await (const _record of lcicClient.describeRoomStatisticsItems({ RoomId: room })) items++;
    let missing = "";
    try {
      const unknown = mock.service("lcic").resources("room").keys({ known: false, count: 1 })[0] as number;
      await lcicClient.getRoomEvent({ RoomId: unknown, SdkAppId: 1400000000, Page: 1, Limit: 10 });
    } catch (error) {
      if (!ApiError.is<GetRoomEventErrorCode>(error)) throw error;
      missing = String(error.code);
    }
    const now = Math.floor(Date.now() / 1000);
    const userEvent = { CommId: "1400000000_1_1", StartTime: now - 3600, EndTime: now, UserId: "u", RoomId: "1", SdkAppId: 1400000000 };
    const trtcClient = new TrtcClient({ ...tc3, region: "ap-guangzhou" });
    const events = await trtcClient.describeUserEvent(userEvent);
    const chatClient = new ChatClient({ endpoint: server.url, credentials: { sdkAppId: 1400000000, identifier: "admin", key: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e" } });
    const live = chatMock.examples.find((e) => e.method === "getLiveRoomInfo")!.request.RoomId as string;
    const info: LiveRoomInfo = (await chatClient.getLiveRoomInfo({ RoomId: live })).RoomInfo;
    // The issue helpers are bundled into each service package; the error class is the runtime's one.
    let refused = "";
    try {
      assertDescribeUserEventRequest({ ...userEvent, SdkAppId: true });
    } catch (error) {
      refused = error instanceof ValidationError ? error.issues.map((i) => i.message).join("; ") : String(error);
    }
    console.log(JSON.stringify({
      kind: ${JSON.stringify(kind)},
      total: stats.Total,
      items,
      missing,
      events: Array.isArray(events.Data),
      owner: info.Owner_Account,
      valid: validateDescribeUserEventRequest(userEvent).ok,
      refused,
      // The /mock entry shares the main entry's modules: one metadata object, not a copy.
      shared: lcicMock.metadata === lcicMetadata,
    }));
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

function typecheck(dir: string, files: string[], module: ts.ModuleKind, moduleResolution: ts.ModuleResolutionKind): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module,
    moduleResolution,
    outDir: dir,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
  };
  const program = ts.createProgram(files, options);
  const problems = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return problems.map((d) => `${d.file ? path.basename(d.file.fileName) : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("the generated packages, installed from their tarballs", () => {
  beforeAll(async () => {
    for (const p of packagesOf(GENERATED))
      cpSync(p.dir, path.join(staged, path.basename(p.dir)), { recursive: true, filter: (from) => path.relative(p.dir, from) !== "dist" });
    const built = await buildPackages(staged);
    expect(built.diagnostics).toEqual([]);
    const tarballs = path.join(work, "tarballs");
    mkdirSync(tarballs);
    for (const p of packagesOf(staged)) await run("npm", ["pack", "--silent", "--pack-destination", tarballs], { cwd: p.dir });
    mkdirSync(app);
    const deps = Object.fromEntries(
      readdirSync(tarballs).map((t) => [`@rtc-apigen/${t.replace(/^rtc-apigen-(.+)-\d+\.\d+\.\d+\.tgz$/, "$1")}`, `file:../tarballs/${t}`]),
    );
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: deps }, null, 2));
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: app });
    writeFileSync(path.join(app, "consumer.mts"), consumerSource("esm"));
    writeFileSync(path.join(app, "consumer.cts"), consumerSource("cjs"));
  }, 240_000);

  it("hold only dist, the mock entry and the README (docs, schemas and the OpenAPI export stay in the repository), and no runtime dependency beyond the runtime package", async () => {
    const { stdout } = await run("npm", ["ls", "--all", "--parseable"], { cwd: app });
    const installed = stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => path.relative(path.join(app, "node_modules"), l))
      .sort();
    expect(installed).toEqual(["@rtc-apigen/chat", "@rtc-apigen/lcic", "@rtc-apigen/runtime", "@rtc-apigen/trtc"]);
    const lcic = readdirSync(path.join(app, "node_modules", "@rtc-apigen", "lcic")).sort();
    expect(lcic).toEqual(["README.md", "dist", "mock", "package.json", "validators"]);
    // ES modules only: no CommonJS half.
    for (const p of packagesOf(staged)) expect(readdirSync(path.join(app, "node_modules", ...p.name.split("/"), "dist")), p.name).toEqual(["esm"]);
  });

  it("have READMEs whose relative links all resolve inside the installed package", () => {
    const md = new MarkdownIt({ html: true });
    const hrefs = (tokens: ReturnType<typeof md.parse>): string[] =>
      tokens.flatMap((t) => [
        ...(t.type === "link_open" ? [String(t.attrGet("href") ?? "")] : []),
        ...[...t.content.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!),
        ...hrefs(t.children ?? []),
      ]);
    const broken: string[] = [];
    let links = 0;
    for (const p of packagesOf(staged)) {
      const dir = path.join(app, "node_modules", ...p.name.split("/"));
      for (const href of hrefs(md.parse(readFileSync(path.join(dir, "README.md"), "utf8"), {}))) {
        links++;
        // Absolute URLs (https:, mailto:) and links within the page are not files of the package.
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) continue;
        const target = path.resolve(dir, decodeURIComponent(href.replace(/[#?].*$/, "")));
        if (!target.startsWith(dir + path.sep) || !existsSync(target)) broken.push(`${p.name}: ${href}`);
      }
    }
    expect(broken).toEqual([]);
    // The parse finds links at all (the service READMEs link their sources).
    expect(links).toBeGreaterThan(0);
  });

  it("give require() and import() the same module for every entry of every package (no top-level await; one instance of each class)", async () => {
    const entries = packagesOf(staged).flatMap((p) => {
      const pkg = JSON.parse(readFileSync(path.join(p.dir, "package.json"), "utf8")) as { exports: Record<string, unknown> };
      return Object.keys(pkg.exports)
        .filter((k) => k !== "./package.json")
        .map((k) => p.name + k.slice(1));
    });
    expect(entries.length).toBeGreaterThan(packagesOf(staged).length);
    const probe = path.join(app, "probe-entries.cjs");
    writeFileSync(
      probe,
      `const out = {};
(async () => {
  for (const e of ${JSON.stringify(entries)}) {
    try {
      const required = require(e);
      out[e] = required === (await import(e)) ? "same" : "a CommonJS copy";
    } catch (error) {
      out[e] = error.code ?? String(error);
    }
  }
  console.log(JSON.stringify(out));
})();
`,
    );
    const { stdout } = await run(process.execPath, [probe], { cwd: app, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(entries.map((e) => [e, "same"])));
  });

  it("load none of the built-in transports on import (the client imports the runtime's transport entry on its first request)", async () => {
    // A load hook (on the loader's thread) notes each file the import reads.
    writeFileSync(
      path.join(app, "log-loads.mjs"),
      `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  appendFileSync(process.env.LOADS_LOG, url + "\\n");\n  return next(url, context);\n}\n`,
    );
    writeFileSync(path.join(app, "register-loads.mjs"), `import { register } from "node:module";\nregister("./log-loads.mjs", import.meta.url);\n`);
    for (const p of packagesOf(staged)) {
      if (p.name === "@rtc-apigen/runtime") continue;
      const log = path.join(work, `loads-${path.basename(p.dir)}.txt`);
      writeFileSync(log, "");
      await run(process.execPath, ["--import", "./register-loads.mjs", "--input-type=module", "-e", `await import(${JSON.stringify(p.name)});`], {
        cwd: app,
        env: { ...process.env, LOADS_LOG: log },
      });
      const runtimeFiles = readFileSync(log, "utf8")
        .split("\n")
        .filter((u) => u.includes("/@rtc-apigen/runtime/"));
      // The root's core (what a service package imports, through its protocol's entry), not necessarily the whole root.
      expect(
        runtimeFiles.map((u) => path.basename(u)),
        p.name,
      ).toContain("core.js");
      // Whatever file holds them: the HTTP/1.1 client and the proxy tunnel are not read.
      for (const u of runtimeFiles) expect(readFileSync(fileURLToPath(u), "utf8"), `${p.name}: ${u}`).not.toMatch(/\bHttp1Client\b|\bProxyAgents\b/);
    }
  });

  it("carry the runtime's validation helpers inside each service package's validators entry, and the error classes only in the runtime", () => {
    for (const p of packagesOf(staged)) {
      if (p.name === "@rtc-apigen/runtime") continue;
      const esm = (f: string) => readFileSync(path.join(app, "node_modules", ...p.name.split("/"), "dist", "esm", f), "utf8");
      expect(esm("validators.js"), p.name).not.toContain("@rtc-apigen/runtime/validation-core");
      expect(esm("validators.js"), p.name).toMatch(/^function describeValue\(/m);
      for (const f of ["index.js", "index-node.js", "validators.js"])
        expect(esm(f), `${p.name} ${f}`).not.toMatch(/^var ValidationError\b|^class ValidationError\b/m);
    }
  });

  it("ship ES entries without indentation, spaces or comments a cold import would scan, the `@__PURE__` marks kept", () => {
    for (const p of packagesOf(staged)) {
      const dir = path.join(app, "node_modules", ...p.name.split("/"), "dist", "esm");
      for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
        const code = readFileSync(path.join(dir, f), "utf8");
        const comments: Comment[] = [];
        parse(code, { ecmaVersion: "latest", sourceType: "module", onComment: comments });
        expect(code, `${p.name} ${f}`).not.toMatch(/^[ \t]/m);
        expect(
          comments.map((c) => c.value.trim()).filter((c) => !/^[#@]__(PURE|NO_SIDE_EFFECTS)__$/.test(c)),
          `${p.name} ${f}`,
        ).toEqual([]);
      }
      // Whatever marks the sources carry reach the main entry, for an app's bundler to tree-shake by.
      const marked = readdirSync(path.join(p.dir, "src"), { recursive: true, encoding: "utf8" }).some(
        (f) => f.endsWith(".ts") && readFileSync(path.join(p.dir, "src", f), "utf8").includes("@__PURE__"),
      );
      if (marked) expect(readFileSync(path.join(dir, "index.js"), "utf8"), p.name).toContain("/* @__PURE__ */");
    }
  });

  it("import the runtime by one package specifier from each service package's ES entry (its protocol's entry, which re-exports the root)", async () => {
    for (const p of packagesOf(staged)) {
      if (p.name === "@rtc-apigen/runtime") continue;
      // Both builds of the root (bundlers', Node's); the bundlers' imports its validators from the package's own file.
      for (const f of ["index.js", "index-node.js"]) {
        const esm = readFileSync(path.join(app, "node_modules", ...p.name.split("/"), "dist", "esm", f), "utf8");
        const specifiers = new Set([...esm.matchAll(/\bfrom\s*"([^"]+)"/g)].map((m) => m[1]!).filter((s) => s !== "./validators.js"));
        expect(
          [...specifiers].filter((s) => !s.startsWith("@rtc-apigen/runtime/")),
          `${p.name} ${f}`,
        ).toEqual([]);
        expect(specifiers.size, `${p.name} ${f}`).toBe(1);
      }
    }
    // The classes a consumer checks against are still the root's own.
    const services = packagesOf(staged)
      .map((p) => p.name)
      .filter((n) => n !== "@rtc-apigen/runtime");
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const root = await import("@rtc-apigen/runtime");
const same = {};
for (const name of ${JSON.stringify(services)}) {
  const m = await import(name);
  same[name] = m.ApiError === root.ApiError && m.ValidationError === root.ValidationError;
}
console.log(JSON.stringify(same));`,
      ],
      { cwd: app },
    );
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(services.map((n) => [n, true])));
  });

  it("come out clean from publint and @arethetypeswrong/cli (ESM and CommonJS resolution)", async () => {
    const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
    for (const p of packagesOf(staged)) {
      // Both exit non-zero on a problem; --strict makes publint's warnings count too.
      await expect(run(bin("publint"), ["--strict", p.dir], { cwd: p.dir }), `publint ${p.name}`).resolves.toBeDefined();
      // attw checks with TypeScript 5.6, which predates require() of ES modules: it reports every
      // entry resolved from CommonJS as "ESM (dynamic import only)". Node >= 20.19 (the packages'
      // engines) and TypeScript >= 5.8 under `module: nodenext` require() them, as the CommonJS
      // consumer below does; every other rule, node10 and CommonJS resolution included, still counts.
      await expect(
        run(bin("attw"), ["--pack", p.dir, "--format", "ascii", "--ignore-rules", "cjs-resolves-to-esm"], { cwd: p.dir }),
        `attw ${p.name}`,
      ).resolves.toBeDefined();
    }
  }, 180_000);

  it("type-check a consumer of every client and the mock under strict, as ESM and as CommonJS", () => {
    expect(typecheck(app, [path.join(app, "consumer.mts")], ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext)).toEqual([]);
    expect(typecheck(app, [path.join(app, "consumer.cts")], ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext)).toEqual([]);
  });

  it.each(["esm", "cjs"] as const)("run as %s against the mock server on 127.0.0.1", async (kind) => {
    const file = path.join(app, kind === "esm" ? "consumer.mjs" : "consumer.cjs");
    const { stdout } = await run(process.execPath, [file], { cwd: app, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(result).toMatchObject({
      kind,
      missing: "ResourceNotFound.Room",
      events: true,
      owner: "144115233775727695",
      valid: true,
      shared: true,
      refused: "SdkAppId: must be an integer, got true",
    });
    expect(result.items).toBe(result.total);
  });
});
