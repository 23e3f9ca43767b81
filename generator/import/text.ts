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
  text = text.replace(/\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)/g, (_m, label: string, url: string) => (label.trim() === url ? url : `${label.trim()} (${url})`));
  text = text.replace(/\*\*([^*\n]+)\*\*/g, "$1");
  const lines = text.split("\n").map((l) => l.replace(/[ \t\u3000]+/g, " ").trim());
  // Drop blank lines: folded YAML turns each newline into a visible line break anyway.
  return lines.filter(Boolean).join("\n");
}

/** One line, for summaries and titles. */
export function oneLine(document: string | undefined): string {
  return plainText(document).replace(/\n+/g, " ");
}
