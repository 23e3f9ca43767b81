// Which texts non-english-text reads: prose keys (summary, description, title) wherever they are
// keys of the format, not where they name a field, type or resource, and nothing under data or notes.
import { describe, expect, it } from "vitest";
import { CJK, isProse } from "../../generator/check/rules/non-english-text.js";

describe("isProse", () => {
  it.each([
    [["summary"], true],
    [["description"], true],
    [["title"], true],
    [["request", "fields", "Kind", "description"], true],
    [["types", "Info", "fields", "Name", "enum", 2, "description"], true],
    [["errors", 0, "description"], true],
    [["examples", 1, "title"], true],
    [["examples", 1, "description"], true],
    [["resources", "room", "description"], true],
    // Fields named like keys of the format.
    [["request", "fields", "notes", "description"], true],
    [["request", "fields", "description", "description"], true],
    [["request", "fields", "fields", "description"], true],
    [["types", "example", "fields", "default", "description"], true],
    // Data, quotations and values.
    [["notes", 0, "text"], false],
    [["request", "fields", "Kind", "notes", 0, "text"], false],
    [["request", "fields", "Kind", "example"], false],
    [["request", "fields", "Kind", "example", "description"], false],
    [["request", "fields", "Kind", "default", "title"], false],
    [["request", "fields", "Kind", "enum", 0], false],
    [["request", "fields", "Kind", "enum", 0, "value"], false],
    [["examples", 0, "request"], false],
    [["examples", 0, "response"], false],
    [["sources", 0, "title"], false],
    [["suppress", "description"], false],
    [["mock", "attributes", "rename", "description"], false],
    // A field named `summary` is a name, not prose.
    [["request", "fields", "summary"], false],
  ] as const)("%j: %s", (path, expected) => {
    expect(isProse(path)).toBe(expected);
  });
});

describe("CJK", () => {
  it.each(["中", "ひ", "カ", "ｶ", "한", "，", "。", "（", "「", "　", "﹏"])("finds %s", (c) => expect(CJK.test(c)).toBe(true));
  it.each(["a", "é", "—", "…", "€", "ü", "Ω", "😀", "“"])("leaves %s", (c) => expect(CJK.test(c)).toBe(false));
});
