// Runs test/runtimes/consumer.mjs against the built packages in Node, Bun, Deno and workerd
// (miniflare), for runtimes.test.ts and bench/runtimes.ts. The packages are built, then copied into
// a throwaway app's node_modules, as an app that installed them has them; the mock server runs in
// this (Node) process on 127.0.0.1.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { buildPackages, packagesOf } from "../../generator/build/build-packages.js";
import { mockDefinition as chatMock } from "../../generated/chat/src/mock.js";
import { mockDefinition as lcicMock } from "../../generated/lcic/src/mock.js";
import { createMock } from "../../generated/runtime/src/mock.js";

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const BIN = path.join(ROOT, "node_modules", ".bin");
export const VECTORS_FILE = path.resolve(ROOT, "../shared/reference/vectors.json");

/** The packages the consumer imports. */
const CONSUMED = ["@rtc-apigen/runtime", "@rtc-apigen/lcic", "@rtc-apigen/chat"];

/** `workerd-nodejs-compat`: a worker with the `nodejs_compat` flag (a `process`, partial node:* ports). */
export const RUNTIMES = ["node", "bun", "deno", "workerd", "workerd-nodejs-compat"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** Rooms the mock has and has not, and a live room: what the consumer calls. */
export interface ConsumerIds {
  room: number;
  missingRoom: number;
  liveRoom: string;
}

export interface ConsumerOptions {
  mockUrl: string;
  ids: ConsumerIds;
  /** Timed calls after the checks (default 1). */
  calls?: number;
}

/** What consumer.mjs answers. */
export interface ConsumerResult {
  runtime: string;
  tc3: { authorization: string | undefined; matches: boolean };
  chat: { userSig: string; decodedMatches: boolean; bytesIdentical: boolean };
  mock: { total: unknown; missing: string; owner: unknown };
  callMs: number[];
  /** The timed calls, all together. */
  totalMs: number;
  /** Node, Bun, Deno: the packages' import time. */
  importMs?: number;
  /** workerd: until the worker (bundle loaded) was ready, workerd's own start included. */
  readyMs?: number;
}

export interface ConsumerApp {
  dir: string;
  /** The worker bundle (consumer, packages and vectors, minified): what an edge deployment uploads. */
  workerBundle: string;
  close(): void;
}

/** Builds the packages and lays out an app that has them installed, with the consumer and its worker bundle. */
export async function prepareConsumerApp(generatedDir: string): Promise<ConsumerApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "apigen-runtimes-"));
  // Built from a copy of the sources: a build elsewhere in generated/ (another test, `npm run build`)
  // empties dist/ while it runs. The runtime and the two services the consumer uses, no more.
  const staged = path.join(dir, "generated");
  for (const p of packagesOf(generatedDir).filter((p) => CONSUMED.includes(p.name))) {
    const to = path.join(staged, path.basename(p.dir));
    cpSync(path.join(p.dir, "package.json"), path.join(to, "package.json"));
    cpSync(path.join(p.dir, "src"), path.join(to, "src"), { recursive: true });
  }
  const built = await buildPackages(staged);
  if (built.diagnostics.length) throw new Error(`the generated packages did not build:\n${built.diagnostics.join("\n")}`);
  for (const p of packagesOf(staged)) {
    const to = path.join(dir, "node_modules", ...p.name.split("/"));
    mkdirSync(to, { recursive: true });
    cpSync(path.join(p.dir, "package.json"), path.join(to, "package.json"));
    cpSync(path.join(p.dir, "dist"), path.join(to, "dist"), { recursive: true });
  }
  // A package.json makes Deno resolve bare specifiers from this node_modules (and Node treat .mjs as it does anyway).
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "runtimes-consumer", private: true, type: "module" }));
  for (const file of ["consumer.mjs", "cli.mjs", "worker.mjs"]) cpSync(path.join(HERE, file), path.join(dir, file));
  cpSync(VECTORS_FILE, path.join(dir, "vectors.json"));
  const workerBundle = path.join(dir, "worker.bundle.mjs");
  // As wrangler bundles a worker: browser conditions, ES module output, no Node built-ins resolved.
  await build({
    entryPoints: [path.join(dir, "worker.mjs")],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    minify: true,
    outfile: workerBundle,
    logLevel: "silent",
  });
  return { dir, workerBundle, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The LCIC and Chat mock on 127.0.0.1 (no rate limits: the bench times calls), and the ids the consumer uses. */
export async function startConsumerMock(): Promise<{ url: string; ids: ConsumerIds; close(): Promise<void> }> {
  const mock = createMock([lcicMock, chatMock], { seed: 7, rateLimit: false });
  const server = await mock.listen({ host: "127.0.0.1", port: 0 });
  const room = lcicMock.examples.find((e) => e.method === "describeRoomStatistics")!.request["RoomId"] as number;
  const missingRoom = mock.service("lcic").resources("room").keys({ known: false, count: 1 })[0] as number;
  const liveRoom = chatMock.examples.find((e) => e.method === "getLiveRoomInfo")!.request["RoomId"] as string;
  return { url: server.url, ids: { room, missingRoom, liveRoom }, close: () => server.close() };
}

/** The command line of a runtime that runs cli.mjs; undefined for workerd (miniflare runs it in-process). */
function commandOf(runtime: RuntimeName): { file: string; args: string[] } | undefined {
  switch (runtime) {
    case "node":
      return { file: process.execPath, args: ["--no-warnings", "cli.mjs"] };
    case "bun":
      return { file: path.join(BIN, "bun"), args: ["cli.mjs"] };
    case "deno":
      // Network to the mock only, the app's files, and the environment (the client reads it when no credentials are given).
      return { file: path.join(BIN, "deno"), args: ["run", "--quiet", "--allow-net=127.0.0.1", "--allow-read=.", "--allow-env", "cli.mjs"] };
    case "workerd":
    case "workerd-nodejs-compat":
      return undefined;
  }
}

/**
 * Why a runtime cannot run on this machine (its binary missing or failing to start), or undefined
 * when it can. The test names the reason when it skips; it never skips silently.
 */
export async function unavailable(runtime: RuntimeName): Promise<string | undefined> {
  try {
    if (runtime === "workerd" || runtime === "workerd-nodejs-compat") {
      const workerd = path.join(BIN, "workerd");
      if (!existsSync(workerd)) return "node_modules/.bin/workerd is missing (npm install miniflare)";
      await run(workerd, ["--version"], { timeout: 30_000 });
      return undefined;
    }
    const command = commandOf(runtime)!;
    if (runtime !== "node" && !existsSync(command.file)) return `${command.file} is missing (npm install ${runtime})`;
    await run(command.file, ["--version"], { timeout: 30_000 });
    return undefined;
  } catch (error) {
    return `${runtime} does not start here: ${(error as Error).message.split("\n")[0]}`;
  }
}

/** Runs the consumer once in `runtime`; rejects with the runtime's own output when it fails. */
export async function runConsumerIn(runtime: RuntimeName, app: ConsumerApp, options: ConsumerOptions): Promise<ConsumerResult & { startMs: number }> {
  const began = performance.now();
  const command = commandOf(runtime);
  if (command) {
    const { stdout } = await run(command.file, [...command.args, JSON.stringify(options)], {
      cwd: app.dir,
      timeout: 120_000,
      // No proxy variables: the consumer's calls go straight to the mock on loopback.
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? app.dir, NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.trim().split("\n").at(-1) ?? "";
    return { ...(JSON.parse(line) as ConsumerResult), startMs: performance.now() - began };
  }
  const { Miniflare } = await import("miniflare");
  const miniflare = new Miniflare({
    modules: true,
    script: readFileSync(app.workerBundle, "utf8"),
    scriptPath: app.workerBundle,
    modulesRoot: app.dir,
    // Without nodejs_compat: no `process`, no node:* modules, as a plain worker has.
    compatibilityDate: "2026-04-01",
    compatibilityFlags: runtime === "workerd-nodejs-compat" ? ["nodejs_compat"] : [],
  });
  try {
    // The bundle is loaded when the worker starts: that (with workerd's own start) stands for its import.
    await miniflare.ready;
    const readyMs = performance.now() - began;
    const response = await miniflare.dispatchFetch(`http://worker/?options=${encodeURIComponent(JSON.stringify(options))}`);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the worker failed (HTTP ${response.status}):\n${text}`);
    return { ...(JSON.parse(text) as ConsumerResult), readyMs, startMs: performance.now() - began };
  } finally {
    await miniflare.dispose();
  }
}
