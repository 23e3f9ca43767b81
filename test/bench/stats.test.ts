// The benches' one verdict rule (bench/stats.ts): met or missed only when every round agrees.
import { describe, expect, it } from "vitest";
import { combineVerdicts, describeTarget, pairedRatio, roundOrder, verdict } from "../../bench/stats.js";

describe("bench verdicts", () => {
  it("pairs rounds: the ratio is the median of each round's own ratio, with their range", () => {
    const r = pairedRatio([2, 4, 9], [4, 4, 10]);
    expect(r.ratios).toEqual([0.5, 1, 0.9]);
    expect(r).toMatchObject({ median: 0.9, min: 0.5, max: 1 });
    expect(() => pairedRatio([1, 2], [1])).toThrow(/as many/);
  });

  it("states met or missed only when the whole range is on one side of the target", () => {
    expect(verdict({ min: 0.7, max: 0.95 }, 1, "atMost")).toBe("met");
    expect(verdict({ min: 1.01, max: 1.4 }, 1, "atMost")).toBe("missed");
    expect(verdict({ min: 0.8, max: 1.2 }, 1, "atMost")).toBe("inconclusive");
    expect(verdict({ min: 0.6, max: 0.9 }, 0.6, "atLeast")).toBe("met");
    expect(verdict({ min: 0.3, max: 0.59 }, 0.6, "atLeast")).toBe("missed");
    expect(verdict({ min: 0.5, max: 0.7 }, 0.6, "atLeast")).toBe("inconclusive");
  });

  it("prints the median, the range and the verdict", () => {
    expect(describeTarget(pairedRatio([1, 3], [2, 2]), 1, "atMost")).toBe("1.00× (rounds 0.50–1.50), target ≤ 1×: inconclusive");
  });

  it("judges a per-case target: any case missed misses it, all met meets it", () => {
    expect(combineVerdicts(["met", "met"])).toBe("met");
    expect(combineVerdicts(["met", "inconclusive"])).toBe("inconclusive");
    expect(combineVerdicts(["inconclusive", "missed", "met"])).toBe("missed");
  });

  it("alternates contenders: none goes first in every round", () => {
    const firsts = [0, 1, 2, 3].map((r) => roundOrder(["a", "b", "c"], r)[0]);
    expect(new Set(firsts).size).toBeGreaterThan(1);
    for (let r = 0; r < 4; r++) expect([...roundOrder(["a", "b", "c"], r)].sort()).toEqual(["a", "b", "c"]);
  });
});
