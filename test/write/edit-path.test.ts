// Regenerating after one edit, as `generate` runs it (a fresh process through bin/rtc-apigen.js): the
// units that read the edited description are emitted again (the client's among them) without loading
// ts-morph, TypeScript or prettier (a cold run loads none of them either), and a file of the output changed by hand is still found and
// rewritten though the output index vouched for it before.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { ROOT, SPECS } from "../helpers.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "apigen-edit-path-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const specs = path.join(tmp, "specs");
const out = path.join(tmp, "out");
const cache = path.join(tmp, "cache");
const loadedList = path.join(tmp, "loaded.txt");
// Lists every CommonJS module the process loaded, at exit (the precompiled generator and its dependencies load through require).
const preload = path.join(tmp, "loaded.cjs");
writeFileSync(
  preload,
  `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(loadedList)}, Object.keys(require.cache).join("\\n")));\n`,
);

function generate(): { stdout: string; loaded: string[] } {
  rmSync(loadedList, { force: true });
  const stdout = execFileSync(
    process.execPath,
    ["-r", preload, path.join(ROOT, "bin", "rtc-apigen.js"), "generate", "--specs", specs, "--out", out],
    {
      cwd: ROOT,
      env: { ...process.env, RTC_APIGEN_CACHE_DIR: cache, RTC_APIGEN_FROM_SOURCE: "" },
      encoding: "utf8",
    },
  );
  return { stdout, loaded: readFileSync(loadedList, "utf8").split("\n") };
}

/** Changes the description of the first operation of the first service; returns the service's folder. */
function editOneDescription(): string {
  const service = readdirSync(specs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(specs, e.name, "service.yaml")))
    .map((e) => e.name)
    .sort()[0]!;
  const op = readdirSync(path.join(specs, service))
    .filter((f) => f.endsWith(".yaml") && f !== "service.yaml")
    .sort()[0]!;
  const file = path.join(specs, service, op);
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.set("description", `${String(doc.get("description"))} Edited.`);
  writeFileSync(file, doc.toString());
  return service;
}

const heavy = (loaded: string[]) => loaded.filter((f) => /[\\/]node_modules[\\/](ts-morph|@ts-morph|typescript|prettier)[\\/]/.test(f));

describe("regenerating after one edit", () => {
  it("re-emits the client without loading ts-morph, TypeScript or prettier", { timeout: 120_000 }, () => {
    cpSync(SPECS, specs, { recursive: true });
    const cold = generate();
    // The list sees what loads through require (the check can fail): the generator's bundle, at least.
    expect(cold.loaded.some((f) => /rtc-apigen[\\/]generator-[0-9a-f]+\.cjs$/.test(f))).toBe(true);
    // Every TypeScript file is written in its final form: not even a cold run loads prettier.
    expect(heavy(cold.loaded)).toEqual([]);
    const service = editOneDescription();
    const edited = generate();
    expect(edited.stdout).toContain(`${service}/src/client.ts`);
    expect(heavy(edited.loaded)).toEqual([]);
  });

  it("finds a generated file changed by hand, though the output index saw it unchanged", { timeout: 120_000 }, () => {
    const service = readdirSync(out).find((d) => existsSync(path.join(out, d, "src", "types.ts")))!;
    const file = path.join(out, service, "src", "types.ts");
    const before = readFileSync(file, "utf8");
    expect(generate().stdout).not.toContain("types.ts");
    // Same size, so only the file's times tell it apart.
    writeFileSync(file, before.replace("export", "EXPORT"));
    const again = generate();
    expect(again.stdout).toContain(`${service}/src/types.ts`);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});
