// What operations.ts and client.ts both declare per operation: the call, and the page and item
// iterators of a paginated operation, with their documentation and types (shapes as `T.Name`,
// whose import the symbol registry plans).
import type { Field, Operation, Pagination, Service } from "../ir/types.js";
import { coreClientName } from "../ir/names.js";
import { cursorPhrase, pageSizeBounds, pagingRequestFields } from "../ir/pagination.js";
import { conditionText } from "./relation-checks.js";
import { docText, type SymbolRegistry } from "./symbols.js";

/** The item type of a paginated operation's items field; `qualified`: its shapes as `T.Name`. */
export function itemType(op: Operation, symbols: SymbolRegistry, qualified = false): string | undefined {
  const f = op.pagination && op.response.fields.find((x) => x.name === op.pagination!.items);
  if (!f || f.type.kind !== "array") return undefined;
  const inner: Field = { ...f, type: f.type.items };
  return symbols.fieldType(inner, qualified);
}

/** How the iterators choose the page size, e.g. "`Limit` defaults to the largest page, 200", and
 * where a relation lowers it, e.g. "; at most 6 when `DataType` is set". */
export function pageSizeChoice(op: Operation, p: Pagination): string {
  const bounds = pageSizeBounds(op).map((b) => `at most ${b.maximum}${conditionText(b.when, (n) => `\`${n}\``)}`);
  const lowered = bounds.length ? `; ${bounds.join(", ")}` : "";
  if (p.size === undefined) return "the service chooses the page size";
  if (p.maxSize !== undefined) return `\`${p.size}\` defaults to the largest page, ${p.maxSize}${lowered}`;
  if (p.defaultSize !== undefined) return `\`${p.size}\` defaults to the service's default page, ${p.defaultSize}${lowered}`;
  return `\`${p.size}\` is left to the service unless given${lowered}`;
}

/** Where the page iterator starts and when it stops. */
function pagesPhrase(p: Pagination): string {
  if (p.style === "cursor") {
    const { from, next } = cursorPhrase(p, (n) => `\`${n}\``);
    return `from ${from}, then with ${next}`;
  }
  const from =
    p.style === "offset" ? `from \`${p.offset}\` (default 0, moving by the items received)` : `from \`${p.page}\` (default ${p.firstPage})`;
  const until =
    p.total !== undefined ? `until \`${p.total}\` items have been seen or a page is empty` : "until a page is shorter than the page size or empty";
  return `${from} ${until}`;
}

/** A call's documentation, as the lines of its doc comment. */
function methodDoc(op: Operation): string[] {
  const lines = [docText(op.summary), "", docText(op.description)];
  const facts: string[] = [];
  if (op.rateLimit)
    facts.push(`Rate limit: ${op.rateLimit.requests} requests per ${op.rateLimit.per} (the client queues a burst instead of failing it).`);
  if (op.regions.required) facts.push(`Region required${op.regions.values.length ? `: one of ${op.regions.values.join(", ")}` : ""}.`);
  else if (op.regions.values.length) facts.push(`Regions: ${op.regions.values.join(", ")}.`);
  for (const w of op.timeWindows) facts.push(`Time window: ${docText(w.description)}`);
  if (facts.length) lines.push("", ...facts);
  lines.push(
    "",
    `@throws {ApiError} with a code of \`${op.name}ErrorCode\` or \`ClientErrorCode\`, the message and the request id.`,
    `@see docs/${op.name}.md`,
  );
  return lines;
}

/** One member of the client: a call, or a paginated operation's page or item iterator. */
export interface Member {
  op: Operation;
  name: string;
  /** The lines of its doc comment. */
  doc: string[];
  request: string;
  returns: string;
  /** What it calls in the runtime (the client's `call`, or `paginate` / `paginateItems`) and its type argument. */
  runtime: "call" | "pages" | "items";
  typeArg: string;
}

export function members(op: Operation, symbols: SymbolRegistry): Member[] {
  const req = symbols.shapeType(op.request.name);
  const res = symbols.shapeType(op.response.name);
  const out: Member[] = [{ op, name: op.method, doc: methodDoc(op), request: req, returns: `Promise<${res}>`, runtime: "call", typeArg: res }];
  const item = itemType(op, symbols, true);
  if (op.pagination && item) {
    const p = op.pagination;
    const paging = pagingRequestFields(p)
      .map((f) => JSON.stringify(f))
      .join(" | ");
    const pageReq = `Omit<${req}, ${paging}> & Partial<Pick<${req}, ${paging}>>`;
    const throws = ["", `@throws {ApiError} as ${op.method}.`];
    out.push(
      {
        op,
        name: `${op.method}Pages`,
        doc: [`Every page of ${op.name}, ${docText(pagesPhrase(p))}; ${docText(pageSizeChoice(op, p))}.`, ...throws],
        request: pageReq,
        returns: `AsyncGenerator<${res}, void, undefined>`,
        runtime: "pages",
        typeArg: res,
      },
      {
        op,
        name: `${op.method}Items`,
        doc: [`Every item of \`${p.items}\` across the pages of ${op.name}.`, ...throws],
        request: pageReq,
        returns: `AsyncGenerator<${item}, void, undefined>`,
        runtime: "items",
        typeArg: item,
      },
    );
  }
  return out;
}

/** The core client's class name: `LcicClient` → `LcicCore`. */
export function coreClassName(service: Service): string {
  return coreClientName(service.clientName);
}
