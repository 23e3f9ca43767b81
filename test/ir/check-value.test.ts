import { describe, expect, it } from "vitest";
import { ValueChecker } from "../../generator/ir/check-value.js";
import { parseTypeExpr } from "../../generator/ir/build-ir.js";
import type { Field, Shape } from "../../generator/ir/types.js";

const loc = { file: "x.yaml", line: 1, col: 1 };
const f = (name: string, type: string | string[], extra: Partial<Field> = {}): Field => ({
  name,
  type: parseTypeExpr(type),
  description: name,
  required: true,
  nullable: false,
  constraints: {},
  notes: [],
  loc,
  at: {},
  ...extra,
});
const shape = (name: string, fields: Field[]): Shape => ({ name, description: name, fields, notes: [], definedIn: "x.yaml", loc });

const item = shape("Item", [f("Id", "uint64", { js: "number" }), f("Tags", "string[]", { required: false, constraints: { maxItems: 2 } })]);
const root = shape("Root", [
  f("Limit", "uint64", { js: "number", constraints: { minimum: 1, maximum: 200 } }),
  f("Kind", "string", { enum: [{ value: "A" }, { value: "B" }], required: false }),
  f("Owner", ["string", "uint64"], { js: "string" }),
  f("Items", "Item[]", { nullable: true }),
  f("Small", "int32", { required: false }),
  f("Code", "string", { required: false, constraints: { pattern: "^[0-9]+_.+_[0-9]+$" } }),
]);
const checker = (rejectUnknown = true) => new ValueChecker([item], { rejectUnknown });
const paths = (v: unknown, strictUnknown = true) =>
  checker(strictUnknown)
    .checkShape(root, v as never, "request")
    .map((i) => `${i.path} ${i.code}`);

describe("ValueChecker", () => {
  it("accepts a valid value, including an integer beyond 2^53 in a string-or-uint64 field", () => {
    expect(paths({ Limit: 200, Kind: "A", Owner: 144115233775727695n, Items: [{ Id: 1, Tags: ["a"] }] })).toEqual([]);
    expect(paths({ Limit: 1, Owner: "abc", Items: null })).toEqual([]);
  });

  it("reports every problem with its path, not only the first", () => {
    expect(paths({ Limit: 500, Kind: "C", Items: [{ Tags: ["a", "b", "c"] }], Extra: 1 })).toEqual([
      "request.Limit maximum",
      "request.Kind enum",
      "request.Owner required",
      "request.Items[0].Id required",
      "request.Items[0].Tags maxItems",
      "request.Extra unknown",
    ]);
  });

  it("writes messages a person understands", () => {
    const issues = checker().checkShape(root, { Limit: 500, Owner: "x", Items: null }, "");
    expect(issues.map((i) => i.message)).toEqual(["Limit: must be ≤ 200, got 500"]);
  });

  it("tells integers from floats and enforces the wire ranges", () => {
    expect(paths({ Limit: 1.5, Owner: "x", Items: null, Small: 2 ** 31 })).toEqual(["request.Limit type", "request.Small maximum"]);
    expect(paths({ Limit: -1, Owner: -1, Items: null })).toEqual(["request.Limit minimum", "request.Owner minimum"]);
  });

  it("refuses, never rounds, a js:number integer beyond 2^53", () => {
    expect(paths({ Limit: 10, Owner: "x", Items: [{ Id: 2n ** 60n }] })).toEqual(["request.Items[0].Id precision"]);
  });

  it("tells null from absent", () => {
    expect(paths({ Limit: 1, Owner: null, Items: null })).toEqual(["request.Owner null"]);
    expect(paths({ Limit: 1, Owner: "x" })).toEqual(["request.Items required"]);
  });

  it("checks patterns and tolerates unknown fields when asked to", () => {
    expect(paths({ Limit: 1, Owner: "x", Items: null, Code: "1400_1" })).toEqual(["request.Code pattern"]);
    expect(paths({ Limit: 1, Owner: "x", Items: null, New: true }, false)).toEqual([]);
  });
});
