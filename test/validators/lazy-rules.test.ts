// Importing the validators makes every rule they declare (issue 15): a rule keeps only its raw
// arguments and what a valid value's check reads, and words no issue text until its first issue.
import { afterEach, describe, expect, it, vi } from "vitest";
import { emitValidatorsSource } from "../../generator/emit/validators-emitter.js";
import * as core from "../../templates/runtime/src/validation-core.js";
import { realIr } from "../helpers.js";

const ir = await realIr();

/** Each module-level rule the emitter declares: its name, factory and argument source. */
function declaredRules(source: string): { name: string; factory: string; args: string }[] {
  return [...source.matchAll(/^const (\w+) = \/\* @__PURE__ \*\/ (\w+Rule)\((.*)\);$/gm)].map((m) => ({ name: m[1]!, factory: m[2]!, args: m[3]! }));
}

/** The arguments evaluated as the generated module evaluates them (a format is a validation-core export). */
function evaluate(args: string): unknown[] {
  return new Function("core", `with (core) { return [${args}]; }`)(core) as unknown[];
}

afterEach(() => vi.restoreAllMocks());

describe.each(ir.services.map((s) => [s.id, s] as const))("%s validators' rules", (_id, service) => {
  const rules = declaredRules(emitValidatorsSource(service));

  it("are declared", () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  it("word no issue text when made: no enum value is stringified and a rule holds no text but its arguments", () => {
    const factories = core as unknown as Record<string, (...a: unknown[]) => object>;
    const made = rules.map((r) => ({ ...r, argv: evaluate(r.args) }));
    const stringify = vi.spyOn(JSON, "stringify");
    const objects = made.map((r) => factories[r.factory]!(...r.argv));
    expect(stringify).not.toHaveBeenCalled();
    made.forEach((r, i) => {
      const rule = objects[i] as Record<string, unknown>;
      const texts = Object.entries(rule).filter(
        ([, v]) => typeof v === "string" && v !== "" && !r.argv.includes(v) && !r.argv.some((a) => (a as core.StringFormat | undefined)?.name === v),
      );
      expect(texts, `${r.name} = ${r.factory}(${r.args})`).toEqual([]);
      expect(rule.t, r.name).toEqual({});
    });
  });
});

describe("a rule's texts, made on its first issue", () => {
  it("word an enum, a type and a format issue as before", () => {
    const issues = (out: core.Issues) => out ?? [];
    const u64 = core.intRule("uint64", undefined, undefined, [1, "2"]);
    expect(issues(core.vInt(undefined, 3, "", "N", 1, u64))[0]).toMatchObject({
      code: "enum",
      expected: 'one of 1, "2"',
      message: 'N: must be one of 1, "2", got 3',
    });
    expect(issues(core.vDec(undefined, "x", "", "N", 1, u64))[0]).toMatchObject({ expected: "a uint64 as a decimal string" });
    expect(issues(core.vDec(undefined, "2", "", "N", 1, u64))).toEqual([]);
    expect(issues(core.vBig(undefined, 2n ** 64n, "", "N", 1, u64))[0]).toMatchObject({
      code: "maximum",
      expected: "a uint64 (≤ 18446744073709551615)",
    });
    expect(issues(core.vInt(undefined, 2 ** 53, "", "N", 1, u64))[0]).toMatchObject({ code: "precision", expected: "≤ 9007199254740991" });
    expect(issues(core.vInt(undefined, 2 ** 53, "", "N", 1, core.intRule("integer")))[0]).toMatchObject({ code: "maximum" });
    const date = core.strRule(undefined, undefined, undefined, core.formatDate, ["a"]);
    expect(issues(core.vStr(undefined, "b", "", "D", 1, date)).map((i) => i.expected)).toEqual(["a date", 'one of "a"']);
  });
});
