// One operation, base against head: its identity on the wire and in the client, its limits, its
// errors, then its request and response field by field.
import type { Operation, Pagination, RateLimit, Regions, Service, TimeWindow } from "../ir/types.js";
import { paginationFacts, pagingRequestFields } from "../ir/pagination.js";
import { operationErrors } from "../ir/usage.js";
import { findProtocol } from "../protocols/index.js";
import type { ChangeSink } from "./change.js";
import { compareMessage } from "./fields.js";

export function compareOperation(sink: ChangeSink, base: Service, head: Service, b: Operation, h: Operation): void {
  const before = wireKeys(base, b);
  const after = wireKeys(head, h);
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort())
    if (before.get(key) !== after.get(key))
      sink.add(
        "breaking",
        "wire-name-changed",
        key,
        `${key} ${before.get(key) ?? "(none)"} → ${after.get(key) ?? "(none)"}: calls go to another ${key}`,
      );
  if (b.method !== h.method) sink.add("breaking", "method-renamed", "method", `client method ${b.method} → ${h.method}`);
  if (!b.deprecated && h.deprecated) sink.add("safe", "deprecated", "", `deprecated: ${h.deprecated}`);
  compareRateLimit(sink, b.rateLimit, h.rateLimit);
  // An operation without its own regions inherits the service's, which the service comparison covers.
  if (b.regions.loc.file === b.file || h.regions.loc.file === h.file) compareRegions(sink, b.regions, h.regions);
  compareErrors(sink, b, h);
  comparePagination(sink, b.pagination, h.pagination);
  compareTimeWindows(sink, b.timeWindows, h.timeWindows);
  compareMessage(sink, "request", base, head, b.request, h.request);
  compareMessage(sink, "response", base, head, b.response, h.response);
}

/** The operation's wire key under the name its protocol gives it (`action`, `command`). */
function wireKeys(service: Service, op: Operation): Map<string, string> {
  const field = findProtocol(service.protocol.name)?.wireField;
  return new Map(field && op.wire ? [[field, op.wire.key]] : []);
}

const perSecond = (r: RateLimit) => r.requests / (r.per === "minute" ? 60 : 1);
const rateText = (r: RateLimit) => `${r.requests}/${r.per}`;

function compareRateLimit(sink: ChangeSink, b: RateLimit | undefined, h: RateLimit | undefined): void {
  if (!b && !h) return;
  if (!b) return sink.add("breaking", "rate-limit-added", "rateLimit", `now limited to ${rateText(h!)}: consumers calling faster are refused`);
  if (!h) return sink.add("safe", "rate-limit-removed", "rateLimit", `no documented limit any more (was ${rateText(b)})`);
  if (perSecond(h) < perSecond(b))
    sink.add(
      "breaking",
      "rate-limit-lowered",
      "rateLimit",
      `rate limit ${rateText(b)} → ${rateText(h)}: consumers calling at the old rate are refused`,
    );
  else if (perSecond(h) > perSecond(b)) sink.add("safe", "rate-limit-raised", "rateLimit", `rate limit ${rateText(b)} → ${rateText(h)}`);
}

export function compareRegions(sink: ChangeSink, b: Regions, h: Regions): void {
  if (!b.required && h.required) sink.add("breaking", "region-required", "regions", "a region is now required: calls without one are refused");
  if (b.required && !h.required) sink.add("safe", "region-optional", "regions", "a region is no longer required");
  // An empty list means any region.
  if (!b.values.length && h.values.length)
    return sink.add("breaking", "regions-restricted", "regions", `now limited to ${h.values.join(", ")}: calls for other regions are refused`);
  if (b.values.length && !h.values.length) return sink.add("safe", "regions-unrestricted", "regions", "any region is now accepted");
  for (const r of b.values.filter((v) => !h.values.includes(v)))
    sink.add("breaking", "region-removed", `regions[${r}]`, `region ${r} removed: calls for it are refused`);
  for (const r of h.values.filter((v) => !b.values.includes(v))) sink.add("safe", "region-added", `regions[${r}]`, `region ${r} added`);
}

// Error codes are an open set on the wire (a protocol may answer codes no page lists, and nothing
// validates them), so a new code breaks no one. A removed code is safe too: the service stops sending
// it; code that compares with it no longer type-checks against the new package, which the message says.
function compareErrors(sink: ChangeSink, b: Operation, h: Operation): void {
  const headAll = new Map(h.errors.map((e) => [String(e.code), e]));
  const baseAll = new Map(b.errors.map((e) => [String(e.code), e]));
  for (const e of operationErrors(b)) {
    const still = headAll.get(String(e.code));
    if (!still)
      sink.add(
        "safe",
        "error-removed",
        `errors[${e.code}]`,
        `error ${e.code} no longer documented (code that compares with it no longer type-checks against the new package)`,
      );
    else if (still.retryable !== e.retryable)
      sink.add("safe", "error-retryable-changed", `errors[${e.code}]`, `error ${e.code} is ${still.retryable ? "now" : "no longer"} retryable`);
  }
  for (const e of operationErrors(h))
    if (!baseAll.has(String(e.code))) sink.add("safe", "error-added", `errors[${e.code}]`, `error ${e.code} documented: ${e.description}`);
}

function comparePagination(sink: ChangeSink, b: Pagination | undefined, h: Pagination | undefined): void {
  if (!b && !h) return;
  if (!h) return sink.add("breaking", "pagination-removed", "pagination", "no longer paginated: the client's page and item iterators are gone");
  if (!b) return sink.add("safe", "pagination-added", "pagination", `now paginated by ${pagingRequestFields(h).join(" and ")}`);
  const [bf, hf] = [paginationFacts(b), paginationFacts(h)];
  const keys = [
    "style",
    "page",
    "firstPage",
    "offset",
    "cursor",
    "next",
    "nextItem",
    "nextPick",
    "first",
    "endField",
    "endEquals",
    "size",
    "items",
    "total",
  ] as const;
  const changed = keys.filter((k) => bf[k] !== hf[k]);
  if (changed.length)
    sink.add(
      "breaking",
      "pagination-changed",
      "pagination",
      `pagination ${changed.map((k) => `${k} ${bf[k] ?? "none"} → ${hf[k] ?? "none"}`).join(", ")}`,
    );
}

function windowKey(w: TimeWindow): string {
  return w.kind === "after-event" ? `after-event ${w.event}` : `${w.kind} ${w.field}`;
}

/** The spec's own spelling of a duration: 14d, 1h, 90s. */
function duration(seconds: number | undefined): string {
  if (seconds === undefined) return "unlimited";
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function windowSeconds(w: TimeWindow): number | undefined {
  return w.kind === "order" ? undefined : w.withinSeconds;
}

function compareTimeWindows(sink: ChangeSink, b: TimeWindow[], h: TimeWindow[]): void {
  const heads = new Map(h.map((w) => [windowKey(w), w]));
  const bases = new Set(b.map(windowKey));
  for (const bw of b) {
    const key = windowKey(bw);
    const hw = heads.get(key);
    const path = `timeWindows[${key}]`;
    if (!hw) {
      sink.add("safe", "time-window-removed", path, `time window removed: ${bw.description}`);
      continue;
    }
    if (bw.kind === "order" && hw.kind === "order" && bw.notBefore !== hw.notBefore)
      sink.add("breaking", "time-window-tightened", path, `${bw.field} must now not precede ${hw.notBefore} (was ${bw.notBefore})`);
    const [x, y] = [windowSeconds(bw), windowSeconds(hw)];
    // A window without a length (after-event with no `within`) is open-ended.
    if (x === y) continue;
    if (y !== undefined && (x === undefined || y < x))
      sink.add("breaking", "time-window-tightened", path, `window ${duration(x)} → ${duration(y)}: calls that were in time are refused`);
    else sink.add("safe", "time-window-loosened", path, `window ${duration(x)} → ${duration(y)}`);
  }
  for (const hw of h.filter((w) => !bases.has(windowKey(w))))
    sink.add("breaking", "time-window-added", `timeWindows[${windowKey(hw)}]`, `new time window: ${hw.description}`);
}
