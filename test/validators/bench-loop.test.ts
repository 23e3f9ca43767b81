// The validators bench times each case in a loop of its own (bench/validators-measure.ts). V8 caches
// what `new Function` compiles by its source, and closures of one cached function share call-site
// feedback: loops of one source were one megamorphic loop, which cost a one-field request's `is*`
// 5× in the bench's process. Each loop's source must therefore be its own.
import { describe, expect, it } from "vitest";
import { measureCases, timingLoop, type Checks, type MeasureCase } from "../../bench/validators-measure.js";

describe("the validators bench's timing loops", () => {
  it("are compiled from sources that differ, so no two share a call site", () => {
    const sources = Array.from({ length: 3 }, () => timingLoop().toString());
    expect(new Set(sources).size).toBe(sources.length);
  });

  it("call the check on every payload, every repetition, and count the passes", () => {
    const seen: unknown[] = [];
    const passes = timingLoop()((v) => (seen.push(v), v === 2), [1, 2, 3], 2, undefined);
    expect(passes).toBe(2);
    expect(seen).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe("the validators bench's measuring process", () => {
  it("times every valid payload before it runs any invalid one, and still checks both", () => {
    const seen: string[] = [];
    const check = (v: unknown) => (seen.push(v as string), (v as string).startsWith("ok"));
    const cases = ["a", "b"].map((name): MeasureCase => ({
      name,
      service: "s",
      package: "p",
      shape: name,
      method: name,
      side: "request",
      now: undefined,
      valid: [`ok ${name}`],
      invalid: [`bad ${name}`],
    }));
    const checks = new Map<MeasureCase, Checks>(cases.map((c) => [c, { valid: check, invalid: check, options: undefined }]));
    const measured = measureCases("ours", cases, checks, 0.01);
    const firstInvalid = seen.findIndex((v) => v.startsWith("bad"));
    expect(firstInvalid).toBeGreaterThan(0);
    expect(seen.slice(firstInvalid).some((v) => v.startsWith("ok"))).toBe(false);
    expect(measured.map((m) => m.name)).toEqual(["a", "b"]);
    for (const m of measured) expect(m.valid > 0 && m.invalid > 0).toBe(true);
  });

  it("stops when a contender refuses a valid payload or passes a mutated one", () => {
    const c: MeasureCase = {
      name: "x",
      service: "s",
      package: "p",
      shape: "x",
      method: "x",
      side: "request",
      now: undefined,
      valid: [1],
      invalid: [2],
    };
    expect(() => measureCases("ours", [c], new Map([[c, { valid: () => false, invalid: () => false, options: undefined }]]), 0.01)).toThrow(
      /valid payload is refused/,
    );
    expect(() => measureCases("ours", [c], new Map([[c, { valid: () => true, invalid: () => true, options: undefined }]]), 0.01)).toThrow(
      /mutated payload passes/,
    );
  });
});
