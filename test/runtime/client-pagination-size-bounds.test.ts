// pageSizeFor: the page size an iterator asks for under the spec's bounds on the size field, with
// each condition read as the validators read it (present: neither absent nor null; equals: the same
// value, or the same decimal text for a 64-bit field held as a string or bigint).
import { describe, expect, it } from "vitest";
import { pageSizeFor } from "../../templates/runtime/src/client/pagination.js";
import type { PaginationMetadata, PageSizeBound } from "../../templates/runtime/src/client/metadata.js";

const paging = (maxSize: number | null, defaultSize: number | null, sizeBounds?: PageSizeBound[]): PaginationMetadata => ({
  style: "offset",
  offset: "Offset",
  size: "Limit",
  maxSize,
  defaultSize,
  items: "Items",
  total: null,
  ...(sizeBounds ? { sizeBounds } : {}),
});

describe("pageSizeFor", () => {
  it("without bounds: the largest page, else the default, else none", () => {
    expect(pageSizeFor(paging(100, 20), {})).toBe(100);
    expect(pageSizeFor(paging(null, 20), {})).toBe(20);
    expect(pageSizeFor(paging(null, null), {})).toBeUndefined();
  });

  it("a bound lowers the default page and stands in for an unknown one", () => {
    const bounds: PageSizeBound[] = [{ maximum: 6, when: { field: "Kind", present: true } }];
    expect(pageSizeFor(paging(null, 20, bounds), { Kind: "a" })).toBe(6);
    expect(pageSizeFor(paging(null, null, bounds), { Kind: "a" })).toBe(6);
    expect(pageSizeFor(paging(null, null, bounds), {})).toBeUndefined();
    // A bound above the largest page changes nothing.
    expect(pageSizeFor(paging(5, null, bounds), { Kind: "a" })).toBe(5);
  });

  it("equals: the same value; with text, the same decimal text", () => {
    const exact: PageSizeBound[] = [{ maximum: 6, when: { field: "Id", equals: 7 } }];
    expect(pageSizeFor(paging(100, null, exact), { Id: 7 })).toBe(6);
    expect(pageSizeFor(paging(100, null, exact), { Id: "7" })).toBe(100);
    const text: PageSizeBound[] = [{ maximum: 6, when: { field: "Id", equals: 7, text: true } }];
    expect(pageSizeFor(paging(100, null, text), { Id: 7n })).toBe(6);
    expect(pageSizeFor(paging(100, null, text), { Id: "7" })).toBe(6);
    expect(pageSizeFor(paging(100, null, text), { Id: null })).toBe(100);
  });

  it("reads only the request's own fields", () => {
    const bounds: PageSizeBound[] = [{ maximum: 6, when: { field: "constructor", present: true } }];
    expect(pageSizeFor(paging(100, null, bounds), {})).toBe(100);
    expect(pageSizeFor(paging(100, null, bounds), { constructor: 1 })).toBe(6);
  });
});
