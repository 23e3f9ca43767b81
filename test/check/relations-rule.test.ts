// The `relations` lint rule beyond the broken-specs cases: each mistake a relation can have, with
// the exact diagnostic, on the relations test tree (test/validators/support/relations-specs.ts).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { build } from "../../generator/pipeline.js";
import { OPERATION_YAML, writeRelationSpecs } from "../validators/support/relations-specs.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The diagnostics of the test tree with `relations` replaced by `yaml` (its lines). */
async function lint(relations: string): Promise<string[]> {
  const start = OPERATION_YAML.indexOf("relations:\n");
  const end = OPERATION_YAML.indexOf("request:\n");
  const operation = OPERATION_YAML.slice(0, start) + relations + OPERATION_YAML.slice(end);
  const dir = await mkdtemp(path.join(os.tmpdir(), "relations-rule-"));
  dirs.push(dir);
  const result = await build(await writeRelationSpecs(dir, operation), dir);
  return result.diagnostics.map(formatDiagnostic);
}

const FILE = "specs/relx/DescribeCallDetailInfo.yaml";

describe("relations rule", () => {
  it("passes the test tree as written", async () => {
    expect(await lint(OPERATION_YAML.slice(OPERATION_YAML.indexOf("relations:\n"), OPERATION_YAML.indexOf("request:\n")))).toEqual([]);
  });

  it.each([
    [
      "a key another kind takes",
      "relations:\n  - kind: max-span\n    from: StartTime\n    to: EndTime\n    within: 1h\n    maximum: 6\n",
      [`${FILE}:12:14 error relations "maximum" does not apply to a max-span relation (it takes from, to, within)`],
    ],
    [
      "a missing key of the kind (schema)",
      "relations:\n  - kind: max-span\n    from: StartTime\n    to: EndTime\n",
      [`${FILE}:8:5 error schema-required missing required key "within" in relations[0]`],
    ],
    [
      "a span over the same field",
      "relations:\n  - kind: max-span\n    from: StartTime\n    to: StartTime\n    within: 1h\n",
      [`${FILE}:10:9 error relations max-span from and to are the same field "StartTime"`],
    ],
    [
      "an order between a time and a number",
      "relations:\n  - kind: order\n    first: StartTime\n    then: PageSize\n",
      [`${FILE}:10:11 error relations order first "StartTime" is a time and then "PageSize" a number: both must be times or both numbers`],
    ],
    [
      "an order over a list",
      "relations:\n  - kind: order\n    first: DataType\n    then: UserIds\n",
      [
        `${FILE}:9:12 error relations order first "DataType" must be a time (an integer with format unix-time or unit seconds or milliseconds, or a date-time or date string) or a number, not string[]`,
        `${FILE}:10:11 error relations order then "UserIds" must be a time (an integer with format unix-time or unit seconds or milliseconds, or a date-time or date string) or a number, not string[]`,
      ],
    ],
    [
      "a bound without a limit, and a bound with minimum above maximum",
      "relations:\n  - kind: bound\n    field: PageSize\n  - kind: bound\n    field: PageSize\n    minimum: 7\n    maximum: 6\n",
      [
        `${FILE}:8:5 error relations a bound relation needs minimum, maximum, minItems or maxItems`,
        `${FILE}:12:14 error relations bound minimum 7 is above maximum 6`,
      ],
    ],
    [
      "a maximum on a list",
      "relations:\n  - kind: bound\n    field: UserIds\n    maximum: 6\n",
      [`${FILE}:10:14 error relations bound maximum applies to a number: "UserIds" is string[]`],
    ],
    [
      "a condition on an unknown field, and one with both present and equals",
      "relations:\n  - kind: bound\n    field: PageSize\n    maximum: 6\n    when: { field: Type, present: true }\n  - kind: bound\n    field: PageSize\n    maximum: 6\n    when: { field: Mode, present: true, equals: fast }\n",
      [
        `${FILE}:11:20 error relations when field "Type" is not a request field of DescribeCallDetailInfo`,
        `${FILE}:15:11 error relations \`when\` needs exactly one of \`present\` or \`equals\``,
      ],
    ],
    [
      "a condition on a value the field cannot hold",
      "relations:\n  - kind: bound\n    field: PageSize\n    maximum: 6\n    when: { field: Mode, equals: slow }\n  - kind: bound\n    field: PageSize\n    maximum: 6\n    when: { field: StartTime, equals: soon }\n",
      [
        `${FILE}:11:34 error relations when equals "slow" is not one of the values of "Mode"`,
        `${FILE}:15:39 error relations when equals "soon" cannot be a value of "StartTime" (uint64)`,
      ],
    ],
  ])("reports %s", async (_, relations, expected) => {
    expect(await lint(relations)).toEqual(expected);
  });
});
