// The worker's side of emit-worker.ts: emit, format and store the units it was given, as
// emitFormatted would have on the main thread, and post their files.
import { parentPort } from "node:worker_threads";
import { EMITTER_LOADERS } from "../emit/emitter-loaders.js";
import type { Emitter } from "../emit/generated-file.js";
import type { Ir, Service } from "../ir/types.js";
import type { EmitJob, EmitReply, UnitPost } from "./emit-worker.js";
import { emitUnit, GenerationCache } from "./generation-cache.js";

/**
 * Stands for the whole IR, which per-service emitters do not look into: any look throws, failing the
 * worker (the main thread then emits its units). Plain data to a recording proxy (read-set.ts).
 */
export function untouchable(): Ir {
  const refuse = (): never => {
    throw new Error("a per-service emitter looked into the whole IR on the emit worker");
  };
  return new Proxy({} as Ir, {
    get: refuse,
    has: refuse,
    ownKeys: refuse,
    getOwnPropertyDescriptor: refuse,
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    getPrototypeOf: () => Object.prototype,
  });
}

export async function emitWorkerMain(job: EmitJob): Promise<void> {
  const cache = new GenerationCache(job.cacheDir);
  cache.keepEncoded = true;
  const emitters = new Map<string, Promise<Emitter>>();
  const named = (name: string) => {
    let e = emitters.get(name);
    if (!e)
      emitters.set(
        name,
        (e = Object.hasOwn(EMITTER_LOADERS, name)
          ? EMITTER_LOADERS[name]!()
          : import("../emit/index.js").then((m) => m.EMITTERS.find((x) => x.name === name)!)),
      );
    return e;
  };
  const units: UnitPost[] = [];
  const moved: ArrayBuffer[] = [];
  const whole = untouchable();
  for (const u of job.units) {
    const service = job.services[u.service]!;
    const unit = await emitUnit(
      cache,
      u.key,
      () => u.slot,
      [service, whole],
      job.digests,
      async () => {
        const emitter = await named(u.name);
        return (s, whole) => emitter.emitService!(s as Service, whole as Ir);
      },
    );
    // A unit stored here goes as its entry's bytes, moved, not its strings copied (a cold 1,000-operation
    // run's half of the output took the worker 0.3 s to post); a small entry's bytes may sit in Buffer's
    // shared pool, which cannot move: those are copied first.
    const bytes = unit.key ? cache.takeEncoded(unit.key) : undefined;
    if (bytes && unit.key) {
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
      units.push({ key: unit.key, encoded: own });
      moved.push(own.buffer as ArrayBuffer);
    }
    // Plain copies otherwise: a file read from the cache has its content behind a getter.
    else units.push({ files: unit.files.map((f) => ({ ...f })), ...(unit.key ? { key: unit.key } : {}) });
  }
  // No endRun here: a prune now could drop entries the main thread reads later in the run. It tallies the worker's entries with its own.
  const reply: EmitReply = {
    units,
    hits: cache.stats.hits,
    misses: cache.stats.misses,
    readSetHits: cache.readSetHits,
    added: cache.addedSinceEndRun(),
  };
  parentPort!.postMessage(reply, moved);
}
