// Issue 14 item 7: the lint rule import-todo (error) finds every TODO(import) the importer leaves,
// in comments and in texts, so that none can land.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { RULES } from "../../generator/check/rules/index.js";
import { build } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";
import { removeTemps, tempDir } from "./support.js";

afterAll(removeTemps);

async function specsWith(edit: (text: string) => string): Promise<string> {
  const specs = path.join(await tempDir("apigen-import-todo-"), "specs");
  await cp(SPECS, specs, { recursive: true });
  const file = path.join(specs, "lcic", "GetRoomEvent.yaml");
  await writeFile(file, edit(await readFile(file, "utf8")));
  return specs;
}

describe("import-todo", () => {
  it("is an error rule", () => {
    expect(RULES.find((r) => r.id === "import-todo")?.severity).toBe("error");
  });

  it("reports a TODO(import) comment and one inside a note's text at their line and column, and stops generation", async () => {
    const specs = await specsWith((t) =>
      t
        .replace("rateLimit:\n", "# TODO(import): rateLimit. Take it from the page.\nrateLimit:\n")
        .replace("    RoomId:\n", "    RoomId:\n      notes: [{topic: Range, text: 'TODO(import): confirm'}]\n"),
    );
    const text = await readFile(path.join(specs, "lcic", "GetRoomEvent.yaml"), "utf8");
    const lines = text.split("\n");
    const at = (needle: string) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return { line: line + 1, col: lines[line]!.indexOf("TODO(import)") + 1 };
    };
    const result = await build(specs, path.dirname(specs));
    const found = result.diagnostics.filter((d) => d.rule === "import-todo");
    expect(found.map((d) => ({ line: d.line, col: d.col, severity: d.severity }))).toEqual([
      { ...at("# TODO(import): rateLimit"), severity: "error" },
      { ...at("'TODO(import): confirm'"), severity: "error" },
    ]);
    expect(found.map(formatDiagnostic)[0]).toMatch(
      /GetRoomEvent\.yaml:\d+:3 error import-todo unsettled import decision: rateLimit\. Take it from the page\./,
    );
    expect(result.files).toBeUndefined();
  });

  it("finds nothing in the real specs", async () => {
    const result = await build(SPECS, path.dirname(SPECS));
    expect(result.diagnostics.filter((d) => d.rule === "import-todo")).toEqual([]);
  });
});
