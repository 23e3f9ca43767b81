// A runtime export whose bundlers' condition names a `-bundled` build of an entry that was not built:
// the build stops with an error naming it, not a package whose `exports` point at a missing file.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildPackages } from "../../generator/build/build-packages.js";
import { BUNDLED_SUFFIX, RUNTIME_PACKAGE } from "../../generator/emit/runtime-package.js";
import { GENERATED } from "../helpers.js";

const staged = mkdtempSync(path.join(tmpdir(), "split-entry-missing-"));
afterAll(() => rmSync(staged, { recursive: true, force: true }));

it("fails on a split entry with no built file, naming it", async () => {
  const dir = path.join(staged, RUNTIME_PACKAGE.dir);
  cpSync(path.join(GENERATED, RUNTIME_PACKAGE.dir), dir, {
    recursive: true,
    filter: (from) => path.relative(path.join(GENERATED, RUNTIME_PACKAGE.dir), from) !== "dist",
  });
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { exports: Record<string, unknown> };
  // An entry with no source (so none is built), split as the core is.
  const ghost = "no-such-entry";
  pkg.exports[`./${ghost}`] = {
    types: `./dist/esm/${ghost}.d.ts`,
    module: `./dist/esm/${ghost}${BUNDLED_SUFFIX}.js`,
    default: `./dist/esm/${ghost}.js`,
  };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  await expect(buildPackages(staged)).rejects.toThrow(new RegExp(`${ghost}${BUNDLED_SUFFIX}\\.js.*${ghost}\\.js was not built`));
});
