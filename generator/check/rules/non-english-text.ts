// The specs' prose is English: the importer decides a text's language by counting Latin letters, so
// Chinese can slip into a summary or a description. Data (values, examples, defaults, the examples'
// bodies) and notes (which may quote a source sentence) may hold any script.
import type { PathSegment } from "../../load/spec-document.js";
import type { Rule } from "../rule.js";

/** Han, Hiragana, Katakana, Hangul, CJK symbols and punctuation, CJK compatibility forms, halfwidth and fullwidth forms. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef]/u;

/** A character at or above U+1100 (Hangul Jamo, the lowest CJK above): a cheap test that most text fails. */
const MAYBE_CJK = /[\u1100-\uffff]/;

/** The keys whose text is prose. */
const PROSE = new Set(["summary", "description", "title"]);
/** Keys whose subtree is data or a quotation, never checked. */
const EXEMPT = new Set(["notes", "example", "default", "sources", "suppress", "mock"]);
/** Keys of maps whose own keys are names (a field, a type, a resource), each naming a node of keys again. */
const NAMED = new Set(["fields", "types", "resources"]);

/** Whether the text at `path` is prose the rule reads. */
export function isProse(path: readonly PathSegment[]): boolean {
  let name = false;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (name) {
      name = false;
      continue;
    }
    if (typeof seg === "number") continue;
    if (EXEMPT.has(seg)) return false;
    if (NAMED.has(seg)) name = true;
    if (i === path.length - 1) return PROSE.has(seg);
  }
  return false;
}

const pathText = (path: readonly PathSegment[]) => path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");

/** The text from its first CJK character, shortened for a message. */
function excerpt(value: string): string {
  const from = value.search(CJK);
  const chars = [...value.slice(from).replace(/\s+/g, " ")];
  return chars.length > 24 ? `${chars.slice(0, 24).join("")}…` : chars.join("");
}

export const nonEnglishText: Rule = {
  id: "non-english-text",
  severity: "error",
  description:
    "Chinese, Japanese or Korean characters (Han, kana, Hangul, CJK punctuation, fullwidth forms) in a `summary`, `description` (of anything: a spec, a field, an enum value, an error, an example) or `title`: the specs are in English. Not in `notes` (which may quote a source), values, `example`, `default` or the examples' bodies.",
  check(_ir, report, docs) {
    for (const doc of docs) {
      // A text can hold such a character only by writing it or by an escape (`"\u4e2d"`).
      if (!MAYBE_CJK.test(doc.text) && !doc.text.includes("\\")) continue;
      for (const t of doc.texts(MAYBE_CJK)) {
        if (!CJK.test(t.value) || !isProse(t.path)) continue;
        // The character itself in the source; an escape (`"\u4e2d"`) leaves only the node's start.
        const at = doc.text.slice(t.start, t.end).search(CJK);
        report(doc.position(t.start + Math.max(0, at)), `${pathText(t.path)} is not in English: "${excerpt(t.value)}"`);
      }
    }
  },
};
