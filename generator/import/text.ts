// Metadata `document` strings → plain text for spec descriptions. Newer entries are HTML
// (`<p>…</p><ul><li>`), some carry markdown links; the list structure is kept as lines.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

// Only real tag names: the texts also contain `<公共请求参数>` and comparisons such as `a < b`.
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?\/?>/g;

export function plainText(document: string | undefined): string {
  if (!document) return "";
  let text = document.replace(/\r\n?/g, "\n");
  text = text.replace(TAG, (_tag, name: string) => {
    const tag = name.toLowerCase();
    if (tag === "li") return _tag.startsWith("</") ? "" : "\n- ";
    if (["br", "p", "ul", "ol", "div", "tr", "table", "h1", "h2", "h3", "h4", "pre"].includes(tag)) return "\n";
    if (tag === "td" || tag === "th") return " ";
    return "";
  });
  text = text.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, e: string) => ENTITIES[e]!);
  // [text](url) → text (url); the metadata sometimes breaks the line inside the parentheses.
  text = text.replace(/\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)/g, (_m, label: string, url: string) =>
    label.trim() === url ? url : `${label.trim()} (${url})`,
  );
  text = text.replace(/\*\*([^*\n]+)\*\*/g, "$1");
  const lines = text.split("\n").map((l) => l.replace(/[ \t\u3000]+/g, " ").trim());
  // Drop blank lines: folded YAML turns each newline into a visible line break anyway.
  return lines.filter(Boolean).join("\n");
}

/** One line, for summaries and titles. */
export function oneLine(document: string | undefined): string {
  return plainText(document).replace(/\n+/g, " ");
}

export type Language = "en" | "zh";

/** The intl edition's boilerplate, which alone says nothing about the field. */
const NULL_NOTE = /Note: This field may return null, indicating that no valid values? (?:can be obtained|was found)\.?/gi;

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;

/** The language of a metadata text: Chinese when Han characters are a good share of its letters. */
export function languageOf(text: string): Language {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  // English texts quote the odd Chinese example ("房间名称"); Chinese ones name many fields in Latin.
  return han > 0 && han * 3 >= latin ? "zh" : "en";
}

export interface EditionText {
  text: string;
  language: Language;
  /** The edition's source id (`metadata-cn`, `metadata-intl`). */
  edition: string;
}

/**
 * The text to write: the first English one, else the first non-empty one (a Chinese fallback,
 * which the caller marks). `documents` in edition order, each as the metadata has it.
 */
export function preferredText(documents: ReadonlyArray<{ document: string | undefined; edition: string }>, one = false): EditionText | undefined {
  const texts = documents
    .map((d) => ({ text: one ? oneLine(d.document) : plainText(d.document), edition: d.edition }))
    .filter((d) => d.text.replace(NULL_NOTE, "").trim())
    .map((d) => ({ ...d, language: languageOf(d.text) }));
  return texts.find((t) => t.language === "en") ?? texts[0];
}
