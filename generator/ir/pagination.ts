// Small readings of an operation's pagination shared by the emitters, the rules and the diff.
import { isDecimalHeld } from "./relations.js";
import type { Operation, Pagination, RelationCondition } from "./types.js";

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

/** A `bound` relation's maximum on the page-size field, with its condition (undefined: always). */
export interface PageSizeBound {
  maximum: number;
  when?: RelationCondition;
  /** The condition's `equals` is compared as decimal text: its field is a 64-bit integer held as a string or bigint. */
  byText: boolean;
}

/** The bounds that lower the largest page for some (or every) request: the operation's `bound`
 * relations with a maximum on the page-size field. */
export function pageSizeBounds(op: Operation): PageSizeBound[] {
  const p = op.pagination;
  if (!p) return [];
  return op.relations.flatMap((r) => {
    if (r.kind !== "bound" || r.field !== p.size || r.maximum === undefined) return [];
    const whenField = r.when && op.request.fields.find((f) => f.name === r.when!.field);
    return [{ maximum: r.maximum, ...(r.when ? { when: r.when } : {}), byText: whenField !== undefined && isDecimalHeld(whenField) }];
  });
}
