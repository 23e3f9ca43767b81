// `rtc-apigen import`: usage errors (64), failures (1), and a run that writes specs that generate.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../../generator/cli/main.js";
import { runImport } from "../../generator/import/cli.js";
import { ERRORS_FILE, METADATA_DIR } from "../../generator/import/build-corpus.js";
import { build } from "../../generator/pipeline.js";
import { buildSettled, MAINTAINER_DECISIONS, removeTemps, tempSpecs } from "./support.js";

const LCIC = path.join(METADATA_DIR, "lcic-2022-08-17.api.json");
const LCIC_INTL = path.join(METADATA_DIR, "lcic-2022-08-17.intl.api.json");
const ERRORS = path.join(METADATA_DIR, ERRORS_FILE);

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await runImport(args, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
  return { code, out, err };
}

afterAll(removeTemps);

describe("import command", () => {
  it("prints its help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^Usage: rtc-apigen import --from API_JSON --service ID --out SPECS_DIR/);
    expect(r.out).toMatch(/Exit codes: 0 written, 1 failed/);
    let out = "";
    expect(await main(["import", "-h"], { write: (s: string) => (out += s) }, { write: () => 0 })).toBe(EXIT.ok);
    expect(out).toContain("--also FILE");
  });

  it.each([
    [[], /missing --from, --service, --out/],
    [["--from", LCIC, "--out", "x"], /missing --service/],
    [["--from", LCIC, "--service", "lcic", "--out", "x", "--nope"], /Unknown option '--nope'/],
    [["--from", LCIC, "--service", "lcic", "--out", "x", "extra"], /positional/i],
    [["--from", LCIC, "--service", "Bad_Id", "--out", "x"], /--service must be lower-case/],
    [["--from", LCIC, "--service", "lcic", "--out", "x", "--client", "Lcic"], /--client must be PascalCase ending in Client/],
    [["--from", LCIC, "--service", "lcic", "--out", "x", "--examples", "e.json", "--no-examples"], /exclude each other/],
    [["--from"], /argument missing/],
  ])("refuses %j with exit 64", async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/rtc-apigen import --help/);
    expect(r.out).toBe("");
  });

  it("fails with exit 1 on an unreadable file or an unknown action", async () => {
    const specs = await tempSpecs();
    const missing = await run(["--from", path.join(specs, "nope.api.json"), "--service", "lcic", "--out", specs]);
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err).toMatch(/import failed: .*nope\.api\.json: cannot read an api\.json/);
    const notApi = await run(["--from", path.join(METADATA_DIR, "lcic-2022-08-17.examples.json"), "--service", "lcic", "--out", specs]);
    expect(notApi.code).toBe(EXIT.failed);
    expect(notApi.err).toMatch(/not an api\.json/);
    const unknown = await run(["--from", LCIC, "--service", "lcic", "--out", specs, "--action", "GetRoomEvents"]);
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.err).toMatch(/has no action "GetRoomEvents"; did you mean "GetRoomEvent"\?/);
    expect(await readdir(specs)).toEqual(["protocols", "schema"]);
  });

  it("writes specs that generate, refuses to overwrite them without --force, and overwrites with it", async () => {
    const specs = await tempSpecs();
    const args = [
      "--from",
      LCIC,
      "--also",
      LCIC_INTL,
      "--errors",
      ERRORS,
      "--service",
      "lcic",
      "--out",
      specs,
      "--action",
      "GetRoomEvent",
      "--action",
      "DescribeRoomStatistics",
    ];
    const first = await run(args);
    expect(first.err).toBe("");
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toMatch(/^Imported 2 actions into .*lcic: wrote 3 files\./);
    expect((await readdir(path.join(specs, "lcic"))).sort()).toEqual(["DescribeRoomStatistics.yaml", "GetRoomEvent.yaml", "service.yaml"]);
    // As imported, only the decisions left to the maintainer fail; settled, nothing does.
    const rules = new Set((await build(specs, path.dirname(specs))).diagnostics.map((d) => d.rule));
    expect(rules.has("import-todo")).toBe(true);
    expect([...rules].filter((r) => !MAINTAINER_DECISIONS.has(r))).toEqual([]);
    expect((await buildSettled(specs)).diagnostics).toEqual([]);

    const again = await run(args);
    expect(again.code).toBe(EXIT.failed);
    expect(again.err).toMatch(/skipped .*GetRoomEvent\.yaml: exists/);
    expect(again.err).toMatch(/skipped .*service\.yaml: exists/);
    expect((await run([...args, "--force"])).code).toBe(EXIT.ok);
  });

  it("refuses an --out that is the service folder itself (it would write <service>/<service>/)", async () => {
    const specs = await tempSpecs();
    const nested = await run(["--from", LCIC, "--service", "lcic", "--out", path.join(specs, "lcic"), "--action", "GetRoomEvent"]);
    expect(nested.code).toBe(EXIT.usage);
    expect(nested.err).toMatch(/--out .*lcic is the service folder itself: it would write .*lcic\/lcic\/; give the specs folder/);
    expect(await readdir(specs)).toEqual(["protocols", "schema"]);
    // A service folder under another name is recognised by its service.yaml.
    expect((await run(["--from", LCIC, "--service", "lcic", "--out", specs, "--action", "GetRoomEvent", "--no-examples"])).code).toBe(EXIT.ok);
    const renamed = await run(["--from", LCIC, "--service", "edu", "--out", path.join(specs, "lcic"), "--action", "GetRoomEvent"]);
    expect(renamed.code).toBe(EXIT.usage);
    expect(renamed.err).toMatch(/is a service folder \(it has service\.yaml\)/);
    expect(await readdir(path.join(specs, "lcic"))).not.toContain("edu");
  });

  it("warns when the specs folder has no protocol file", async () => {
    const specs = path.join(await tempSpecs(), "..", "bare");
    const r = await run(["--from", LCIC, "--service", "lcic", "--out", specs, "--action", "GetRoomEvent", "--no-examples"]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toMatch(/has no protocols\/tc3\.yaml/);
  });
});
