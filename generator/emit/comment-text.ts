// Spec text made safe inside generated comments. Apart from symbols.ts so that modules needing only
// this (the file header) do not load ts-morph through the import planner.

/**
 * Spec text inside a block or doc comment (every emitter's one escaper for it): `*\/` would end the
 * comment and let the rest run as code; `/*` does nothing to TypeScript, but ts-morph's writer takes
 * it for an opening comment and closes it with a stray `*\/` (and misplaces the braces after it).
 */
export function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\/\*/g, "/\\*").trim();
}

/** Spec text inside a `//` comment: a line terminator (`\n`, `\r`, U+2028, U+2029) would end the
 * comment and let the rest of the line run as code. */
export function lineCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
