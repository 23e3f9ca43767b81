// Pagination as functions over a client, not methods of it: a bundle of an app that pages no
// operation leaves them out (a class keeps every method). `<method>Pages` and `<method>Items` of
// the generated packages, and ServiceClient's `pages` and `items`, call these.
import type { ProtocolClient } from "./client-core.js";
import { ApiError } from "./errors.js";
import type { CursorPaginationMetadata, OperationName, PaginationMetadata, RelationConditionMetadata, ServiceMetadata } from "./metadata.js";
import type { CallOptions } from "./options.js";

/** Whether the request meets a relation's condition. */
function conditionHolds(when: RelationConditionMetadata, request: Record<string, unknown>): boolean {
  const value = Object.hasOwn(request, when.field) ? request[when.field] : undefined;
  const set = value !== undefined && value !== null;
  if ("present" in when) return when.present === set;
  return set && (when.text ? String(value) === String(when.equals) : value === when.equals);
}

/** A cursor as text, to tell whether it was sent before (a number and its decimal text are one cursor). */
const cursorText = (v: unknown): string => (v === undefined ? "" : typeof v === "string" ? `s${v}` : `n${String(v)}`);

/** Whether a response value is the spec's `end` value (a 64-bit integer may arrive as a string or a bigint). */
function sameCursor(value: unknown, equals: string | number | boolean): boolean {
  if (value === equals) return true;
  return (typeof value === "bigint" || typeof value === "string") && typeof equals === "number" && String(value) === String(equals);
}

/** The smallest or largest integer value of `rule.field` among the items (numbers, bigints or decimal strings); undefined when none has one. */
function pickCursor(items: readonly unknown[], rule: CursorPaginationMetadata["nextItem"]): unknown {
  if (!rule) return undefined;
  let best: { value: unknown; n: bigint } | undefined;
  for (const item of items) {
    const value = item !== null && typeof item === "object" ? (item as Record<string, unknown>)[rule.field] : undefined;
    const n = asBigInt(value);
    if (n === undefined) continue;
    if (!best || (rule.pick === "min" ? n < best.n : n > best.n)) best = { value, n };
  }
  return best?.value;
}

function asBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === "string" && /^-?\d{1,40}$/.test(v)) return BigInt(v);
  return undefined;
}

/** The page size an iterator asks for when the caller gives none: the spec's largest page (else its
 * default page) under every bound on the size whose condition this request meets; undefined: none known. */
export function pageSizeFor(pagination: PaginationMetadata, request: Record<string, unknown>): number | undefined {
  let size = pagination.maxSize ?? pagination.defaultSize ?? undefined;
  for (const bound of pagination.sizeBounds ?? [])
    if (bound.when === null || conditionHolds(bound.when, request)) size = size === undefined ? bound.maximum : Math.min(size, bound.maximum);
  return size;
}

/**
 * The pages of a paginated operation, from the request's page or offset (default the first) with
 * its page size (default the spec's largest page, else its default page, lowered to what the spec's
 * bounds on the size allow for this request; none known: left out). Stops
 * after a page that completes `total` items; without a total, after a page shorter than the size;
 * and at an empty page (yielded only when it is the first). An offset moves by the items received.
 */
export async function* paginate<T = unknown, M extends ServiceMetadata = ServiceMetadata>(
  client: ProtocolClient<M>,
  method: OperationName<M>,
  request: unknown,
  options: CallOptions = {},
): AsyncGenerator<T, void, undefined> {
  const operation = client.metadata.operations[method];
  const pagination = operation?.pagination;
  if (!operation || !pagination) {
    throw new ApiError({
      code: "ClientError.Configuration",
      message: `${client.metadata.id}.${method} is not a paginated operation`,
      operation: operation?.name,
    });
  }
  const base = (typeof request === "object" && request !== null ? request : {}) as Record<string, unknown>;
  if (pagination.style === "cursor") return yield* cursorPages<T, M>(client, method, pagination, base, options);
  const givenSize = base[pagination.size];
  const size = typeof givenSize === "number" && givenSize > 0 ? givenSize : pageSizeFor(pagination, base);
  const byOffset = pagination.style === "offset";
  const positionKey = byOffset ? pagination.offset : pagination.page;
  const givenPosition = base[positionKey];
  const start = byOffset ? 0 : pagination.firstPage;
  let position = typeof givenPosition === "number" && Number.isSafeInteger(givenPosition) ? givenPosition : start;
  // Items before the first page asked for, so that `total` is compared with where the list ends.
  let seen = byOffset ? position : Math.max(0, position - start) * (size ?? 0);
  for (let first = true; ; first = false) {
    const pageRequest: Record<string, unknown> = { ...base, [positionKey]: position };
    if (size === undefined) delete pageRequest[pagination.size];
    else pageRequest[pagination.size] = size;
    const response = await client.call<Record<string, unknown>>(method, pageRequest, options);
    const items = response[pagination.items];
    const count = Array.isArray(items) ? items.length : 0;
    if (count === 0 && !first) return;
    yield response as T;
    if (count === 0) return;
    seen += count;
    position += byOffset ? count : 1;
    const total = pagination.total === null ? undefined : toCount(response[pagination.total]);
    if (total !== undefined ? seen >= total : size !== undefined && count < size) return;
  }
}

/**
 * The pages of a cursor list: the request's cursor (default the spec's `first`, else left out), then
 * the one each page gives, with the page size as `pages` chooses it. Stops when the next cursor is
 * absent, null or "", when the spec's `end` field says so, at an empty page (yielded only when it
 * is the first), when a cursor comes back that was already sent (a server that would loop), and
 * for a cursor taken from the items, after a page shorter than the size.
 */
async function* cursorPages<T, M extends ServiceMetadata>(
  client: ProtocolClient<M>,
  method: OperationName<M>,
  pagination: Extract<PaginationMetadata, { style: "cursor" }>,
  base: Record<string, unknown>,
  options: CallOptions,
): AsyncGenerator<T, void, undefined> {
  const sizeKey = pagination.size;
  const givenSize = sizeKey === null ? undefined : base[sizeKey];
  const size = typeof givenSize === "number" && givenSize > 0 ? givenSize : sizeKey === null ? undefined : pageSizeFor(pagination, base);
  const given = base[pagination.cursor];
  let cursor: unknown = given !== undefined && given !== null ? given : (pagination.first ?? undefined);
  const sent = new Set<string>();
  for (let first = true; ; first = false) {
    const pageRequest: Record<string, unknown> = { ...base };
    if (cursor === undefined) delete pageRequest[pagination.cursor];
    else pageRequest[pagination.cursor] = cursor;
    if (sizeKey !== null) {
      if (size === undefined) delete pageRequest[sizeKey];
      else pageRequest[sizeKey] = size;
    }
    sent.add(cursorText(cursor));
    const response = await client.call<Record<string, unknown>>(method, pageRequest, options);
    const items = response[pagination.items];
    const count = Array.isArray(items) ? items.length : 0;
    if (count === 0 && !first) return;
    yield response as T;
    if (count === 0) return;
    const end = pagination.end;
    if (end && sameCursor(response[end.field], end.equals)) return;
    const next = pagination.next !== null ? response[pagination.next] : pickCursor(items as unknown[], pagination.nextItem);
    if (next === undefined || next === null || next === "" || sent.has(cursorText(next))) return;
    if (pagination.nextItem && size !== undefined && count < size) return;
    cursor = next;
  }
}

/** Every item of every page (see `pages`). */
export async function* paginateItems<T = unknown, M extends ServiceMetadata = ServiceMetadata>(
  client: ProtocolClient<M>,
  method: OperationName<M>,
  request: unknown,
  options: CallOptions = {},
): AsyncGenerator<T, void, undefined> {
  const itemsKey = client.metadata.operations[method]?.pagination?.items ?? "";
  for await (const page of paginate<Record<string, unknown>, M>(client, method, request, options)) {
    const items = page[itemsKey];
    if (Array.isArray(items)) yield* items as T[];
  }
}

function toCount(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
