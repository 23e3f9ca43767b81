// contradicting-limits' FORMAT_LENGTHS against the runtime's format checks (what the validators
// enforce): the shortest and longest values it names are valid, and no value outside those lengths
// is, so a maxLength below the shortest (or a minLength above the longest) leaves no valid value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMAT_LENGTHS } from "../../generator/check/rules/contradicting-limits.js";
import { FORMATS } from "../../templates/runtime/src/validation-core.js";

/** Characters a value of each format is made of, and a few it is not. */
const ALPHABET = [..."0123456789.-:TtZz +aA/_"];

describe.each(Object.entries(FORMAT_LENGTHS))("%s", (format, { shortest, longest }) => {
  const valid = FORMATS[format as keyof typeof FORMATS];

  it("the named shortest and longest values are valid", () => {
    expect(valid(shortest)).toBe(true);
    if (longest !== undefined) expect(valid(longest)).toBe(true);
  });

  it("no value is shorter than the shortest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: shortest.length - 1 }).map((a) => a.join("")),
        (s) => !valid(s),
      ),
      { numRuns: 3000, seed: 1 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: shortest.length - 1 }), (s) => !valid(s)),
      { numRuns: 1000, seed: 2 },
    );
  });

  it.skipIf(longest === undefined)("no value is longer than the longest", () => {
    const n = longest!.length;
    // Valid values with one more character put anywhere.
    const grown = fc.tuple(fc.nat(n), fc.constantFrom(...ALPHABET)).map(([i, c]) => longest!.slice(0, i) + c + longest!.slice(i));
    fc.assert(
      fc.property(grown, (s) => !valid(s)),
      { numRuns: 2000, seed: 3 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { minLength: n + 1, maxLength: n + 4 }).map((a) => a.join("")),
        (s) => !valid(s),
      ),
      { numRuns: 3000, seed: 4 },
    );
  });
});
