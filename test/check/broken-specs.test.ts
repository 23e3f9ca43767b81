// Broken specs: each folder of test/fixtures/broken-specs is a complete specs tree with one
// mistake (or a few), and expected.txt holds the exact diagnostics, paths relative to the folder.
// UPDATE_EXPECTED=1 rewrites expected.txt (and suppressed.txt) from the current output; review
// every changed line before keeping it.
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../../generator/cli/main.js";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { formatDiagnostic } from "../../generator/check/diagnostic.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { build } from "../../generator/pipeline.js";
import { ROOT } from "../helpers.js";

const CASES = path.join(ROOT, "test", "fixtures", "broken-specs");
const UPDATE = process.env.UPDATE_EXPECTED === "1";

/**
 * Cases whose expected.txt says what the generator should report but does not yet. They run as
 * expected failures, so fixing the bug turns them red until the entry is removed.
 */
const KNOWN_BUGS: Record<string, string> = {};

const cases = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const lines = (text: string) => text.split("\n").filter((l) => l !== "");
/** `file:line:col severity rule message` lines with at least one error. */
const hasError = (diagnostics: string[]) => diagnostics.some((l) => l.split(" ")[1] === "error");
const asFile = (list: string[]) => (list.length ? list.join("\n") + "\n" : "");

async function readOr(file: string, fallback: string): Promise<string> {
  return existsSync(file) ? readFile(file, "utf8") : fallback;
}

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

it("has the valid base case and the broken ones", () => {
  expect(cases).toContain("valid");
  expect(cases.length).toBeGreaterThan(20);
});

describe.each(cases)("%s", (name) => {
  const dir = path.join(CASES, name);
  const specs = path.join(dir, "specs");
  const expectedFile = path.join(dir, "expected.txt");
  const suppressedFile = path.join(dir, "suppressed.txt");
  const known = KNOWN_BUGS[name];
  const test = known ? it.fails : it;

  test(`build() reports exactly expected.txt${known ? ` (known bug: ${known})` : ""}`, async () => {
    const result = await build(specs, dir);
    const actual = result.diagnostics.map(formatDiagnostic);
    if (UPDATE && !known) await writeFile(expectedFile, asFile(actual));
    const expected = lines(await readFile(expectedFile, "utf8"));
    expect(actual).toEqual(expected);
    // Without errors the specs must go all the way through to generated files.
    expect(result.files === undefined).toBe(hasError(expected));
  });

  it("suppresses exactly suppressed.txt (none when absent)", async () => {
    const checked = checkSpecs(await loadSpecs(specs, dir));
    const actual = checked.suppressed.map((d) => `${formatDiagnostic(d)} [suppressed: ${d.reason}]`);
    if (UPDATE && !known) {
      if (actual.length) await writeFile(suppressedFile, asFile(actual));
      else await rm(suppressedFile, { force: true });
    }
    expect(actual).toEqual(lines(await readOr(suppressedFile, "")));
  });

  test("the CLI prints each diagnostic with its source line and, on errors, exits 2 and writes nothing", async () => {
    const expected = lines(await readFile(expectedFile, "utf8"));
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

    // The CLI shows paths relative to the working folder; expected.txt's are relative to the case.
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
      expect(stderr.endsWith(`\n${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}: nothing was written.\n`)).toBe(true);
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
