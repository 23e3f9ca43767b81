// `diff --base <ref>` end to end, in a temporary git repository holding a copy of the real specs.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../generator/shared/output.js";
import { runDiff } from "../../generator/diff/cli.js";
import { loadIrAtRef, GitError } from "../../generator/diff/git.js";
import { applyEdits, editedSpecs, type Edit } from "./spec-edits.js";

const exec = promisify(execFile);
const ROOM = "lcic/GetRoomEvent.yaml";
const TIGHTEN: Edit = { file: ROOM, replace: "      maximum: 200\n", with: "      maximum: 100\n" };
const ADD_RESPONSE_FIELD: Edit = {
  file: ROOM,
  replace: "    Total:\n",
  with: "    Extra:\n      type: string\n      description: A field for the test.\n    Total:\n",
};

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "apigen-diff-repo-"));
  temps.push(dir);
  return dir;
}

async function git(repo: string, ...args: string[]) {
  // No user config, hooks or signing from the machine.
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  return (await exec("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, env }))
    .stdout;
}

/** A repository whose first commit holds the real specs under `specs/`. */
async function repoWithSpecs(): Promise<{ repo: string; specs: string }> {
  const repo = await tempDir();
  await git(repo, "init", "-q", "-b", "main");
  const specs = await editedSpecs([], path.join(repo, "specs"));
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "specs");
  return { repo, specs };
}

function sink() {
  let text = "";
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

async function diff(...args: string[]) {
  const out = sink();
  const err = sink();
  const code = await runDiff(args, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

describe("diff --base", () => {
  let repo: string;
  let specs: string;
  beforeAll(async () => {
    ({ repo, specs } = await repoWithSpecs());
    await applyEdits(specs, [TIGHTEN, ADD_RESPONSE_FIELD]);
  });

  it("lists breaking then safe changes against HEAD, and leaves the repository alone", async () => {
    const statusBefore = await git(repo, "status", "--porcelain");
    const res = await diff("--base", "HEAD", "--specs", specs);
    expect(res.err).toBe("");
    expect(res.code).toBe(EXIT.ok);
    expect(res.out).toBe(
      [
        "Breaking (1):",
        "  lcic GetRoomEvent request.Limit: maximum lowered from 200 to 100: requests that were valid are refused [limit-tightened]",
        "",
        "Safe (1):",
        "  lcic GetRoomEvent response.Extra: new response field [field-added]",
        "",
        "1 breaking, 1 safe changes since HEAD.",
        "",
      ].join("\n"),
    );
    expect(await git(repo, "status", "--porcelain")).toBe(statusBefore);
  });

  it("exits 1 with --fail-on-breaking when a change is breaking", async () => {
    expect((await diff("--base", "HEAD", "--specs", specs, "--fail-on-breaking")).code).toBe(EXIT.failed);
  });

  it("prints JSON with --json", async () => {
    const res = await diff("--base", "main", "--specs", specs, "--json");
    expect(res.code).toBe(EXIT.ok);
    const report = JSON.parse(res.out) as {
      base: string;
      breaking: number;
      safe: number;
      changes: Array<{ kind: string; severity: string; service: string; operation: string; path: string }>;
    };
    expect(report).toMatchObject({ base: "main", breaking: 1, safe: 1 });
    expect(report.changes.map((c) => [c.severity, c.kind, c.service, c.operation, c.path])).toEqual([
      ["breaking", "limit-tightened", "lcic", "GetRoomEvent", "request.Limit"],
      ["safe", "field-added", "lcic", "GetRoomEvent", "response.Extra"],
    ]);
  });

  it("reads the specs of older commits, not the working tree", async () => {
    const { repo: r, specs: s } = await repoWithSpecs();
    await applyEdits(s, [TIGHTEN]);
    await git(r, "commit", "-q", "-am", "tighten");
    expect((await diff("--base", "HEAD", "--specs", s)).out).toBe("No spec changes since HEAD.\n");
    expect((await diff("--base", "HEAD~1", "--specs", s)).out).toMatch(
      /^Breaking \(1\):\n {2}lcic GetRoomEvent request\.Limit: maximum lowered from 200 to 100/,
    );
    const ir = await loadIrAtRef("HEAD~1", s);
    expect(ir.services.map((x) => x.id)).toEqual(["chat", "lcic", "trtc"]);
  });

  it("refuses a ref that names no commit, clearly, with 64", async () => {
    const res = await diff("--base", "no-such-branch", "--specs", specs);
    expect(res.code).toBe(EXIT.usage);
    expect(res.err).toMatch(/"no-such-branch" names no commit/);
    expect((await diff("--base", "--help", "--specs", specs)).code).toBe(EXIT.usage);
    await expect(loadIrAtRef("no-such-branch", specs)).rejects.toBeInstanceOf(GitError);
  });

  it("exits 64 on a bad command line", async () => {
    expect((await diff("--specs", specs)).err).toMatch(/--base <git-ref> is required/);
    expect((await diff("--specs", specs)).code).toBe(EXIT.usage);
    expect((await diff("--base", "HEAD", "--frobnicate")).code).toBe(EXIT.usage);
    expect((await diff("--base", "HEAD", "--specs", path.join(repo, "nowhere"))).code).toBe(EXIT.usage);
    expect((await diff("--help")).out).toMatch(/Usage: rtc-apigen diff --base <git-ref>/);
  });

  it("exits 64 outside a git repository", async () => {
    const dir = await editedSpecs([], path.join(await tempDir(), "specs"));
    const res = await diff("--base", "HEAD", "--specs", dir);
    expect(res.code).toBe(EXIT.usage);
    expect(res.err).toMatch(/not inside a git repository/);
  });

  it("exits 2 when the working tree's specs do not build", async () => {
    const { specs: s } = await repoWithSpecs();
    await applyEdits(s, [{ file: ROOM, replace: "type: EventInfo[]", with: "type: EventInfoo[]" }]);
    const res = await diff("--base", "HEAD", "--specs", s);
    expect(res.code).toBe(EXIT.specErrors);
    expect(res.err).toMatch(/^The specs in the working tree have \d+ errors?:\n/);
    expect(res.err).toMatch(/^specs\/lcic\/GetRoomEvent\.yaml:\d+:\d+ error unknown-type field "Events" refers to unknown type "EventInfoo"$/m);
    expect(res.out).toBe("");
  });

  it("exits 2 when the specs at the ref fail the format's schema, or are not there", async () => {
    const { repo: r, specs: s } = await repoWithSpecs();
    await applyEdits(s, [{ file: ROOM, replace: "summary: ", with: "summery: " }]);
    await git(r, "commit", "-q", "-am", "broken");
    await applyEdits(s, [{ file: ROOM, replace: "summery: ", with: "summary: " }]);
    const res = await diff("--base", "HEAD", "--specs", s);
    expect(res.code).toBe(EXIT.specErrors);
    expect(res.err).toMatch(/The specs at HEAD have \d+ errors?:\nspecs\/lcic\/GetRoomEvent\.yaml:\d+:\d+ error schema-/);

    const empty = await tempDir();
    await git(empty, "init", "-q", "-b", "main");
    await writeFile(path.join(empty, "README.md"), "no specs yet\n");
    await git(empty, "add", "-A");
    await git(empty, "commit", "-q", "-m", "readme");
    await editedSpecs([], path.join(empty, "specs"));
    const none = await diff("--base", "HEAD", "--specs", path.join(empty, "specs"));
    expect(none.code).toBe(EXIT.specErrors);
    expect(none.err).toMatch(/specs holds no files at HEAD/);
  });

  it("compares specs at the ref that break only today's lint rules, with a note", async () => {
    const { repo: r, specs: s } = await repoWithSpecs();
    await applyEdits(s, [{ file: ROOM, replace: "type: EventInfo[]", with: "type: EventInfoo[]" }]);
    await git(r, "commit", "-q", "-am", "a lint error");
    await applyEdits(s, [{ file: ROOM, replace: "type: EventInfoo[]", with: "type: EventInfo[]" }]);
    const res = await diff("--base", "HEAD", "--specs", s);
    expect(res.code).toBe(EXIT.ok);
    expect(res.err).toMatch(
      /^note: the specs at HEAD have \d+ errors? under the current lint rules \(.*unknown-type.*\); they pass the format's schema/,
    );
    expect(res.out).toMatch(/lcic GetRoomEvent response\.Events: type EventInfoo\[\] → EventInfo\[\] \[type-changed\]/);
  });

  it("works with the specs folder anywhere in the repository", async () => {
    const r = await tempDir();
    await git(r, "init", "-q", "-b", "main");
    await mkdir(path.join(r, "api"), { recursive: true });
    const s = await editedSpecs([], path.join(r, "api", "specs"));
    await git(r, "add", "-A");
    await git(r, "commit", "-q", "-m", "nested");
    await applyEdits(s, [ADD_RESPONSE_FIELD]);
    const res = await diff("--base", "HEAD", "--specs", s);
    expect(res.out).toMatch(/^Safe \(1\):\n {2}lcic GetRoomEvent response\.Extra: new response field/);
  });
});
