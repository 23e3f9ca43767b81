// The CLI's commands other than generate: help, lint, check, new, unknown commands.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../generator/cli/main.js";
import { run } from "./run-cli.js";
import { build } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";

async function specsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "apigen-cmd-"));
  await cp(SPECS, path.join(dir, "specs"), { recursive: true });
  return path.join(dir, "specs");
}

describe("cli commands", () => {
  it("print help for the whole CLI and for each command, and refuse unknown ones", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(EXIT.ok);
    for (const c of ["generate", "check", "lint", "new", "watch", "build", "mock", "import", "diff"]) expect(help.out).toContain(`  ${c} `);
    for (const c of ["generate", "check", "lint", "new", "watch", "build", "mock"]) {
      const r = await run([c, "--help"]);
      expect(r.code, c).toBe(EXIT.ok);
      expect(r.out, c).toMatch(/Usage: /);
      expect(r.out, c).toMatch(/Exit codes/);
    }
    expect((await run(["frobnicate"])).code).toBe(EXIT.usage);
    expect((await run([])).code).toBe(EXIT.usage);
    const bad = await run(["lint", "--nope"]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toMatch(/lint --help/);
  });

  it("lint reports diagnostics without writing, and exits 2 on errors", async () => {
    const clean = await run(["lint", "--specs", SPECS]);
    expect(clean.code).toBe(EXIT.ok);
    expect(clean.out).toMatch(/0 errors, 0 warnings/);
    const specs = await specsCopy();
    const file = path.join(specs, "lcic", "GetRoomEvent.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("    RoomId:\n      type: uint64", "    RoomId:\n      type: Nope"));
    const broken = await run(["lint", "--specs", specs]);
    expect(broken.code).toBe(EXIT.specErrors);
    expect(broken.err).toMatch(/GetRoomEvent\.yaml:\d+:\d+ error unknown-type/);
  });

  it("new scaffolds an operation that generates as written, for either protocol, and refuses to overwrite", async () => {
    const specs = await specsCopy();
    const tc3 = await run(["new", "--specs", specs, "--service", "lcic", "--name", "DescribeScaffoldProbe"]);
    expect(tc3.code, tc3.err).toBe(EXIT.ok);
    const chat = await run([
      "new",
      "--specs",
      specs,
      "--service",
      "chat",
      "--name",
      "GetGroupInfo",
      "--command",
      "group_open_http_svc/get_group_info",
    ]);
    expect(chat.code, chat.err).toBe(EXIT.ok);
    const text = await readFile(path.join(specs, "lcic", "DescribeScaffoldProbe.yaml"), "utf8");
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/operation\.schema\.json\nname: DescribeScaffoldProbe\naction: DescribeScaffoldProbe\n/,
    );
    expect(text).toMatch(/TODO/);
    const built = await build(specs);
    expect(built.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([]);
    expect(built.files!.some((f) => f.path === "lcic/docs/DescribeScaffoldProbe.md")).toBe(true);
    expect(built.files!.find((f) => f.path === "chat/src/client.ts")!.content).toMatch(/getGroupInfo\(/);
    expect((await run(["new", "--specs", specs, "--service", "lcic", "--name", "DescribeScaffoldProbe"])).code).toBe(EXIT.failed);
    expect((await run(["new", "--specs", specs, "--service", "chat", "--name", "X"])).code).toBe(EXIT.usage);
    expect((await run(["new", "--specs", specs, "--service", "nope", "--name", "X"])).code).toBe(EXIT.usage);
    expect((await run(["new", "--specs", specs, "--service", "lcic", "--name", "lower"])).code).toBe(EXIT.usage);
  });
});
