import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../generator/load/decode-utf8.js";

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("decodeUtf8", () => {
  it("decodes UTF-8 as readFile does, byte-order mark included", () => {
    const text = "name: Get\nsummary: événement 😀\n";
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], text))).toEqual({ text: "\ufeff" + text });
  });

  it("locates the first byte that is not UTF-8 by line and column (UTF-16 units, as the YAML parser counts)", () => {
    expect(decodeUtf8(bytes("a: 1\nsummary: Get the ", [0xe9], "vents\n"))).toMatchObject({ bad: { line: 2, col: 18, byte: 0xe9 } });
    expect(decodeUtf8(bytes("😀é", [0xff]))).toMatchObject({ bad: { line: 1, col: 4, byte: 0xff } });
    // A sequence cut off by the end of the line starts at its lead byte.
    expect(decodeUtf8(bytes("ab", [0xe2, 0x82], "\nc"))).toMatchObject({ bad: { line: 1, col: 3, byte: 0xe2 } });
    // Surrogates encoded in UTF-8 are not UTF-8.
    expect(decodeUtf8(bytes("x: ", [0xed, 0xa0, 0x80]))).toMatchObject({ bad: { line: 1, col: 4, byte: 0xed } });
  });

  it("keeps a lossy text to show the offending line", () => {
    const decoded = decodeUtf8(bytes("a", [0xe9], "b"));
    expect(decoded.text).toBe("a\ufffdb");
  });
});
