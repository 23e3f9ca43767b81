// A bundler drops the validators' rules an app does not use: every module-level rule (`const I3 =
// intRule("uint64")`) is made by a factory marked free of side effects (`@__NO_SIDE_EFFECTS__`,
// which esbuild honours within a file: the package build bundles validation-core into each
// service's file), so an app that validates one operation keeps only the rules it reads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED, realIr } from "../helpers.js";

const ir = await realIr();
const work = mkdtempSync(path.join(os.tmpdir(), "validators-tree-shaking-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const common = { bundle: true, platform: "node", format: "esm", write: false, logLevel: "silent" } as const;

describe.each(ir.services.map((s) => [s.id, s.operations[0]!.name] as const))("%s validators", (id, operation) => {
  it(`bundled for validate${operation}Request alone, keep no rule it does not read`, async () => {
    // As the package build makes them: one file, with validation-core in it.
    const packaged = await build({ ...common, entryPoints: [path.join(GENERATED, id, "src", "validators.ts")], absWorkingDir: GENERATED });
    const file = path.join(work, `${id}-validators.mjs`);
    writeFileSync(file, packaged.outputFiles[0]!.text);
    const app = await build({
      ...common,
      stdin: { contents: `import { validate${operation}Request as v } from ${JSON.stringify(file)};\nconsole.log(v({}));\n`, resolveDir: work },
    });
    const code = app.outputFiles[0]!.text;
    // Unminified, the rules keep their names: each one bundled must be read somewhere else.
    const rules = [...code.matchAll(/^var (\w+) = (?:\/\* @__PURE__ \*\/ )?\w+Rule\(/gm)].map((m) => m[1]!);
    expect(rules.length).toBeGreaterThan(0);
    const unread = rules.filter((name) => code.match(new RegExp(`\\b${name}\\b`, "g"))!.length < 2);
    expect(unread).toEqual([]);
    // The public validators are consts made by factories (issue 15): the unused ones are dropped too.
    const made = [...code.matchAll(/\b(\w+) = (?:\/\* @__PURE__ \*\/ )?(?:validator|guard|asserter)\((\w+), /g)].map((m) => `${m[1]}(${m[2]})`);
    const own = `validate${operation}Request(c${operation}Request)`;
    expect(made.filter((m) => m !== own)).toEqual([]);
    if (!/\bfunction validate\w+Request\(/.test(code)) expect(made).toEqual([own]);
  });
});
