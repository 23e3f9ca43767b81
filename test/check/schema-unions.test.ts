// The schema check on values that fail a oneOf/anyOf: a mapping or a list is reported through the
// alternative it was meant to be (the unexpected key at its position), a scalar by the union.
import { describe, expect, it } from "vitest";
import { checkAgainstSchema } from "../../generator/check/schema-check.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { SpecDocument } from "../../generator/load/spec-document.js";

/** A service.yaml whose one shared field has the given `enum:` and `type:` lines. */
function service(enumLine: string, typeLine = "type: string"): string {
  return [
    "service: x",
    "title: X",
    "description: X.",
    "package: { name: '@t/x' }",
    "protocol: { name: tc3, service: x, version: '2020-01-01' }",
    "endpoints:",
    "  - { id: default, host: x.example.com, default: true, description: The host. }",
    "regions: { required: false }",
    "types:",
    "  Thing:",
    "    description: A thing.",
    "    fields:",
    "      Kind:",
    `        ${typeLine}`,
    "        description: The kind.",
    `        ${enumLine}`,
    "sources: [{ id: page, title: The page }]",
    "",
  ].join("\n");
}

const check = (text: string) => checkAgainstSchema(new SpecDocument("specs/x/service.yaml", "service", text, "x")).map(formatDiagnostic);

describe("schema check of union values", () => {
  it("reports the key a comma in an unquoted flow-mapping value made, at its position", () => {
    expect(check(service("enum: [a, { value: b, description: Bee, or so }]"))).toEqual([
      'specs/x/service.yaml:16:49 error schema-unknown-key unknown key "or so" (a comma in an unquoted value splits it into keys: quote the value)',
    ]);
  });

  it("reports a misspelled key of the mapping form with a suggestion", () => {
    expect(check(service("enum: [a, { value: b, descripton: Bee }]"))).toEqual([
      'specs/x/service.yaml:16:31 error schema-unknown-key unknown key "descripton" (did you mean "description"?)',
    ]);
  });

  it("reports a missing key of the mapping form", () => {
    expect(check(service("enum: [a, { description: Bee }]"))).toEqual([
      'specs/x/service.yaml:16:19 error schema-required missing required key "value" in enum[1]',
    ]);
  });

  it("keeps the union's own message for a scalar of no allowed kind", () => {
    expect(check(service("enum: [a, true]"))).toEqual(["specs/x/service.yaml:16:19 error schema-type enum[1] is true, which is not an allowed form"]);
  });

  it("reports a list form's own problem", () => {
    expect(check(service("enum: [a]", "type: [string]"))).toEqual([
      'specs/x/service.yaml:14:15 error schema-value "type" must NOT have fewer than 2 items',
    ]);
  });
});
