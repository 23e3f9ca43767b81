import { mkdtemp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareOutput, replaceOutput } from "../../generator/write/write-output.js";

async function tmp() {
  return mkdtemp(path.join(os.tmpdir(), "apigen-write-"));
}

describe("compareOutput", () => {
  it("lists added, changed and removed files", async () => {
    const dir = await tmp();
    await mkdir(path.join(dir, "a"), { recursive: true });
    await writeFile(path.join(dir, "a", "same.txt"), "1");
    await writeFile(path.join(dir, "a", "old.txt"), "1");
    await writeFile(path.join(dir, "gone.txt"), "1");
    const drift = await compareOutput(dir, [
      { path: "a/same.txt", content: "1" },
      { path: "a/old.txt", content: "2" },
      { path: "b/new.txt", content: "3" },
    ]);
    expect(drift).toEqual({ added: ["b/new.txt"], changed: ["a/old.txt"], removed: ["gone.txt"] });
  });

  it("treats a missing folder as empty", async () => {
    const drift = await compareOutput(path.join(await tmp(), "none"), [{ path: "x", content: "" }]);
    expect(drift.added).toEqual(["x"]);
  });
});

describe("replaceOutput", () => {
  it("replaces the folder whole, leaving nothing beside it", async () => {
    const parent = await tmp();
    const out = path.join(parent, "generated");
    await mkdir(out);
    await writeFile(path.join(out, "stale.txt"), "old");
    await replaceOutput(out, [{ path: "pkg/file.ts", content: "new" }]);
    expect(await readdir(out)).toEqual(["pkg"]);
    expect(await readFile(path.join(out, "pkg", "file.ts"), "utf8")).toBe("new");
    expect(await readdir(parent)).toEqual(["generated"]);
  });

  it("leaves the old folder as it was when writing fails", async () => {
    const parent = await tmp();
    const out = path.join(parent, "generated");
    await mkdir(out);
    await writeFile(path.join(out, "keep.txt"), "old");
    // A file and a folder at the same path cannot both be written.
    await expect(replaceOutput(out, [{ path: "x", content: "1" }, { path: "x/y", content: "2" }])).rejects.toThrow();
    expect(await readdir(out)).toEqual(["keep.txt"]);
    expect(await readFile(path.join(out, "keep.txt"), "utf8")).toBe("old");
    expect(await readdir(parent)).toEqual(["generated"]);
  });
});
