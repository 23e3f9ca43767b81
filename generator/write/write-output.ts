// Write: compare with the output folder and update it as one transaction, or (check) only report.
// The generator owns only the files it wrote (the manifest's list; before there was a manifest, the
// files carrying its header): it removes and rewrites those and never touches anything else.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { GeneratedFile } from "../emit/generated-file.js";
import { HEADER_WINDOW, MANIFEST_PATH, carriesHeader, parseManifest } from "./manifest.js";
import { encodedContent } from "./content-id.js";
import { forgetInIndex, recordInIndex, stat, unchangedInIndex, type OutputIndex } from "./output-index.js";

export interface Drift {
  added: string[];
  changed: string[];
  removed: string[];
  /** Generated paths where a file the generator did not write stands: rewritten only with --force. */
  foreign: string[];
  /** Generated paths that cannot be written without removing something the generator does not own. */
  blocked: string[];
}

export function hasDrift(d: Drift): boolean {
  return d.added.length + d.changed.length + d.removed.length + d.foreign.length + d.blocked.length > 0;
}

/** Build output of `npm run build` (git-ignored): not part of what the specs generate. */
const BUILD_DIRS = /^(\.build|[^/]+\/dist)$/;
/** Folders that are never the generator's, not worth walking. */
const NEVER_OURS = new Set([".git", "node_modules"]);
const STAGING_PREFIX = ".rtc-apigen-staging-";

export async function listOutputFiles(root: string, rel = ""): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!BUILD_DIRS.test(p)) out.push(...(await listOutputFiles(root, p)));
    } else out.push(p);
  }
  return out;
}

/** What the output folder holds, as far as ownership goes. */
export interface OutputState {
  exists: boolean;
  /** The folder has a readable manifest. */
  hasManifest: boolean;
  /** Files the generator wrote and may rewrite or remove. */
  owned: Set<string>;
  /** Without a manifest: files (or never-ours folders) found that are not the generator's. */
  strangers: string[];
  /** The folder is a repository root (it holds `.git`). */
  isRepoRoot: boolean;
  /** The folder holds a `specs` entry. */
  holdsSpecs: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw e;
  }
}

async function readStart(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(HEADER_WINDOW);
    const { bytesRead } = await handle.read(buf, 0, HEADER_WINDOW, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** Without a manifest: the files carrying the header are the generator's, everything else is not. */
async function walkForHeaders(root: string, rel: string, owned: Set<string>, strangers: string[]): Promise<void> {
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (BUILD_DIRS.test(p) || (!rel && e.name.startsWith(STAGING_PREFIX))) continue;
      if (NEVER_OURS.has(e.name)) strangers.push(`${p}/`);
      else await walkForHeaders(root, p, owned, strangers);
    } else if (e.isFile() && carriesHeader(await readStart(path.join(root, p)))) owned.add(p);
    else strangers.push(p);
  }
}

export async function readOutputState(outDir: string): Promise<OutputState> {
  const state: OutputState = { exists: false, hasManifest: false, owned: new Set(), strangers: [], isRepoRoot: false, holdsSpecs: false };
  try {
    if (!(await lstat(outDir)).isDirectory()) throw Object.assign(new Error(`${outDir} is not a folder`), { code: "ENOTDIR" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return state;
    throw e;
  }
  state.exists = true;
  state.isRepoRoot = await exists(path.join(outDir, ".git"));
  state.holdsSpecs = await exists(path.join(outDir, "specs"));
  let manifest: string[] | undefined;
  try {
    manifest = parseManifest(await readFile(path.join(outDir, MANIFEST_PATH), "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (manifest) {
    state.hasManifest = true;
    state.owned = new Set([...manifest, MANIFEST_PATH]);
  } else await walkForHeaders(outDir, "", state.owned, state.strangers);
  return state;
}

/** Why generating into this folder is refused (unless --force), or undefined when it is fine. */
export function refusalReason(outDir: string, specsDir: string, state: OutputState): string | undefined {
  const rel = path.relative(path.resolve(outDir), path.resolve(specsDir));
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return "it holds the specs folder";
  const back = path.relative(path.resolve(specsDir), path.resolve(outDir));
  if (back !== "" && !back.startsWith("..") && !path.isAbsolute(back)) return "it is inside the specs folder";
  if (!state.exists) return undefined;
  if (state.isRepoRoot) return "it is a repository root (it holds .git)";
  if (state.holdsSpecs) return "it holds a specs/ folder";
  if (!state.hasManifest && state.strangers.length) {
    const shown = state.strangers.slice(0, 3).join(", ") + (state.strangers.length > 3 ? ", …" : "");
    return `it is not empty and was not written by rtc-apigen (it has no ${MANIFEST_PATH}, and these files lack its header: ${shown})`;
  }
  return undefined;
}

/** Whether the file at `abs`, not in the owned list, still says it is generated (left by a run that stopped early). */
async function headerFile(abs: string): Promise<boolean> {
  try {
    return carriesHeader(await readStart(abs));
  } catch {
    return false;
  }
}

/** The first ancestor of `p` (inside the folder) that exists and is not a folder, if any. */
async function fileInTheWay(outDir: string, p: string): Promise<string | undefined> {
  const parts = p.split("/");
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    try {
      if (!(await lstat(path.join(outDir, prefix))).isDirectory()) return prefix;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }
  return undefined;
}

/** `index`: what the folder held when last compared or written; a file it vouches for is not read (output-index.ts). */
export async function compareOutput(outDir: string, files: GeneratedFile[], state?: OutputState, index?: OutputIndex): Promise<Drift> {
  const { owned, exists: folderExists } = state ?? (await readOutputState(outDir));
  const wanted = new Set(files.map((f) => f.path));
  const drift: Drift = { added: [], changed: [], removed: [], foreign: [], blocked: [] };
  // No folder yet (a first run): every file is new, none worth trying to read.
  if (!folderExists && !(await exists(outDir))) {
    drift.added = files.map((f) => f.path).sort();
    if (index) for (const p of index.files.keys()) forgetInIndex(index, p);
    return drift;
  }
  const goingAway = (p: string) => owned.has(p) && !wanted.has(p);
  await Promise.all(
    files.map(async (f) => {
      if (index && unchangedInIndex(index, f)) return;
      const abs = path.join(outDir, f.path);
      const before = index && stat(index, f.path);
      let current: string;
      try {
        // Synchronous: a run compares every generated file, and a promise-based read is four trips through the thread pool.
        current = readFileSync(abs, "utf8");
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EISDIR") drift.blocked.push(f.path);
        else if (code === "ENOENT" || code === "ENOTDIR") {
          const inTheWay = await fileInTheWay(outDir, f.path);
          (inTheWay === undefined || goingAway(inTheWay) ? drift.added : drift.blocked).push(f.path);
        } else throw e;
        return;
      }
      if (current === f.content) {
        if (index && before) recordInIndex(index, f, before);
        return;
      }
      if (index) forgetInIndex(index, f.path);
      (owned.has(f.path) || (await headerFile(abs)) ? drift.changed : drift.foreign).push(f.path);
    }),
  );
  await Promise.all(
    [...owned].map(async (p) => {
      if (!wanted.has(p) && (await exists(path.join(outDir, p)))) drift.removed.push(p);
    }),
  );
  for (const list of Object.values(drift)) list.sort();
  if (index) {
    for (const p of index.files.keys()) if (!wanted.has(p)) forgetInIndex(index, p);
    // With drift, writeOutput saves it once it has written (a check run keeps only what was up to date before).
    if (!hasDrift(drift)) await index.save();
  }
  return drift;
}

export interface WriteHooks {
  /** Called before each step of the commit (tests use it to fail half-way). */
  beforeStep?: (step: string) => void | Promise<void>;
  /** The folder's output index, to record the files written in (output-index.ts). */
  index?: OutputIndex;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Staging folders left by runs that were killed before their commit began: the generator's own,
 * recognised by name. One holding set-aside files (`old/`) is left for a person to look at.
 */
async function removeDeadStaging(outDir: string): Promise<void> {
  for (const name of await deadRunEntries(outDir, STAGING_PREFIX))
    if (!(await exists(path.join(outDir, name, "old")))) await rm(path.join(outDir, name), { recursive: true, force: true });
}

/** The entries of `dir` a run named `<prefix><pid>` or `<prefix><pid>-…` whose process is gone (never this one's). */
async function deadRunEntries(dir: string, prefix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const pid = name.startsWith(prefix) ? Number(/^(\d+)(?:-|$)/.exec(name.slice(prefix.length))?.[1]) : NaN;
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
  });
}

/**
 * Apply the drift as one transaction. Every new file is written first into a staging folder inside
 * the output folder; only then are the old versions (and the files going away) moved aside and the
 * new ones renamed into place, the manifest last. A failure at any point moves everything back, so
 * the folder is left as it was, never half-written. Files the drift does not name are not touched.
 * An output folder that does not exist yet is written whole beside it and renamed into place once.
 */
export async function writeOutput(given: string, files: GeneratedFile[], drift: Drift, hooks: WriteHooks = {}): Promise<void> {
  // Resolved: a new folder's sibling is named after it (`out/` would put it inside).
  const outDir = path.resolve(given);
  if (drift.blocked.length) throw new Error(`cannot write ${drift.blocked.join(", ")}: something the generator did not write is in the way`);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const installs = [...drift.added, ...drift.changed, ...drift.foreign].sort((a, b) => Number(a === MANIFEST_PATH) - Number(b === MANIFEST_PATH));
  const replaced = [...drift.changed, ...drift.foreign, ...drift.removed];
  // The file operations are synchronous, each folder made once: a cold run of a large tree writes
  // thousands of files, and each promise-based call is a trip through the thread pool.
  const folders = new Set<string>();
  const folder = (dir: string) => {
    if (folders.has(dir)) return undefined;
    const made = mkdirSync(dir, { recursive: true });
    folders.add(dir);
    return made;
  };
  await removeDeadNewFolders(outDir);
  if (replaced.length === 0 && !(await exists(outDir))) {
    await writeNewFolder(outDir, installs, byPath, folder, hooks);
    await recordWritten(hooks.index, installs, byPath, drift.removed);
    return;
  }
  const createdOut = await mkdir(outDir, { recursive: true });
  await removeDeadStaging(outDir);
  const staging = path.join(outDir, `${STAGING_PREFIX}${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  const undo: Array<() => Promise<unknown>> = [];
  try {
    for (const p of installs) {
      const target = path.join(staging, "new", p);
      folder(path.dirname(target));
      writeFileSync(target, bytesOf(byPath.get(p)!));
    }
    for (const p of replaced) {
      await hooks.beforeStep?.(`set aside ${p}`);
      const from = path.join(outDir, p);
      const aside = path.join(staging, "old", p);
      folder(path.dirname(aside));
      renameSync(from, aside);
      undo.push(() => rename(aside, from));
    }
    for (const p of installs) {
      await hooks.beforeStep?.(`install ${p}`);
      const to = path.join(outDir, p);
      const made = folder(path.dirname(to));
      if (made) undo.push(() => rm(made, { recursive: true, force: true }));
      renameSync(path.join(staging, "new", p), to);
      undo.push(() => rm(to, { force: true }));
    }
  } catch (e) {
    let restored = true;
    for (const step of undo.reverse()) await step().catch(() => (restored = false));
    // Keep the set-aside files if any could not go back: they may be the only copy.
    if (!restored)
      throw new Error(`writing ${outDir} failed and some files could not be put back; the previous versions are in ${staging}/old`, { cause: e });
    await rm(staging, { recursive: true, force: true });
    if (createdOut) await removeMadeFolders(outDir, createdOut);
    throw e;
  }
  await rm(staging, { recursive: true, force: true });
  await removeEmptyFolders(outDir, drift.removed);
  await recordWritten(hooks.index, installs, byPath, drift.removed);
}

/** What to write for a file: the UTF-8 bytes of its content when a cache entry holds them in memory (not decoded, then encoded again). */
function bytesOf(file: GeneratedFile): string | Uint8Array {
  return encodedContent(file) ?? file.content;
}

/** Beside an output folder that does not exist yet: its whole tree, renamed into place at the end. */
const NEW_FOLDER_INFIX = ".rtc-apigen-new-";

/**
 * Writes every file of a folder that does not exist yet into a sibling (same file system), then
 * renames that onto `outDir`: one rename, where staging renamed each of a cold 1,000-operation run's
 * 7,900 files. Until then `outDir` does not exist; a failure removes the sibling and the folders
 * made for it, and a killed run's sibling is removed by the next run (writeOutput, whichever way it writes).
 */
async function writeNewFolder(
  outDir: string,
  installs: string[],
  byPath: Map<string, GeneratedFile>,
  folder: (dir: string) => string | undefined,
  hooks: WriteHooks,
): Promise<void> {
  const parent = path.dirname(outDir);
  const madeParent = await mkdir(parent, { recursive: true });
  // The process id (for removeDeadNewFolders) and a random part: two runs with one process id (two
  // containers, or two calls in one process) must not share a folder.
  const fresh = `${outDir}${NEW_FOLDER_INFIX}${process.pid}-${randomUUID()}`;
  try {
    folder(fresh);
    for (const p of installs) {
      await hooks.beforeStep?.(`install ${p}`);
      const to = path.join(fresh, p);
      folder(path.dirname(to));
      writeFileSync(to, bytesOf(byPath.get(p)!));
    }
    renameSync(fresh, outDir);
  } catch (e) {
    await rm(fresh, { recursive: true, force: true });
    if (madeParent) await removeMadeFolders(parent, madeParent);
    throw e;
  }
}

/** Siblings left by runs killed while writing a new output folder (recognised by name, `<pid>-<uuid>`, and a dead process id). */
async function removeDeadNewFolders(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  for (const name of await deadRunEntries(parent, path.basename(outDir) + NEW_FOLDER_INFIX))
    await rm(path.join(parent, name), { recursive: true, force: true });
}

/**
 * After a failure, the folders mkdir made for this run: `from` and its parents up to `made` (the
 * first folder it made), each removed only when empty: another run may have written beside them.
 */
async function removeMadeFolders(from: string, made: string): Promise<void> {
  for (let d = from; d.length >= made.length; d = path.dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty: someone else's now
    }
    if (d === made || d === path.dirname(d)) return;
  }
}

/** The output index learns what was written and what went away, and is saved. */
async function recordWritten(
  index: OutputIndex | undefined,
  installs: string[],
  byPath: Map<string, GeneratedFile>,
  removed: string[],
): Promise<void> {
  if (!index) return;
  for (const p of installs) recordInIndex(index, byPath.get(p)!);
  for (const p of removed) forgetInIndex(index, p);
  await index.save();
}

/** Folders left empty by the files that went away (only those: an empty folder of someone else's stays). */
async function removeEmptyFolders(outDir: string, removed: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const p of removed) for (let d = path.posix.dirname(p); d !== "."; d = path.posix.dirname(d)) dirs.add(d);
  // Deepest first, so a parent is tried after its children.
  for (const d of [...dirs].sort((a, b) => b.split("/").length - a.split("/").length)) {
    try {
      await rmdir(path.join(outDir, d));
    } catch {
      // Not empty (someone else's file, or another generated one): keep it.
    }
  }
}
