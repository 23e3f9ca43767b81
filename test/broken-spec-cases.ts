// Broken-spec cases (test/fixtures/broken-specs): each case is one `<name>.patch`, a git-style patch
// on the base specs tree `valid/`, preceded by what it is about and the exact diagnostics expected.
// Patches are applied strictly: every hunk must match the base at the line it states, so the line
// numbers in a patch's `+` side are those of the materialised file the diagnostics point at.
//
// As a script, for authors:
//   npx tsx test/broken-spec-cases.ts materialise NAME DIR   writes the case's tree to DIR/specs
//   npx tsx test/broken-spec-cases.ts save NAME DIR          writes NAME.patch from the tree DIR/specs
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyPatch, formatPatch, parsePatch, structuredPatch, type StructuredPatch } from "diff";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BROKEN_SPECS = path.join(ROOT, "test", "fixtures", "broken-specs");
/** The tree every patch applies to. */
export const BASE = path.join(BROKEN_SPECS, "valid");
const CONTEXT_LINES = 3;

export interface BrokenSpecCase {
  name: string;
  /** What the case changes and why it matters. */
  about: string;
  /** `file:line:col severity rule-id message` lines, paths relative to the materialised tree's folder. */
  expected: string[];
  /** Diagnostics that `suppress:` silenced, each followed by ` [suppressed: reason]`. */
  suppressed: string[];
  /** The patch, one character per byte (latin1), so a case can hold bytes that are not UTF-8. */
  patch: string;
}

const caseFile = (name: string) => path.join(BROKEN_SPECS, `${name}.patch`);

/** Every case name, sorted; `valid` is the base with no change. */
export function listCases(): string[] {
  return readdirSync(BROKEN_SPECS)
    .filter((f) => f.endsWith(".patch"))
    .map((f) => f.slice(0, -".patch".length))
    .sort();
}

/** Where the patch starts: its first `diff --git` or `--- ` line (the text before is the preamble). */
function patchStart(bytes: string): number {
  const m = /^(diff --git |--- )/m.exec(bytes);
  return m ? m.index : bytes.length;
}

export function parseCase(name: string, file: Buffer): BrokenSpecCase {
  const bytes = file.toString("latin1");
  const start = patchStart(bytes);
  const about: string[] = [];
  const sections: Record<string, string[]> = {};
  let section: string[] | undefined;
  for (const line of file.subarray(0, start).toString("utf8").split("\n")) {
    const header = /^(expected|suppressed):( none)?$/.exec(line);
    if (header) sections[header[1]!] = section = [];
    else if (line === "") section = undefined;
    else if (section) section.push(line);
    else if (!Object.keys(sections).length) about.push(line);
    else throw new Error(`${name}.patch: "${line}" is outside the expected: and suppressed: sections`);
  }
  if (!about.length) throw new Error(`${name}.patch: say first what the case is about`);
  if (!sections.expected) throw new Error(`${name}.patch: no "expected:" section (write "expected: none" when there is none)`);
  return { name, about: about.join("\n"), expected: sections.expected, suppressed: sections.suppressed ?? [], patch: bytes.slice(start) };
}

export function readCase(name: string): BrokenSpecCase {
  return parseCase(name, readFileSync(caseFile(name)));
}

const section = (title: string, lines: string[]) => (lines.length ? `${title}:\n${lines.join("\n")}\n` : `${title}: none\n`);

/** Rewrites a case's expected (and suppressed) diagnostics, keeping its text and patch. */
export function writeExpected(name: string, update: { expected?: string[]; suppressed?: string[] }): void {
  const c = readCase(name);
  const expected = update.expected ?? c.expected;
  const suppressed = update.suppressed ?? c.suppressed;
  const preamble = `${c.about}\n\n${section("expected", expected)}${suppressed.length ? section("suppressed", suppressed) : ""}`;
  writeFileSync(caseFile(name), Buffer.concat([Buffer.from(`${preamble}\n`, "utf8"), Buffer.from(c.patch, "latin1")]));
}

const stripPrefix = (file: string | undefined, prefix: string) =>
  file === undefined || file === "/dev/null" ? undefined : file.startsWith(prefix) ? file.slice(prefix.length) : file;

/** Every file of the specs tree under `dir`, relative to `dir` (`specs/...`), `/`-separated. */
function treeFiles(dir: string): string[] {
  return readdirSync(path.join(dir, "specs"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Refuses a hunk that does not match `source` exactly at the line it states (no offset, no fuzz). */
function checkHunksInPlace(where: string, source: string, patch: StructuredPatch): void {
  const lines = source.split("\n");
  for (const hunk of patch.hunks) {
    const old = hunk.lines.filter((l) => l[0] === " " || l[0] === "-").map((l) => l.slice(1));
    const at = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    old.forEach((text, i) => {
      if (lines[at + i] !== text)
        throw new Error(
          `${where}: the hunk at line ${hunk.oldStart} expects line ${at + i + 1} to be ${JSON.stringify(text)}, the base has ${JSON.stringify(lines[at + i])}`,
        );
    });
  }
}

/**
 * Writes the base tree with `patch` applied under `dir` (as `dir/specs/...`), byte for byte.
 * Throws when a hunk does not apply at its stated line or names a file the base lacks.
 */
export function applyCasePatch(where: string, patch: string, dir: string): void {
  const files = new Map(treeFiles(BASE).map((f) => [f, readFileSync(path.join(BASE, f)).toString("latin1")]));
  const changed = new Map<string, string | undefined>();
  for (const p of parsePatch(patch)) {
    const from = stripPrefix(p.oldFileName, "a/");
    const to = stripPrefix(p.newFileName, "b/");
    const target = to ?? from;
    if (!target) {
      // parsePatch("") gives one empty section: the base unchanged.
      if (p.hunks.length) throw new Error(`${where}: a hunk names no file`);
      continue;
    }
    const source = p.isCreate ? "" : from !== undefined ? files.get(from) : undefined;
    if (source === undefined) throw new Error(`${where}: ${from} is not in the base tree`);
    checkHunksInPlace(`${where} (${target})`, source, p);
    const result = p.hunks.length ? applyPatch(source, p) : source;
    if (result === false) throw new Error(`${where}: the patch of ${target} does not apply`);
    if (p.isRename && from) changed.set(from, undefined);
    changed.set(target, p.isDelete ? undefined : result);
  }
  for (const [file, text] of changed) {
    if (text === undefined) files.delete(file);
    else files.set(file, text);
  }
  for (const [file, text] of files) {
    const out = path.join(dir, ...file.split("/"));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, Buffer.from(text, "latin1"));
  }
}

/** Writes case `name`'s specs tree under `dir` (`dir/specs/...`); returns `dir/specs`. */
export function materialise(name: string, dir: string): string {
  applyCasePatch(`${name}.patch`, readCase(name).patch, dir);
  return path.join(dir, "specs");
}

/** The git-style patch that turns the base tree into the tree under `dir` (a file equal to a base file is a copy of it). */
export function diffFromBase(dir: string): string {
  const read = (root: string, f: string) => readFileSync(path.join(root, f)).toString("latin1");
  const base = new Map(treeFiles(BASE).map((f) => [f, read(BASE, f)]));
  const edited = new Map(treeFiles(dir).map((f) => [f, read(dir, f)]));
  const patches: StructuredPatch[] = [];
  for (const f of [...new Set([...base.keys(), ...edited.keys()])].sort()) {
    const before = base.get(f);
    const after = edited.get(f);
    if (before === after) continue;
    const copied = before === undefined ? [...base].find(([, text]) => text === after)?.[0] : undefined;
    if (copied) {
      patches.push({
        oldFileName: `a/${copied}`,
        newFileName: `b/${f}`,
        oldHeader: undefined,
        newHeader: undefined,
        hunks: [],
        isGit: true,
        isCopy: true,
      } as StructuredPatch);
      continue;
    }
    const p = structuredPatch(
      before === undefined ? "/dev/null" : `a/${f}`,
      after === undefined ? "/dev/null" : `b/${f}`,
      before ?? "",
      after ?? "",
      undefined,
      undefined,
      { context: CONTEXT_LINES },
    );
    patches.push({
      ...p,
      isGit: true,
      ...(before === undefined ? { isCreate: true } : {}),
      ...(after === undefined ? { isDelete: true } : {}),
    } as StructuredPatch);
  }
  return patches.length ? formatPatch(patches) : "";
}

/** Writes `name.patch` from the edited tree `dir/specs`, keeping the case's text and expectations if it exists. */
export function saveCase(name: string, dir: string): void {
  const old = existsSync(caseFile(name)) ? readCase(name) : undefined;
  const about = old?.about ?? "TODO: say what the case changes and what the generator must report.";
  const patch = diffFromBase(dir);
  writeFileSync(caseFile(name), Buffer.concat([Buffer.from(`${about}\n\nexpected: none\n\n`, "utf8"), Buffer.from(patch, "latin1")]));
  if (old) writeExpected(name, { expected: old.expected, suppressed: old.suppressed });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, name, dir] = process.argv.slice(2);
  if (command === "materialise" && name && dir) {
    rmSync(path.join(dir, "specs"), { recursive: true, force: true });
    console.log(materialise(name, path.resolve(dir)));
  } else if (command === "save" && name && dir) {
    saveCase(name, path.resolve(dir));
    console.log(caseFile(name));
  } else {
    console.error("usage: npx tsx test/broken-spec-cases.ts materialise|save NAME DIR");
    process.exitCode = 64;
  }
}
