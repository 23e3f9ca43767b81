// Write: compare with the output folder and replace it atomically, or (check) only report.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "../emit/generated-file.js";

export interface Drift {
  added: string[];
  changed: string[];
  removed: string[];
}

export function hasDrift(d: Drift): boolean {
  return d.added.length + d.changed.length + d.removed.length > 0;
}

/** Build output of `npm run build` (git-ignored): not part of what the specs generate. */
const BUILD_DIRS = /^(\.build|[^/]+\/dist)$/;

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

export async function compareOutput(outDir: string, files: GeneratedFile[]): Promise<Drift> {
  const existing = new Set(await listOutputFiles(outDir));
  const drift: Drift = { added: [], changed: [], removed: [] };
  await Promise.all(
    files.map(async (f) => {
      if (!existing.has(f.path)) drift.added.push(f.path);
      else if ((await readFile(path.join(outDir, f.path), "utf8")) !== f.content) drift.changed.push(f.path);
    }),
  );
  const wanted = new Set(files.map((f) => f.path));
  for (const p of existing) if (!wanted.has(p)) drift.removed.push(p);
  for (const list of [drift.added, drift.changed, drift.removed]) list.sort();
  return drift;
}

/**
 * Build the whole tree beside the output folder, then swap it in with renames, so a failure at any
 * point leaves the old folder (or, at worst, the complete new one) in place, never a half-written one.
 */
export async function replaceOutput(outDir: string, files: GeneratedFile[]): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const base = path.basename(path.resolve(outDir));
  const staging = path.join(parent, `.${base}.new-${process.pid}`);
  const old = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const f of files) {
      const target = path.join(staging, f.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, f.content);
    }
    await mkdir(staging, { recursive: true });
    let hadOld = true;
    try {
      await rename(outDir, old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      hadOld = false;
    }
    try {
      await rename(staging, outDir);
    } catch (e) {
      if (hadOld) await rename(old, outDir);
      throw e;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
