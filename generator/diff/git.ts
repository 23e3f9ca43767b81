// The specs as they were at a git ref: read from git's object store into a temporary folder (the work
// tree, the index and the ref are left alone), then loaded and checked like the working copy.
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { checkSpecs } from "../check/check-specs.js";
import { hasErrors, type Diagnostic } from "../shared/diagnostic.js";
import { checkAgainstSchema } from "../check/schema-check.js";
import { buildIr } from "../ir/build-ir.js";
import type { Ir } from "../ir/types.js";
import { loadSpecs, type LoadedSpecs } from "../load/load-specs.js";

const run = promisify(execFile);

export type GitErrorKind = "no-git" | "not-a-repo" | "unknown-ref" | "no-specs" | "git-failed";

export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** What one side of a diff built to. */
export interface BuiltSpecs {
  /** Present when the specs have no errors. */
  ir?: Ir;
  diagnostics: Diagnostic[];
  /** Spec texts by display path, to show offending lines. */
  texts: Map<string, string>;
  /** Lint errors the IR was built in spite of (old specs under today's rules). */
  tolerated: Diagnostic[];
}

/**
 * Load and check. With `tolerant`, lint-rule errors do not stop the IR when the documents pass the
 * format's schema: the rules grow stricter over time, and the specs at an old ref cannot be fixed.
 */
function checked(specs: LoadedSpecs, tolerant: boolean): BuiltSpecs {
  const result = checkSpecs(specs);
  if (result.ir) return { ir: result.ir, diagnostics: result.diagnostics, texts: specs.texts, tolerated: [] };
  const docs = [...specs.protocols, ...specs.services, ...specs.operations];
  const formatOk = !hasErrors([...specs.diagnostics, ...docs.flatMap(checkAgainstSchema)]);
  if (!tolerant || !formatOk) return { diagnostics: result.diagnostics, texts: specs.texts, tolerated: [] };
  return {
    ir: buildIr(specs),
    diagnostics: result.diagnostics,
    texts: specs.texts,
    tolerated: result.diagnostics.filter((d) => d.severity === "error"),
  };
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT") throw new GitError("no-git", "git is not installed or not on the PATH");
    throw new GitError("git-failed", `git ${args.join(" ")}: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** Blob contents by object id, through one `git cat-file --batch`. */
function readBlobs(cwd: string, ids: string[]): Promise<Buffer[]> {
  if (!ids.length) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new GitError("git-failed", `git cat-file --batch: ${stderr.trim()}`));
      // Each answer: `<id> blob <size>\n<content>\n`.
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (const id of ids) {
        const eol = all.indexOf(0x0a, at);
        const [, type, size] = all.subarray(at, eol).toString().split(" ");
        if (type !== "blob") return reject(new GitError("git-failed", `git cat-file: ${id} is not a blob`));
        out.push(all.subarray(eol + 1, eol + 1 + Number(size)));
        at = eol + 1 + Number(size) + 1;
      }
      resolve(out);
    });
    child.stdin.end(ids.map((id) => `${id}\n`).join(""));
  });
}

/** The repository holding `dir` and the path of `dir` inside it (with `/`, "" for the root). */
export async function repoOf(dir: string): Promise<{ root: string; prefix: string }> {
  let root: string;
  try {
    root = (await git(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind === "git-failed") throw new GitError("not-a-repo", `${dir} is not inside a git repository`);
    throw e;
  }
  const rel = path.relative(await realpath(root), await realpath(dir));
  return { root, prefix: rel.split(path.sep).join("/") };
}

/** The commit `ref` names, or a GitError saying it names none. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  // A ref that starts with "-" would be read as an option (`--end-of-options` needs git 2.30).
  if (!ref || ref.startsWith("-")) throw new GitError("unknown-ref", `"${ref}" is not a git ref`);
  try {
    return (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind === "git-failed") throw new GitError("unknown-ref", `"${ref}" names no commit in ${root}`);
    throw e;
  }
}

/** Write the tree of `prefix` at `commit` under `into/<prefix>`. */
async function extract(root: string, commit: string, prefix: string, into: string): Promise<number> {
  const listing = await git(root, ["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", ...(prefix ? [prefix] : [])]);
  // `<mode> <type> <id>\t<path>`; symlinks (120000) and submodules are not spec files.
  const entries = listing
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode, type, id] = line.slice(0, tab).split(" ");
      return { mode, type, id: id!, file: line.slice(tab + 1) };
    })
    .filter((e) => e.type === "blob" && e.mode !== "120000");
  const blobs = await readBlobs(
    root,
    entries.map((e) => e.id),
  );
  for (const [i, e] of entries.entries()) {
    const target = path.join(into, ...e.file.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, blobs[i]!);
  }
  return entries.length;
}

/**
 * The specs folder `specsDir` (of the working tree) as it was at `ref`, loaded and checked (lint-rule
 * errors tolerated, see `checked`). Display paths are relative to the repository root, as for the
 * working tree, so both sides name files alike.
 */
export async function loadSpecsAtRef(ref: string, specsDir: string): Promise<BuiltSpecs> {
  const { root, prefix } = await repoOf(specsDir);
  if (prefix.startsWith("..")) throw new GitError("not-a-repo", `${specsDir} is outside the repository at ${root}`);
  const commit = await resolveCommit(root, ref);
  const tmp = await mkdtemp(path.join(os.tmpdir(), "apigen-diff-"));
  try {
    const count = await extract(root, commit, prefix, tmp);
    if (!count) throw new GitError("no-specs", `${prefix || "the repository root"} holds no files at ${ref} (${commit.slice(0, 12)})`);
    return checked(await loadSpecs(path.join(tmp, ...prefix.split("/").filter(Boolean)), tmp), true);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export class SpecsError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    message: string,
  ) {
    super(message);
  }
}

/** The IR of the specs at `ref`; throws GitError for a bad ref or repository, SpecsError when they do not
 * pass the format's schema. */
export async function loadIrAtRef(ref: string, specsDir: string): Promise<Ir> {
  const built = await loadSpecsAtRef(ref, specsDir);
  if (!built.ir) {
    const errors = built.diagnostics.filter((d) => d.severity === "error").length;
    throw new SpecsError(built.diagnostics, `the specs at ${ref} have ${errors} error${errors === 1 ? "" : "s"}`);
  }
  return built.ir;
}

/** The working tree's specs, with the same display paths as `loadSpecsAtRef`. */
export async function loadSpecsInTree(specsDir: string, displayBase: string): Promise<BuiltSpecs> {
  return checked(await loadSpecs(specsDir, displayBase), false);
}
