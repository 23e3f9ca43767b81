// The worker's side of check-worker.ts: check the groups it was given and post their entries. The
// same worker entry runs write/emit-worker.ts's jobs.
import { parentPort, workerData } from "node:worker_threads";
import { GenerationCache } from "../write/generation-cache.js";
import { checkGroupsOf } from "./checked-cache.js";
import type { WorkerJob } from "./check-worker.js";
import { isEmitJob } from "../write/emit-worker.js";

export async function checkWorkerMain(): Promise<void> {
  if (isEmitJob(workerData)) return (await import("../write/emit-worker-main.js")).emitWorkerMain(workerData);
  const job = workerData as WorkerJob;
  parentPort!.postMessage(await checkGroupsOf(job, new GenerationCache(job.cacheDir)));
}
