// The pure helpers every generated validator calls to build its issues: no classes and no state
// beyond constant tables. `npm run build` bundles this module into each service package's ES entry
// (see generator/build/build-packages.ts): V8 runs a validator whose helpers live in its own module
// about 25% faster on invalid values than one calling them across a package boundary.

export type IssueCode =
  | "required"
  | "type"
  | "null"
  | "enum"
  | "minimum"
  | "maximum"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "format"
  | "minItems"
  | "maxItems"
  | "unknown"
  | "precision"
  | "region"
  | "time-window"
  | "relation";

export interface Issue {
  /** `Field.Sub[2].Leaf`; empty for the value itself. */
  path: string;
  code: IssueCode;
  /** What the spec allows, in words: `≤ 200`, `an integer`, `one of "a", "b"`. */
  expected: string;
  /** What was there, shortened: `500`, `"abc"`, `an object`, `nothing`. */
  received: string;
  /** `Limit: must be ≤ 200, got 500`. */
  message: string;
  /** Set on time-window and relation issues: the error the spec documents for them. */
  error?: string | number;
}

const MAX_SHOWN = 40;

/** JSON.stringify of a string, without calling it for the common string that needs no escape. */
function quoted(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, `"`, `\` and surrogates (lone ones are escaped): JSON.stringify decides.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * A short, safe rendering of a received value for a message. Small, so V8 inlines it at every
 * site: the common wrong values (numbers, booleans) are rendered here, the rest in `describeOther`.
 * (`typeof v === "…"` tests compile to inline checks; a switch on `typeof v` to a builtin call.)
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return describeOther(value);
}

function describeOther(value: unknown): string {
  if (typeof value === "string") return quoted(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) + "…" : value);
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? `an array of ${value.length}` : "an object";
  if (typeof value === "bigint") return value.toString();
  return `a ${typeof value}`;
}

// Small whole numbers as text: String(n) is a builtin call per issue, and wrong counts and ids
// are the numbers invalid requests hold most. Filled up front: a packed table reads several times
// faster than one filled on demand (holey, with a store on the path).
const SMALL_NUMBERS: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

function numberText(n: number): string {
  // `(n | 0) === n` rather than `n % 1 === 0`, which is a C call for a double. -0 lands on "0",
  // which is String(-0) too.
  if (n >= 0 && n < 256 && (n | 0) === n) return SMALL_NUMBERS[n]!;
  return String(n);
}

/** `parent.key` or `parent[3]`; null under a null parent (a collector checking without paths, see INVALID). */
export function pathOf(parent: string, key: string | number): string;
export function pathOf(parent: string | null, key: string | number): string | null;
export function pathOf(parent: string | null, key: string | number): string | null {
  if (parent === null) return null;
  return typeof key === "number" ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;
}

/** Issues collected so far: undefined until the first one, so a valid value allocates no list. */
export type Issues = Issue[] | undefined;

/**
 * The most issues one validation reports. Collectors stop looping (over array items and unknown
 * keys) once they hold one more, so a huge invalid value costs about this many issues' work; the
 * result keeps the first MAX_ISSUES and says `truncated`.
 */
export const MAX_ISSUES = 100;

/**
 * What a collector returns when it is called without a path (`p` null): `is*` and the first look
 * at a nested value need only whether there is a problem, so no path or message is built and no
 * issue list is made. Longer than MAX_ISSUES, so every loop over items or keys stops at once; frozen,
 * so nothing can ever be added to it.
 */
export const INVALID: Issue[] = /* @__PURE__ */ Object.freeze(new Array<Issue>(MAX_ISSUES + 1)) as Issue[];

/** A failed validation: at most MAX_ISSUES issues, `truncated: true` when there were more. */
export type ValidationFailure = { ok: false; issues: Issue[]; truncated?: true };

/** The failed result of a collection (`issues` is not empty); cut to MAX_ISSUES. */
export function failed(issues: Issue[]): ValidationFailure {
  if (issues.length <= MAX_ISSUES) return { ok: false, issues };
  issues.length = MAX_ISSUES;
  return { ok: false, issues, truncated: true };
}

/** `out` with `issue` appended: a new one-element list when there was none (a list of exactly
 * one, cheaper than growing an empty one). */
function add(out: Issues, issue: Issue): Issue[] {
  if (out === undefined) return [issue];
  out.push(issue);
  return out;
}

/** Append an issue; `received` is the raw value (or a length), rendered here. Returns the list. */
export function report(out: Issues, path: string, code: IssueCode, expected: string, received: unknown): Issue[] {
  const shown = typeof received === "number" ? numberText(received) : describeValue(received);
  const subject = path === "" ? "value" : path;
  const message =
    code === "required"
      ? subject + ": is required"
      : code === "null"
        ? subject + ": must not be null"
        : code === "unknown"
          ? subject + ": is not a field of this type"
          : subject + ": must be " + expected + ", got " + shown;
  return add(out, { path, code, expected, received: shown, message });
}

/** Append an issue whose `received` and `message` the caller has rendered (the runtime checks, which
 * word their messages as `report` does). */
export function issue(out: Issues, path: string, code: IssueCode, expected: string, received: string, message: string): Issue[] {
  return add(out, { path, code, expected, received, message });
}

/** Append every issue of `more`. */
export function addAll(out: Issues, more: readonly Issue[]): Issues {
  if (more.length === 0) return out;
  if (out === undefined) return [...more];
  out.push(...more);
  return out;
}

/** Whether a field already has a problem: a window over a broken field would only repeat it. */
export function hasIssueAt(out: Issues, field: string): boolean {
  return out !== undefined && out.some((i) => i.path === field || i.path.startsWith(field + ".") || i.path.startsWith(field + "["));
}

/** A time window the request breaks, with the error the spec documents for it. */
export function windowIssue(out: Issues, path: string, expected: string, received: unknown, error?: string | number): Issue[] {
  const list = report(out, path, "time-window", expected, received);
  if (error !== undefined) list[list.length - 1]!.error = error;
  return list;
}

/** A relation between two fields that the request breaks (`EndTime: must be at most 1 h after
 * StartTime, got 2 h`), with the error the spec documents for it. `shown` is already rendered. */
export function relationIssue(out: Issues, path: string, expected: string, shown: string, error?: string | number): Issue[] {
  const list = issue(out, path, "relation", expected, shown, path + ": must be " + expected + ", got " + shown);
  if (error !== undefined) list[list.length - 1]!.error = error;
  return list;
}

const SPAN_UNITS: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** A span in milliseconds as `2 h`, `1 h 30 min`, `14 d`, `500 ms` (`0 s` for none). */
export function spanText(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let rest = Math.abs(Math.round(ms));
  const parts: string[] = [];
  for (const [unit, size] of SPAN_UNITS) {
    if (rest >= size) {
      parts.push(Math.floor(rest / size) + " " + unit);
      rest %= size;
    }
  }
  return (ms < 0 ? "-" : "") + (parts.join(" ") || "0 s");
}

/** An integer timestamp in units of `msPer` milliseconds (1000 for seconds) as milliseconds; undefined when it is not one. */
export function unixMs(value: unknown, msPer: number): number | undefined {
  const t = timeValue(value);
  return t === undefined ? undefined : t * msPer;
}

/** A `date` or `date-time` string as milliseconds since the epoch; undefined when it is not one. */
export function dateValue(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** A union member failed: keep the issues of the member whose kind matched (its problem is the specific one), else the fewest. */
export function pickUnionIssues(path: string, candidates: Issues[]): Issue[] {
  const lists = candidates.map((c) => c ?? []);
  const wrongKind = (r: Issue[]) => (r.some((i) => i.path === path && i.code === "type") ? 1 : 0);
  let best = lists[0] ?? [];
  for (const c of lists.slice(1)) if (wrongKind(c) - wrongKind(best) < 0 || (wrongKind(c) === wrongKind(best) && c.length < best.length)) best = c;
  return best;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** Canonical integer digits, as a 64-bit integer held as a string must be. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value) && value !== "-0";
}

/** A 64-bit integer held as its decimal string: canonical digits within [lo, hi]. */
export function decimalInRange(value: string, lo: bigint, hi: bigint): boolean {
  if (!isDecimal(value)) return false;
  const n = BigInt(value);
  return n >= lo && n <= hi;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const isUri = (v: string): boolean => URI.test(v);
const isIpv4 = (v: string): boolean => IPV4.test(v);
function isDateTime(v: string): boolean {
  const m = DATE_TIME.exec(v);
  return !!m && isDate(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61;
}

/** String formats the spec can name. `unix-time` applies to integers and is a range, not a string format. */
export const FORMATS: Readonly<Record<StringFormatName, (v: string) => boolean>> = {
  uri: isUri,
  ipv4: isIpv4,
  date: isDate,
  "date-time": isDateTime,
};

export type StringFormatName = "uri" | "ipv4" | "date" | "date-time";

/** A string format as generated validators use it: its name (for issue texts) and its check. */
export interface StringFormat {
  readonly name: StringFormatName;
  readonly test: (v: string) => boolean;
}

// One constant per format, imported by name by the validators that check it, so that a bundle
// holds only the formats its validators name (FORMATS, a table, would bring all of them).
export const formatUri: StringFormat = { name: "uri", test: isUri };
export const formatIpv4: StringFormat = { name: "ipv4", test: isIpv4 };
export const formatDate: StringFormat = { name: "date", test: isDate };
export const formatDateTime: StringFormat = { name: "date-time", test: isDateTime };

/** The export of validation-core that holds each format (what generated validators import). */
export const STRING_FORMAT_EXPORTS: Readonly<Record<StringFormatName, string>> = {
  uri: "formatUri",
  ipv4: "formatIpv4",
  date: "formatDate",
  "date-time": "formatDateTime",
};

/** A timestamp field's value as a number, whatever its representation; undefined when it is not one. */
export function timeValue(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && DECIMAL.test(value)) return Number(value);
  return undefined;
}

/** What a public `now` option takes: a clock in milliseconds since the epoch, or a fixed time. */
export type NowOption = (() => number) | number | Date;

/**
 * A `now` option as a clock: a function is called on each use, a number or a Date is a fixed time,
 * undefined is `Date.now`. Anything else, or a clock that answers no finite number, is a TypeError
 * naming the option (rather than "now is not a function" from deep inside).
 */
export function nowSource(now: unknown, option = "options.now"): () => number {
  if (now === undefined) return Date.now;
  const fixed = typeof now === "number" ? now : now instanceof Date ? now.getTime() : undefined;
  if (fixed !== undefined) {
    if (!Number.isFinite(fixed)) throw new TypeError(`${option} must be a finite time in milliseconds, got ${fixed}`);
    return () => fixed;
  }
  if (typeof now !== "function")
    throw new TypeError(`${option} must be a function returning milliseconds since the epoch, a number or a Date, got ${describeValue(now)}`);
  return () => {
    const value: unknown = now();
    const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : NaN;
    if (!Number.isFinite(ms)) throw new TypeError(`${option} must return milliseconds since the epoch, got ${describeValue(value)}`);
    return ms;
  };
}

/** The time of a `now` option (see nowSource), read once. */
export function nowMs(now: unknown, option = "options.now"): number {
  return now === undefined ? Date.now() : typeof now === "number" && Number.isFinite(now) ? now : nowSource(now, option)();
}
