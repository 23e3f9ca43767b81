// What the output folder held when a run last compared or wrote it: per path, the name of the content
// (content-id.ts) and the file's stat then. A later run skips reading a file whose content has the
// same name and whose stat is unchanged (size, modification and change times in nanoseconds, inode):
// after an edit, only the files of the units emitted again are read and compared. A file changed by
// hand changes its stat (its change time cannot be set back), so it is read and compared as before.
// Kept in the generation cache, keyed by the folder's absolute path; stored as columns (the stats one
// typed array) so that the entry, written after every edit, serialises fast for thousands of files.
import { statSync, type BigIntStats } from "node:fs";
import path from "node:path";
import type { GeneratedFile } from "../emit/generated-file.js";
import { contentId } from "./content-id.js";
import { sha, type GenerationCache } from "./generation-cache.js";

/** Bump when the entry changes. */
const INDEX_VERSION = "output-index-2";

type Seen = [id: string, size: bigint, mtimeNs: bigint, ctimeNs: bigint, ino: bigint];

export interface OutputIndex {
  readonly dir: string;
  readonly files: Map<string, Seen>;
  changed: boolean;
  readonly save: () => Promise<void>;
}

function isSeen(v: unknown): v is Seen {
  return Array.isArray(v) && v.length === 5 && typeof v[0] === "string" && v.slice(1).every((n) => typeof n === "bigint");
}

interface StoredIndex {
  version: typeof INDEX_VERSION;
  paths: string[];
  ids: string[];
  /** size, mtimeNs, ctimeNs, ino per file (the times as two's complement). */
  stats: BigUint64Array;
}

function stored(files: ReadonlyMap<string, Seen>): StoredIndex {
  const stats = new BigUint64Array(files.size * 4);
  const paths: string[] = [];
  const ids: string[] = [];
  for (const [p, [id, ...numbers]] of files) {
    numbers.forEach((n, j) => (stats[paths.length * 4 + j] = BigInt.asUintN(64, n)));
    paths.push(p);
    ids.push(id);
  }
  return { version: INDEX_VERSION, paths, ids, stats };
}

/** The index of `outDir` from `cache` (empty when it has none, or a damaged one). */
export async function loadOutputIndex(cache: GenerationCache, outDir: string): Promise<OutputIndex> {
  const dir = path.resolve(outDir);
  const key = sha(INDEX_VERSION, dir);
  const entry = (await cache.getValue(key)) as Partial<StoredIndex> | undefined;
  const files = new Map<string, Seen>();
  if (entry?.version === INDEX_VERSION && Array.isArray(entry.paths) && Array.isArray(entry.ids) && entry.stats instanceof BigUint64Array) {
    const { paths, ids, stats } = entry;
    if (ids.length === paths.length && stats.length === paths.length * 4)
      paths.forEach((p, i) => {
        const seen: unknown = [ids[i], stats[i * 4]!, BigInt.asIntN(64, stats[i * 4 + 1]!), BigInt.asIntN(64, stats[i * 4 + 2]!), stats[i * 4 + 3]!];
        if (typeof p === "string" && isSeen(seen)) files.set(p, seen);
      });
  }
  const index: OutputIndex = {
    dir,
    files,
    changed: false,
    save: async () => {
      if (!index.changed) return;
      index.changed = false;
      await cache.setValue(key, stored(index.files));
    },
  };
  return index;
}

/** The file's stat (taken before reading it, so that a change while it is read shows next time). */
export function stat(index: OutputIndex, p: string): BigIntStats | undefined {
  try {
    // Not path.join: the paths are the generator's own, relative and normalised (manifest.ts isInsidePath).
    return statSync(`${index.dir}${path.sep}${p}`, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether the folder holds `file`'s content at its path, as far as the index can tell without reading it. */
export function unchangedInIndex(index: OutputIndex, file: GeneratedFile): boolean {
  const id = contentId(file);
  const seen = index.files.get(file.path);
  if (!id || !seen || seen[0] !== id) return false;
  const s = stat(index, file.path);
  return !!s && s.isFile() && s.size === seen[1] && s.mtimeNs === seen[2] && s.ctimeNs === seen[3] && s.ino === seen[4];
}

/** Records that the folder holds `file`'s content at its path now (nothing, when the content has no name). */
export function recordInIndex(index: OutputIndex, file: GeneratedFile, before?: BigIntStats): void {
  const id = contentId(file);
  const s = id ? (before ?? stat(index, file.path)) : undefined;
  if (!id || !s?.isFile()) return forgetInIndex(index, file.path);
  index.files.set(file.path, [id, s.size, s.mtimeNs, s.ctimeNs, s.ino]);
  index.changed = true;
}

export function forgetInIndex(index: OutputIndex, p: string): void {
  if (index.files.delete(p)) index.changed = true;
}
