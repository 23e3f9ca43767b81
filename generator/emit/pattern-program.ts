// A field's `pattern` as a small program the mock's runtime draws matching strings from
// (templates/runtime/src/mock/sample.ts `drawPattern`): the generated packages carry no regex
// library, so the pattern is parsed here (regexpp) and only plain data reaches the package.
import { parseRegExpLiteral, type AST } from "@eslint-community/regexpp";
import type { PatternProgram } from "../../templates/runtime/src/mock/sample.js";

/** Printable ASCII: what `.` and negated classes draw from. */
const PRINTABLE: [number, number] = [0x20, 0x7e];
/** How many more repetitions than the minimum an unbounded quantifier draws at most. */
const OPEN_REPEAT = 8;

const SETS: Record<"digit" | "space" | "word", Array<[number, number]>> = {
  digit: [[0x30, 0x39]],
  space: [[0x20, 0x20]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};
/** Unicode properties, drawn from a part of them that is easy to read. */
const PROPERTIES: Record<string, Array<[number, number]>> = {
  L: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  Letter: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  Lu: [[0x41, 0x5a]],
  Ll: [[0x61, 0x7a]],
  N: [[0x30, 0x39]],
  Nd: [[0x30, 0x39]],
};

export class UnsupportedPattern extends Error {}

/** Code point ranges outside `ranges`, within printable ASCII. */
function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = PRINTABLE[0];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (hi < from) continue;
    if (lo > PRINTABLE[1]) break;
    if (lo > from) out.push([from, lo - 1]);
    from = Math.max(from, hi + 1);
  }
  if (from <= PRINTABLE[1]) out.push([from, PRINTABLE[1]]);
  return out;
}

function setRanges(node: AST.CharacterSet): Array<[number, number]> {
  switch (node.kind) {
    case "any":
      return [PRINTABLE];
    case "digit":
    case "space":
    case "word":
      return node.negate ? complement(SETS[node.kind]) : SETS[node.kind];
    case "property": {
      const ranges =
        PROPERTIES[node.value ?? node.key] ?? (node.key === "General_Category" || node.key === "gc" ? PROPERTIES[node.value ?? ""] : undefined);
      if (!ranges || node.strings) throw new UnsupportedPattern(`\\p{${node.key}${node.value ? `=${node.value}` : ""}}`);
      return node.negate ? complement(ranges) : ranges;
    }
  }
}

function classRanges(node: AST.CharacterClass): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const e of node.elements) {
    if (e.type === "Character") ranges.push([e.value, e.value]);
    else if (e.type === "CharacterClassRange") ranges.push([e.min.value, e.max.value]);
    else if (e.type === "CharacterSet") ranges.push(...setRanges(e));
    else throw new UnsupportedPattern(e.raw);
  }
  const chosen = node.negate ? complement(ranges) : ranges;
  if (chosen.length === 0) throw new UnsupportedPattern(node.raw);
  return chosen;
}

const flat = (ranges: Array<[number, number]>): PatternProgram => ({ c: ranges.flat() });

function element(e: AST.Element): PatternProgram | undefined {
  switch (e.type) {
    case "Character":
      return String.fromCodePoint(e.value);
    case "CharacterClass":
      return flat(classRanges(e));
    case "CharacterSet":
      return flat(setRanges(e));
    case "Group":
    case "CapturingGroup":
      return alternatives(e.alternatives);
    case "Quantifier": {
      const inner = element(e.element) ?? "";
      return { q: inner, n: e.min, x: e.max === Infinity ? e.min + OPEN_REPEAT : e.max };
    }
    case "Assertion":
      // ^ and $ say where the match is, which a whole drawn string satisfies.
      if (e.kind === "start" || e.kind === "end") return undefined;
      throw new UnsupportedPattern(e.raw);
    default:
      throw new UnsupportedPattern(e.raw);
  }
}

function sequence(alt: AST.Alternative): PatternProgram {
  const parts = alt.elements.map(element).filter((p): p is PatternProgram => p !== undefined);
  // Adjacent literals as one string: shorter programs.
  const merged: PatternProgram[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (typeof p === "string" && typeof last === "string") merged[merged.length - 1] = last + p;
    else merged.push(p);
  }
  return merged.length === 1 ? merged[0]! : merged;
}

function alternatives(alts: AST.Alternative[]): PatternProgram {
  return alts.length === 1 ? sequence(alts[0]!) : { a: alts.map(sequence) };
}

/** The program for a pattern (compiled with the `u` flag, as the validators do); throws UnsupportedPattern for what it cannot draw (look-arounds, back-references, word boundaries). */
export function patternProgram(pattern: string): PatternProgram {
  const literal = parseRegExpLiteral(new RegExp(pattern, "u"));
  return alternatives(literal.pattern.alternatives);
}
