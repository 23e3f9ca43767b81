// Small readings of an operation's pagination shared by the emitters, the rules and the diff.
import type { Pagination } from "./types.js";

/** The request field that moves through the list: the page number or the item offset. */
export function positionField(p: Pagination): string {
  return p.style === "offset" ? p.offset : p.page;
}

/** What pagination says, as flat values (for the metadata, OpenAPI and the diff): absent keys left out. */
export function paginationFacts(p: Pagination): Record<string, string | number> {
  const facts: Record<string, string | number | undefined> =
    p.style === "offset"
      ? { style: p.style, offset: p.offset, size: p.size, maxSize: p.maxSize, defaultSize: p.defaultSize, items: p.items, total: p.total }
      : { style: p.style, page: p.page, firstPage: p.firstPage, size: p.size, maxSize: p.maxSize, defaultSize: p.defaultSize, items: p.items, total: p.total };
  return Object.fromEntries(Object.entries(facts).filter((e): e is [string, string | number] => e[1] !== undefined));
}
