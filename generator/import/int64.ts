// The `js:` choice for a 64-bit integer field (README "Fields"): the metadata types nearly every
// integer int64/uint64, whatever it holds. One heuristic, here, so a reviewer can see and change it:
// identifiers that nothing bounds may pass 2^53 and arrive as exact strings; counts, sizes, times,
// codes and values the text bounds stay numbers (the runtime refuses, never rounds, a larger one).

export interface JsChoice {
  js: "number" | "string";
  /** Why, for the field's note. */
  reason: string;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Counts, sizes, times and positions: far below 2^53 by their nature. */
const MEASURE =
  /(count|total|num|number|size|limit|page|offset|index|duration|time|timestamp|ts|ms|sec|second|minute|hour|day|date|width|height|left|top|x|y|position|rate|bitrate|fps|gop|volume|level|alpha|radius|length|progress|score|version|percent|interval|delay|expire|quality|weight)s?$/i;
/** Identifiers: opaque, as wide as the service makes them. */
const IDENTIFIER = /(id|ids|uid|seq|sequence|key|account)$/i;
/** Application identifiers are documented as 10-digit numbers (1400xxxxxx). */
const APP_ID = /app[-_]?id$/i;
/** Codes, flags and kinds: small enumerated values. */
const CODE =
  /(type|mode|status|state|role|flag|kind|is[A-Z]\w*|enable\w*|disable\w*|auto\w*|format|codec|channel|layer|order|priority|reason|device)$/;

/**
 * `name`: the field name; `texts`: its descriptions; `bounded`: the largest value its constraints
 * allow (enum or maximum), if any; `example`: the metadata's example, if numeric.
 */
export function jsChoice(name: string, texts: readonly string[], bounded?: number, example?: number): JsChoice {
  if (bounded !== undefined && bounded <= MAX_SAFE) return { js: "number", reason: "its enum or range, read from the text, keeps it far below 2^53" };
  const text = texts.join(" ");
  if (/32\s*位|32-bit|uint32|int32/i.test(text)) return { js: "number", reason: "the text says it is a 32-bit value" };
  if (APP_ID.test(name)) return { js: "number", reason: "an application ID (10 digits, e.g. 1400000000), far below 2^53" };
  if (IDENTIFIER.test(name)) {
    if (example !== undefined && example > 2 ** 32)
      return { js: "string", reason: `an identifier whose example (${example}) is already past 32 bits; a string keeps every digit` };
    if (example !== undefined)
      return {
        js: "number",
        reason: `an identifier, but the metadata's example (${example}) is well inside 32 bits; choose string if the service's IDs can pass 2^53`,
      };
    return {
      js: "string",
      reason:
        "an identifier that nothing in the metadata bounds; a string keeps every digit should it pass 2^53 (choose number if the service documents a smaller range)",
    };
  }
  if (MEASURE.test(name) || /时间|时长|数量|个数|总数|大小|页|timestamp|seconds|milliseconds|number of|count/i.test(text))
    return { js: "number", reason: "a count, size, time or position: far below 2^53" };
  if (CODE.test(name)) return { js: "number", reason: "a code, flag or kind: a small value" };
  return { js: "number", reason: "a quantity with no sign of growing past 2^53 (the runtime refuses, never rounds, a larger value)" };
}
