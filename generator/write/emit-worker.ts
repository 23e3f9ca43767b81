// A large cold emission on two threads: each service's units (one emitter over one service) depend
// only on the IR and the generator, so a worker emits, formats and stores (in the same cache folder)
// the units of part of the services while the main thread emits the rest. The worker gets its
// services (one structured clone: shared objects stay shared, key order and `undefined` members
// kept) and runs the same emitUnit on them, so its files and its cache entries are the ones this
// thread would have made (test/write/emit-worker.test.ts). A per-service emitter reads nothing of the
// whole IR (its second argument) beyond the service: the worker's stand-in for it refuses any look,
// and such a refusal fails the worker, whose units this thread then emits. Only units sure to be
// emitted (neither their entry nor their read-set slot on disk) are shared: a warm run has nothing
// to gain from a second thread.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import type { GeneratedFile } from "../emit/generated-file.js";
import type { Ir, Service } from "../ir/types.js";
import { envThreshold, workerStarter } from "../load/check-worker.js";
import { loadedValue } from "./lazy-object.js";

/** What a shared emission uses of the generation cache (named by shape: generation-cache.ts imports this module). */
export interface UnitCache {
  readonly dir: string | undefined;
  stats: { hits: number; misses: number };
  readSetHits: number;
  remember(key: string, files: GeneratedFile[]): void;
  adopt(key: string, bytes: Uint8Array): GeneratedFile[] | undefined;
  countAdded(added: { bytes: number; entries: number }): void;
}

/** A per-service unit as emitFormatted would emit it: its service's index in `ir.services` (in the job: in its `services`), its emitter, its entry's key and read-set slot. */
export interface UnitJob {
  service: number;
  name: string;
  key: string;
  slot: string;
}

export interface EmitJob {
  kind: "emit";
  cacheDir: string;
  services: Service[];
  digests: ReadonlyArray<string | undefined>;
  units: UnitJob[];
}

/** A unit's files and the key of the entry holding them. */
export interface UnitReply {
  files: GeneratedFile[];
  key?: string;
}

/** How the worker sends a unit: its files, or (a unit it stored) the entry's bytes, moved rather than copied. */
export type UnitPost = UnitReply | { key: string; encoded: Uint8Array };

export interface EmitReply {
  units: UnitPost[];
  hits: number;
  misses: number;
  readSetHits: number;
  /** What the worker wrote into the folder: tallied by this thread, which alone prunes (a prune mid-run could drop entries it still reads). */
  added: { bytes: number; entries: number };
}

/**
 * Below this many operations in the services whose units must be emitted, one thread: starting a
 * worker (loading the generator and the emitters again, cloning the IR to it) costs more than it
 * saves. RTC_APIGEN_EMIT_WORKER_MIN_OPS overrides it (0: always, when there are two services to share).
 */
const MIN_OPERATIONS = 300;
/**
 * The worker starts later (~0.2 s) and its answer is copied back, while both emit a service in about
 * the same time (a 1,000-operation cold run): it gets this share of the work.
 */
const WORKER_SHARE = 0.48;
const ENV = "RTC_APIGEN_EMIT_WORKER_MIN_OPS";

/** Units this process took from a worker (for tests: that a run did share), those of them that came as entry bytes, and the workers alive now. */
export const emitWorkerStats = { units: 0, running: 0, moved: 0 };

/** What emitFormatted asks of a shared emission: a unit's answer from the worker, or undefined when this thread emits it. */
export interface SharedEmission {
  unit(service: number, name: string, local: () => Promise<UnitReply>): Promise<UnitReply> | undefined;
  /**
   * Called when the run is done with the units, or failed: the worker is stopped (a failed run must
   * not leave it running, keeping the process alive), and a reply after this is ignored.
   */
  close(): Promise<void>;
}

/**
 * The services whose units a worker emits: none unless the cache has a folder, the machine two CPUs
 * and the services whose units are sure to be emitted hold enough operations. Each service goes to
 * the side with less so far (by operations and shapes), in order, the worker's side weighed by WORKER_SHARE.
 */
export function shareServices(ir: Ir, candidates: ReadonlySet<number>, cacheDir: string | undefined): Set<number> {
  const size = (i: number) => {
    const s = ir.services[i]!;
    return 1 + s.operations.length + s.shapes.length;
  };
  const ops = [...candidates].reduce((n, i) => n + ir.services[i]!.operations.length, 0);
  if (!cacheDir || candidates.size < 2 || os.availableParallelism() < 2 || ops < envThreshold(ENV, MIN_OPERATIONS) || !workerStarter(ENV))
    return new Set();
  const theirs = new Set<number>();
  let mine = 0;
  let other = 0;
  for (const i of [...candidates].sort((a, b) => a - b)) {
    if (mine * WORKER_SHARE <= other * (1 - WORKER_SHARE)) mine += size(i);
    else {
      theirs.add(i);
      other += size(i);
    }
  }
  return theirs;
}

/**
 * Starts a worker on the per-service units (of the emitters `names`) of the services shareServices
 * picks among those whose units are all sure to be emitted, or returns undefined (then this thread
 * emits every unit). `keyOf`, `slotOf`: a unit's key and read-set slot, as emitFormatted names them. The
 * worker's units are taken into `cache` as if emitted here (kept in memory under their keys, counted).
 */
export function shareEmission(
  cache: UnitCache,
  ir: Ir,
  digests: ReadonlyArray<string | undefined>,
  names: readonly string[],
  keyOf: (service: number, name: string) => string | undefined,
  slotOf: (service: number, name: string) => string | undefined,
): SharedEmission | undefined {
  const cacheDir = cache.dir;
  if (!cacheDir) return undefined;
  const units: UnitJob[] = [];
  const cold = new Set(ir.services.map((_, i) => i));
  const onDisk = (key: string) => existsSync(path.join(cacheDir, key));
  for (const name of names)
    ir.services.forEach((_, i) => {
      if (!cold.has(i)) return;
      // The slot only for a key not on disk: naming it reads the service (a lazy one loads).
      const key = keyOf(i, name);
      const slot = key === undefined || onDisk(key) ? undefined : slotOf(i, name);
      if (slot === undefined || onDisk(slot)) cold.delete(i);
      else units.push({ service: i, name, key: key!, slot });
    });
  const theirs = shareServices(ir, cold, cacheDir);
  if (!theirs.size) return undefined;
  const jobs = units.filter((u) => theirs.has(u.service));
  const sent = [...theirs].sort((a, b) => a - b);
  const place = new Map(sent.map((i, k) => [i, k]));
  let started: ReturnType<typeof runWorker>;
  try {
    // Lazy services (read from the cache on first use) cannot be cloned: the loaded objects go.
    const services = sent.map((i) => loadedValue(ir.services[i]!));
    started = runWorker({
      kind: "emit",
      cacheDir,
      services,
      digests: [...digests],
      units: jobs.map((u) => ({ ...u, service: place.get(u.service)! })),
    });
  } catch {
    return undefined;
  }
  const at = new Map(jobs.map((u, n) => [`${u.service}\0${u.name}`, n]));
  let closed = false;
  // Counted once, as it arrives: its entries are in the folder whether or not a unit is taken.
  const reply = started.reply.then((r) => {
    if (r && !closed) {
      cache.stats.hits += r.hits;
      cache.stats.misses += r.misses;
      cache.readSetHits += r.readSetHits;
      cache.countAdded(r.added);
    }
    return r;
  });
  // A unit asked for after close belongs to a run already over: nothing is taken or emitted for it.
  const over: UnitReply = { files: [] };
  return {
    unit(service, name, local) {
      const n = at.get(`${service}\0${name}`);
      if (n === undefined) return undefined;
      return reply.then((r) => {
        if (closed) return over;
        if (!r) return local();
        const post = r.units[n]!;
        if ("encoded" in post) {
          // The entry's bytes as the worker wrote them: decoded here file by file, when first read.
          const files = cache.adopt(post.key, post.encoded);
          if (!files) return local();
          emitWorkerStats.units++;
          emitWorkerStats.moved++;
          return { files, key: post.key };
        }
        emitWorkerStats.units++;
        if (post.key) cache.remember(post.key, post.files);
        return post;
      });
    },
    close() {
      closed = true;
      return started.stop();
    },
  };
}

/** The worker's reply (undefined when it failed or exited without one), and how to stop it. */
function runWorker(job: EmitJob): { reply: Promise<EmitReply | undefined>; stop: () => Promise<void> } {
  const worker: Worker = workerStarter(ENV)!(job);
  emitWorkerStats.running++;
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      emitWorkerStats.running--;
      resolve();
    }),
  );
  const reply = new Promise<EmitReply | undefined>((resolve) => {
    worker.once("message", (m: EmitReply) => resolve(m.units?.length === job.units.length ? m : undefined));
    worker.once("error", () => resolve(undefined));
    void exited.then(() => resolve(undefined));
  });
  return {
    reply,
    stop: async () => {
      await worker.terminate().catch(() => undefined);
      await exited;
    },
  };
}

export function isEmitJob(v: unknown): v is EmitJob {
  return typeof v === "object" && v !== null && (v as EmitJob).kind === "emit";
}
