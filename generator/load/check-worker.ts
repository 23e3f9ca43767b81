// A cold check of a large tree on two threads: the service groups are independent (each group's
// entry depends only on its files and protocols/, load/checked-cache.ts), so a worker checks part of
// them while the main thread checks the rest, and both store what they found in the same cache
// folder. The main thread only takes the worker's entries into the same places it would have put its
// own, so the diagnostics and the IR are the same as on one thread (test/load/check-worker.test.ts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../shared/diagnostic.js";
import type { Protocol } from "../ir/types.js";
import type { SpecFile } from "./scan-specs.js";

/** A service group to check: its index among the scanned services, its entry's key, its files (service.yaml first). */
export interface GroupJob {
  index: number;
  key: string;
  files: SpecFile[];
}

/** What the worker checks: the groups, with protocols/ (parsed there again when its IR is not cached: it is small). */
export interface WorkerJob {
  cacheDir: string;
  base: string;
  protocols: SpecFile[];
  protocolsFound: Diagnostic[];
  protocolsIr: Protocol[] | undefined;
  groups: GroupJob[];
}

/**
 * Below this many bytes of specs to check, one thread: starting a worker (loading the YAML parser,
 * Ajv and the rules again) costs more than it saves (a 200-operation tree, 3 MB, was 0.25 s slower
 * on a busy machine; 1,000 operations, 16 MB, about 1.3 s faster). RTC_APIGEN_CHECK_WORKER_MIN_BYTES overrides it
 * (0: always, when there are two groups to share).
 */
const MIN_BYTES = 6_000_000;
/** The worker starts later than the main thread begins: it gets this much less of the work. */
const WORKER_HANDICAP = 0.1;

/** Set by bin/precompiled.js: starts a worker running the precompiled generator's `checkWorkerMain` (which also runs emit jobs, write/emit-worker.ts). */
const PRECOMPILED_WORKER = Symbol.for("rtc-apigen.check-worker");
type StartWorker = (workerData: unknown) => Worker;

const CHECK_ENV = "RTC_APIGEN_CHECK_WORKER_MIN_BYTES";

/** A worker's threshold: the number the variable `env` holds (finite, not negative), else `fallback`. */
export function envThreshold(env: string, fallback: number): number {
  const v = Number(process.env[env]);
  return process.env[env] !== undefined && Number.isFinite(v) && v >= 0 ? v : fallback;
}

/**
 * The groups this thread checks and those a worker checks: none for the worker unless the cache has
 * a folder (the worker stores its entries there), the machine two CPUs and the work is large enough.
 * Each group goes to the side with less so far, in order.
 */
export function shareOut<G extends GroupJob>(groups: readonly G[], cacheDir: string | undefined): { own: G[]; other: G[] } {
  const bytes = (g: GroupJob) => g.files.reduce((n, f) => n + f.text.length, 0);
  const total = groups.reduce((n, g) => n + bytes(g), 0);
  if (!cacheDir || groups.length < 2 || os.availableParallelism() < 2 || total < envThreshold(CHECK_ENV, MIN_BYTES) || !workerStarter(CHECK_ENV))
    return { own: [...groups], other: [] };
  const own: G[] = [];
  const other: G[] = [];
  let mine = 0;
  let theirs = total * WORKER_HANDICAP;
  for (const g of groups) {
    if (mine <= theirs) {
      own.push(g);
      mine += bytes(g);
    } else {
      other.push(g);
      theirs += bytes(g);
    }
  }
  return other.length ? { own, other } : { own: [...groups], other: [] };
}

/**
 * How to start a worker: the precompiled generator's way, or (from the sources, when the threshold
 * `env` names is set) through tsx.
 */
export function workerStarter(env: string): StartWorker | undefined {
  const precompiled = (globalThis as Record<symbol, unknown>)[PRECOMPILED_WORKER] as StartWorker | undefined;
  if (precompiled) return precompiled;
  // From the sources (tests) only when asked: loading the generator through tsx again takes seconds.
  if (process.env[env] === undefined) return undefined;
  // tsx's ES module API (its CommonJS one registers hooks by a relative path that does not resolve from a worker).
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const api = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports["./esm/api"]!;
  const tsx = pathToFileURL(path.join(path.dirname(manifest), api.import.default)).href;
  const entry = new URL("./check-worker-entry.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => (m.register(), import(${JSON.stringify(entry)})))`;
  return (workerData) => new Worker(code, { eval: true, workerData });
}

/** The worker's entries by group index, or undefined when it could not start or failed (then the caller checks those groups itself). */
export function checkOnWorker<E>(job: WorkerJob): Promise<Array<{ index: number; entry: E }> | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = workerStarter(CHECK_ENV)!(job);
    } catch {
      return resolve(undefined);
    }
    worker.once("message", (m: Array<{ index: number; entry: E }>) => resolve(m));
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  });
}
