import { describe, expect, it } from "vitest";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { SpecDocument, type PathSegment } from "../../generator/load/spec-document.js";
import { ROOT, SPECS } from "../helpers.js";

const text = [
  "name: GetThing",
  "request:",
  "  fields:",
  "    Limit:",
  "      type: uint64",
  "      maximum: 200",
  "examples:",
  "  - title: one",
  "",
].join("\n");

describe("SpecDocument", () => {
  it("locates values and keys by path", () => {
    const doc = new SpecDocument("specs/x/GetThing.yaml", "operation", text, "x");
    expect(doc.diagnostics).toEqual([]);
    expect(doc.locate(["request", "fields", "Limit", "maximum"])).toEqual({ file: "specs/x/GetThing.yaml", line: 6, col: 16 });
    expect(doc.locate(["request", "fields", "Limit"], true)).toMatchObject({ line: 4, col: 5 });
    expect(doc.locate(["examples", 0, "title"])).toMatchObject({ line: 8, col: 12 });
  });

  it("falls back to the nearest existing ancestor", () => {
    const doc = new SpecDocument("a.yaml", "operation", text);
    expect(doc.locate(["request", "fields", "Nope", "type"])).toMatchObject({ line: 4 });
  });

  it("reports YAML syntax errors with their position and no value", () => {
    const doc = new SpecDocument("bad.yaml", "operation", "name: A\nrequest:\n  fields: [a, b\n", "x");
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics.length).toBeGreaterThan(0);
    expect(doc.diagnostics[0]).toMatchObject({ file: "bad.yaml", severity: "error", rule: "yaml-syntax" });
    expect(doc.diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it("refuses duplicate keys", () => {
    const doc = new SpecDocument("dup.yaml", "operation", "name: A\nname: B\n");
    expect(doc.diagnostics.map((d) => [d.line, d.rule])).toEqual([[2, "yaml-syntax"]]);
  });

  it("reports an alias bomb as a located yaml-syntax error, not a thrown ReferenceError", () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 6; i++)
      levels.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const doc = new SpecDocument("bomb.yaml", "operation", [...levels, "name: *a5", ""].join("\n"), "x");
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics).toEqual([
      {
        file: "bomb.yaml",
        line: 7,
        col: 7,
        severity: "error",
        rule: "yaml-syntax",
        message: "aliases expand too far (more than 100 expansions), the largest being *a5: an alias bomb? Write the value out",
      },
    ]);
  });

  it("still reads a few aliases", () => {
    const doc = new SpecDocument("ok.yaml", "operation", "a: &x [1, 2]\nb: *x\n", "x");
    expect(doc.diagnostics).toEqual([]);
    expect(doc.value).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it("locates keys YAML reads as null, and says how they are written", () => {
    const doc = new SpecDocument("n.yaml", "operation", "fields:\n  A: 1\n  null: 2\n", "x");
    expect(doc.locate(["fields", ""], true)).toMatchObject({ line: 3, col: 3 });
    expect(doc.nonTextKey(["fields"], "")).toEqual({ source: "null", value: null });
    expect(doc.nonTextKey(["fields"], "A")).toBeUndefined();
  });
});

describe("SpecDocument answers for a large tree", () => {
  /** Every mapping's path in a value. */
  function* mapPaths(value: unknown, path: PathSegment[] = []): Generator<PathSegment[]> {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* mapPaths(value[i], [...path, i]);
    else if (value && typeof value === "object") {
      yield path;
      for (const [k, v] of Object.entries(value)) yield* mapPaths(v, [...path, k]);
    }
  }

  it("locates every key of a mapping at once exactly as one by one, in every real spec", async () => {
    const specs = await loadSpecs(SPECS, ROOT);
    let checked = 0;
    for (const doc of [...specs.protocols, ...specs.services, ...specs.operations]) {
      const alone = new SpecDocument(doc.file, doc.kind, doc.text, doc.serviceDir);
      for (const path of mapPaths(doc.value)) {
        const keys = Object.keys(path.reduce<any>((v, k) => v[k], doc.value)); // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a plain value
        const one = Object.fromEntries(keys.map((k) => [k, alone.locate([...path, k])]));
        expect(doc.locateKeys(path, [...keys, "NotAKey"]), `${doc.file} ${path.join(".")}`).toEqual({
          ...one,
          NotAKey: alone.locate([...path, "NotAKey"]),
        });
        checked += keys.length;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  }, 60_000);

  it("gives the texts a pattern matches, as the whole list filtered, and copies a caller cannot change the next one's", () => {
    const source = 'title: 中文\ndescription: "\\u4e2d"\nfields:\n  A:\n    description: plain\n';
    const doc = new SpecDocument("t.yaml", "operation", source, "x");
    const all = [...new SpecDocument("t.yaml", "operation", source, "x").texts()];
    const wide = /[\u1100-\uffff]/;
    const got = [...doc.texts(wide)];
    expect(got).toEqual(all.filter((t) => wide.test(t.value)));
    expect(got.map((t) => t.path.join("."))).toEqual(["title", "description"]);
    got[0]!.path.push("changed");
    expect([...doc.texts(wide)][0]!.path).toEqual(["title"]);
  });

  it("after releaseParse answers what it was asked without parsing, and parses again only for a new question", () => {
    const doc = new SpecDocument("r.yaml", "operation", text, "x");
    const fresh = new SpecDocument("r.yaml", "operation", text, "x");
    const limit = doc.locate(["request", "fields", "Limit", "maximum"]);
    expect(doc.parses).toBe(1);
    doc.releaseParse();
    expect(doc.locate(["request", "fields", "Limit", "maximum"])).toEqual(limit);
    expect(doc.parses).toBe(1);
    expect(doc.scalarSource(limit)).toBe(fresh.scalarSource(limit));
    expect(doc.locateKeys(["request", "fields", "Limit"], ["type", "maximum"])).toEqual(
      fresh.locateKeys(["request", "fields", "Limit"], ["type", "maximum"]),
    );
    expect(doc.parses).toBe(2);
    expect(doc.isParsed).toBe(true);
  });
});
