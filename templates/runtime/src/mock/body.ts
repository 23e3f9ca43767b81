// Large request bodies before parsing. An object with hundreds of thousands of keys costs
// JSON.parse far more than its bytes (a 9.9 MB body of 500,000 unknown keys: about 350 ms of CPU),
// yet the validators look at no more than its declared fields and the first MAX_ISSUES unknown
// keys. So a body above SCAN_BYTES is first scanned (syntax only, nothing built), and an object
// with more than MANY_KEYS keys keeps only the members a validation can see: every key that some
// request shape declares, the first unknown keys, and the smallest array-index keys (which
// objects enumerate first). Validating the reduced body gives the same capped issues.
import { MAX_ISSUES } from "../validation/validation-core.js";

/** Bodies up to this size are parsed as they are (an object in them has at most ~16,000 keys). */
export const SCAN_BYTES = 64 * 1024;
/** An object with more keys than this is reduced. */
export const MANY_KEYS = 1_000;
// One more than the cap, so the validation still knows the list was cut.
const KEEP_UNKNOWN = MAX_ISSUES + 1;

/** The body is not JSON: where and why (the mock answers the protocol's body error). */
export class BodySyntaxError extends Error {
  override readonly name = "BodySyntaxError";
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

const enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

/**
 * The text to parse for a request body: `text` itself unless it is large and holds an object with
 * more than MANY_KEYS keys, which is then reduced (see above). `names`: the field names of every
 * shape the request can hold. Throws BodySyntaxError when a large body is not JSON.
 */
export function reduceLargeBody(text: string, names: ReadonlySet<string>): string {
  if (text.length <= SCAN_BYTES) return text;
  const large = largeObjects(text, names);
  if (large.length === 0) return text;
  return new Rebuilder(text, large).range(0, text.length);
}

/** An object with more than MANY_KEYS keys: its span and the members to keep, in their order. */
interface LargeObject {
  start: number;
  end: number;
  kept: readonly Member[];
}

interface Member {
  /** The key's JSON text, quotes included. */
  key: string;
  valueStart: number;
  valueEnd: number;
}

/**
 * The members a validation of a large object can see, chosen as the object is scanned: by key,
 * the place of its first appearance and its last value (as JSON.parse keeps them). Keys are
 * looked up by a hash of their characters in the text, so a key that is not kept (nearly all of
 * them, in a body of unknown keys) costs no string. The hash's base is random per object, so a
 * body cannot be made of colliding keys.
 */
class KeptMembers {
  readonly #base = (Math.floor(Math.random() * 0x3fffffff) * 2 + 1) | 0;
  /** Request field names by hash. */
  readonly #names = new Map<number, string[]>();
  /** Kept members by hash of their (decoded) key. */
  readonly #kept = new Map<number, Array<KeptMember>>();
  #order = 0;
  #unknown = 0;
  /** Array-index keys kept, and (when there are enough) the largest worth keeping. */
  #indexes: number[] = [];
  #indexLimit = Infinity;

  constructor(names: ReadonlySet<string>) {
    for (const name of names) {
      const h = this.#hashOf(name, 0, name.length);
      const list = this.#names.get(h);
      if (list) list.push(name);
      else this.#names.set(h, [name]);
    }
  }

  /** The member whose key is the JSON string text[keyStart, keyEnd). */
  add(text: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const order = this.#order++;
    let h = this.#hashOf(text, keyStart + 1, keyEnd - 1);
    // An escaped key is compared decoded ("\u0061" is "a"); a decoded key with a backslash hashes to -1.
    const decoded = h < 0 ? (JSON.parse(text.slice(keyStart, keyEnd)) as string) : undefined;
    if (decoded !== undefined) h = this.#hashOf(decoded, 0, decoded.length);
    // The key as a string only when it may be kept: most keys of a huge object are not.
    const same = this.#kept.get(h);
    const names = this.#names.get(h);
    const first = decoded === undefined ? text.charCodeAt(keyStart + 1) : decoded.charCodeAt(0);
    const maybeIndex = first >= C.Zero && first <= C.Nine;
    if (same === undefined && names === undefined && !maybeIndex && this.#unknown >= KEEP_UNKNOWN) return;
    const key = decoded ?? text.slice(keyStart + 1, keyEnd - 1);
    if (same) {
      for (const m of same) {
        if (m.name === key) {
          m.valueStart = valueStart;
          m.valueEnd = valueEnd;
          return;
        }
      }
    }
    if (names?.includes(key) !== true) {
      if (maybeIndex && isIndex(key)) {
        if (!this.#index(Number(key))) return;
      } else if (this.#unknown < KEEP_UNKNOWN) {
        this.#unknown++;
      } else {
        return;
      }
    }
    const member: KeptMember = { name: key, hash: h, key: text.slice(keyStart, keyEnd), valueStart, valueEnd, order };
    if (same) same.push(member);
    else this.#kept.set(h, [member]);
  }

  /** Objects enumerate array-index keys first, in numeric order: only the smallest can be seen. Whether to keep `n`. */
  #index(n: number): boolean {
    if (n >= this.#indexLimit) return false;
    this.#indexes.push(n);
    if (this.#indexes.length >= 2 * KEEP_UNKNOWN) {
      this.#indexes.sort((a, b) => a - b);
      this.#indexes.length = KEEP_UNKNOWN;
      this.#indexLimit = this.#indexes[KEEP_UNKNOWN - 1]!;
    }
    return true;
  }

  result(): Member[] {
    const all = [...this.#kept.values()].flat();
    // Indexes beyond the smallest KEEP_UNKNOWN (those kept before the last cut) go.
    const limit = this.#indexes.length > KEEP_UNKNOWN ? [...this.#indexes].sort((a, b) => a - b)[KEEP_UNKNOWN - 1]! : this.#indexLimit;
    return all
      .filter((m) => !(isIndex(m.name) && Number(m.name) > limit && !this.#names.get(m.hash)?.includes(m.name)))
      .sort((a, b) => a.order - b.order);
  }

  /** A 30-bit hash (a small integer, which a Map keys without allocating); -1 when there is a backslash. */
  #hashOf(s: string, from: number, to: number): number {
    const base = this.#base;
    let h = to - from;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === C.Backslash) return -1;
      h = (Math.imul(h, base) + c) | 0;
    }
    return h & 0x3fffffff;
  }
}

interface KeptMember extends Member {
  /** The decoded key. */
  name: string;
  hash: number;
  order: number;
}

/**
 * Pass one: check the syntax, and choose the members of every object with more than MANY_KEYS
 * keys. One function with local state, iterative (nesting is bounded by the body, not by the call
 * stack). An object is followed member by member only once it passes MANY_KEYS keys (its first
 * members are read again then), so an ordinary body pays for the syntax check alone.
 */
function largeObjects(text: string, names: ReadonlySet<string>): LargeObject[] {
  const large: LargeObject[] = [];
  // Per open container: its start, its key count (-1 for an array), its kept members once large,
  // and where the value of its current member starts (once large).
  const starts: number[] = [];
  const counts: number[] = [];
  const kept: Array<KeptMembers | undefined> = [];
  const pendingKey: number[] = [];
  const pendingKeyEnd: number[] = [];
  const pendingValue: number[] = [];
  const n = text.length;

  /** `"key" :` of a member of the innermost object, counted; the position of its value. */
  const key = (p: number): number => {
    if (text.charCodeAt(p) !== C.Quote) throw new BodySyntaxError("expected a string key", p);
    const keyEnd = checkString(text, p);
    let q = skipSpace(text, keyEnd);
    if (text.charCodeAt(q) !== C.Colon) throw new BodySyntaxError('expected ":"', q);
    q = skipSpace(text, q + 1);
    const top = counts.length - 1;
    const count = ++counts[top]!;
    if (count > MANY_KEYS) {
      if (count === MANY_KEYS + 1) kept[top] = membersBefore(text, starts[top]!, MANY_KEYS, names);
      pendingKey[top] = p;
      pendingKeyEnd[top] = keyEnd;
      pendingValue[top] = q;
    }
    return q;
  };

  let p = skipSpace(text, 0);
  for (;;) {
    // At a value.
    let c = text.charCodeAt(p);
    if (c === C.OpenBrace || c === C.OpenBracket) {
      const close = c === C.OpenBrace ? C.CloseBrace : C.CloseBracket;
      const at = p;
      p = skipSpace(text, p + 1);
      if (text.charCodeAt(p) !== close) {
        starts.push(at);
        counts.push(c === C.OpenBrace ? 0 : -1);
        kept.push(undefined);
        pendingKey.push(-1);
        pendingKeyEnd.push(-1);
        pendingValue.push(-1);
        if (c === C.OpenBrace) p = key(p);
        continue;
      }
      p++;
    } else if (c === C.Quote) {
      p = checkString(text, p);
    } else {
      p = checkScalar(text, p);
    }
    // After a value: close containers, or move on to the next member.
    for (;;) {
      const valueEnd = p;
      p = skipSpace(text, p);
      const top = starts.length - 1;
      if (top < 0) {
        if (p !== n) throw new BodySyntaxError("unexpected text after the JSON value", p);
        return large.sort((a, b) => a.start - b.start);
      }
      const members = kept[top];
      if (members !== undefined) {
        members.add(text, pendingKey[top]!, pendingKeyEnd[top]!, pendingValue[top]!, valueEnd);
      }
      const keys = counts[top]!;
      c = text.charCodeAt(p);
      if (c === C.Comma) {
        p = skipSpace(text, p + 1);
        if (keys >= 0) p = key(p);
        break;
      }
      if (c !== (keys >= 0 ? C.CloseBrace : C.CloseBracket)) throw new BodySyntaxError(keys >= 0 ? 'expected "," or "}"' : 'expected "," or "]"', p);
      p++;
      const start = starts.pop()!;
      counts.pop();
      kept.pop();
      pendingKey.pop();
      pendingKeyEnd.pop();
      pendingValue.pop();
      if (members !== undefined) large.push({ start, end: p, kept: members.result() });
    }
  }
}

/** The first `count` members of the (already checked) object at `start`, chosen. */
function membersBefore(text: string, start: number, count: number, names: ReadonlySet<string>): KeptMembers {
  const members = new KeptMembers(names);
  let p = skipSpace(text, start + 1);
  for (let i = 0; i < count; i++) {
    const keyEnd = skipString(text, p);
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    members.add(text, p, keyEnd, valueStart, valueEnd);
    p = skipSpace(text, skipSpace(text, valueEnd) + 1);
  }
  return members;
}

/** The end of the string at `p`, checking its escapes and that it has no control character. */
function checkString(text: string, p: number): number {
  let q = p + 1;
  for (;;) {
    const c = text.charCodeAt(q);
    if (c === C.Quote) return q + 1;
    if (c === C.Backslash) {
      const e = text.charCodeAt(q + 1);
      if (e === 0x75 /* u */) {
        for (let k = q + 2; k < q + 6; k++) {
          const h = text.charCodeAt(k) | 0x20;
          if (!((h >= C.Zero && h <= C.Nine) || (h >= 0x61 && h <= 0x66))) throw new BodySyntaxError("bad \\u escape", q);
        }
        q += 6;
      } else if (e === C.Quote || e === C.Backslash || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        q += 2;
      } else {
        throw new BodySyntaxError("bad escape", q);
      }
    } else if (c >= 0x20) {
      q++;
    } else {
      // A control character, or NaN past the end.
      throw new BodySyntaxError("unterminated string or a control character in it", q);
    }
  }
}

/** The end of the literal or number at `p`. */
function checkScalar(text: string, p: number): number {
  const c = text.charCodeAt(p);
  const word = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : undefined;
  if (word !== undefined) {
    if (!text.startsWith(word, p)) throw new BodySyntaxError("expected a value", p);
    return p + word.length;
  }
  let q = p;
  if (text.charCodeAt(q) === C.Minus) q++;
  const first = text.charCodeAt(q);
  if (first === C.Zero) q++;
  else if (first > C.Zero && first <= C.Nine) q = digits(text, q);
  else throw new BodySyntaxError("expected a value", p);
  if (text.charCodeAt(q) === C.Dot) {
    const after = digits(text, q + 1);
    if (after === q + 1) throw new BodySyntaxError("expected digits after the decimal point", q + 1);
    q = after;
  }
  const e = text.charCodeAt(q);
  if (e === C.LowerE || e === C.UpperE) {
    q++;
    const s = text.charCodeAt(q);
    if (s === C.Plus || s === C.Minus) q++;
    const after = digits(text, q);
    if (after === q) throw new BodySyntaxError("expected digits in the exponent", q);
    q = after;
  }
  return q;
}

function digits(text: string, from: number): number {
  let q = from;
  for (;;) {
    const c = text.charCodeAt(q);
    if (c >= C.Zero && c <= C.Nine) q++;
    else return q;
  }
}

/** The end of the (already checked) value starting at `p`, and of the string starting at `p`. */
function skipString(text: string, p: number): number {
  let q = p + 1;
  for (;;) {
    const c = text.charCodeAt(q);
    if (c === C.Quote) return q + 1;
    q += c === C.Backslash ? 2 : 1;
  }
}

function skipValue(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === C.Quote) return skipString(text, p);
  if (c !== C.OpenBrace && c !== C.OpenBracket) {
    let q = p + 1;
    for (;;) {
      const d = text.charCodeAt(q);
      if (d === C.Comma || d === C.CloseBrace || d === C.CloseBracket || d === C.Space || d === C.Lf || d === C.Cr || d === C.Tab || d !== d)
        return q;
      q++;
    }
  }
  let depth = 0;
  let q = p;
  for (;;) {
    const d = text.charCodeAt(q);
    if (d === C.Quote) {
      q = skipString(text, q);
      continue;
    }
    if (d === C.OpenBrace || d === C.OpenBracket) depth++;
    else if (d === C.CloseBrace || d === C.CloseBracket) {
      depth--;
      if (depth === 0) return q + 1;
    }
    q++;
  }
}

function skipSpace(text: string, p: number): number {
  let q = p;
  for (;;) {
    const c = text.charCodeAt(q);
    if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) q++;
    else return q;
  }
}

// A canonical array index ("0" … "4294967294"): objects enumerate these first, in numeric order.
const INDEX = /^(0|[1-9][0-9]{0,9})$/;
function isIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= C.Zero && c <= C.Nine && INDEX.test(key) && Number(key) < 4294967295;
}

/** Pass two: the text again, each outermost large object replaced by its kept members. */
class Rebuilder {
  constructor(
    private readonly text: string,
    /** Sorted by start. */
    private readonly large: readonly LargeObject[],
  ) {}

  range(from: number, to: number): string {
    const large = this.large;
    // The first large object starting at or after `from` (binary search: a big body has many).
    let lo = 0;
    let hi = large.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (large[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    let out = "";
    let at = from;
    for (let i = lo; i < large.length && large[i]!.start < to; i++) {
      const object = large[i]!;
      // Objects inside one already replaced are handled by its own rebuild.
      if (object.start < at) continue;
      out += this.text.slice(at, object.start) + `{${object.kept.map((m) => `${m.key}:${this.range(m.valueStart, m.valueEnd)}`).join(",")}}`;
      at = object.end;
    }
    return out + this.text.slice(at, to);
  }
}
