// The built ES entries without the whitespace and comments a cold import pays V8 to scan: the
// tokens are kept as they are, one space left only where two tokens would otherwise merge, and a
// line break wherever the source had one between two tokens (so automatic semicolon insertion reads
// the code as before, and each statement esbuild printed stays a line). Names are not touched.
// Unlike esbuild's whitespace minification, which also drops them, the `@__PURE__` marks an app's
// bundler tree-shakes by (and legal comments) are kept.
import { parse, type Token } from "acorn";

/** Comments that mean something to a tool reading the built file. */
const KEPT_COMMENT = /^\s*[#@]__(PURE|NO_SIDE_EFFECTS)__\s*$|^!|@license|@preserve/;

/** Characters of an identifier, keyword or number: two such tokens need a space between them. */
const WORD = /[\w$\\\u0080-\uffff]/;

interface Piece {
  start: number;
  end: number;
  /** A kept comment: spaced from its neighbours as esbuild prints it. */
  comment?: boolean;
  /** A number literal: `1 .toString()` must keep its space. */
  number?: boolean;
  /** A regular expression: `/a/ in x` must keep its space (else `in` would read as its flags). */
  regexp?: boolean;
}

/** `code` (an ES module) with the same tokens, no indentation, no other space than needed, no comment but the kept ones. */
export function squeezeWhitespace(code: string): string {
  const pieces: Piece[] = [];
  parse(code, {
    ecmaVersion: "latest",
    sourceType: "module",
    onToken: (t: Token) => {
      if (t.type.label !== "eof") pieces.push({ start: t.start, end: t.end, number: t.type.label === "num", regexp: t.type.label === "regexp" });
    },
    onComment: (_block, text, start, end) => {
      if (KEPT_COMMENT.test(text)) pieces.push({ start, end, comment: true });
    },
  });
  pieces.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let last = "";
  let prev: Piece | undefined;
  for (const piece of pieces) {
    const text = code.slice(piece.start, piece.end);
    if (prev) {
      const gap = code.slice(prev.end, piece.start);
      if (gap.includes("\n") || gap.includes("\r") || gap.includes("\u2028") || gap.includes("\u2029")) out.push("\n");
      else if (gap.length > 0 && needsSpace(prev, last, piece, text)) out.push(" ");
    }
    out.push(text);
    last = text;
    prev = piece;
  }
  out.push("\n");
  return out.join("");
}

function needsSpace(prev: Piece, before: string, piece: Piece, text: string): boolean {
  const a = before[before.length - 1]!;
  const b = text[0]!;
  if (prev.comment || piece.comment) return true;
  if ((WORD.test(a) || prev.regexp === true) && WORD.test(b)) return true;
  // `a - -b`, `a + +b`, `a / /re/` (not a comment), `x-- > y` (not `-->`), `a < !--b` (not `<!--`).
  if (a === b && "+-/".includes(a)) return true;
  if ((a === "-" && b === ">") || (a === "<" && b === "!") || (a === "/" && b === "*")) return true;
  return prev.number === true && b === ".";
}
