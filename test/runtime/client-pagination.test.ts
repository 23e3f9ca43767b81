// pages() and items(): page numbers from firstPage or item offsets from 0, the spec's largest page
// by default (else its default page, else no size), stopping when `total` items were seen, without
// a total at a short page, and at an empty page. A scripted transport plays the server.
import { describe, expect, it } from "vitest";
import type { ServiceMetadata } from "../../templates/runtime/src/client/metadata.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import type { Transport } from "../../templates/runtime/src/client/transport.js";
import { SECRET_ID, SECRET_KEY, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";

interface PageRequest {
  Owner: string;
  Page: number;
  Limit: number;
}

/** A server holding `count` things (ids 1..count); `total` overrides the reported Total. */
function paged(count: number, options: { total?: number | null; stopAfter?: number } = {}) {
  const requests: PageRequest[] = [];
  const transport: Transport = async (r) => {
    const q = JSON.parse(r.body) as PageRequest;
    requests.push(q);
    const start = (q.Page - 1) * q.Limit;
    const things = Array.from({ length: Math.max(0, Math.min(q.Limit, count - start)) }, (_, i) => ({
      BigId: start + i + 1,
    }));
    const payload: Record<string, unknown> = { Things: things };
    if (options.total !== null) payload["Total"] = options.total ?? count;
    return { status: 200, headers: {}, body: JSON.stringify(tc3Ok(payload)) };
  };
  const client = new ServiceClient(tc3Metadata, tc3Validators, {
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    env: {},
    rateLimit: false,
  });
  return { client, requests };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe("pagination", () => {
  it("items(): every item once, page size defaulting to the spec's maxSize, stopping at Total", async () => {
    const { client, requests } = paged(7);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(requests.map((r) => [r.Page, r.Limit])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(requests.every((r) => r.Owner === "me")).toBe(true);
  });

  it("stops exactly at Total when it divides evenly (no extra empty request)", async () => {
    const { client, requests } = paged(6);
    const pages = await collect(client.pages("listThings", { Owner: "me" }));
    expect(pages).toHaveLength(2);
    expect(requests).toHaveLength(2);
  });

  it("without Total in the answer, stops at the first page shorter than the page size", async () => {
    const { client, requests } = paged(4, { total: null });
    const pages = await collect(client.pages<{ Things: unknown[] }>("listThings", { Owner: "me" }));
    expect(pages.map((p) => p.Things.length)).toEqual([3, 1]);
    expect(requests).toHaveLength(2);
  });

  it("without Total, a list ending at a page boundary stops at the empty page, which is not yielded", async () => {
    const { client, requests } = paged(6, { total: null });
    const pages = await collect(client.pages<{ Things: unknown[] }>("listThings", { Owner: "me" }));
    expect(pages.map((p) => p.Things.length)).toEqual([3, 3]);
    expect(requests).toHaveLength(3);
  });

  it("an empty first page is yielded once (so the caller sees Total 0)", async () => {
    const { client, requests } = paged(0);
    const pages = await collect(client.pages<{ Total: number }>("listThings", { Owner: "me" }));
    expect(pages).toEqual([{ Things: [], Total: 0, RequestId: "req-ok" }]);
    expect(requests).toHaveLength(1);
  });

  it("respects the caller's starting page and page size", async () => {
    const { client, requests } = paged(10);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me", Page: 2, Limit: 2 }));
    expect(items.map((t) => t.BigId)).toEqual([3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
    expect(requests.map((r) => r.Page)).toEqual([2, 3, 4, 5]);
  });

  it("a Total larger than what exists still ends at the empty page", async () => {
    const { client, requests } = paged(3, { total: 100 });
    const items = await collect(client.items("listThings", { Owner: "me" }));
    expect(items).toHaveLength(3);
    expect(requests).toHaveLength(2);
  });

  it("breaking out early sends no further request", async () => {
    const { client, requests } = paged(30);
    for await (const item of client.items("listThings", { Owner: "me" })) {
      void item;
      break;
    }
    expect(requests).toHaveLength(1);
  });

  it("a failing page propagates its ApiError", async () => {
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      transport: async () => ({ status: 200, headers: {}, body: "oops" }),
      env: {},
    });
    await expect(collect(client.pages("listThings", { Owner: "me" }))).rejects.toMatchObject({
      code: "ClientError.InvalidResponse",
    });
  });

  it("an operation without pagination is ClientError.Configuration", async () => {
    const { client } = paged(1);
    const error = await collect(client.pages("describeRegional", {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("ClientError.Configuration");
  });
});

type Pagination = Exclude<NonNullable<ServiceMetadata["operations"][string]["pagination"]>, { style: "cursor" }>;

/**
 * listThings paged as `pagination` says, by a server holding `count` things that reports a total
 * when the metadata names one and serves `served` things when the request has no size.
 */
function styled(pagination: Pagination, count: number, served = 4) {
  const metadata = {
    ...tc3Metadata,
    operations: { ...tc3Metadata.operations, listThings: { ...tc3Metadata.operations.listThings, pagination } },
  };
  const requests: Array<Record<string, unknown>> = [];
  const transport: Transport = async (r) => {
    const q = JSON.parse(r.body) as Record<string, number | undefined>;
    requests.push(q);
    const size = q[pagination.size] ?? served;
    const start =
      pagination.style === "offset" ? (q[pagination.offset] ?? 0) : ((q[pagination.page] ?? pagination.firstPage) - pagination.firstPage) * size;
    const things = Array.from({ length: Math.max(0, Math.min(size, count - start)) }, (_, i) => ({ BigId: start + i + 1 }));
    const payload: Record<string, unknown> = { Things: things };
    if (pagination.total !== null) payload[pagination.total] = count;
    return { status: 200, headers: {}, body: JSON.stringify(tc3Ok(payload)) };
  };
  const client = new ServiceClient(metadata, tc3Validators, {
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    env: {},
    rateLimit: false,
  });
  return { client, requests };
}

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => BigInt(from + i));
const common = { items: "Things", defaultSize: null, maxSize: null, total: "Total" } as const;

describe("pagination styles", () => {
  it("offset: moves by the items received, from 0, asking for the largest page", async () => {
    const { client, requests } = styled({ ...common, style: "offset", offset: "Offset", size: "Limit", maxSize: 3 }, 7);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual(ids(7));
    expect(requests.map((r) => [r["Offset"], r["Limit"]])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
    ]);
  });

  it("offset: starts at the caller's offset and counts the items before it against the total", async () => {
    const { client, requests } = styled({ ...common, style: "offset", offset: "Offset", size: "Limit", maxSize: 3 }, 7);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me", Offset: 5 }));
    expect(items.map((t) => t.BigId)).toEqual(ids(2, 6));
    expect(requests).toHaveLength(1);
  });

  it("page numbers from 0", async () => {
    const { client, requests } = styled({ ...common, style: "page-number", page: "PageNumber", firstPage: 0, size: "Limit", maxSize: 3 }, 5);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual(ids(5));
    expect(requests.map((r) => r["PageNumber"])).toEqual([0, 1]);
  });

  it("a default page size and no maximum: asks for the default", async () => {
    const { client, requests } = styled({ ...common, style: "page-number", page: "Page", firstPage: 1, size: "Limit", defaultSize: 2 }, 5);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual(ids(5));
    expect(requests.map((r) => [r["Page"], r["Limit"]])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
  });

  it("a default page size and no total: stops at the short page", async () => {
    const { client, requests } = styled(
      { ...common, style: "page-number", page: "Page", firstPage: 1, size: "Limit", defaultSize: 2, total: null },
      5,
    );
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual(ids(5));
    expect(requests).toHaveLength(3);
  });

  it("no page size known: leaves it out and, without a total, stops at the empty page", async () => {
    const { client, requests } = styled({ ...common, style: "page-number", page: "Page", firstPage: 1, size: "Limit", total: null }, 6, 4);
    const items = await collect(client.items<{ BigId: bigint }>("listThings", { Owner: "me" }));
    expect(items.map((t) => t.BigId)).toEqual(ids(6));
    expect(requests.every((r) => !("Limit" in r))).toBe(true);
    expect(requests.map((r) => r["Page"])).toEqual([1, 2, 3]);
  });
});
