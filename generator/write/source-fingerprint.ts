// The hash of a set of source trees, without reading them when nothing changed: the stat of every
// file (size, modification and change times in nanoseconds, inode) is kept with the hash, and a run
// that finds the same files with the same stats takes the hash as it is. A file's change time cannot
// be set back, so an edit shows. Racily clean files are not trusted: an edit in the same clock tick
// as the stat that was recorded would leave the stat as it was, so a file changed less than
// RACY_MARGIN_NS before its stat was recorded is hashed again (then recorded once its tick is past).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { RACY_MARGIN_NS, settledStamp, statStamp } from "../../bin/stat-stamp.js";
import { writeFileAtomically } from "./atomic-write.js";

export { RACY_MARGIN_NS };

/** Bump when the record or the hash changes. */
const RECORD_VERSION = 1;

interface Record {
  version: number;
  salt: string;
  /** Wall clock (ns) just before the stats were taken. */
  at: string;
  files: Array<[rel: string, stat: string]>;
  hash: string;
}

/** Every file under `sources` (relative to `root`; node_modules left out) in hashing order, with its stat. */
function walk(root: string, sources: readonly string[]): Array<[rel: string, stat: string]> {
  const out: Array<[string, string]> = [];
  const visit = (abs: string, rel: string) => {
    const s = statSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!s) return;
    if (s.isFile()) out.push([rel, statStamp(s)]);
    else if (s.isDirectory()) for (const name of readdirSync(abs).sort()) if (name !== "node_modules") visit(path.join(abs, name), `${rel}/${name}`);
  };
  for (const rel of sources) visit(path.join(root, rel), rel);
  return out;
}

function readRecord(file: string): Record | undefined {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as Partial<Record>;
    return r.version === RECORD_VERSION && typeof r.at === "string" && typeof r.hash === "string" && Array.isArray(r.files)
      ? (r as Record)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Counted for tests: how many times the files were read and hashed. */
export const fingerprintStats = { hashed: 0 };

/**
 * SHA-256 (hex) of `salt` and every file under `sources`: path, size and bytes, in name order. With
 * `recordFiles`, the files are read only when no record there has the same stat for every file (none
 * racy); a new record goes to the first that can be written (a read-only node_modules: the next one).
 */
export function sourceFingerprint(root: string, sources: readonly string[], salt: string, recordFiles: string | readonly string[] = []): string {
  const at = BigInt(Date.now()) * 1_000_000n;
  const files = walk(root, sources);
  const places = typeof recordFiles === "string" ? [recordFiles] : recordFiles;
  for (const place of places) {
    const record = readRecord(place);
    if (
      record &&
      record.salt === salt &&
      record.files.length === files.length &&
      files.every(([rel, stat], i) => record.files[i]![0] === rel && record.files[i]![1] === stat && settledStamp(stat, record.at))
    )
      return record.hash;
  }
  fingerprintStats.hashed++;
  const hash = createHash("sha256").update(`${salt}\0`);
  for (const [rel] of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(root, rel));
    } catch {
      continue; // gone since the walk: hashed as absent, and its stat recorded does not match next time
    }
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
  const digest = hash.digest("hex");
  const text = JSON.stringify({ version: RECORD_VERSION, salt, at: String(at), files, hash: digest } satisfies Record);
  for (const place of places) {
    try {
      mkdirSync(path.dirname(place), { recursive: true });
      writeFileAtomically(place, text);
      break;
    } catch {
      // only a shortcut: the next place, or the next run hashes again
    }
  }
  return digest;
}
