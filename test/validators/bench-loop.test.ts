// The validators bench times each case in a loop of its own (bench/validators-measure.ts). V8 caches
// what `new Function` compiles by its source, and closures of one cached function share call-site
// feedback: loops of one source were one megamorphic loop, which cost a one-field request's `is*`
// 5× in the bench's process. Each loop's source must therefore be its own.
import { describe, expect, it } from "vitest";
import { timingLoop } from "../../bench/validators-measure.js";

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
