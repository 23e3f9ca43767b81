// What the metadata cannot say but its fields and texts hint at: pagination, rate limits, time
// windows. Each becomes a `# TODO(import):` comment for the maintainer, never a spec key, because
// each needs a decision (and page-number pagination needs a page-size maximum the metadata lacks).
import type { FieldModel, ShapeModel } from "./fields.js";

const PAGE = ["Page", "PageNumber", "PageNo", "PageNum", "PageIndex"];
const SIZE = ["Limit", "PageSize", "Size"];
const TOTAL = ["Total", "TotalCount", "TotalNum", "TotalNumber"];
const INTEGER = /^u?int(32|64)$/;

const find = (s: ShapeModel, names: readonly string[], integer = true) =>
  names.map((n) => s.fields.find((f) => f.name === n)).find((f): f is FieldModel => !!f && (!integer || INTEGER.test(f.type)));

function firstPage(page: FieldModel): { value: number; sure: boolean } {
  if (/从\s*0\s*开始|(start|begin)s?\s+(from|at|with)\s+0\b|0-based/i.test(page.description)) return { value: 0, sure: true };
  if (/从\s*1\s*开始|1\s*开始|(start|begin)s?\s+(from|at|with)\s+1\b/i.test(page.description)) return { value: 1, sure: true };
  // "默认为0" (defaults to 0) hints at 0-based pages without saying so.
  if (/默认(?:为|值为)?\s*0(?!\d)|defaults?\s+(?:to\s+|is\s+)?0\b/i.test(page.description)) return { value: 0, sure: false };
  return { value: 1, sure: false };
}

/** Comment lines (without `#`) proposing a pagination block, or none. */
export function paginationHint(request: ShapeModel, response: ShapeModel): string[] {
  const size = find(request, SIZE);
  if (!size) return [];
  const lists = response.fields.filter((f) => f.type.endsWith("[]"));
  const items = lists.length === 1 ? lists[0]!.name : "TODO";
  const itemsNote = lists.length > 1 ? ` (items: one of ${lists.map((f) => f.name).join(", ")})` : lists.length ? "" : " (no list field in the response)";
  const total = find(response, TOTAL)?.name ?? "TODO";
  const page = find(request, PAGE);
  const offset = find(request, ["Offset"]);
  if (page) {
    const first = firstPage(page);
    return [
      `TODO(import): pagination. ${page.name} and ${size.name} look like page-number pagination${itemsNote}.`,
      `Give ${size.name} a \`maximum\` (the largest page; the lint requires one)${first.sure ? "" : ", check firstPage"}, then uncomment:`,
      "pagination:",
      "  style: page-number",
      `  page: ${page.name}`,
      `  firstPage: ${first.value}`,
      `  size: ${size.name}`,
      `  items: ${items}`,
      `  total: ${total}`,
    ];
  }
  if (offset)
    return [
      `TODO(import): pagination. ${offset.name} and ${size.name} look like offset pagination${itemsNote}, which the spec`,
      "format cannot express yet (pagination.style is page-number only); kept as a comment:",
      "pagination:",
      "  style: offset",
      `  offset: ${offset.name}`,
      `  size: ${size.name}`,
      `  items: ${items}`,
      `  total: ${total}`,
    ];
  return [`TODO(import): pagination? ${size.name} has no page or offset field beside it; check whether the results page (a cursor?).`];
}

/** `rateLimit` as the action's texts state it, e.g. "20次/秒" or "20 requests per second". */
export function rateLimitFromText(texts: ReadonlyArray<string | undefined>): number | undefined {
  for (const t of texts) {
    const m = t && (/(\d+)\s*次\s*(?:\/|每)\s*秒/.exec(t) ?? /每秒\s*(?:最多|最高)?\s*(\d+)\s*次/.exec(t) ?? /(\d+)\s+requests?\s+(?:can be (?:initiated|sent|made)\s+)?per second/i.exec(t));
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Phrases in the action's texts that read like a time window ("1小时内", "last 14 days"). */
export function timeWindowPhrases(texts: ReadonlyArray<string | undefined>): string[] {
  const found = new Set<string>();
  for (const t of texts)
    for (const m of (t ?? "").matchAll(/\d+\s*(?:天|小时|分钟|秒)(?:内|以内)|(?:last|within|past)\s+(?:one|\d+)\s+(?:days?|hours?|minutes?)/gi)) found.add(m[0]);
  return [...found].sort();
}
