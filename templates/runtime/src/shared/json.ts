// Lossless JSON: 64-bit integers from the wire survive parsing and stringifying exactly.
// No dependencies; the common case (no long integer in the text) is the engine's JSON.parse.

/**
 * How the 64-bit integer fields of a value reach JavaScript, mirroring its object shape. A leaf
 * names the representation of the field at that key. An array (at a planned key, or the value
 * itself) is transparent one level deep: the plan applies to each element; nested arrays are left alone.
 */
export type Representation = { [key: string]: "string" | "bigint" | Representation };

/** The text is not JSON (RFC 8259). `position` is a 0-based offset; `line` and `column` are 1-based (UTF-16 units). */
export class JsonParseError extends Error {
  override readonly name = "JsonParseError";
  readonly position: number;
  readonly line: number;
  readonly column: number;

  constructor(message: string, position: number, line: number, column: number) {
    super(message);
    this.position = position;
    this.line = line;
    this.column = column;
  }
}

/**
 * Parses JSON like `JSON.parse`, except that an integer literal (no fraction, no exponent) outside
 * Number's safe range becomes a `bigint`. With a plan, then applies it (see `applyRepresentation`;
 * `null` is accepted as "no plan", as operation metadata writes it).
 * Throws `JsonParseError` on anything that is not a single JSON value (empty, truncated, trailing text).
 */
export function parseJson(text: string, plan?: Representation | null): unknown {
  if (typeof text !== "string") throw new TypeError(`parseJson expects a string, got ${typeof text}`);
  let value: unknown;
  if (hasLongDigitRun(text)) {
    value = new Parser(text).parse();
  } else {
    try {
      value = JSON.parse(text);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      // The hand-written parser says where, uniformly across engines; it throws here.
      value = new Parser(text).parse();
    }
  }
  return plan ? applyRepresentation(value, plan) : value;
}

/** A number the parse could not hand over as a finite `number` where the plan does not say otherwise. */
export interface StrayNumber {
  /** Like `Response.Things[2].Count`; empty for the value itself. */
  path: string;
  /** A bigint away from any "bigint" (or "string") key, or a literal beyond Number's range (±Infinity). */
  value: bigint | number;
}

/**
 * `parseJson` for answers read against a plan, which also lists its stray numbers: every bigint not
 * at a "bigint" key (a "string" key has its decimal text) and every non-finite number (`1e400`).
 * The caller decides what the fields there are declared as. Texts with no long digit run and no
 * three-digit exponent take `JSON.parse` and are not walked (`strays` is undefined). Throws a
 * SyntaxError on a text that is not JSON (the client's path: it needs no position, and does
 * without the hand-written parser, so a bundle of a client leaves that out).
 */
export function parseResponseJson(text: string, plan?: Representation | null): { value: unknown; strays: StrayNumber[] | undefined } {
  if (typeof text !== "string") throw new TypeError(`parseResponseJson expects a string, got ${typeof text}`);
  const long = hasLongDigitRun(text);
  let value = long ? parseWithBigInts(text) : JSON.parse(text);
  if (plan) value = applyRepresentation(value, plan);
  if (!long && !LARGE_EXPONENT.test(text)) return { value, strays: undefined };
  const strays: StrayNumber[] = [];
  collectStrays(value, plan ?? undefined, "", strays);
  return { value, strays: strays.length ? strays : undefined };
}

/** A JSON string token, or a number token (JSON's grammar; what else the text holds, JSON.parse judges). */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * JSON.parse, with each integer literal beyond Number's safe range a bigint: such literals are first
 * written as strings `"<mark><digits>"` (strings are matched whole, so no digit inside one is
 * touched; a value's place takes a string as well as a number, and a marked key is refused), then
 * turned back. The mark is a private-use character the text holds neither raw nor escaped, so no
 * string of the answer's own can pass for one.
 */
function parseWithBigInts(text: string): unknown {
  let code = 0xe000;
  while (text.includes(String.fromCharCode(code)) || new RegExp(`\\\\u${code.toString(16)}`, "i").test(text)) code++;
  const mark = String.fromCharCode(code);
  let marked = 0;
  const value: unknown = JSON.parse(
    text.replace(TOKEN, (token) => {
      if (token.charCodeAt(0) === QUOTE || /[.eE]/.test(token) || Number.isSafeInteger(Number(token))) return token;
      marked++;
      return `"${mark}${token}"`;
    }),
  );
  return marked ? restoreBigInts(value, mark) : value;
}

/** `value` with every marked string a bigint (in place: the parse made it). */
function restoreBigInts(value: unknown, mark: string): unknown {
  if (typeof value === "string") return value.charCodeAt(0) === mark.charCodeAt(0) ? BigInt(value.slice(1)) : value;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      // A literal marked in a key's place: the text was not JSON (`{12345678901234567890: 1}`).
      if (key.charCodeAt(0) === mark.charCodeAt(0)) throw new SyntaxError("JSON: a number in place of a property name");
      const before = object[key];
      const after = restoreBigInts(before, mark);
      if (after !== before) setOwn(object, key, after);
    }
  }
  return value;
}

// A positive exponent of three or more digits: the only way a literal with no 16-digit run can
// pass Number's range (1.8e308). "e-400" underflows to 0, a finite number.
const LARGE_EXPONENT = /\d[eE]\+?\d\d\d/;

/** Every stray number below `value` (see parseResponseJson); arrays are transparent. */
function collectStrays(value: unknown, rule: Representation[string] | undefined, path: string, out: StrayNumber[]): void {
  if (typeof value === "bigint") {
    if (rule !== "bigint") out.push({ path, value });
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) out.push({ path, value });
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectStrays(value[i], rule, `${path}[${i}]`, out);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const inner = typeof rule === "object" ? (Object.hasOwn(rule, key) ? rule[key] : undefined) : rule === "bigint" ? rule : undefined;
    collectStrays(object[key], inner, path ? `${path}.${key}` : key, out);
  }
}

/**
 * Whether the text has a run of 16 or more ASCII digits. Every integer beyond Number.MAX_SAFE_INTEGER
 * has one; texts without one take the native parser. A run inside a string or a fraction is a false
 * positive: slower, still right. Any 16 consecutive positions include one that is 15 modulo 16, so
 * probing only those finds every run while reading about a sixteenth of a text without one (several
 * times faster than /\d{16}/ on a 2 KB response).
 */
function hasLongDigitRun(text: string): boolean {
  const length = text.length;
  for (let probe = 15; probe < length; probe += 16) {
    let c = text.charCodeAt(probe);
    if (c < ZERO || c > NINE) continue;
    let start = probe;
    while (start > 0 && (c = text.charCodeAt(start - 1)) >= ZERO && c <= NINE) start--;
    let end = probe + 1;
    while ((c = text.charCodeAt(end)) >= ZERO && c <= NINE) end++;
    if (end - start >= 16) return true;
  }
  return false;
}

// Character codes (plain constants rather than an enum, so the file is erasable TypeScript).
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_A = 0x41;
const UPPER_E = 0x45;
const UPPER_F = 0x46;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

type Container = Record<string, unknown> | unknown[];

/** RFC 8259 recursive descent, made iterative with an explicit stack so depth is bounded by memory only. */
class Parser {
  private readonly text: string;
  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  parse(): unknown {
    const text = this.text;
    const stack: Container[] = [];
    // The pending key of each object on the stack ("" for arrays).
    const keys: string[] = [];
    let value: unknown;
    values: for (;;) {
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        value = this.string();
      } else if (c === OPEN_BRACE) {
        this.pos++;
        this.skipWhitespace();
        if (text.charCodeAt(this.pos) === CLOSE_BRACE) {
          this.pos++;
          value = {};
        } else {
          stack.push({});
          keys.push(this.key());
          continue values;
        }
      } else if (c === OPEN_BRACKET) {
        this.pos++;
        this.skipWhitespace();
        if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
          this.pos++;
          value = [];
        } else {
          stack.push([]);
          keys.push("");
          continue values;
        }
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        value = this.number();
      } else if (c === LOWER_T) {
        value = this.literal("true", true);
      } else if (c === LOWER_F) {
        value = this.literal("false", false);
      } else if (c === LOWER_N) {
        value = this.literal("null", null);
      } else {
        return this.fail("a value");
      }

      // Add the value to its container; close every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        this.skipWhitespace();
        const next = text.charCodeAt(this.pos);
        if (top === undefined) {
          if (this.pos < text.length) this.fail("the end of the text");
          return value;
        }
        if (Array.isArray(top)) {
          top.push(value);
          if (next === COMMA) {
            this.pos++;
            continue values;
          }
          if (next !== CLOSE_BRACKET) this.fail("',' or ']'");
        } else {
          setOwn(top, keys[keys.length - 1]!, value);
          if (next === COMMA) {
            this.pos++;
            this.skipWhitespace();
            keys[keys.length - 1] = this.key();
            continue values;
          }
          if (next !== CLOSE_BRACE) this.fail("',' or '}'");
        }
        this.pos++;
        stack.pop();
        keys.pop();
        value = top;
      }
    }
  }

  private skipWhitespace(): void {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    while (c === SPACE || c === NEWLINE || c === RETURN || c === TAB) c = text.charCodeAt(++this.pos);
  }

  /** A property name and its colon. */
  private key(): string {
    if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail("a double-quoted property name");
    const key = this.string();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== COLON) this.fail("':'");
    this.pos++;
    return key;
  }

  private string(): string {
    const text = this.text;
    let start = ++this.pos;
    let out = "";
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        out += text.slice(start, this.pos++);
        return out;
      }
      if (c === BACKSLASH) {
        out += text.slice(start, this.pos) + this.escape();
        start = this.pos;
      } else if (c >= SPACE) {
        this.pos++;
      } else {
        // A control character, or NaN past the end.
        this.fail("'\"' or an escaped control character");
      }
    }
  }

  /** One escape sequence, the position on its backslash; leaves the position after it. */
  private escape(): string {
    const c = this.text.charCodeAt(++this.pos);
    this.pos++;
    switch (c) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return "\\";
      case SLASH:
        return "/";
      case LOWER_B:
        return "\b";
      case LOWER_F:
        return "\f";
      case LOWER_N:
        return "\n";
      case LOWER_R:
        return "\r";
      case LOWER_T:
        return "\t";
      case LOWER_U: {
        let unit = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.text.charCodeAt(this.pos);
          const digit =
            h >= ZERO && h <= NINE
              ? h - ZERO
              : h >= LOWER_A && h <= LOWER_F
                ? h - LOWER_A + 10
                : h >= UPPER_A && h <= UPPER_F
                  ? h - UPPER_A + 10
                  : -1;
          if (digit < 0) this.fail("a hex digit");
          unit = unit * 16 + digit;
          this.pos++;
        }
        // Lone surrogates pass through, as JSON.parse lets them.
        return String.fromCharCode(unit);
      }
      default:
        this.pos--;
        return this.fail("an escape character");
    }
  }

  private number(): number | bigint {
    const text = this.text;
    const start = this.pos;
    let c = text.charCodeAt(this.pos);
    const negative = c === MINUS;
    if (negative) c = text.charCodeAt(++this.pos);
    // Up to 15 digits the running value is exact, which spares a slice and Number() for most integers.
    let value = 0;
    if (c === ZERO) {
      c = text.charCodeAt(++this.pos);
    } else if (c >= ONE && c <= NINE) {
      do {
        value = value * 10 + (c - ZERO);
        c = text.charCodeAt(++this.pos);
      } while (c >= ZERO && c <= NINE);
    } else {
      this.fail("a digit");
    }
    let integer = true;
    if (c === DOT) {
      integer = false;
      c = this.digits();
    }
    if (c === LOWER_E || c === UPPER_E) {
      integer = false;
      c = text.charCodeAt(this.pos + 1);
      if (c === PLUS || c === MINUS) this.pos++;
      this.digits();
    }
    if (integer && this.pos - start <= 15) return negative ? -value : value;
    const literal = text.slice(start, this.pos);
    const n = Number(literal);
    // Above 2^53 - 1 a literal rounds to at least 2^53, so this test never misses one (and keeps -0).
    return integer && !Number.isSafeInteger(n) ? BigInt(literal) : n;
  }

  /** Skips the character at the position, then one or more digits; returns the code after them. */
  private digits(): number {
    const text = this.text;
    let c = text.charCodeAt(++this.pos);
    if (!(c >= ZERO && c <= NINE)) this.fail("a digit");
    do c = text.charCodeAt(++this.pos);
    while (c >= ZERO && c <= NINE);
    return c;
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.text.charCodeAt(this.pos) !== word.charCodeAt(i)) this.fail(`"${word}"`);
      this.pos++;
    }
    return value;
  }

  private fail(expected: string): never {
    const { text, pos } = this;
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < lineStart; i = text.indexOf("\n", i + 1)) line++;
    const column = pos - lineStart + 1;
    const found =
      pos >= text.length ? "Unexpected end of JSON input" : `Unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(pos)!))}`;
    throw new JsonParseError(`${found} at line ${line}, column ${column} (expected ${expected})`, pos, line, column);
  }
}

/** An own enumerable property even for "__proto__", which plain assignment would turn into a prototype change. */
function setOwn(target: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<string, unknown>)[key] = value;
  }
}

/**
 * Converts the planned keys of `value` to their representation: "string" turns an integer number
 * or a bigint into its exact decimal text, "bigint" turns an integer number into a bigint. Anything
 * else (floats, strings at a "bigint" key, nulls, wrong shapes) is left for validation to report.
 * Never mutates `value`: changed objects and arrays are copied, unchanged subtrees are shared, and
 * `value` itself comes back when nothing changes.
 */
export function applyRepresentation(value: unknown, plan: Representation): unknown {
  return Array.isArray(value) ? mapElements(value, plan) : applyNode(value, plan);
}

type Rule = Representation[string];

/** `rule` at one value; an array here is not transparent (that happens one level up, in mapElements). */
function applyNode(value: unknown, rule: Rule): unknown {
  if (rule === "string") {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number" && Number.isInteger(value)) {
      return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    }
    return value;
  }
  if (rule === "bigint") return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(rule)) {
    if (!Object.hasOwn(object, key)) continue;
    const before = object[key];
    const inner = rule[key]!;
    const after = Array.isArray(before) ? mapElements(before, inner) : applyNode(before, inner);
    if (!Object.is(before, after)) {
      copy ??= { ...object };
      setOwn(copy, key, after);
    }
  }
  return copy ?? value;
}

function mapElements(array: readonly unknown[], rule: Rule): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const before = array[i];
    const after = applyNode(before, rule);
    if (!Object.is(before, after)) {
      copy ??= array.slice();
      copy[i] = after;
    }
  }
  return copy ?? (array as unknown[]);
}

/**
 * `JSON.stringify(value)` (no indentation), except that a bigint is written as a bare integer,
 * whatever `BigInt.prototype.toJSON` says. Throws a TypeError where JSON.stringify does (cycles)
 * and when `value` itself has no JSON form (undefined, a function, a symbol).
 */
export function stringifyJson(value: unknown): string {
  let text: string | undefined;
  if (typeof (BigInt.prototype as { toJSON?: unknown }).toJSON === "function") {
    text = stringifyWithBigInts(value);
  } else {
    try {
      // Without bigints the native call is all there is to do; with one it throws a TypeError (and
      // toJSON methods run again below).
      text = JSON.stringify(value) as string | undefined;
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      text = stringifyWithBigInts(value);
    }
  }
  if (text === undefined) throw new TypeError(`stringifyJson: a ${typeof value} has no JSON representation`);
  return text;
}

// Each bigint is first written as the string `"<marker><digits>"`, then unquoted. The marker holds
// no character JSON.stringify escapes and starts with one that occurs in it once, so it cannot overlap
// itself or cross a token. If the output holds exactly as many markers as bigints were replaced, none
// of them came from the value's own strings or keys, and unquoting touches only ours; otherwise we
// retry with a marker absent from that output.
const marker = (n: number) => `\uE000${n}\uE001`;

function stringifyWithBigInts(value: unknown): string | undefined {
  let attempt = 0;
  for (let round = 0; round < 2; round++) {
    const m = marker(attempt);
    let replaced = 0;
    const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      // `this[key]` is the value before any toJSON, so a BigInt.prototype.toJSON cannot hide a bigint.
      const raw = typeof v === "bigint" ? v : this[key];
      if (typeof raw !== "bigint") return v;
      replaced++;
      return m + raw.toString();
    }) as string | undefined;
    if (text === undefined) return undefined;
    if (count(text, m) === replaced) {
      return replaced ? text.replace(new RegExp(`"${m}(-?\\d+)"`, "g"), "$1") : text;
    }
    while (text.includes(marker(attempt))) attempt++;
  }
  // Only a value whose toJSON answers differently on each call gets here.
  throw new Error("stringifyJson: the value changed while it was being written");
}

function count(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
  return n;
}
