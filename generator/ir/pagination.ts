// Small readings of an operation's pagination shared by the emitters, the rules and the diff.
import { isDecimalHeld } from "./relations.js";
import type { Operation, Pagination, RelationCondition } from "./types.js";

/** The request field that moves through the list: the page number, the item offset or the cursor. */
export function positionField(p: Pagination): string {
  return p.style === "offset" ? p.offset : p.style === "cursor" ? p.cursor : p.page;
}

/** The request fields an iterator sets itself: the position and the page size (when there is one). */
export function pagingRequestFields(p: Pagination): string[] {
  return p.size === undefined ? [positionField(p)] : [positionField(p), p.size];
}

/** The response fields pagination reads besides the items: the total, a cursor's next and end fields. */
export function pagingResponseFields(p: Pagination): string[] {
  const out = p.total === undefined ? [] : [p.total];
  if (p.style === "cursor") {
    if ("field" in p.next) out.push(p.next.field);
    if (p.end && !out.includes(p.end.field)) out.push(p.end.field);
  }
  return out;
}

/** What pagination says, as flat values (for the metadata, OpenAPI and the diff): absent keys left out. */
export function paginationFacts(p: Pagination): Record<string, string | number | boolean> {
  const common = { size: p.size, maxSize: p.maxSize, defaultSize: p.defaultSize, items: p.items, total: p.total };
  const facts: Record<string, string | number | boolean | undefined> =
    p.style === "offset"
      ? { style: p.style, offset: p.offset, ...common }
      : p.style === "cursor"
        ? {
            style: p.style,
            cursor: p.cursor,
            ...("field" in p.next ? { next: p.next.field } : { nextItem: p.next.item, nextPick: p.next.pick }),
            first: p.first,
            endField: p.end?.field,
            endEquals: p.end?.equals,
            ...common,
          }
        : { style: p.style, page: p.page, firstPage: p.firstPage, ...common };
  return Object.fromEntries(Object.entries(facts).filter((e): e is [string, string | number | boolean] => e[1] !== undefined));
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
  if (!p || p.size === undefined) return [];
  return op.relations.flatMap((r) => {
    if (r.kind !== "bound" || r.field !== p.size || r.maximum === undefined) return [];
    const whenField = r.when && op.request.fields.find((f) => f.name === r.when!.field);
    return [{ maximum: r.maximum, ...(r.when ? { when: r.when } : {}), byText: whenField !== undefined && isDecimalHeld(whenField) }];
  });
}

/** How a cursor list moves and ends, in words with the fields and values marked by `mark` (code spans in docs). */
export function cursorPhrase(p: Extract<Pagination, { style: "cursor" }>, mark: (text: string) => string): { from: string; next: string } {
  const value = (v: string | number | boolean) => mark(JSON.stringify(v));
  const from = `${mark(p.cursor)} (${p.first === undefined ? "left out" : value(p.first)} on the first request)`;
  const onNext = p.end !== undefined && "field" in p.next && p.end.field === p.next.field;
  const end = p.end && !onNext ? `, or when ${mark(p.end.field)} is ${value(p.end.equals)}` : "";
  const next =
    "field" in p.next
      ? `the ${mark(p.next.field)} each page returns, until it is ${onNext ? `absent, ${mark('""')} or ${value(p.end!.equals)}` : `absent or ${mark('""')}`}${end}, or a page is empty`
      : `the ${p.next.pick === "min" ? "smallest" : "largest"} ${mark(p.next.item)} of each page's items (the next page holds the items ${p.next.pick === "min" ? "below" : "above"} it), until a page is empty or shorter than the page size${end}`;
  return { from, next };
}
