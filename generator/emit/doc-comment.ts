// A doc comment as ts-morph's JSDoc printer writes one from a string: the layout the text emitters
// (types, operations, client) keep from when they printed with ts-morph.
import { written } from "./statements.js";

const LINE_BREAK = /\r?\n/;

/**
 * A doc comment at `indent`, ending with a newline: `/** text *\/` for one line, else a block with
 * ` * ` before each line (a first empty line dropped). `deprecated`: the text of a `@deprecated` tag.
 * The texts come trimmed (docText).
 */
export function docComment(description: string, indent: string, deprecated?: string): string {
  let text = written(description);
  if (deprecated !== undefined) {
    const tagText = written(deprecated);
    const tag = written(`@deprecated${tagText && !tagText.startsWith("\n") ? " " : ""}${tagText}`);
    text += (text ? "\n" : "") + tag;
  }
  return docCommentText(text, indent);
}

/**
 * A doc comment given as a string (a structure's `docs: [text]`): the printer splits the text as it
 * is, where a `{ description }` goes through a writer first (docComment), which makes `\r\r\n` one break.
 */
export function docCommentText(text: string, indent: string): string {
  const lines = text.split(LINE_BREAK);
  if (lines.length <= 1) {
    const line = lines[0]!;
    return `${indent}/** ${line}${line === "" || line.endsWith(" ") ? "" : " "}*/\n`;
  }
  let out = `${indent}/**\n`;
  for (let i = lines[0] === "" ? 1 : 0; i < lines.length; i++) out += lines[i] ? `${indent} * ${lines[i]}\n` : `${indent} *\n`;
  return `${out}${indent} */\n`;
}
