// Relations between request fields (`relations:`) end to end: a specs tree with every kind is
// generated into a temporary folder; its validators report each broken relation with the fields'
// names and the documented code, its guard agrees, the docs state each relation, and the mock
// refuses through a generated client with the code the real service answers.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../generator/pipeline.js";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { TC3 } from "../mock/support/requests.js";
import { writeRelationSpecs } from "./support/relations-specs.js";

type Issue = { path: string; code: string; message: string; error?: string | number };
type Result = { ok: true } | { ok: false; issues: Issue[] };
interface Generated {
  validate: (v: unknown) => Result;
  is: (v: unknown) => boolean;
  Client: new (options: object) => { describeCallDetailInfo(request: object): Promise<{ Total: number }> };
  mockDefinition: MockServiceDefinition;
  docs: string;
}

let dir: string;
let gen: Generated;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "relations-"));
  const specsDir = await writeRelationSpecs(dir);
  const outDir = path.join(dir, "out");
  const result = await build(specsDir, dir);
  expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule} ${d.message}`)).toEqual([]);
  for (const file of result.files ?? []) {
    await mkdir(path.dirname(path.join(outDir, file.path)), { recursive: true });
    await writeFile(path.join(outDir, file.path), file.content);
  }
  const index = await import(path.join(outDir, "relx", "src", "index.ts"));
  const mock = await import(path.join(outDir, "relx", "src", "mock.ts"));
  const validators = await import(path.join(outDir, "relx", "src", "validators.ts"));
  gen = {
    validate: validators.validateDescribeCallDetailInfoRequest,
    is: validators.isDescribeCallDetailInfoRequest,
    Client: index.RelxClient,
    mockDefinition: mock.mockDefinition,
    docs: await readFile(path.join(outDir, "relx", "docs", "DescribeCallDetailInfo.md"), "utf8"),
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const START = 1_700_000_000;
const base = { StartTime: START, EndTime: START + 3600 };
const H = 3600;

const valid: Record<string, object> = {
  "one hour with DataType (at most, so equal passes)": { ...base, DataType: ["aBit"] },
  "two hours without DataType": { ...base, EndTime: START + 2 * H },
  "exactly four hours": { ...base, EndTime: START + 4 * H },
  "PageSize 50 without DataType": { ...base, PageSize: 50 },
  "PageSize 6 and 6 users with DataType": { ...base, DataType: ["aBit"], PageSize: 6, UserIds: ["a", "b", "c", "d", "e", "f"] },
  "90 s of milliseconds in fast mode": { ...base, Mode: "fast", FirstMs: 1_700_000_000_000, LastMs: 1_700_000_090_000 },
  "ten minutes of milliseconds in full mode": { ...base, Mode: "full", FirstMs: 1_700_000_000_000, LastMs: 1_700_000_600_000 },
  "the same day twice": { ...base, FromDay: "2024-03-01", ToDay: "2024-03-01" },
};

/** Each invalid request with the one issue it must get: path, code, message, documented error. */
const invalid: Record<string, [object, Issue]> = {
  "two hours with DataType": [
    { ...base, EndTime: START + 2 * H, DataType: ["aBit"] },
    {
      path: "EndTime",
      code: "relation",
      message: "EndTime: must be at most 1 h after StartTime when DataType is set, got 2 h",
      error: "InvalidParameter.TimeRange",
    },
  ],
  "four hours and a second": [
    { ...base, EndTime: START + 4 * H + 1 },
    { path: "EndTime", code: "relation", message: "EndTime: must be at most 4 h after StartTime, got 4 h 1 s", error: "InvalidParameter.TimeRange" },
  ],
  "EndTime equal to StartTime (strict order)": [
    { ...base, EndTime: START },
    { path: "EndTime", code: "relation", message: `EndTime: must be after StartTime (${START}), got ${START}`, error: "InvalidParameter.EndTs" },
  ],
  "PageSize 7 with DataType": [
    { ...base, DataType: ["aBit"], PageSize: 7 },
    { path: "PageSize", code: "relation", message: "PageSize: must be ≤ 6 when DataType is set, got 7" },
  ],
  "PageSize above its own maximum: only that issue": [
    { ...base, DataType: ["aBit"], PageSize: 500 },
    { path: "PageSize", code: "maximum", message: "PageSize: must be ≤ 100, got 500" },
  ],
  "seven users with DataType": [
    { ...base, DataType: ["aBit"], UserIds: ["a", "b", "c", "d", "e", "f", "g"] },
    { path: "UserIds", code: "relation", message: "UserIds: must be at most 6 items when DataType is set, got 7" },
  ],
  "milliseconds: 90 s and 1 ms in fast mode": [
    { ...base, Mode: "fast", FirstMs: 1_700_000_000_000, LastMs: 1_700_000_090_001 },
    {
      path: "LastMs",
      code: "relation",
      message: 'LastMs: must be at most 1 min 30 s after FirstMs when Mode is "fast", got 1 min 30 s 1 ms',
      error: "InvalidParameter.TimeRange",
    },
  ],
  "dates: ToDay before FromDay": [
    { ...base, FromDay: "2024-03-02", ToDay: "2024-03-01" },
    { path: "ToDay", code: "relation", message: 'ToDay: must be not before FromDay ("2024-03-02"), got "2024-03-01"' },
  ],
  "a broken StartTime: its own issue, no relation over it": [
    { ...base, StartTime: "soon", DataType: ["aBit"], EndTime: START + 5 * H },
    { path: "StartTime", code: "type", message: 'StartTime: must be an integer, got "soon"' },
  ],
};

describe("generated request validators", () => {
  it.each(Object.entries(valid))("accept %s", (_, request) => {
    expect(gen.validate(request)).toEqual({ ok: true, value: request });
    expect(gen.is(request)).toBe(true);
  });

  it.each(Object.entries(invalid))("refuse %s", (_, [request, expected]) => {
    const result = gen.validate(request);
    expect(result.ok).toBe(false);
    const issues = (result as { issues: Issue[] }).issues.map(({ path, code, message, error }) => ({
      path,
      code,
      message,
      ...(error !== undefined ? { error } : {}),
    }));
    expect(issues).toEqual([expected]);
    expect(gen.is(request)).toBe(false);
  });
});

describe("docs", () => {
  it("state every relation on the operation page, with the code the service answers", () => {
    const section = /## Relations\n\n([\s\S]*?)\n\n## /.exec(gen.docs)?.[1]?.split("\n");
    expect(section).toEqual([
      "- **`EndTime` at most 1 h after `StartTime` when `DataType` is set.** If DataType is not null, the end time and start time cannot be more than one hour apart. Otherwise the service answers `InvalidParameter.TimeRange`. (source: page)",
      "- **`EndTime` at most 4 h after `StartTime`.** The period queried cannot exceed four hours. Otherwise the service answers `InvalidParameter.TimeRange`.",
      "- **`EndTime` after `StartTime`.** Otherwise the service answers `InvalidParameter.EndTs`.",
      "- **`PageSize` ≤ 6 when `DataType` is set.** If DataType is not null, the value of PageSize cannot exceed 6. Otherwise the service answers `InvalidParameterValue`.",
      "- **`UserIds` at most 6 items when `DataType` is set.** Otherwise the service answers `InvalidParameterValue`.",
      '- **`LastMs` at most 1 min 30 s after `FirstMs` when `Mode` is `"fast"`.** Otherwise the service answers `InvalidParameter.TimeRange`.',
      "- **`ToDay` not before `FromDay`.** Otherwise the service answers `InvalidParameterValue`.",
    ]);
  });
});

describe("the mock, through the generated client", () => {
  function client() {
    const mock = createMock([gen.mockDefinition], { seed: 1, rateLimit: false });
    // The client's own validation is off so that the request reaches the mock.
    return new gen.Client({ fetch: mock.fetch, credentials: TC3, retry: false, rateLimit: false, env: {}, validateRequests: "off" });
  }

  async function codeOf(request: object): Promise<unknown> {
    try {
      await client().describeCallDetailInfo(request);
    } catch (error) {
      return (error as { code?: unknown }).code;
    }
    return "no error";
  }

  it("answers a request that keeps every relation", async () => {
    const response = await client().describeCallDetailInfo({ ...base, DataType: ["aBit"], PageSize: 6 });
    expect(typeof response.Total).toBe("number");
  });

  it.each([
    ["a span beyond the conditional limit", { ...base, EndTime: START + 2 * H, DataType: ["aBit"] }, "InvalidParameter.TimeRange"],
    ["a span beyond the unconditional limit", { ...base, EndTime: START + 5 * H }, "InvalidParameter.TimeRange"],
    ["an end not after the start", { ...base, EndTime: START - 1 }, "InvalidParameter.EndTs"],
    ["a conditional bound without its own code: the protocol's value code", { ...base, DataType: ["aBit"], PageSize: 7 }, "InvalidParameterValue"],
  ])("refuses %s with %s", async (_, request, expected) => {
    expect(await codeOf(request)).toBe(expected);
  });
});
