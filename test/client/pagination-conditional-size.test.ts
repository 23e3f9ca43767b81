// The iterators' page size under `relations: bound` on the page-size field (TRTC
// DescribeCallDetailInfo: "PageSize ≤ 6 when DataType is set"): left to the iterator, the size is
// the largest the request allows, not the field's maximum that the client's own validation then
// refuses. A temp specs tree with bounds under `present: true`, `present: false`, `equals` and no
// condition is generated, and its client pages through its mock.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { createMock, type MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import type { PaginationMetadata } from "@rtc-apigen/runtime";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";

// The generated client imports the runtime by name, which resolves to the committed generated/runtime;
// this test is about the runtime's source, which generated/runtime copies.
vi.mock("@rtc-apigen/runtime", () => import("../../templates/runtime/src/index.js"));

const uint = (description: string, extra: Record<string, unknown> = {}) => ({ type: "uint64", js: "number", description, ...extra });

const MAX = 40;
/** The relations on the page size, and what each request should get as its page size. */
const RELATIONS = [
  { kind: "bound", field: "PageSize", maximum: 6, when: { field: "DataType", present: true }, description: "With DataType, at most 6 per page." },
  { kind: "bound", field: "PageSize", maximum: 10, when: { field: "Mode", equals: "full" }, description: "Full records: at most 10 per page." },
  { kind: "bound", field: "PageSize", maximum: 25, when: { field: "Region", present: false }, description: "Without a region, at most 25 per page." },
  // A bound that always holds and is below the field's maximum.
  { kind: "bound", field: "PageSize", maximum: 30, description: "At most 30 per page." },
  // A bound without a maximum says nothing about the largest page.
  { kind: "bound", field: "PageSize", minimum: 2, when: { field: "Mode", equals: "fast" }, description: "Fast mode: at least 2 per page." },
];

const OPERATION = {
  name: "ListCalls",
  action: "ListCalls",
  summary: "List the users of a call, a page at a time.",
  description: "Lists the users of a call.",
  source: "test",
  relations: RELATIONS,
  pagination: { style: "page-number", page: "PageNumber", firstPage: 0, size: "PageSize", items: "Users", total: "Total" },
  mock: { resource: "call", key: "CallId" },
  request: {
    fields: {
      CallId: uint("The call.", { required: true }),
      PageNumber: uint("The page, from 0.", { minimum: 0 }),
      PageSize: uint("Users per page.", { minimum: 1, maximum: MAX, default: 5 }),
      DataType: { type: "string[]", description: "The metrics to include.", nullable: true },
      Mode: { type: "string", description: "How much to return.", enum: ["fast", "full"] },
      Region: { type: "string", description: "Only users of this region.", nullable: true },
    },
  },
  response: {
    fields: {
      Total: uint("Every user of the call.", { required: true }),
      Users: { type: "User[]", required: true, description: "The users of this page." },
      RequestId: { type: "string", required: true, description: "The request ID." },
    },
  },
  errors: [],
  examples: [],
};

const SERVICE = {
  service: "calls",
  title: "Conditional page size test service",
  description: "One operation whose page size is bounded by other request fields.",
  package: { name: "@rtc-apigen/calls" },
  protocol: { name: "tc3", service: "calls", version: "2020-01-01" },
  endpoints: [{ id: "default", host: "calls.tencentcloudapi.com", default: true, description: "The endpoint.", source: "test" }],
  regions: { required: false, source: "test" },
  resources: { call: { description: "A call.", key: "integer" } },
  types: { User: { description: "A user.", source: "test", fields: { Id: uint("The user's id.", { required: true }) } } },
  sources: [{ id: "test", title: "Conditional page size test", url: "https://example.com/calls" }],
};

const dir = mkdtempSync(path.join(os.tmpdir(), "pagination-conditional-size-"));
const specsDir = path.join(dir, "specs");
const outDir = path.join(dir, "generated");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Iterate = (request: Record<string, unknown>) => AsyncIterable<unknown>;
let CallsClient: new (options: Record<string, unknown>) => Record<string, Iterate>;
let mockDefinition: MockServiceDefinition;
let diagnostics: string[] = [];

beforeAll(async () => {
  mkdirSync(path.join(specsDir, "protocols"), { recursive: true });
  mkdirSync(path.join(specsDir, "calls"));
  copyFileSync(path.join(SPECS, "protocols", "tc3.yaml"), path.join(specsDir, "protocols", "tc3.yaml"));
  writeFileSync(path.join(specsDir, "calls", "service.yaml"), stringify(SERVICE));
  writeFileSync(path.join(specsDir, "calls", "ListCalls.yaml"), stringify(OPERATION));
  const result = await generate({ specsDir, outDir, displayBase: dir });
  diagnostics = result.diagnostics.map(formatDiagnostic);
  if (!result.wrote) return;
  ({ CallsClient } = (await import(path.join(outDir, "calls", "src", "index.ts"))) as { CallsClient: typeof CallsClient });
  ({ mockDefinition } = (await import(path.join(outDir, "calls", "src", "mock.ts"))) as { mockDefinition: MockServiceDefinition });
});

it("the metadata carries the bounds as data, typed as the runtime reads them", () => {
  const pagination = mockDefinition.metadata.operations.listCalls?.pagination as PaginationMetadata | null | undefined;
  // The bounds with a maximum, in the spec's order; the one with only a minimum says nothing about the largest page.
  expect(pagination?.sizeBounds).toEqual([
    { maximum: 6, when: { field: "DataType", present: true } },
    { maximum: 10, when: { field: "Mode", equals: "full" } },
    { maximum: 25, when: { field: "Region", present: false } },
    { maximum: 30, when: null },
  ]);
});

it("the package type-checks under its strict tsconfig, with a consumer of the bounds", () => {
  const consumer = path.join(outDir, "consumer.ts");
  const lines = [
    `import type { PageSizeBound } from "@rtc-apigen/runtime";`,
    `import { CallsClient, metadata } from "@rtc-apigen/calls";`,
    `const bounds: readonly PageSizeBound[] = metadata.operations.listCalls.pagination?.sizeBounds ?? [];`,
    `export const dataType: PageSizeBound | undefined = bounds[0];`,
    `export const n: number = bounds.length;`,
    `export async function run(): Promise<number> {`,
    `  let count = 0;`,
    `  for await (const user of new CallsClient().listCallsItems({ CallId: 1, DataType: ["Quality"] })) count += user.Id;`,
    `  return count;`,
    `}`,
  ];
  writeFileSync(consumer, lines.join("\n") + "\n");
  const config = ts.readConfigFile(path.join(outDir, "tsconfig.json"), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, outDir);
  const program = ts.createProgram([...parsed.fileNames, consumer], parsed.options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(outDir, d.file.fileName) : ""} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  expect(problems).toEqual([]);
});

const USERS = 37;

function setup() {
  const mock = createMock(mockDefinition, { seed: 1, rateLimit: false });
  mock.resources("calls.call").put({ key: 1, items: { listCalls: Array.from({ length: USERS }, (_, i) => ({ Id: i + 1 })) } });
  const sent: Array<Record<string, unknown>> = [];
  const client = new CallsClient({
    fetch: async (url: string, init: { body?: string }) => {
      sent.push(JSON.parse(init.body ?? "{}") as Record<string, unknown>);
      return mock.fetch(url, init as RequestInit);
    },
    endpoint: "https://calls.tencentcloudapi.com",
    credentials: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" },
    retry: false,
    rateLimit: false,
    env: {},
    validateResponses: "strict",
  });
  return { client, sent };
}

it("generates without a diagnostic", () => {
  expect(diagnostics).toEqual([]);
});

it.each([
  { when: "DataType is set (and no Region)", extra: { DataType: ["Quality"] }, size: 6 },
  { when: "DataType is set with Mode full and a Region", extra: { DataType: ["Quality"], Mode: "full", Region: "eu" }, size: 6 },
  { when: "Mode is full, with a Region", extra: { Mode: "full", Region: "eu" }, size: 10 },
  { when: "Mode is fast, with a Region (a minimum only)", extra: { Mode: "fast", Region: "eu" }, size: 30 },
  { when: "Region is absent", extra: {}, size: 25 },
  { when: "Region is null (not set)", extra: { Region: null }, size: 25 },
  { when: "DataType is null (not set), with a Region", extra: { DataType: null, Region: "eu" }, size: 30 },
])("items() when $when: every user once, pages of $size", async ({ extra, size }) => {
  const { client, sent } = setup();
  const ids: number[] = [];
  for await (const user of client.listCallsItems!({ CallId: 1, ...extra })) ids.push((user as { Id: number }).Id);
  expect(ids).toEqual(Array.from({ length: USERS }, (_, i) => i + 1));
  expect(sent.map((r) => r.PageSize)).toEqual(sent.map(() => size));
  expect(sent.map((r) => r.PageNumber)).toEqual(Array.from({ length: Math.ceil(USERS / size) }, (_, i) => i));
});

it("a page size the caller gives is sent as given", async () => {
  const { client, sent } = setup();
  const pages: unknown[] = [];
  for await (const page of client.listCallsPages!({ CallId: 1, DataType: ["Quality"], PageSize: 4 })) pages.push(page);
  expect(pages).toHaveLength(Math.ceil(USERS / 4));
  expect(sent.every((r) => r.PageSize === 4)).toBe(true);
});
