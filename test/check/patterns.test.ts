// The pattern helpers behind invalid-pattern, unsafe-pattern and pattern-needs-example, and the
// generated mock's drawing of patterned strings.
import { describe, expect, it } from "vitest";
import { compilePattern, patternSafety, patternSamples, PATTERN_FLAGS } from "../../generator/check/patterns.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { ROOT, SPECS } from "../helpers.js";

/** Every field `pattern` in the spec files (fields: mappings with a `type`), read without building the IR. */
function* fieldPatterns(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const v of value) yield* fieldPatterns(v);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.pattern === "string" && o.type !== undefined) yield o.pattern;
    for (const v of Object.values(o)) yield* fieldPatterns(v);
  }
}

describe("compilePattern", () => {
  it("compiles with the generated validators' flags and gives the engine's reason otherwise", () => {
    expect(PATTERN_FLAGS).toBe("u");
    expect(compilePattern("^[a-z]+$")).toBeInstanceOf(RegExp);
    expect(compilePattern("[a-(")).toBe("Range out of order in character class");
    // Valid without the u flag, not with it: the validators use u.
    expect(typeof compilePattern("\\-\\_")).toBe("string");
  });
});

describe("patternSafety (recheck)", () => {
  it("finds exponential and polynomial backtracking, and passes linear patterns", () => {
    expect(patternSafety("^(a+)+$")).toMatchObject({ safe: false, complexity: "exponential" });
    expect(patternSafety("^.*a.*a.*a$")).toMatchObject({ safe: false, complexity: "polynomial" });
    expect(patternSafety("^[A-Za-z0-9_-]{1,64}$")).toEqual({ safe: true });
  });

  it("passes every pattern of the real specs", async () => {
    const specs = await loadSpecs(SPECS, ROOT);
    const patterns = [...new Set([...specs.services, ...specs.operations].flatMap((d) => [...fieldPatterns(d.value)]))];
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) expect(patternSafety(p), p).toEqual({ safe: true });
  });
});

describe("patternSamples", () => {
  it("draws the same matching strings every time, within the length limits", () => {
    const a = patternSamples("^[a-f0-9]{8}-[a-f0-9]{4}$");
    expect(a.length).toBeGreaterThan(0);
    for (const s of a) expect(s).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}$/u);
    expect(patternSamples("^[a-f0-9]{8}-[a-f0-9]{4}$")).toEqual(a);
    for (const s of patternSamples("^[a-z]+$", 2, 3)) {
      expect(s.length).toBeGreaterThanOrEqual(2);
      expect(s.length).toBeLessThanOrEqual(3);
    }
  });

  it("draws nothing for what it cannot generate or what cannot fit", () => {
    expect(patternSamples("^(?=a)a+$")).toEqual([]);
    expect(patternSamples("^[a-z]{5}$", 0, 3)).toEqual([]);
    expect(patternSamples("[a-(")).toEqual([]);
  });
});
