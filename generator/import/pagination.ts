// Pagination from the request and response fields: page-number (`Page`/`PageNumber`/`PageNo`/
// `PageIndex` with `Limit`/`PageSize`, first page 0 or 1 as the texts say) and offset (`Offset`
// with `Limit`). Written as a real `pagination:` block; what the fields cannot settle (which list,
// which first page, a page size with neither maximum nor default) gets a TODO(import) comment.
import type { Note } from "../ir/types.js";
import type { FieldModel, ShapeModel } from "./fields.js";

const PAGE = ["Page", "PageNumber", "PageNo", "PageNum", "PageIndex"];
const SIZE = ["Limit", "PageSize", "Size", "PerPage"];
const OFFSET = ["Offset"];
const TOTAL = ["Total", "TotalCount", "TotalNum", "TotalNumber"];
const INTEGER = /^u?int(32|64)$|^integer$/;

const find = (s: ShapeModel, names: readonly string[]) =>
  names.map((n) => s.fields.find((f) => f.name === n)).find((f): f is FieldModel => !!f && INTEGER.test(f.type));

/** The first page, from the page field's texts (both editions): stated, implied by its default, or unknown. */
export function firstPage(texts: readonly string[]): { value: number; how: "stated" | "default" | "unknown" } {
  for (const t of texts) {
    const m = /从\s*([01])\s*开始|([01])\s*开始|(?:starts?|begins?|starting)\s+(?:from|at|with)\s+([01])\b|([01])-based/i.exec(t);
    if (m) return { value: Number(m.slice(1).find((g) => g !== undefined)), how: "stated" };
  }
  for (const t of texts) {
    const m = /默认(?:值)?(?:为|是)?\s*[:：]?\s*([01])(?!\d)|default(?: value)?(?: is|:)?\s*`?([01])\b|`?([01])`?\s+by default/i.exec(t);
    if (m) return { value: Number(m.slice(1).find((g) => g !== undefined)), how: "default" };
  }
  return { value: 1, how: "unknown" };
}

export interface PaginationModel {
  /** The spec's `pagination:` value, or none. */
  value?: Record<string, string | number>;
  /** Comment lines (without `#`) before it. */
  comments: string[];
  notes: Note[];
}

/**
 * `texts(field)`: the texts of a request field in every edition. The size field's `maximum` and
 * `default` are already on its model (constraints.ts).
 */
export function paginationOf(request: ShapeModel, response: ShapeModel, texts: (field: string) => string[]): PaginationModel {
  const size = find(request, SIZE);
  if (!size) return { comments: [], notes: [] };
  const page = find(request, PAGE);
  const offset = page ? undefined : find(request, OFFSET);
  const lists = response.fields.filter((f) => f.type.endsWith("[]"));
  if (!page && !offset) {
    return {
      comments: [
        `TODO(import): pagination? ${size.name} has no page or offset field beside it; check whether the results page (a cursor?), or delete this comment.`,
      ],
      notes: [],
    };
  }
  if (!lists.length)
    return {
      comments: [`TODO(import): pagination? ${(page ?? offset)!.name} and ${size.name} look like paging, but the response has no list field.`],
      notes: [],
    };
  const comments: string[] = [];
  const notes: Note[] = [];
  const items = lists[0]!;
  if (lists.length > 1)
    comments.push(
      `TODO(import): pagination.items: the response has several lists (${lists.map((f) => f.name).join(", ")}); ${items.name} is a guess.`,
    );
  const total = find(response, TOTAL);
  const value: Record<string, string | number> = { style: page ? "page-number" : "offset" };
  if (page) {
    const first = firstPage(texts(page.name));
    value.page = page.name;
    value.firstPage = first.value;
    if (first.how === "unknown")
      comments.push(`TODO(import): pagination.firstPage: the texts of ${page.name} do not say whether pages count from 0 or 1; 1 is a guess.`);
    if (first.how === "default")
      notes.push({ topic: "First page (imported)", text: `${page.name} defaults to ${first.value} (its text); taken as the first page.` });
  } else value.offset = offset!.name;
  value.size = size.name;
  value.items = items.name;
  if (total) value.total = total.name;
  if (size.maximum === undefined && size.default === undefined) {
    // The lint needs one of them to know the page size: propose the block, commented out.
    comments.push(
      `TODO(import): pagination. ${size.name} states neither a maximum nor a default; give it the largest page (\`maximum\`) or the page the service sends without it (\`default\`), then uncomment:`,
      "pagination:",
      ...Object.entries(value).map(([k, v]) => `  ${k}: ${v}`),
    );
    return { comments, notes };
  }
  return { value, comments, notes };
}
