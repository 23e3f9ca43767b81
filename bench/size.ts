// Size bench ("the packages at this size"): side by side in one run, against tencentcloud-sdk-nodejs
// measured in the same run where there is a peer:
// - generation of every spec (a fresh `generate --out`, wall time and peak RSS) and `npm run typecheck`;
// - per package: packed and installed size; LCIC installed (with the runtime) against the SDK installed
//   with its dependencies (target ≤ 0.05×);
// - cold import of @rtc-apigen/lcic against the SDK's deep LCIC client import, in fresh processes
//   (target ≤ 0.2×);
// - an app calling one LCIC method, bundled and minified with esbuild, in both client styles
//   (`LcicClient`, and `LcicCore` with the operation's function) against the same app on the SDK
//   (target ≤ 0.1×, on the LcicCore style: a class holding every operation cannot tree-shake); our
//   bundles are run against the mock to show they still work;
// - `npm test` and `.ci/run` wall time (CI target < 15 minutes).
//
//   npm run bench -- size [--skip test,ci] [--rounds 11]
//
// Timed comparisons alternate the contenders in paired rounds; the ratio is the median of each
// round's own ratio, printed with its range, and a verdict is given only when the whole range is
// on one side of the target.
import { execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { buildPackages, packagesOf } from "../generator/build/build-packages.js";
import { formatMs, table, type Bench, type BenchContext } from "./bench.js";
import { pairedRatio, verdictAtMost } from "./stats.js";

export const TARGET_INSTALLED = 0.05;
export const TARGET_IMPORT = 0.2;
export const TARGET_BUNDLE = 0.1;
export const TARGET_CI_MS = 15 * 60_000;

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED = path.join(ROOT, "generated");
const require = createRequire(import.meta.url);
const SDK = "tencentcloud-sdk-nodejs";
const SDK_LCIC_CLIENT = `${SDK}/tencentcloud/services/lcic/v20220817/lcic_client.js`;
const STEPS = ["generation", "typecheck", "packages", "import", "bundle", "test", "ci"] as const;
type Step = (typeof STEPS)[number];

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
const x = (r: number, digits = 3) => `${r.toFixed(digits)}×`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Bytes and files under `dir` (every file, nested node_modules included), and its folders. */
function folderSize(dir: string): { bytes: number; files: number; dirs: number } {
  let bytes = 0;
  let files = 0;
  let dirs = 1;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) dirs++;
    else if (e.isFile()) {
      bytes += statSync(path.join(e.parentPath, e.name)).size;
      files++;
    }
  }
  return { bytes, files, dirs };
}

/** Wall time of a child process, its exit code, and its output (stderr last lines on failure). */
function timedProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ ms: number; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    child.stderr.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - start, code, output }));
  });
}

// ---------------------------------------------------------------------------------------------
// Generation and type-checking.

/** Loaded with `--import` into the generating process: writes its own resource usage on exit. */
const RSS_REPORTER = `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })));
`;

async function generation(out: NodeJS.WritableStream, work: string, runs: number): Promise<void> {
  const reporter = path.join(work, "rss-reporter.mjs");
  writeFileSync(reporter, RSS_REPORTER);
  const rows: string[][] = [];
  const times: number[] = [];
  const peaks: number[] = [];
  let operations = 0;
  for (let i = 0; i < runs; i++) {
    const dest = path.join(work, `generated-${i}`);
    const rssFile = path.join(work, `rss-${i}.json`);
    const r = await timedProcess(
      process.execPath,
      ["--import", pathToFileURL(reporter).href, path.join(ROOT, "bin", "rtc-apigen.js"), "generate", "--out", dest],
      { cwd: ROOT, env: { ...process.env, BENCH_RSS_FILE: rssFile } },
    );
    if (r.code !== 0) throw new Error(`generate failed (exit ${r.code}):\n${r.output}`);
    times.push(r.ms);
    peaks.push((JSON.parse(readFileSync(rssFile, "utf8")) as { maxRSS: number }).maxRSS / 1024);
    operations = readdirSync(dest, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .reduce((n, d) => n + readdirSyncSafe(path.join(dest, d.name, "docs")).filter((f) => f.endsWith(".md")).length, 0);
    rmSync(dest, { recursive: true, force: true });
  }
  rows.push([
    `generate (${operations} operations, fresh --out)`,
    times.map((t) => seconds(t)).join(", "),
    peaks.map((p) => `${p.toFixed(0)} MiB`).join(", "),
  ]);
  out.write(table(["step", "wall time per run", "peak RSS per run"], rows));
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function typecheck(out: NodeJS.WritableStream): Promise<void> {
  const r = await timedProcess("npm", ["run", "-s", "typecheck"], { cwd: ROOT });
  out.write(`npm run typecheck: ${seconds(r.ms)} (exit ${r.code}${r.code ? `; last output:\n${r.output.split("\n").slice(-8).join("\n")}` : ""})\n`);
}

// ---------------------------------------------------------------------------------------------
// Packages: packed and installed sizes, and the install projects the other steps use.

interface Installed {
  /** A project with @rtc-apigen/lcic (and the runtime) installed from their tarballs. */
  ours: string;
  /** A project whose node_modules links the SDK as the repository installed it. */
  sdk: string;
}

interface Packed {
  name: string;
  packed: number;
  unpacked: number;
  files: number;
  tarball: string;
}

/** The SDK and every package it depends on, as installed in the repository (resolved as Node does, per package-lock.json). */
function sdkClosure(): string[] {
  const lock = (
    JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
    }
  ).packages;
  const resolveFrom = (from: string, name: string): string | undefined => {
    for (let base = from; ;) {
      const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (lock[candidate]) return candidate;
      if (!base) return undefined;
      const i = base.lastIndexOf("node_modules/");
      base = i <= 0 ? "" : base.slice(0, i - 1);
    }
  };
  const start = `node_modules/${SDK}`;
  const seen = new Set([start]);
  for (const queue = [start]; queue.length;) {
    const key = queue.pop()!;
    for (const dep of Object.keys({ ...lock[key]?.dependencies, ...lock[key]?.optionalDependencies })) {
      const found = resolveFrom(key, dep);
      if (!found || seen.has(found)) continue;
      seen.add(found);
      queue.push(found);
    }
  }
  return [...seen];
}

async function packages(out: NodeJS.WritableStream, progress: NodeJS.WritableStream, work: string): Promise<Installed> {
  progress.write("  building the generated packages (npm run build)…\n");
  const built = await buildPackages(GENERATED);
  if (built.diagnostics.length) throw new Error(`the generated packages did not build:\n${built.diagnostics.join("\n")}`);
  const tarballs = path.join(work, "tarballs");
  mkdirSync(tarballs);
  const packed: Packed[] = [];
  for (const p of packagesOf(GENERATED)) {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", tarballs, "--loglevel=error"], {
      cwd: p.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [info] = JSON.parse(stdout) as Array<{ name: string; size: number; unpackedSize: number; entryCount: number; filename: string }>;
    packed.push({
      name: info!.name,
      packed: info!.size,
      unpacked: info!.unpackedSize,
      files: info!.entryCount,
      tarball: path.join(tarballs, info!.filename),
    });
  }
  // LCIC as an app installs it: its tarball and the runtime's, nothing else.
  const ours = path.join(work, "ours");
  mkdirSync(ours);
  const lcic = packed.filter((p) => p.name === "@rtc-apigen/lcic" || p.name === "@rtc-apigen/runtime");
  writeFileSync(
    path.join(ours, "package.json"),
    JSON.stringify(
      { name: "size-bench-ours", private: true, type: "module", dependencies: Object.fromEntries(lcic.map((p) => [p.name, `file:${p.tarball}`])) },
      null,
      2,
    ),
  );
  progress.write("  installing @rtc-apigen/lcic from its tarball…\n");
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: ours });
  const oursSize = folderSize(path.join(ours, "node_modules"));
  // The SDK as the repository installed it (tencentcloud-sdk-nodejs and its dependency closure).
  const closure = sdkClosure();
  const sdkSize = closure.reduce(
    (a, dir) => {
      let bytes = 0;
      let files = 0;
      let dirs = 1;
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) {
            if (e.name === "node_modules") continue; // a nested package is in the closure on its own
            dirs++;
            walk(path.join(d, e.name));
          } else if (e.isFile()) {
            bytes += statSync(path.join(d, e.name)).size;
            files++;
          }
        }
      };
      walk(path.join(ROOT, dir));
      return { bytes: a.bytes + bytes, files: a.files + files, dirs: a.dirs + dirs };
    },
    { bytes: 0, files: 0, dirs: 0 },
  );
  const sdkVersion = (require(`${SDK}/package.json`) as { version: string }).version;
  out.write(
    table(
      ["package", "packed", "installed (unpacked)", "files"],
      [
        ...packed.map((p) => [p.name, kib(p.packed), kib(p.unpacked), String(p.files)]),
        [
          "all four",
          kib(packed.reduce((a, p) => a + p.packed, 0)),
          kib(packed.reduce((a, p) => a + p.unpacked, 0)),
          String(packed.reduce((a, p) => a + p.files, 0)),
        ],
      ],
    ),
  );
  const ratio = oursSize.bytes / sdkSize.bytes;
  out.write(
    `\ninstalled, file bytes (du -sb also counts 4 KiB per folder: ${mib(oursSize.bytes + oursSize.dirs * 4096)} and ${mib(sdkSize.bytes + sdkSize.dirs * 4096)}):\n` +
      table(
        ["install", "bytes", "files", "packages"],
        [
          [
            "@rtc-apigen/lcic + @rtc-apigen/runtime",
            `${oursSize.bytes.toLocaleString("en-US")} (${mib(oursSize.bytes)})`,
            String(oursSize.files),
            "2",
          ],
          [
            `${SDK} ${sdkVersion} + its dependencies`,
            `${sdkSize.bytes.toLocaleString("en-US")} (${mib(sdkSize.bytes)})`,
            String(sdkSize.files),
            `1 + ${closure.length - 1}`,
          ],
        ],
      ) +
      `LCIC installed: ${x(ratio, 4)} the SDK's (target ≤ ${TARGET_INSTALLED}×: ${ratio <= TARGET_INSTALLED ? "met" : "NOT met"})\n`,
  );
  // The SDK project: a node_modules that resolves the SDK as installed in the repository.
  const sdk = path.join(work, "sdk");
  mkdirSync(path.join(sdk, "node_modules"), { recursive: true });
  writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "size-bench-sdk", private: true, type: "module" }));
  symlinkSync(path.join(ROOT, "node_modules", SDK), path.join(sdk, "node_modules", SDK), "dir");
  return { ours, sdk };
}

// ---------------------------------------------------------------------------------------------
// Cold import, in fresh processes.

const IMPORT_CHILD = `
await import(process.env.BENCH_WARM_URL);
const c0 = process.cpuUsage();
const t0 = performance.now();
await import(process.env.BENCH_IMPORT_URL);
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ ms, cpu: (c.user + c.system) / 1000 }));
`;

interface ImportSample {
  /** Import wall and CPU milliseconds inside the process, after the loader is warm. */
  ms: number;
  cpu: number;
  /** The whole process, spawn to exit. */
  process: number;
}

function importOnce(url: string, warmUrl: string): Promise<ImportSample> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", IMPORT_CHILD], {
      env: { ...process.env, BENCH_IMPORT_URL: url, BENCH_WARM_URL: warmUrl, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (text += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve({ ...(JSON.parse(text) as { ms: number; cpu: number }), process: performance.now() - start });
      } catch (error) {
        reject(new Error(`importing ${url} failed: ${(error as Error).message}\n${err}`));
      }
    });
  });
}

async function coldImport(out: NodeJS.WritableStream, progress: NodeJS.WritableStream, installed: Installed, rounds: number): Promise<void> {
  const warm = path.join(installed.ours, "warm.mjs");
  writeFileSync(warm, "export default 1;\n");
  const warmUrl = pathToFileURL(warm).href;
  // The file Node loads for `import "@rtc-apigen/lcic"` (its `exports`: the Node build, not the bundlers' index.js), as the SDK's is its file.
  const ours = pathToFileURL(createRequire(path.join(installed.ours, "x.js")).resolve("@rtc-apigen/lcic")).href;
  const sdk = pathToFileURL(createRequire(path.join(installed.sdk, "x.js")).resolve(SDK_LCIC_CLIENT)).href;
  await importOnce(ours, warmUrl); // the file cache, for both
  await importOnce(sdk, warmUrl);
  const a: ImportSample[] = [];
  const b: ImportSample[] = [];
  for (let i = 0; i < rounds; i++) {
    progress.write(`  cold import round ${i + 1}/${rounds}\n`);
    if (i % 2) {
      b.push(await importOnce(sdk, warmUrl));
      a.push(await importOnce(ours, warmUrl));
    } else {
      a.push(await importOnce(ours, warmUrl));
      b.push(await importOnce(sdk, warmUrl));
    }
  }
  const rows = (["ms", "cpu", "process"] as const).map((k) => {
    const r = pairedRatio(
      a.map((s) => s[k]),
      b.map((s) => s[k]),
    );
    const label = { ms: "import, wall", cpu: "import, CPU", process: "whole process, wall" }[k];
    return { k, r, row: [label, formatMs(r.a), formatMs(r.b), `${x(r.median, 2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`] };
  });
  out.write(
    `cold import, fresh node processes, ${rounds} paired rounds alternating which goes first (the loader warmed by a trivial module first):\n`,
  );
  out.write(
    table(
      ["measure", "@rtc-apigen/lcic ms", "SDK lcic_client ms", "ours ÷ SDK: median (range)"],
      rows.map((r) => r.row),
    ),
  );
  for (const { k, r } of rows.filter((r) => r.k !== "process"))
    out.write(`import ${k === "ms" ? "wall" : "CPU"} time: ${verdictAtMost(r, TARGET_IMPORT)}\n`);
}

// ---------------------------------------------------------------------------------------------
// One-method app, bundled and minified.

/** How both one-method apps are bundled: esbuild --bundle --minify --platform=node --format=esm. */
const APP_BUNDLE = { bundle: true, minify: true, platform: "node", format: "esm", target: "node20", logLevel: "silent" } as const;
const APP_REQUEST = `{ RoomId: Number(process.env.APP_ROOM ?? 1), SdkAppId: 1400000000, Page: 1, Limit: 10 }`;
const APP_OPTIONS = `{ endpoint: process.env.APP_ENDPOINT, credentials: { secretId: process.env.APP_ID ?? "AKIDexample", secretKey: process.env.APP_KEY ?? "example" } }`;
const APP_REPORT = `.then((r) => console.log(JSON.stringify({ total: r.Total })), (e) => console.log(JSON.stringify({ code: e.code })))`;
const APPS = {
  "ours: LcicClient (one method called)": {
    project: "ours",
    source: `import { LcicClient } from "@rtc-apigen/lcic";\nconst client = new LcicClient(${APP_OPTIONS});\nclient.getRoomEvent(${APP_REQUEST})${APP_REPORT};\n`,
  },
  "ours: LcicCore + getRoomEvent()": {
    project: "ours",
    source: `import { getRoomEvent, LcicCore } from "@rtc-apigen/lcic";\nconst client = new LcicCore(${APP_OPTIONS});\ngetRoomEvent(client, ${APP_REQUEST})${APP_REPORT};\n`,
  },
  "SDK: deep import of its LCIC client": {
    project: "sdk",
    source: `import { Client } from "${SDK_LCIC_CLIENT}";\nconst client = new Client({ credential: { secretId: "AKIDexample", secretKey: "example" }, region: "" });\nclient.GetRoomEvent(${APP_REQUEST}).then(console.log, console.error);\n`,
  },
  "SDK: import { lcic } from the package": {
    project: "sdk",
    source: `import { lcic } from "${SDK}";\nconst client = new lcic.v20220817.Client({ credential: { secretId: "AKIDexample", secretKey: "example" }, region: "" });\nclient.GetRoomEvent(${APP_REQUEST}).then(console.log, console.error);\n`,
  },
} as const;
type AppName = keyof typeof APPS;
const TARGET_PEER: AppName = "SDK: deep import of its LCIC client";
/** The style the target is measured on: what an app that bundles a few operations imports (the README says so). */
const TARGET_APP: AppName = "ours: LcicCore + getRoomEvent()";

async function bundles(out: NodeJS.WritableStream, progress: NodeJS.WritableStream, installed: Installed): Promise<void> {
  const sizes = new Map<AppName, { bytes: number; gzip: number; file: string; inputs: Array<{ input: string; bytes: number }> }>();
  for (const [name, app] of Object.entries(APPS) as Array<[AppName, (typeof APPS)[AppName]]>) {
    const dir = installed[app.project];
    const entry = path.join(dir, `app-${sizes.size}.mjs`);
    const file = path.join(dir, `bundle-${sizes.size}.mjs`);
    writeFileSync(entry, app.source);
    progress.write(`  bundling ${name}…\n`);
    const result = await build({
      ...APP_BUNDLE,
      entryPoints: [entry],
      outfile: file,
      absWorkingDir: dir,
      write: false,
      metafile: true,
    });
    const code = result.outputFiles[0]!.contents;
    writeFileSync(file, code);
    // Bytes of the bundle per installed file (each package's entries are single files).
    const inputs = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).map(([input, { bytesInOutput }]) => ({
      input: input.replace(/^.*node_modules\//, ""),
      bytes: bytesInOutput,
    }));
    sizes.set(name, { bytes: code.byteLength, gzip: gzipSync(code).byteLength, file, inputs });
  }
  const peer = sizes.get(TARGET_PEER)!;
  out.write("an app calling one LCIC method (GetRoomEvent), esbuild --bundle --minify --platform=node --format=esm:\n");
  out.write(
    table(
      ["app", "bytes", "gzip", `÷ ${TARGET_PEER}`],
      [...sizes].map(([n, s]) => [n, s.bytes.toLocaleString("en-US"), s.gzip.toLocaleString("en-US"), x(s.bytes / peer.bytes)]),
    ),
  );
  const headline = sizes.get(TARGET_APP)!;
  out.write(
    `what ${TARGET_APP} holds: ${headline.inputs
      .filter((i) => i.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes)
      .map((i) => `${i.input} ${i.bytes.toLocaleString("en-US")}`)
      .join(", ")}\n`,
  );
  // The same, by source module: what to cut next (the package files above are bundles of many modules).
  const modules = await bytesBySourceModule(dir(installed), APPS[TARGET_APP].source);
  out.write(
    `by source module (the same app bundled from generated/*/src, ${modules.total.toLocaleString("en-US")} bytes): ${modules.rows
      .map((m) => `${m.module} ${m.bytes.toLocaleString("en-US")}`)
      .join(", ")}\n`,
  );
  // The target is the tree-shaking one: a class with every operation as a method keeps them all
  // (methods cannot be dropped), which is why the README steers bundled apps to the core client.
  const r = headline.bytes / peer.bytes;
  out.write(`${TARGET_APP}: ${x(r)} the SDK's bundle (target ≤ ${TARGET_BUNDLE}×: ${r <= TARGET_BUNDLE ? "met" : "NOT met"})\n`);
  out.write(
    `ours: LcicClient (one method called): ${x(sizes.get("ours: LcicClient (one method called)")!.bytes / peer.bytes)} (every operation, as the class holds them all; not the target's style)\n`,
  );
  // Our bundles still work: each sends its request to the mock and prints the answer; both alike.
  const answers = await runAgainstMock(installed.ours, [
    sizes.get("ours: LcicClient (one method called)")!.file,
    sizes.get("ours: LcicCore + getRoomEvent()")!.file,
  ]);
  out.write(
    `our bundles run against the mock: ${answers.map((a) => a.trim()).join(" and ")}${answers[0] === answers[1] ? " (the same answer)" : " (DIFFERENT answers)"}\n`,
  );
}

const dir = (installed: Installed) => installed[APPS[TARGET_APP].project];

/**
 * `source` bundled and minified as above, but from the generated sources (each `@rtc-apigen/<pkg>`
 * entry resolved to `generated/<pkg>/src/<entry>.ts`, `<entry>-node.ts` where there is one, as the
 * node condition picks): the bytes each source module keeps in the bundle, largest first.
 */
async function bytesBySourceModule(work: string, source: string): Promise<{ total: number; rows: Array<{ module: string; bytes: number }> }> {
  const entry = path.join(work, "app-by-module.mjs");
  writeFileSync(entry, source);
  const alias: Record<string, string> = {};
  for (const pkg of readdirSync(GENERATED, { withFileTypes: true })) {
    const src = path.join(GENERATED, pkg.name, "src");
    if (!pkg.isDirectory() || !readdirSyncSafe(src).length) continue;
    const files = readdirSync(src).filter((f) => f.endsWith(".ts"));
    for (const f of files) {
      const name = f.slice(0, -3);
      // A service's index-node.ts is Node's root (package.json `default`); bundlers get index.ts (`module`).
      const node = name !== "index" && files.includes(`${name}-node.ts`) ? `${name}-node.ts` : f;
      alias[name === "index" ? `@rtc-apigen/${pkg.name}` : `@rtc-apigen/${pkg.name}/${name}`] = path.join(src, node);
    }
  }
  const result = await build({
    ...APP_BUNDLE,
    entryPoints: [entry],
    write: false,
    metafile: true,
    alias,
  });
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  const rows = Object.entries(inputs)
    .map(([input, { bytesInOutput }]) => {
      const relative = path.relative(GENERATED, path.resolve(input)).split(path.sep).join("/");
      return { module: relative.startsWith("../") ? "(the app)" : relative, bytes: bytesInOutput };
    })
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { total: result.outputFiles[0]!.contents.byteLength, rows };
}

/** Runs each bundle against the LCIC mock (in this process, on 127.0.0.1) and returns what each printed. */
async function runAgainstMock(project: string, files: string[]): Promise<string[]> {
  const modules = path.join(project, "node_modules", "@rtc-apigen");
  const { createMock, MOCK_DEFAULT_CREDENTIALS } = (await import(
    pathToFileURL(path.join(modules, "runtime", "dist", "esm", "mock.js")).href
  )) as typeof import("../templates/runtime/src/mock/server.js");
  const { mockDefinition } = (await import(
    pathToFileURL(path.join(modules, "lcic", "dist", "esm", "mock.js")).href
  )) as typeof import("../generated/lcic/src/mock.js");
  const mock = createMock(mockDefinition, { seed: 7 });
  const server = await mock.listen({ port: 0 });
  try {
    const room = mock.service("lcic").resources("room").keys({ state: "ended", count: 1 })[0];
    const credentials = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
    const answers: string[] = [];
    for (const file of files) {
      const env = {
        ...process.env,
        APP_ENDPOINT: server.url,
        APP_ROOM: String(room ?? 1),
        APP_ID: credentials.secretId,
        APP_KEY: credentials.secretKey,
      };
      const { stdout } = await run(process.execPath, [file], { cwd: project, env, timeout: 60_000 });
      answers.push(stdout);
    }
    return answers;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The test suite and CI.

async function tests(out: NodeJS.WritableStream): Promise<void> {
  const r = await timedProcess("npm", ["test", "--silent"], { cwd: ROOT });
  out.write(`npm test: ${seconds(r.ms)} (exit ${r.code})\n`);
}

/** `.ci/run` on a copy of the working tree (no node_modules, no dist, no .git) with ../shared beside it. */
async function ci(out: NodeJS.WritableStream, progress: NodeJS.WritableStream, work: string): Promise<void> {
  const copy = path.join(work, "ci", path.basename(ROOT));
  progress.write(`  copying the working tree to ${copy}…\n`);
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !/(^|[\\/])(node_modules|\.git|dist)$/.test(path.relative(ROOT, src)) });
  symlinkSync(path.resolve(ROOT, "..", "shared"), path.join(work, "ci", "shared"), "dir");
  const r = await timedProcess(path.join(copy, ".ci", "run"), [], { cwd: copy, env: { ...process.env, npm_config_prefer_offline: "true" } });
  const verdict =
    r.code === 0
      ? `target < ${TARGET_CI_MS / 60_000} min: ${r.ms < TARGET_CI_MS ? "met" : "NOT met"}`
      : `failed; last output:\n${r.output.split("\n").slice(-15).join("\n")}`;
  out.write(`.ci/run (clean copy, npm ci included): ${seconds(r.ms)} (exit ${r.code}; ${verdict})\n`);
}

// ---------------------------------------------------------------------------------------------

export const sizeBench: Bench = {
  name: "size",
  description: "generation, typecheck, package and install sizes, cold import, one-method bundles, test and CI time",
  options: [
    `--skip STEPS  comma-separated steps to leave out (${STEPS.join(", ")}); test and ci take minutes`,
    "--only STEPS  only these steps (packages is run whenever import or bundle is)",
    "--rounds N    paired cold-import rounds (default 11)",
    "--runs N      generation runs (default 1)",
  ].join("\n"),
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: {
        skip: { type: "string" },
        only: { type: "string" },
        rounds: { type: "string", default: "11" },
        runs: { type: "string", default: "1" },
      },
      strict: false,
    });
    const list = (v: unknown) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const unknown = [...list(values.skip), ...list(values.only)].filter((s) => !STEPS.includes(s as Step));
    if (unknown.length) throw new Error(`unknown step ${unknown.join(", ")}; steps: ${STEPS.join(", ")}`);
    const only = list(values.only);
    const steps = new Set<Step>(STEPS.filter((s) => (only.length ? only.includes(s) : true) && !list(values.skip).includes(s)));
    const rounds = Number(values.rounds) || 11;
    const runs = Number(values.runs) || 1;
    out.write(`node ${process.version}, ${os.cpus().length} CPUs, steps: ${[...steps].join(", ")}\n\n`);
    const work = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-size-bench-"));
    try {
      if (steps.has("generation")) {
        await generation(out, work, runs);
        out.write("\n");
      }
      if (steps.has("typecheck")) {
        await typecheck(out);
        out.write("\n");
      }
      if (steps.has("packages") || steps.has("import") || steps.has("bundle")) {
        const installed = await packages(out, progress, work);
        out.write("\n");
        if (steps.has("import")) {
          await coldImport(out, progress, installed, rounds);
          out.write("\n");
        }
        if (steps.has("bundle")) {
          await bundles(out, progress, installed);
          out.write("\n");
        }
      }
      if (steps.has("test")) await tests(out);
      if (steps.has("ci")) await ci(out, progress, work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  sizeBench.run({ args: process.argv.slice(2), out: process.stdout, progress: process.stderr }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
