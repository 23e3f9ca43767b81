// Markdown builders, and one escaper per context a spec string can land in: inline text (a table
// cell, a list item, a quote), a paragraph, a heading, a code span, a link, HTML text. Spec text is
// shown as written: raw HTML, links to anything but http(s) and block markers are neutralised; its
// own code spans, emphasis and http(s) links are kept.

/** A block marker that would take effect at the start of a line: heading, quote, bullet, thematic
 * break, fenced code (HTML cannot start: `<` is always escaped). Escaped wherever a string may start a line. */
const LINE_START = /^(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|(?:[-*_][ \t]*){3,}$|`{3,}(?!.*`)|~{3,})/;
/** An ordered-list marker: its `.` or `)` is what gets escaped (`\1` is not an escape). */
const ORDERED_START = /^(\d{1,9})([.)])(?=[ \t]|$)/;

const ENTITY = /^&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/** The characters escapeText may change. */
const ESCAPED = /[\\<&`[\]]/;
/** `[label](http(s)://…)` with a plain label and a destination that needs no escaping. */
const HTTP_LINK = /^\[([^[\]`\\\r\n]*)\]\((https?:\/\/[^\s()<>\\`]+)\)/i;

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>\\`]+$/i.test(url);
}

/** Splits text into code spans (kept verbatim) and the text between them, the CommonMark way:
 * a run of n backticks opens a span that the next run of exactly n backticks closes. */
function codeSpansAndText(s: string): Array<{ code: boolean; text: string }> {
  const out: Array<{ code: boolean; text: string }> = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    if (s[i] !== "`") {
      // Up to the next backtick in one piece: most spec text has none.
      const tick = s.indexOf("`", i);
      const end = tick < 0 ? s.length : tick;
      text += s.slice(i, end);
      i = end;
      continue;
    }
    let n = i;
    while (s[n] === "`") n++;
    const run = n - i;
    let close = -1;
    for (let j = n; j < s.length;) {
      if (s[j] !== "`") {
        j++;
        continue;
      }
      let k = j;
      while (s[k] === "`") k++;
      if (k - j === run) {
        close = j;
        break;
      }
      j = k;
    }
    if (close < 0) {
      text += s.slice(i, n);
      i = n;
      continue;
    }
    if (text) out.push({ code: false, text });
    text = "";
    out.push({ code: true, text: s.slice(i, close + run) });
    i = close + run;
  }
  if (text) out.push({ code: false, text });
  return out;
}

/** Text outside code spans, shown as written however the pieces of a line are joined: `<` never
 * starts HTML or an autolink, `&` never an entity, a backslash shows as itself, a backtick left
 * unmatched here never pairs with one in the next piece, and a `]` that could close a link, image
 * or definition is escaped, so only `[label](http(s)://…)` stays a link. */
function escapeText(s: string, inLinkLabel = false): string {
  // Most spec text holds none of the characters below: it is its own escape.
  if (!ESCAPED.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    // A piece ends where a code span or the generator's own text starts: assume the worst follows.
    const next = i + 1 < s.length ? s[i + 1]! : undefined;
    if (c === "\\") out += next === undefined || ASCII_PUNCTUATION.test(next) ? "\\\\" : "\\";
    else if (c === "<") out += "&lt;";
    else if (c === "&") out += next === undefined || ENTITY.test(s.slice(i)) ? "&amp;" : "&";
    else if (c === "`") out += "\\`";
    else if (c === "]") out += inLinkLabel || next === undefined || "([:".includes(next) ? "\\]" : "]";
    else if (c === "[") {
      const link = s[i - 1] === "!" || inLinkLabel ? null : HTTP_LINK.exec(s.slice(i));
      if (link) {
        out += `[${escapeText(link[1]!)}](${link[2]})`;
        i += link[0].length - 1;
      } else out += inLinkLabel ? "\\[" : "[";
    } else out += c;
  }
  return out;
}

/** Spec text on one line: a table cell, a list item, a quote, after a label. Newlines become spaces. */
export function inline(text: string): string {
  return lineStart(inlineText(text, false));
}

function inlineText(text: string, inLinkLabel: boolean): string {
  // The replacement needs a line break; without one, skip scanning every space for it.
  const s = (/[\r\n]/.test(text) ? text.replace(/\s*[\r\n]+\s*/g, " ") : text).trim();
  return codeSpansAndText(s)
    .map((part) => (part.code ? part.text : escapeText(part.text, inLinkLabel)))
    .join("");
}

/** The first characters LINE_START and ORDERED_START can match. */
const MARKER_FIRST = "#>-+*_`~0123456789";

function lineStart(out: string): string {
  if (!out || !MARKER_FIRST.includes(out[0]!)) return out;
  if (LINE_START.test(out)) return `\\${out}`;
  return out.replace(ORDERED_START, "$1\\$2");
}

/** Spec text as its own block: paragraphs (blank lines) kept, each on one line. */
export function paragraph(text: string): string {
  return text
    .split(/\r?\n[ \t]*\r?\n\s*/)
    .map(inline)
    .filter(Boolean)
    .join("\n\n");
}

/** A heading of one line; a trailing `#` run stays text. */
export function heading(level: number, text: string): string {
  return `${"#".repeat(level)} ${inline(text).replace(/(^|\s)(#+)$/, "$1\\$2")}`;
}

/** An exact value in a code span: a fence longer than any backtick run inside, padded where the
 * value starts or ends with a backtick or a space; newlines (which a span cannot hold) as spaces. */
export function code(value: string | number | bigint): string {
  const text = String(value);
  const s = text.includes("\n") || text.includes("\r") ? text.replace(/\r\n?|\n/g, " ") : text;
  if (s === "") return "` `";
  const longest = s.includes("`") ? Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length)) : 0;
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(s) && s.trim() !== "" ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A link only to an http(s) URL; anything else is shown as a code span. */
export function url(target: string): string {
  return isHttpUrl(target) ? `<${target}>` : code(target);
}

/** A link to a page of the generated tree: the label as text, each path segment percent-encoded. */
export function relativeLink(label: string, segments: string[]): string {
  return `[${lineStart(inlineText(label, true))}](${segments.map(encodeURIComponent).join("/")})`;
}

/** Text inside the generator's own HTML (`<summary>`): entities for the characters HTML reads. */
export function htmlText(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A table of Markdown cells (built with the escapers above): `|` escaped (GFM reads `\|` as `|`
 * even inside a code span), a newline the generator put in a cell becomes `<br>`. */
export function table(headers: string[], rows: string[][]): string {
  const cell = (text: string) =>
    (text.includes("|") || text.includes("\n") ? text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>") : text).trim() || " ";
  const head = `| ${headers.join(" | ")} |`;
  const rule = `| ${headers.map(() => "---").join(" | ")} |`;
  return [head, rule, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

/** A fenced block whose fence is longer than any backtick run inside, so no line of the text closes it. */
export function fence(lang: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${text.replace(/\s+$/, "")}\n${ticks}`;
}
