// Every paging style the vendor metadata uses, end to end: a specs tree with page-number (first
// page 1 and 0) and offset pagination, page sizes with a maximum, a default, both, only a default
// (LCIC DescribeScoreList's `Limit`, "10 by default"), or neither (suppressed), with and without a
// total. It is generated, type-checked under the generated packages' strict tsconfig, and the
// client's iterators run against the mock, which must yield every item exactly once.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMock, type MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";

interface Case {
  name: string;
  style: "page-number" | "offset";
  /** page-number: the page field and the first page; offset: the offset field. */
  position: string;
  firstPage?: number;
  size: string;
  maximum?: number;
  default?: number;
  /** The size field is required in the plain call. */
  sizeRequired?: boolean;
  total?: string;
  /** Neither maximum nor default: the spec suppresses the rule with a reason. */
  suppress?: boolean;
}

const CASES: Case[] = [
  { name: "ListBooks", style: "page-number", position: "Page", firstPage: 1, size: "Limit", maximum: 25, default: 10, total: "Total" },
  {
    name: "ListBooksFromZero",
    style: "page-number",
    position: "PageNumber",
    firstPage: 0,
    size: "PageSize",
    maximum: 20,
    sizeRequired: true,
    total: "Total",
  },
  { name: "ListBooksByOffset", style: "offset", position: "Offset", size: "Limit", maximum: 15, default: 5, total: "TotalCount" },
  // The reported case: a default and no documented maximum.
  { name: "ListBooksDefaultOnly", style: "page-number", position: "Page", firstPage: 1, size: "Limit", default: 10, total: "Total" },
  { name: "ListBooksNoTotal", style: "page-number", position: "PageIndex", firstPage: 1, size: "PageSize", default: 20 },
  { name: "ListBooksByOffsetNoTotal", style: "offset", position: "Offset", size: "Limit", maximum: 30 },
  { name: "ListBooksUnsized", style: "page-number", position: "Page", firstPage: 1, size: "Limit", total: "Total", suppress: true },
];

const methodOf = (c: Case) => c.name[0]!.toLowerCase() + c.name.slice(1);
const isOffset = (c: Case) => c.style === "offset";
/** The page size the iterators ask for when none is given: the largest page, else the default. */
const askedSize = (c: Case) => c.maximum ?? c.default;
/** The page size the mock serves to a request without one: the default, else the largest, else all. */
const servedSize = (c: Case, all: number) => c.default ?? c.maximum ?? all;

const uint = (description: string, extra: Record<string, unknown> = {}) => ({ type: "uint64", js: "number", description, ...extra });

function operationSpec(c: Case): Record<string, unknown> {
  const position = isOffset(c) ? uint("How many books to skip.", { minimum: 0 }) : uint(`The page, from ${c.firstPage}.`, { minimum: c.firstPage });
  const size = uint("Books per page.", {
    minimum: 1,
    ...(c.maximum !== undefined ? { maximum: c.maximum } : {}),
    ...(c.default !== undefined ? { default: c.default } : {}),
    ...(c.sizeRequired ? { required: true } : {}),
  });
  return {
    name: c.name,
    action: c.name,
    summary: `${c.name}: the books of a shelf, a page at a time.`,
    description: `Lists the books of a shelf by ${c.style} pagination.`,
    source: "test",
    pagination: {
      style: c.style,
      ...(isOffset(c) ? { offset: c.position } : { page: c.position, firstPage: c.firstPage }),
      size: c.size,
      items: "Books",
      ...(c.total ? { total: c.total } : {}),
      ...(c.suppress ? { suppress: { "contradicting-limits": "The page documents no page size at all." } } : {}),
    },
    mock: { resource: "shelf", key: "ShelfId" },
    request: { fields: { ShelfId: uint("The shelf.", { required: true }), [c.position]: position, [c.size]: size } },
    response: {
      fields: {
        ...(c.total ? { [c.total]: uint("Every book of the shelf.", { required: true }) } : {}),
        Books: { type: "Book[]", required: true, description: "The books of this page." },
        RequestId: { type: "string", required: true, description: "The request ID." },
      },
    },
    errors: [],
    examples: [],
  };
}

const SERVICE = {
  service: "paging",
  title: "Paging test service",
  description: "One operation per paging style.",
  package: { name: "@rtc-apigen/paging" },
  protocol: { name: "tc3", service: "paging", version: "2020-01-01" },
  endpoints: [{ id: "default", host: "paging.tencentcloudapi.com", default: true, description: "The endpoint.", source: "test" }],
  regions: { required: false, source: "test" },
  resources: { shelf: { description: "A shelf of books.", key: "integer" } },
  types: {
    Book: {
      description: "A book.",
      source: "test",
      fields: { Id: uint("The book's id.", { required: true }), Title: { type: "string", required: true, description: "The title." } },
    },
  },
  sources: [{ id: "test", title: "Paging styles test", url: "https://example.com/paging" }],
};

const dir = mkdtempSync(path.join(os.tmpdir(), "pagination-styles-"));
const specsDir = path.join(dir, "specs");
const outDir = path.join(dir, "generated");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the test reaches in the generated package (typed loosely: the consumer file checks the types). */
interface PagingModule {
  PagingClient: new (options: Record<string, unknown>) => Record<string, (request: Record<string, unknown>) => unknown>;
}
interface Page {
  Books: Array<{ Id: number; Title: string }>;
  [key: string]: unknown;
}

let paging: PagingModule;
let mockDefinition: MockServiceDefinition;
let diagnostics: string[] = [];

beforeAll(async () => {
  mkdirSync(path.join(specsDir, "protocols"), { recursive: true });
  mkdirSync(path.join(specsDir, "paging"));
  copyFileSync(path.join(SPECS, "protocols", "tc3.yaml"), path.join(specsDir, "protocols", "tc3.yaml"));
  writeFileSync(path.join(specsDir, "paging", "service.yaml"), stringify(SERVICE));
  for (const c of CASES) writeFileSync(path.join(specsDir, "paging", `${c.name}.yaml`), stringify(operationSpec(c)));
  const result = await generate({ specsDir, outDir, displayBase: dir });
  diagnostics = result.diagnostics.map(formatDiagnostic);
  if (!result.wrote) return;
  paging = (await import(path.join(outDir, "paging", "src", "index.ts"))) as PagingModule;
  mockDefinition = ((await import(path.join(outDir, "paging", "src", "mock.ts"))) as { mockDefinition: MockServiceDefinition }).mockDefinition;
});

it("generates every style without a diagnostic", () => {
  expect(diagnostics).toEqual([]);
  expect(mockDefinition).toBeDefined();
});

it("type-checks under the generated strict tsconfig, with a consumer of every iterator", () => {
  const consumer = path.join(outDir, "consumer.ts");
  const lines = [
    `import { PagingClient, metadata, type Book } from "@rtc-apigen/paging";`,
    "const client = new PagingClient();",
    "export async function run(): Promise<number[]> {",
    "  const ids: number[] = [];",
  ];
  for (const c of CASES) {
    lines.push(`  for await (const book of client.${methodOf(c)}Items({ ShelfId: 1 })) ids.push((book satisfies Book).Id);`);
    lines.push(`  for await (const page of client.${methodOf(c)}Pages({ ShelfId: 1, ${c.size}: 3 })) ids.push(page.Books.length);`);
  }
  lines.push("  return ids;", "}");
  // The metadata is typed as the runtime reads it (its values: the test below).
  lines.push(`const defaultOnly = metadata.operations.listBooksDefaultOnly.pagination;`);
  lines.push(`export const sizes: [number | null, number | null] | null = defaultOnly && [defaultOnly.defaultSize, defaultOnly.maxSize];`);
  writeFileSync(consumer, lines.join("\n") + "\n");
  const configPath = path.join(outDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, outDir);
  const program = ts.createProgram([...parsed.fileNames, consumer], parsed.options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(outDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(problems).toEqual([]);
});

it("the metadata holds the spec's page sizes, null where the spec is silent", () => {
  expect(mockDefinition.metadata.operations.listBooksDefaultOnly?.pagination).toMatchObject({ defaultSize: 10, maxSize: null });
});

const BOOKS = 47; // a prime: no page size divides it
const books = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: i + 1, Title: `Book ${i + 1}` }));

/** A client on the mock, recording every request body it sends. */
function setup(items: number) {
  const mock = createMock(mockDefinition, { seed: 3, rateLimit: false });
  mock.resources("paging.shelf").put({ key: 1, items: Object.fromEntries(CASES.map((c) => [methodOf(c), books(items)])) });
  const sent: Array<Record<string, unknown>> = [];
  const client = new paging.PagingClient({
    fetch: async (url: string, init: { body?: string }) => {
      sent.push(JSON.parse(init.body ?? "{}") as Record<string, unknown>);
      return mock.fetch(url, init as RequestInit);
    },
    endpoint: "https://paging.tencentcloudapi.com",
    credentials: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" },
    retry: false,
    rateLimit: false,
    env: {},
    validateResponses: "strict",
  });
  return { mock, client, sent };
}

async function collect<T>(iterable: unknown): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable as AsyncIterable<T>) out.push(x);
  return out;
}

describe.each(CASES)("$name ($style)", (c) => {
  const method = methodOf(c);

  it("items(): every item exactly once, in order, with the page size the spec implies", async () => {
    const { client, sent } = setup(BOOKS);
    const items = await collect<{ Id: number }>(client[`${method}Items`]!({ ShelfId: 1 }));
    expect(items.map((b) => b.Id)).toEqual(books(BOOKS).map((b) => b.Id));
    const size = askedSize(c);
    // The iterator asks for the largest page, else the default page, else leaves the size out.
    expect(sent.every((r) => r[c.size] === size)).toBe(true);
    const perPage = size ?? BOOKS;
    const pages = Math.ceil(BOOKS / perPage);
    const positions = sent.map((r) => r[c.position]);
    const expected = Array.from({ length: pages }, (_, i) => (isOffset(c) ? i * perPage : c.firstPage! + i));
    expect(positions).toEqual(expected);
  });

  it("pages(): the total on every page is the number of items across them", async () => {
    const { client } = setup(BOOKS);
    const pages = await collect<Page>(client[`${method}Pages`]!({ ShelfId: 1, [c.size]: 4 }));
    expect(pages.flatMap((p) => p.Books.map((b) => b.Id))).toEqual(books(BOOKS).map((b) => b.Id));
    expect(pages.slice(0, -1).every((p) => p.Books.length === 4)).toBe(true);
    if (c.total) expect(pages.map((p) => p[c.total!])).toEqual(pages.map(() => BOOKS));
    else expect(pages.every((p) => !("Total" in p) && !("TotalCount" in p))).toBe(true);
  });

  it("a call without page or size gets the first page of the size the service uses by default", async () => {
    const { client } = setup(BOOKS);
    const page = (await client[method]!({ ShelfId: 1, ...(c.sizeRequired ? { [c.size]: c.maximum } : {}) })) as Page;
    const size = c.sizeRequired ? c.maximum! : servedSize(c, BOOKS);
    expect(page.Books.map((b) => b.Id)).toEqual(books(Math.min(size, BOOKS)).map((b) => b.Id));
  });

  it("a list that ends exactly at a page boundary: no item twice, no empty page yielded", async () => {
    const size = askedSize(c) ?? 7;
    const { client, sent } = setup(size * 2);
    const pages = await collect<Page>(client[`${method}Pages`]!({ ShelfId: 1, [c.size]: size }));
    expect(pages.map((p) => p.Books.length)).toEqual([size, size]);
    // With a total the iterator knows it is done; without one it needs the empty page to be sure.
    expect(sent).toHaveLength(c.total ? 2 : 3);
  });

  it("seeded data: the same items whatever the page size, as many as the total says", async () => {
    const { mock, client } = setup(0);
    // A shelf nobody put: its books come from the seed.
    const shelf = mock
      .resources("paging.shelf")
      .keys({ count: 5 })
      .find((k) => k !== 1)!;
    const small = await collect<{ Id: number }>(client[`${method}Items`]!({ ShelfId: shelf, [c.size]: 3 }));
    const large = await collect<{ Id: number }>(client[`${method}Items`]!({ ShelfId: shelf }));
    expect(small.length).toBeGreaterThan(3);
    expect(large).toEqual(small);
    if (c.total) {
      const first = (await client[method]!({ ShelfId: shelf, [c.size]: 1 })) as Page;
      expect(small).toHaveLength(Number(first[c.total]));
    }
  });
});
