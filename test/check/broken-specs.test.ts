// Broken specs: each case of test/fixtures/broken-specs is a patch on the base tree `valid/` with one
// mistake (or a few), preceded by the exact diagnostics expected, paths relative to the tree's folder.
// The patch is applied (strictly: each hunk at the line it states) into a temporary folder.
// UPDATE_EXPECTED=1 rewrites a case's expected: and suppressed: sections from the current output;
// review every changed line before keeping it.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../../generator/cli/main.js";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { build } from "../../generator/pipeline.js";
import { applyCasePatch, listCases, materialise, readCase, writeExpected } from "../broken-spec-cases.js";

const UPDATE = process.env.UPDATE_EXPECTED === "1";

/**
 * Cases whose expected: section says what the generator should report but does not yet. They run
 * as expected failures, so fixing the bug turns them red until the entry is removed.
 */
const KNOWN_BUGS: Record<string, string> = {};

const cases = listCases();

/** `file:line:col severity rule message` lines with at least one error. */
const hasError = (diagnostics: string[]) => diagnostics.some((l) => l.split(" ")[1] === "error");

/** Every file under `dir` with its bytes, to prove a run left the folder alone. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(dir, abs)] = (await readFile(abs)).toString("base64");
  }
  return out;
}

function sink() {
  let text = "";
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

it("has the valid base case and the broken ones, each a change of the base", () => {
  expect(cases).toContain("valid");
  expect(cases.length).toBeGreaterThan(20);
  for (const name of cases.filter((n) => n !== "valid")) expect(readCase(name).patch, name).toMatch(/^diff --git /);
});

it("refuses a patch whose hunk does not match the base at the line it states (no offset, no fuzz)", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "broken-specs-"));
  tmpDirs.push(dir);
  const patch = (line: number) =>
    [
      "--- a/specs/lcic/GetRoomEvent.yaml",
      "+++ b/specs/lcic/GetRoomEvent.yaml",
      `@@ -${line},1 +${line},1 @@`,
      "-      maximum: 200",
      "+      maxium: 200",
      "",
    ].join("\n");
  expect(() => applyCasePatch("case", patch(45), dir)).toThrow('line 45 to be "      maximum: 200"');
  applyCasePatch("case", patch(46), dir);
  expect((await readFile(path.join(dir, "specs", "lcic", "GetRoomEvent.yaml"), "utf8")).split("\n")[45]).toBe("      maxium: 200");
});

describe.each(cases)("%s", (name) => {
  /** The materialised tree: `dir/specs`, diagnostics shown relative to `dir`. */
  let dir: string;
  let specs: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `broken-specs-${name}-`));
    tmpDirs.push(dir);
    specs = materialise(name, dir);
  });
  const known = KNOWN_BUGS[name];
  const test = known ? it.fails : it;

  test(`build() reports exactly the expected diagnostics${known ? ` (known bug: ${known})` : ""}`, async () => {
    const result = await build(specs, dir);
    const actual = result.diagnostics.map(formatDiagnostic);
    if (UPDATE && !known) writeExpected(name, { expected: actual });
    const { expected } = readCase(name);
    expect(actual).toEqual(expected);
    // Without errors the specs must go all the way through to generated files.
    expect(result.files === undefined).toBe(hasError(expected));
  });

  it("suppresses exactly the suppressed diagnostics (none when the section is absent)", async () => {
    const checked = checkSpecs(await loadSpecs(specs, dir));
    const actual = checked.suppressed.map((d) => `${formatDiagnostic(d)} [suppressed: ${d.reason}]`);
    if (UPDATE && !known) writeExpected(name, { suppressed: actual });
    expect(actual).toEqual(readCase(name).suppressed);
  });

  test("the CLI prints each diagnostic with its source line and, on errors, exits 2 and writes nothing", async () => {
    const { expected } = readCase(name);
    const tmp = await mkdtemp(path.join(os.tmpdir(), "broken-specs-"));
    tmpDirs.push(tmp);
    const outDir = path.join(tmp, "out");
    await mkdir(path.join(outDir, "nested"), { recursive: true });
    await writeFile(path.join(outDir, "SENTINEL.txt"), "left by the test; must survive a failed run\n");
    await writeFile(path.join(outDir, "nested", "keep.bin"), Buffer.from([0, 1, 2, 255]));
    const before = await snapshot(outDir);

    const out = sink();
    const err = sink();
    // --force: the folder holds files the generator did not write (it must keep them, see test/cli/out-ownership).
    const code = await main(["generate", "--specs", specs, "--out", outDir, "--force"], out.stream, err.stream);
    const stderr = err.text();

    // The CLI shows paths relative to the working folder; the expected ones are relative to the tree's folder.
    const prefix = path.relative(process.cwd(), dir).split(path.sep).join("/");
    for (const line of expected) {
      const [, file, lineNo, col] = /^(.+?):(\d+):(\d+) /.exec(line)!;
      const source = (await readFile(path.join(dir, file!), "utf8")).split(/\r?\n/)[Number(lineNo) - 1];
      expect(source, `${line}: no such line in ${file}`).toBeDefined();
      const gutter = String(Number(lineNo)).padStart(5);
      // Messages that name another spec file (`already used by specs/...`) get the prefix too.
      const shown = line.replace(/(^|[ (])specs\//g, `$1${prefix}/specs/`);
      const block = [shown, `${gutter} | ${source}`, `${" ".repeat(gutter.length)} | ${" ".repeat(Number(col) - 1)}^`].join("\n");
      expect(stderr).toContain(block + "\n");
    }

    if (hasError(expected)) {
      expect(code).toBe(EXIT.specErrors);
      const errors = expected.filter((l) => l.split(" ")[1] === "error").length;
      const warnings = expected.length - errors;
      expect(
        stderr.endsWith(`\n${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}: nothing was written.\n`),
      ).toBe(true);
      expect(out.text()).toBe("");
      expect(await snapshot(outDir)).toEqual(before);
      // No staging folder left beside the output either.
      expect(await readdir(tmp)).toEqual(["out"]);
    } else {
      expect(code).toBe(EXIT.ok);
      expect(out.text()).toMatch(/^Wrote .*out\/ \(\d+ files\)/);
      const after = await snapshot(outDir);
      expect(Object.keys(after)).toContain(path.join("lcic", "src", "index.ts"));
      expect(after["SENTINEL.txt"]).toBe(before["SENTINEL.txt"]);
    }
  });
});
