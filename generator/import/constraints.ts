// Constraints a field's text states, in either edition: enum lists ("枚举值：", "Valid values:"),
// ranges ("取值范围：[1, 200]", "0-16", "maximum 1000"), lengths and list sizes ("字符数不超过256",
// "up to 48 bytes", "最多10个"), and defaults ("默认值：20", "(default)"). Each comes with the sentence
// it was read from, so a reviewer can accept or change it. Heuristics over prose: they read the
// common forms of the official metadata and leave the rest alone.

export type FieldKind = "integer" | "float" | "string" | "boolean" | "other";

export type ConstraintKey = "enum" | "minimum" | "maximum" | "minLength" | "maxLength" | "minItems" | "maxItems" | "default";

export interface EnumItem {
  value: string | number;
  description?: string;
}

export interface TextConstraints {
  enum?: EnumItem[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: string | number;
  /** The sentence each key was read from. */
  sentences: Partial<Record<ConstraintKey, string>>;
}

const NUM = String.raw`(-?\d+(?:\.\d+)?)`;

/** The sentence of `text` around [start, end): up to the nearest line break or sentence end. */
export function sentenceAround(text: string, start: number, end = start): string {
  const before = text.slice(0, start);
  const from =
    Math.max(before.lastIndexOf("\n"), ...["。", "；", ";", "！", "？"].map((c) => before.lastIndexOf(c)), before.search(/\.\s+(?=[^.]*$)/)) + 1;
  const rest = text.slice(end);
  const stops = [rest.search(/\n/), rest.search(/[。；;！？]/), rest.search(/\.(\s|$)/)].filter((i) => i >= 0);
  const to = end + (stops.length ? Math.min(...stops) + 1 : rest.length);
  return text
    .slice(from, to)
    .replace(/^[\s-]+/, "")
    .trim();
}

const trimDescription = (d: string) =>
  d
    .replace(/^[\s:：=,，;；、.。-]+/, "")
    .replace(/[\s,，;；、。]+填$/, "")
    .replace(/[\s,，;；、。]+$/, "")
    .replace(/\.$/, "")
    .trim();

const STOP_WORDS =
  /^(note|notes|example|examples|default|valid|value|values|the|this|if|when|for|such|see|unit|range|eg|e\.g|ie|i\.e|and|or|true|false|null|http|https)$/i;

function valueOf(raw: string, kind: FieldKind): string | number | undefined {
  if (kind === "integer") return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined;
  if (kind === "string") return /^[A-Za-z][\w.-]{0,39}$/.test(raw) && !STOP_WORDS.test(raw) && !/[.-]$/.test(raw) ? raw : undefined;
  return undefined;
}

/** "（默认）", "(默认值)", "（需要手动申请上麦，默认值）", "(default)", "默认回调所有结果": the item is the default. Not "不填默认为0". */
const DEFAULT_MARK = /^\s*[（(]?默认(?!为|值为|是|\d)|[（(][^（）()]*默认值?[）)]|\(default(?: value)?\)|^\s*default\b/i;

/** One list line as `value separator description`, or undefined. */
function parseItemLine(line: string, kind: FieldKind): (EnumItem & { isDefault: boolean }) | undefined {
  let s = line.replace(/^[-•*]\s*/, "").trim();
  if (kind === "string") s = s.replace(/^\d+\s*[.、)）]\s*/, "");
  const m =
    kind === "integer"
      ? /^`?(-?\d+)`?\s*(\((?:default)\)|（默认值?）)?\s*(?:[:：=]+|[-－](?=\D)|、|\s+|为|表示|(?=[\u4e00-\u9fff]))\s*(.*)$/.exec(s)
      : /^`?([A-Za-z][\w.-]*)`?\s*(\((?:default)\)|（默认值?）)?\s*(?:[:：=]+|\s+|表示|为|(?=[（(\u4e00-\u9fff])|$)\s*(.*)$/.exec(s);
  if (!m) return undefined;
  const value = valueOf(m[1]!, kind);
  if (value === undefined) return undefined;
  const description = trimDescription(m[3] ?? "");
  return { value, ...(description ? { description } : {}), isDefault: !!m[2] || DEFAULT_MARK.test(m[3] ?? "") };
}

/** Items between tokens of one line: each token regex match gives a value; the text up to the next token is its description. */
function itemsBetween(text: string, token: RegExp, kind: FieldKind): Array<EnumItem & { isDefault: boolean }> {
  const hits = [...text.matchAll(token)];
  return hits.flatMap((h, i) => {
    const value = valueOf(h[1]!, kind);
    if (value === undefined) return [];
    const raw = text.slice(h.index + h[0].length, hits[i + 1]?.index ?? text.length);
    // The last value's words end with its sentence: "1: Yes. If this parameter is 0, …" is about the field.
    const description = trimDescription(raw.split(/\n/)[0]!.split(/\.\s+(?=[A-Z][a-z])/)[0]!);
    return [{ value, ...(description ? { description } : {}), isDefault: /default|默认/i.test(h[0]) || DEFAULT_MARK.test(raw.split(/\n/)[0]!) }];
  });
}

const HEADER =
  /(?<![（(])(?:枚举值|可以有(?:如下|以下)取值|可(?:以)?(?:有|取)?(?:如下|以下)(?:的)?(?:取)?值|支持设[为置](?:以下|如下)值|可选值(?:如下)?|取值如下|(?:有|包括|包含|支持)(?:以下|如下)[\u4e00-\u9fff]{0,6}(?=[:：])|有\s*\d+\s*个值|[Vv]alid values(?: are)?|[Pp]ossible values|[Ee]numerated values|following values)\s*(?:如下|as follows)?\s*[:：]?/g;

interface EnumFound {
  items: Array<EnumItem & { isDefault: boolean }>;
  start: number;
  end: number;
}

function distinct(items: Array<EnumItem & { isDefault: boolean }>): Array<EnumItem & { isDefault: boolean }> {
  const seen = new Map<string | number, EnumItem & { isDefault: boolean }>();
  for (const it of items) {
    const had = seen.get(it.value);
    if (!had) seen.set(it.value, { ...it });
    else if (it.description && had.description && !had.description.includes(it.description))
      had.description = `${had.description}; ${it.description}`;
  }
  return [...seen.values()];
}

const INT_COLON = /(?<![\w.:\-`])`?(-?\d+)`?\s*(?:\(default\)\s*)?(?:[:：=]+(?!\d)|为(?!\d)|表示)/g;
const STRING_COLON = /(?<![\w.\-`])`?([A-Za-z][\w.-]*)`?\s*(?:\(default\)\s*)?[:：](?!\d|\/\/)/g;
const BACKTICK_COLON = /`([A-Za-z][\w.-]*)`\s*(?:\(default\)\s*)?[:：]/g;

/** An enum list in the text, or undefined (fewer than two values is no list). */
function findEnum(text: string, kind: FieldKind): EnumFound | undefined {
  if (kind !== "integer" && kind !== "string") return undefined;
  const enough = (f: EnumFound | undefined) => (f && distinct(f.items).length >= 2 ? { ...f, items: distinct(f.items) } : undefined);
  // A header, then the values one per line, or on the same line.
  for (const h of text.matchAll(HEADER)) {
    const afterHeader = h.index + h[0].length;
    const lineEnd = text.indexOf("\n", afterHeader);
    const rest = text.slice(afterHeader, lineEnd < 0 ? text.length : lineEnd);
    const inline = inlineItems(rest, kind, true);
    const items: EnumFound["items"] = inline.length ? inline : rest.trim() ? lineItems(rest, kind, true) : [];
    let end = afterHeader + rest.length;
    if (lineEnd >= 0) {
      for (const line of text.slice(lineEnd + 1).split("\n")) {
        const found = line.trim() ? lineItems(line, kind, true) : [];
        if (!found.length) break;
        items.push(...found);
        end += line.length + 1;
      }
    }
    const found = enough({ items, start: h.index, end });
    if (found) return found;
    // An explicit one-value list ("枚举值：\n- flow_02_turbo： flow_02_turbo") is a constant.
    if (/^(?:枚举值|[Vv]alid values)/.test(h[0]) && !rest.trim() && items.length === 1) return { items, start: h.index, end };
  }
  // A run of list lines without a header: "1：悬浮布局；\n2：屏幕分享布局；", "- 0： 学生".
  const lines = text.split("\n");
  const listLine =
    kind === "integer"
      ? /^[-•]?\s*`?-?\d+`?\s*(?:\(default\)|（默认值?）)?\s*[:：=\-、]/
      : /^(?:[-•]\s*`?[A-Za-z][\w.-]*`?|`[A-Za-z][\w.-]*`)\s*(?:\(default\)\s*)?[:：]/;
  for (let i = 0, offset = 0; i < lines.length; offset += lines[i]!.length + 1, i++) {
    let j = i;
    let end = offset;
    const items: EnumFound["items"] = [];
    // The run's first item may end the line before it: "The resolution. `1`: SD.\n`2`: HD".
    const lead = i > 0 && listLine.test(lines[i]!.trim()) ? itemsBetween(lines[i - 1]!, kind === "integer" ? INT_COLON : BACKTICK_COLON, kind) : [];
    if (lead.length === 1) items.push(lead[0]!);
    for (; j < lines.length && listLine.test(lines[j]!.trim()); j++) {
      const item = parseItemLine(lines[j]!, kind);
      if (!item) break;
      items.push(item);
      end += lines[j]!.length + 1;
    }
    const found = j - i >= 2 ? enough({ items, start: offset, end: end - 1 }) : undefined;
    if (found) return found;
  }
  // Bracketed lists: "取值为[48000, 44100]", "取值范围[0, 1, 2]".
  const bracket =
    /(取值为|可取|取值范围|取值|[Vv]alid values(?: are)?|[Vv]alues? (?:are|is))\s*[:：]?\s*[[【]\s*(-?\d+(?:\s*[,，]\s*-?\d+)+)\s*[\]】]/.exec(text);
  if (bracket && kind === "integer") {
    const values = bracket[2]!.split(/[,，]/).map((v) => v.trim());
    if (values.length >= (/范围/.test(bracket[1]!) ? 3 : 2)) {
      const found = enough({
        items: values.map((v) => ({ value: Number(v), isDefault: false })),
        start: bracket.index,
        end: bracket.index + bracket[0].length,
      });
      if (found) return found;
    }
  }
  // Pairs anywhere on one line: "0：不过滤；1：过滤", "1为滚动，2为闪烁", "`0`: Text; `1`: Image".
  let offset = 0;
  for (const line of text.split("\n")) {
    const found = enough({ items: inlineItems(line, kind, false), start: offset, end: offset + line.length });
    if (found) return found;
    offset += line.length + 1;
  }
  return undefined;
}

/** The items on one line of a list: several inline ("`A`: x. `B`: y"), or the line as one item. */
function lineItems(line: string, kind: FieldKind, afterHeader = false): EnumFound["items"] {
  const inline = itemsBetween(line, kind === "integer" ? INT_COLON : afterHeader ? STRING_COLON : BACKTICK_COLON, kind);
  if (inline.length >= 2 || (inline.length === 1 && line.trim().startsWith(line.trim().match(/^`?-?[\w.]+/)?.[0] ?? "\u0000"))) return inline;
  const item = parseItemLine(line, kind);
  return item ? [item] : [];
}

function inlineItems(line: string, kind: FieldKind, afterHeader: boolean): EnumFound["items"] {
  if (kind === "integer") {
    const colon = itemsBetween(line, INT_COLON, kind);
    if (colon.length >= 2) return colon;
    // "0 常规（默认）1 伪直播 2 RTMP推流直播": values 0 or 1 upwards, each followed by words.
    const spaced = itemsBetween(line, /(?<![\w.\-=])(\d+)\s+(?=[^\d\s])/g, kind);
    if (
      spaced.length >= 2 &&
      spaced.every((it, i) => it.value === (spaced[0]!.value as number) + i) &&
      (spaced[0]!.value as number) <= 1 &&
      (afterHeader || /[:：]\s*[01]\s/.test(line))
    )
      return spaced;
    return [];
  }
  const backticked = itemsBetween(line, BACKTICK_COLON, kind);
  if (backticked.length >= 2) return backticked;
  // "audio（音频）、picture（图片）"
  const listed = itemsBetween(line, /(?:^|、|，|,)\s*([A-Za-z][\w.-]*)\s*(?=[（(])/g, kind);
  if (afterHeader && listed.length >= 2) return listed;
  // "1、Idle表示任务未开始2、Preparing表示任务准备中"
  const meaning = itemsBetween(line, /(?:\d+、)?([A-Za-z]\w*)(?=表示)/g, kind);
  if (meaning.length >= 2) return meaning;
  if (afterHeader) {
    const colon = itemsBetween(line, STRING_COLON, kind);
    if (colon.length >= 2) return colon;
    // "videodoc 文档+视频video 纯视频": a name, a space, words.
    const spaced = itemsBetween(line, /(?:^|(?<=[\s\u4e00-\u9fff；;，,。]))([A-Za-z][\w-]*)\s+(?=[\u4e00-\u9fff])/g, kind);
    if (spaced.length >= 2) return spaced;
  }
  return [];
}

/** The first match of any pattern, with its position. */
function firstMatch(text: string, patterns: readonly RegExp[]): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && (!best || m.index < best.index)) best = m;
  }
  return best;
}

const RANGE_WORD = String.raw`(?:取值范围|范围|区间|取值|[Vv]alue range|range)\s*(?:是|为|is|of|from)?\s*[:：]?\s*`;
const RANGE_BRACKET = new RegExp(String.raw`${RANGE_WORD}([\[(（【])\s*${NUM}\s*(?:[,，~～]|(?<=\d)-)\s*${NUM}\s*([\])）】])`);
const RANGE_DASH = new RegExp(String.raw`${RANGE_WORD}${NUM}\s*(?:-|~|～|到|至|—|–|to)\s*${NUM}`);
const RANGE_BETWEEN = new RegExp(String.raw`between\s+${NUM}\s+and\s+${NUM}`, "i");
const MAX_PATTERNS = [
  new RegExp(
    String.raw`(?:最大(?:值|上限|可设置|允许|支持|数量|长度)?(?:限制)?(?:为|是)?|最多(?:支持|只能填写|可填写|设置)?|不(?:能)?超过|不大于|小于等于|上限(?:为)?)\s*[:：]?\s*${NUM}`,
  ),
  new RegExp(
    String.raw`(?:up to|at most|no more than|cannot exceed|can ?not exceed|not exceed|not be greater than|maximum(?: value)?(?: of| is| allowed is| can be)?|max\.?)\s*[:：]?\s*\`?${NUM}\`?`,
    "i",
  ),
];
const MIN_PATTERNS = [
  new RegExp(String.raw`(?:最小(?:值|可设置|设置)?(?:为|是)?|最少|不小于|大于等于|至少)\s*[:：]?\s*${NUM}`),
  new RegExp(String.raw`(?:at least|no less than|minimum(?: value)?(?: of| is)?)\s*[:：]?\s*\`?${NUM}\`?`, "i"),
];
const DEFAULT_PATTERNS = [
  new RegExp(String.raw`默认(?:值)?(?:为|是)?\s*[:：]?\s*\`?${NUM}`),
  new RegExp(String.raw`default(?: value)?(?: is|:)?\s*\`?${NUM}\`?|\`?${NUM}\`?\s+by default|defaults? to\s*\`?${NUM}`, "i"),
];

/** What the number after a bound counts: for strings a length, for lists a count, never a size in MB or a duration. */
const LENGTH_UNIT = /^\s*(?:个)?(?:字符|字节|characters?|chars?|bytes?)/i;
const LENGTH_BEFORE = /(?:长度|字符数|length)[^，,。；;]{0,6}$/i;
const COUNT_UNIT =
  /^\s*(?:个|条|项|种|items?|entries|elements|users?|accounts?|urls?|rooms?|groups?|members?)?(?![\w\u4e00-\u9fff]|\s*(?:[KMGT]B?|秒|分钟|小时|天|ms|s|min|h|d|%|px|像素|fps|bps|kbps|Hz)\b)/i;
const SINGLE_BEFORE = /(?:单个|每个|single|each|per)[^，,。；;]{0,10}$/i;
/** A span between two fields ("与StartTime间隔时间不超过1小时"), not a bound of this one. */
const SPAN_BEFORE = /(?:间隔|区间|时间范围|跨度|interval|span)[^，,。；;]{0,10}$/i;
const SIZE_UNIT = /^\s*(?:[KMGT]i?B?\b|[KMGT](?![a-z])|兆)/;

function boundOf(text: string, patterns: readonly RegExp[], kind: FieldKind, list: boolean): { value: number; sentence: string } | undefined {
  for (const p of patterns) {
    const re = new RegExp(p.source, p.flags.includes("g") ? p.flags : p.flags + "g");
    for (const m of text.matchAll(re)) {
      const raw = m.slice(1).find((g) => g !== undefined)!;
      const value = Number(raw);
      const before = text.slice(Math.max(0, m.index - 16), m.index);
      const after = text.slice(m.index + m[0].length);
      if (SINGLE_BEFORE.test(before) || SPAN_BEFORE.test(before) || SIZE_UNIT.test(after)) continue;
      if (kind === "string" && !list && !(LENGTH_UNIT.test(after) || LENGTH_BEFORE.test(before + m[0]))) continue;
      if (list && !COUNT_UNIT.test(after)) continue;
      if ((list || kind === "string" || kind === "integer") && !Number.isInteger(value)) continue;
      return { value, sentence: sentenceAround(text, m.index, m.index + m[0].length) };
    }
  }
  return undefined;
}

/** Constraints stated in one edition's text (plain text, see text.ts) of a field of `kind` (`list`: its items' kind). */
export function constraintsFromText(text: string, kind: FieldKind, list = false): TextConstraints {
  const out: TextConstraints = { sentences: {} };
  if (!text || kind === "boolean" || kind === "other") return out;
  const numeric = !list && (kind === "integer" || kind === "float");

  const en = findEnum(text, kind);
  if (en) {
    out.enum = en.items.map(({ value, description }) => ({ value, ...(description ? { description } : {}) }));
    out.sentences.enum = text.slice(en.start, en.end).trim().replace(/\n+/g, " ");
    const defaults = en.items.filter((i) => i.isDefault);
    if (defaults.length === 1) {
      out.default = defaults[0]!.value;
      out.sentences.default = out.sentences.enum;
    }
  }

  if (numeric) {
    const bracket = firstMatch(text, [RANGE_BRACKET]);
    const dash = firstMatch(text, [RANGE_DASH, RANGE_BETWEEN]);
    const range = bracket && (!dash || bracket.index <= dash.index) ? bracket : dash;
    if (range) {
      const sentence = sentenceAround(text, range.index, range.index + range[0].length);
      const [lo, hi] = range === bracket ? [Number(range[2]), Number(range[3])] : [Number(range[1]), Number(range[2])];
      const openLow = range === bracket && /[(（]/.test(range[1]!);
      const openHigh = range === bracket && /[)）]/.test(range[4]!);
      const whole = kind === "integer" ? Number.isInteger(lo) && Number.isInteger(hi) : true;
      if (whole && lo <= hi) {
        const min = openLow ? (kind === "integer" ? lo + 1 : undefined) : lo;
        const max = openHigh ? (kind === "integer" ? hi - 1 : undefined) : hi;
        if (min !== undefined) {
          out.minimum = min;
          out.sentences.minimum = sentence;
        }
        if (max !== undefined) {
          out.maximum = max;
          out.sentences.maximum = sentence;
        }
      }
    }
    // Float "enums" ("可取[0.5, 0.75, …, 2.0]") become a range: the spec's enums are strings and integers.
    const floats =
      kind === "float" && out.minimum === undefined
        ? /(?:取值为|可取|取值|[Vv]alid values(?: are)?)\s*[:：]?\s*[[【]\s*(-?[\d.]+(?:\s*[,，]\s*-?[\d.]+)+)\s*[\]】]/.exec(text)
        : null;
    if (floats) {
      const values = floats[1]!.split(/[,，]/).map(Number);
      const sentence = sentenceAround(text, floats.index, floats.index + floats[0].length);
      out.minimum = Math.min(...values);
      out.maximum = Math.max(...values);
      out.sentences.minimum = out.sentences.maximum = sentence;
    }
  }

  // With an enum, only bounds on its own lines count: a "最多25个画面" paragraphs later is about something else.
  const boundsText =
    out.enum && en ? text.slice(text.lastIndexOf("\n", en.start) + 1, (text.indexOf("\n", en.end) + 1 || text.length + 1) - 1) : text;
  const [maxKey, minKey] = list
    ? (["maxItems", "minItems"] as const)
    : kind === "string"
      ? (["maxLength", "minLength"] as const)
      : (["maximum", "minimum"] as const);
  if (out[maxKey] === undefined) {
    const b = boundOf(boundsText, MAX_PATTERNS, kind, list);
    if (b) {
      out[maxKey] = b.value;
      out.sentences[maxKey] = b.sentence;
    }
  }
  if (out[minKey] === undefined) {
    const b = boundOf(boundsText, MIN_PATTERNS, kind, list);
    if (b) {
      out[minKey] = b.value;
      out.sentences[minKey] = b.sentence;
    }
  }

  if (numeric && out.default === undefined) {
    const d = firstMatch(text, DEFAULT_PATTERNS);
    const raw = d?.slice(1).find((g) => g !== undefined);
    if (d && raw !== undefined && (kind === "float" || Number.isInteger(Number(raw)))) {
      out.default = Number(raw);
      out.sentences.default = sentenceAround(text, d.index, d.index + d[0].length);
    }
  }
  return settle(out);
}

/**
 * Make the findings agree with each other: a bound below the other drops both; an enum that lists
 * only some values of a wider range ("0 is unlimited, -1 forbids it, at most 120") is a list of
 * special values, not a closed set, so the range stays and the enum goes; a default outside what
 * remains goes.
 */
export function settle(c: TextConstraints): TextConstraints {
  const out: TextConstraints = { ...c, sentences: { ...c.sentences } };
  const drop = (...keys: ConstraintKey[]) => {
    for (const k of keys) {
      delete out[k];
      delete out.sentences[k];
    }
  };
  for (const [lo, hi] of [
    ["minimum", "maximum"],
    ["minLength", "maxLength"],
    ["minItems", "maxItems"],
  ] as const)
    if (out[lo] !== undefined && out[hi] !== undefined && out[lo]! > out[hi]!) drop(lo, hi);
  if (out.enum && (out.minimum !== undefined || out.maximum !== undefined)) {
    const numbers = out.enum.map((e) => e.value).filter((v): v is number => typeof v === "number");
    const inside = numbers.every((v) => (out.minimum === undefined || v >= out.minimum) && (out.maximum === undefined || v <= out.maximum));
    const covers = out.minimum !== undefined && out.maximum !== undefined && out.maximum - out.minimum + 1 <= numbers.length;
    if (!inside || !covers) drop("enum");
    else drop("minimum", "maximum");
  }
  const d = out.default;
  if (d !== undefined) {
    const outside = typeof d === "number" && ((out.minimum !== undefined && d < out.minimum) || (out.maximum !== undefined && d > out.maximum));
    if (outside || (out.enum && !out.enum.some((e) => e.value === d))) drop("default");
  }
  return out;
}
