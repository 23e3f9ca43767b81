// Cursor pagination end to end: a specs tree with every form of `pagination: {style: cursor}` (a
// string cursor the response names, with a first value or left out; an integer cursor that ends at
// 0; an end flag; a cursor taken from the smallest or largest item field, "the messages before
// Seq"), generated, type-checked, and the client's iterators run against the mock, which issues
// the cursors: every item exactly once, in order, consistent with the total. A resource list
// (`mock: {action: list}`) pages the same way over what was created. The runtime used is the one
// generated with the tree (createMock) and generated/runtime (the client core).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createMock as CreateMock, MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";

type Spec = Record<string, unknown>;

interface Case {
  name: string;
  /** The request field holding the cursor, and its type. */
  cursor: string;
  integer?: boolean;
  /** The request's cursor is required (the iterator sends `first`). */
  cursorRequired?: boolean;
  first?: string | number;
  /** A response field naming the next cursor, or an item field to pick it from. */
  next: string | { item: string; pick: "min" | "max" };
  nextRequired?: boolean;
  end?: { field: string; equals: string | number | boolean; type?: string };
  size?: { name: string; maximum?: number; default?: number };
  total?: string;
}

const CASES: Case[] = [
  // Chat Live get_room_list: Next "" first, then the Next each answer returns, "" at the end.
  {
    name: "ListByToken",
    cursor: "Next",
    cursorRequired: true,
    first: "",
    next: "Next",
    nextRequired: true,
    size: { name: "Count", maximum: 20, default: 20 },
    total: "Total",
  },
  // An optional cursor left out of the first request, an optional next left out at the end, no page size.
  { name: "ListByOptionalToken", cursor: "Cursor", next: "NextCursor" },
  // Chat get_banned_member_list: Offset 0 first, NextOffset 0 at the end.
  {
    name: "ListByNextOffset",
    cursor: "Offset",
    integer: true,
    first: 0,
    next: "NextOffset",
    nextRequired: true,
    end: { field: "NextOffset", equals: 0 },
    size: { name: "Limit", maximum: 15 },
  },
  // A Finished flag beside the cursor.
  {
    name: "ListUntilFinished",
    cursor: "Context",
    first: "",
    next: "NextContext",
    nextRequired: true,
    end: { field: "Finished", equals: true, type: "boolean" },
    size: { name: "Limit", default: 7 },
  },
  // LCIC GetRoomMessage: the messages before Seq, the next cursor the smallest Seq of the page.
  { name: "ListBeforeSeq", cursor: "Seq", integer: true, next: { item: "Seq", pick: "min" }, size: { name: "Limit" } },
  { name: "ListAfterSeq", cursor: "Seq", integer: true, next: { item: "Seq", pick: "max" }, size: { name: "Limit", maximum: 9 } },
];

const methodOf = (name: string) => name[0]!.toLowerCase() + name.slice(1);
const uint = (description: string, extra: Spec = {}): Spec => ({ type: "uint64", js: "number", description, ...extra });
const str = (description: string, extra: Spec = {}): Spec => ({ type: "string", description, ...extra });
const REQUEST_ID = { RequestId: str("The request ID.", { required: true }) };

function operationSpec(c: Case): Spec {
  const byItem = typeof c.next !== "string";
  const request: Record<string, Spec> = {
    ShelfId: uint("The shelf.", { required: true }),
    [c.cursor]: c.integer
      ? uint("Where the page starts.", c.cursorRequired ? { required: true } : {})
      : str("Where the page starts.", c.cursorRequired ? { required: true } : {}),
  };
  if (c.size)
    request[c.size.name] = uint("Books per page.", {
      minimum: 1,
      ...(c.size.maximum !== undefined ? { maximum: c.size.maximum } : {}),
      ...(c.size.default !== undefined ? { default: c.size.default } : {}),
    });
  const response: Record<string, Spec> = { Books: { type: byItem ? "SeqBook[]" : "Book[]", required: true, description: "The books of this page." } };
  if (typeof c.next === "string")
    response[c.next] = c.integer
      ? uint("The next cursor.", c.nextRequired ? { required: true } : {})
      : str("The next cursor.", c.nextRequired ? { required: true } : {});
  if (c.end && c.end.field !== c.next)
    response[c.end.field] = { type: c.end.type ?? "string", required: true, description: "Whether the list is complete." };
  if (c.total) response[c.total] = uint("Every book of the shelf.", { required: true });
  return {
    name: c.name,
    action: c.name,
    summary: `${c.name}: the books of a shelf, a page at a time.`,
    description: `Lists the books of a shelf by cursor.`,
    source: "test",
    pagination: {
      style: "cursor",
      cursor: c.cursor,
      next: c.next,
      ...(c.first !== undefined ? { first: c.first } : {}),
      ...(c.end ? { end: { field: c.end.field, equals: c.end.equals } } : {}),
      ...(c.size ? { size: c.size.name } : {}),
      items: "Books",
      ...(c.total ? { total: c.total } : {}),
    },
    mock: { resource: "shelf", key: "ShelfId" },
    request: { fields: request },
    response: { fields: { ...response, ...REQUEST_ID } },
    errors: [],
    examples: [],
  };
}

/** A resource list by cursor: every shelf that exists, created by CreateShelf. */
const LIST_SHELVES: Spec = {
  name: "ListShelves",
  action: "ListShelves",
  summary: "Every shelf, a page at a time.",
  description: "Lists the shelves by cursor.",
  source: "test",
  pagination: { style: "cursor", cursor: "Next", first: "", next: "Next", size: "Count", items: "Shelves", total: "Total" },
  mock: { resource: "shelf", action: "list" },
  request: { fields: { Next: str("Where the page starts.", { required: true }), Count: uint("Shelves per page.", { minimum: 1, maximum: 4 }) } },
  response: {
    fields: {
      Next: str("The next cursor.", { required: true }),
      Total: uint("Every shelf.", { required: true }),
      Shelves: { type: "ShelfItem[]", required: true, description: "The shelves of this page." },
      ...REQUEST_ID,
    },
  },
  errors: [],
  examples: [],
};

const CREATE_SHELF: Spec = {
  name: "CreateShelf",
  action: "CreateShelf",
  summary: "Creates a shelf.",
  description: "Creates a shelf.",
  source: "test",
  mock: { resource: "shelf", action: "create", keyFrom: "response.ShelfId" },
  request: { fields: { Label: str("The label.", { required: true }) } },
  response: { fields: { ShelfId: uint("The new shelf.", { required: true }), ...REQUEST_ID } },
  errors: [],
  examples: [],
};

const SERVICE: Spec = {
  service: "cursors",
  title: "Cursor paging test service",
  description: "One operation per form of cursor pagination.",
  package: { name: "@rtc-apigen/cursors" },
  protocol: { name: "tc3", service: "cursors", version: "2020-01-01" },
  endpoints: [{ id: "default", host: "cursors.tencentcloudapi.com", default: true, description: "The endpoint.", source: "test" }],
  regions: { required: false, source: "test" },
  resources: { shelf: { description: "A shelf of books.", key: "integer" } },
  types: {
    Book: {
      description: "A book.",
      source: "test",
      fields: { Id: uint("The book's id.", { required: true }), Title: str("The title.", { required: true }) },
    },
    SeqBook: {
      description: "A book with its sequence.",
      source: "test",
      fields: { Seq: uint("The book's sequence.", { required: true }), Title: str("The title.", { required: true }) },
    },
    ShelfItem: {
      description: "A shelf in a list.",
      source: "test",
      fields: { ShelfId: uint("The shelf.", { required: true }), Label: str("The label.", { required: true }) },
    },
  },
  sources: [{ id: "test", title: "Cursor paging test", url: "https://example.com/cursors" }],
};

const dir = mkdtempSync(path.join(os.tmpdir(), "pagination-cursor-"));
const specsDir = path.join(dir, "specs");
const outDir = path.join(dir, "generated");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Client = Record<string, (request: Record<string, unknown>) => unknown>;
let Client: new (options: Record<string, unknown>) => Client;
let mockDefinition: MockServiceDefinition;
let createMock: typeof CreateMock;
let diagnostics: string[] = [];

beforeAll(async () => {
  mkdirSync(path.join(specsDir, "protocols"), { recursive: true });
  mkdirSync(path.join(specsDir, "cursors"));
  copyFileSync(path.join(SPECS, "protocols", "tc3.yaml"), path.join(specsDir, "protocols", "tc3.yaml"));
  writeFileSync(path.join(specsDir, "cursors", "service.yaml"), stringify(SERVICE));
  for (const spec of [...CASES.map(operationSpec), LIST_SHELVES, CREATE_SHELF])
    writeFileSync(path.join(specsDir, "cursors", `${spec.name as string}.yaml`), stringify(spec));
  const result = await generate({ specsDir, outDir, displayBase: dir });
  diagnostics = result.diagnostics.map(formatDiagnostic);
  if (!result.wrote) return;
  Client = ((await import(path.join(outDir, "cursors", "src", "index.ts"))) as { CursorsClient: typeof Client }).CursorsClient;
  mockDefinition = ((await import(path.join(outDir, "cursors", "src", "mock.ts"))) as { mockDefinition: MockServiceDefinition }).mockDefinition;
  createMock = ((await import(path.join(outDir, "runtime", "src", "mock.ts"))) as { createMock: typeof CreateMock }).createMock;
});

it("generates every form without a diagnostic", () => {
  expect(diagnostics).toEqual([]);
  expect(mockDefinition).toBeDefined();
});

it("type-checks a consumer of every iterator: the cursor and the size are optional there", () => {
  const consumer = path.join(outDir, "consumer.ts");
  const lines = [
    `import { CursorsClient, type Book, type SeqBook } from "@rtc-apigen/cursors";`,
    "const client = new CursorsClient();",
    "export async function run(): Promise<number> {",
    "  let n = 0;",
  ];
  for (const c of CASES) {
    const item = typeof c.next === "string" ? "Book" : "SeqBook";
    lines.push(`  for await (const book of client.${methodOf(c.name)}Items({ ShelfId: 1 })) n += (book satisfies ${item}).Title.length;`);
  }
  lines.push("  for await (const shelf of client.listShelvesItems({})) n += shelf.ShelfId;", "  return n;", "}");
  writeFileSync(consumer, lines.join("\n") + "\n");
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(outDir, "tsconfig.json"), (p) => ts.sys.readFile(p)).config,
    ts.sys,
    outDir,
  );
  const program = ts.createProgram([...parsed.fileNames, consumer], parsed.options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(outDir, d.file.fileName) : ""} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  expect(problems).toEqual([]);
});

const BOOKS = 47; // a prime: no page size divides it

function setup(items: Array<Record<string, unknown>> | undefined) {
  const mock = createMock(mockDefinition, { seed: 3, rateLimit: false });
  if (items) mock.resources("cursors.shelf").put({ key: 1, items: Object.fromEntries(CASES.map((c) => [methodOf(c.name), items])) });
  const sent: Array<Record<string, unknown>> = [];
  const client = new Client({
    fetch: async (url: string, init: { body?: string }) => {
      sent.push(JSON.parse(init.body ?? "{}") as Record<string, unknown>);
      return mock.fetch(url, init as RequestInit);
    },
    endpoint: "https://cursors.tencentcloudapi.com",
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

const books = (n: number, byItem: boolean) =>
  Array.from({ length: n }, (_, i) => (byItem ? { Seq: (i + 1) * 10, Title: `Book ${i + 1}` } : { Id: i + 1, Title: `Book ${i + 1}` }));

describe.each(CASES)("$name", (c) => {
  const method = methodOf(c.name);
  const byItem = typeof c.next !== "string";
  const idOf = (b: Record<string, unknown>) => (byItem ? b["Seq"] : b["Id"]) as number;
  /** The order the pages come in: a list paged backwards (the items before Seq) comes last page first. */
  const inPageOrder = (pages: Array<Array<Record<string, unknown>>>) =>
    (byItem && (c.next as { pick: string }).pick === "min" ? [...pages].reverse() : pages).flat();

  it("pages(): every item exactly once, in list order, the cursor each page gave sent with the next request", async () => {
    const { client, sent } = setup(books(BOOKS, byItem));
    const size = c.size ? 4 : undefined;
    const pages = await collect<Record<string, unknown>>(client[`${method}Pages`]!({ ShelfId: 1, ...(c.size ? { [c.size.name]: size } : {}) }));
    const all = inPageOrder(pages.map((p) => p["Books"] as Array<Record<string, unknown>>));
    expect(all.map(idOf)).toEqual(books(BOOKS, byItem).map((b) => idOf(b)));
    // The first request sends the spec's first cursor, or none.
    expect(sent[0]![c.cursor]).toEqual(c.first);
    for (let i = 1; i < sent.length; i++) {
      const before = pages[i - 1]!;
      const expected = typeof c.next === "string" ? before[c.next] : Math.min(...(before["Books"] as Array<{ Seq: number }>).map((b) => b.Seq));
      if (byItem && (c.next as { pick: string }).pick === "max")
        expect(sent[i]![c.cursor]).toBe(Math.max(...(before["Books"] as Array<{ Seq: number }>).map((b) => b.Seq)));
      else expect(sent[i]![c.cursor]).toEqual(expected);
    }
    if (c.total) expect(pages.every((p) => p[c.total!] === BOOKS)).toBe(true);
    // The last page says the list is complete.
    const last = pages.at(-1)!;
    if (typeof c.next === "string") {
      if (c.end?.field === c.next) expect(last[c.next]).toBe(c.end.equals);
      // A string cursor ends as "" (required or not); an optional integer one is left out.
      else if (!c.integer) expect(last[c.next]).toBe("");
      else expect(last[c.next]).toBeUndefined();
    }
    if (c.end && c.end.field !== c.next) {
      expect(last[c.end.field]).toBe(c.end.equals);
      expect(pages.slice(0, -1).every((p) => p[c.end!.field] !== c.end!.equals)).toBe(true);
    }
  });

  it("items(): every item once, asking for the page size the spec implies (else none)", async () => {
    const { client, sent } = setup(books(BOOKS, byItem));
    const items = await collect<Record<string, unknown>>(client[`${method}Items`]!({ ShelfId: 1 }));
    expect(new Set(items.map(idOf)).size).toBe(BOOKS);
    expect(items).toHaveLength(BOOKS);
    const asked = c.size ? (c.size.maximum ?? c.size.default) : undefined;
    expect(sent.every((r) => (c.size ? r[c.size.name] === asked : Object.keys(r).length <= 2))).toBe(true);
  });

  it("seeded data: the same items whatever the page size, as many as the total says", async () => {
    const { mock, client } = setup(undefined);
    const shelf = mock
      .resources("cursors.shelf")
      .keys({ count: 5 })
      .find((k) => k !== 1)!;
    const small = await collect<Record<string, unknown>>(client[`${method}Items`]!({ ShelfId: shelf, ...(c.size ? { [c.size.name]: 3 } : {}) }));
    const large = await collect<Record<string, unknown>>(client[`${method}Items`]!({ ShelfId: shelf }));
    expect(small.length).toBeGreaterThan(3);
    expect(new Set(large.map((b) => JSON.stringify(b)))).toEqual(new Set(small.map((b) => JSON.stringify(b))));
    if (byItem) expect(new Set(small.map(idOf)).size).toBe(small.length);
    if (c.total) {
      const first = (await client[method]!({
        ShelfId: shelf,
        ...(c.first !== undefined ? { [c.cursor]: c.first } : {}),
        ...(c.size ? { [c.size.name]: 1 } : {}),
      })) as Record<string, unknown>;
      expect(small).toHaveLength(Number(first[c.total]));
    }
  });
});

it("a cursor the mock never issued is refused with the service's bad-value code", async () => {
  const { client } = setup(books(BOOKS, false));
  const error = await Promise.resolve(client["listByToken"]!({ ShelfId: 1, Next: "forged", Count: 5 })).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "InvalidParameterValue" });
});

it("the iterator stops when a server hands back a cursor it already sent, rather than loop", async () => {
  const { mock, client, sent } = setup(books(BOOKS, false));
  // A server that keeps answering the same page and cursor.
  mock.service("cursors").setNextResponse("listByToken", { Books: books(3, false), Next: "c3", Total: BOOKS }, { times: Infinity });
  const pages = await collect<Record<string, unknown>>(client["listByTokenPages"]!({ ShelfId: 1 }));
  expect(pages).toHaveLength(2);
  expect(sent.map((r) => r["Next"])).toEqual(["", "c3"]);
});

it("a resource list by cursor pages over what exists, created ones included, the total counting them", async () => {
  const { mock, client } = setup(undefined);
  const seeded = mock.resources("cursors.shelf").list().length;
  const created: number[] = [];
  for (const label of ["oak", "pine", "elm"]) created.push(((await client["createShelf"]!({ Label: label })) as { ShelfId: number }).ShelfId);
  const pages = await collect<Record<string, unknown>>(client["listShelvesPages"]!({}));
  const shelves = pages.flatMap((p) => p["Shelves"] as Array<{ ShelfId: number; Label: string }>);
  expect(shelves).toHaveLength(seeded + 3);
  expect(new Set(shelves.map((s) => s.ShelfId)).size).toBe(seeded + 3);
  expect(pages.every((p) => p["Total"] === seeded + 3)).toBe(true);
  expect(pages.slice(0, -1).every((p) => (p["Shelves"] as unknown[]).length === 4)).toBe(true);
  for (const [i, label] of ["oak", "pine", "elm"].entries()) expect(shelves.find((s) => s.ShelfId === created[i])?.Label).toBe(label);
});
