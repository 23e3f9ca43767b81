// A file written whole or not at all: readers (another run, a worker thread) see the old bytes or the new, never part.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { threadId } from "node:worker_threads";

/**
 * Writes `data` to a temporary file beside `file` (named by process and thread: a worker thread
 * shares the process id), then renames it over `file`. Throws what failed, the temporary file removed.
 */
export function writeFileAtomically(file: string, data: string | NodeJS.ArrayBufferView): void {
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
