// Function bodies as data: a statement is a line of code, or a block whose nesting is explicit, so
// the code-block-writer package (ts-morph's writer) indents them (no bracket counting over text). Emitters build these
// before printing, which also lets every symbol a body uses be declared before the imports are planned.
// The writer's class from its own package (ts-morph's is the same one): an emitter writing text through
// this module does not load ts-morph and TypeScript.
import CodeBlockWriter from "code-block-writer";
import type { WriterFunction } from "ts-morph";

/** `head { body }`: `if (x)`, `for (…)`, `else`, `else if (x)`, or `""` for a bare block. */
export interface Block {
  head: string;
  body: Statement[];
}

/** One line of code (which may hold several simple statements), or a block. */
export type Statement = string | Block;

export const block = (head: string, body: Statement[]): Block => ({ head, body });

/** Writes statements; a block headed `else …` right after a block continues its line (`} else {`). */
export function writeStatements(w: CodeBlockWriter, statements: readonly Statement[]): void {
  let afterBlock = false;
  for (const s of statements) {
    if (typeof s === "string") {
      w.writeLine(s);
      afterBlock = false;
      continue;
    }
    if (afterBlock && s.head.startsWith("else")) w.write(` ${s.head} `);
    else {
      w.newLineIfLastNot();
      if (s.head) w.write(`${s.head} `);
    }
    w.inlineBlock(() => writeStatements(w, s.body));
    afterBlock = true;
  }
}

/** A writer function printing `statements`, for a structure's `statements` or `initializer`. */
export const statementsWriter =
  (statements: readonly Statement[]): WriterFunction =>
  (w) =>
    writeStatements(w, statements);

/** A function declaration (or a class method): its signature as data, its body as statements. */
/** One level of indentation, as ts-morph's writer uses it here. */
export const INDENT = "  ";

/** Text as a writer leaves it: every line break a `\n`. */
export const written = (text: string): string => (text.includes("\r") ? text.split(/\r?\n/).join("\n") : text);

export interface FunctionDecl {
  name: string;
  /** `[name, type]`; an optional parameter's name ends with `?`. */
  parameters: Array<[name: string, type: string]>;
  returnType: string;
  body: Statement[];
  exported?: boolean;
  /** `async`, or `async*` for an async generator. */
  async?: "async" | "async*";
  /** A method of the class being written: no `function` keyword. */
  method?: boolean;
  /** Its documentation: one line, or the lines of a block comment. */
  doc?: string | readonly string[];
  /** A `//` line above it (and its documentation), heading the functions that follow. */
  heading?: string;
}

/** A doc comment: `/** line *\/`, or a block with ` * ` before each line. */
export function writeDoc(w: CodeBlockWriter, doc: string | readonly string[]): void {
  if (typeof doc === "string") {
    w.writeLine(`/** ${doc} */`);
    return;
  }
  w.writeLine("/**");
  for (const line of doc.flatMap((l) => l.split("\n"))) w.writeLine(line ? ` * ${line}` : " *");
  w.writeLine(" */");
}

/** Whether every line of `statements` is one line of text: no line break inside a statement. */
function singleLines(statements: readonly Statement[]): boolean {
  for (const s of statements)
    if (typeof s === "string" ? s.includes("\n") || s.includes("\r") : !singleLines(s.body) || /[\r\n]/.test(s.head)) return false;
  return true;
}

/**
 * The text writeStatements writes for `statements` at indentation `indent` (`unit` deeper per block),
 * from the start of a line to the end of the last (a block's `}` without its line break).
 */
function statementsText(statements: readonly Statement[], indent: string, unit: string): string {
  let out = "";
  let afterBlock = false;
  for (const s of statements) {
    if (typeof s === "string") {
      out += `${afterBlock ? "\n" : ""}${indent}${s}\n`;
      afterBlock = false;
      continue;
    }
    if (afterBlock && s.head.startsWith("else")) out += ` ${s.head} `;
    else out += `${afterBlock ? "\n" : ""}${indent}${s.head ? `${s.head} ` : ""}`;
    const body = statementsText(s.body, indent + unit, unit);
    out += `{\n${body}${body.endsWith("\n") || !body ? "" : "\n"}${indent}}`;
    afterBlock = true;
  }
  return out;
}

/** Writes `f` where the writer stands (no blank line before it). */
export function writeFunction(w: CodeBlockWriter, f: FunctionDecl): void {
  if (f.heading !== undefined) w.writeLine(`// ${f.heading}`);
  if (f.doc !== undefined) writeDoc(w, f.doc);
  const parameters = f.parameters.map(([name, type]) => `${name}: ${type}`).join(", ");
  const generator = f.async === "async*" ? "*" : "";
  const keyword = f.method ? generator : `function${generator} `;
  const head = `${f.exported ? "export " : ""}${f.async ? "async " : ""}${keyword}${f.name}`;
  w.write(`${head}(${parameters}): ${f.returnType} `);
  if (singleLines(f.body)) {
    // The body as one text, indented as inlineBlock and writeLine would: the writer's calls per line
    // (each checking the last characters written) were most of the time of printing the validators.
    const { useTabs, indentNumberOfSpaces } = w.getOptions();
    const unit = useTabs ? "\t" : " ".repeat(indentNumberOfSpaces);
    const level = w.getIndentationLevel();
    const body = statementsText(f.body, unit.repeat(level + 1), unit);
    const text = `{\n${body}${body.endsWith("\n") || !body ? "" : "\n"}${unit.repeat(level)}}`;
    w.withIndentationLevel(0, () => w.write(text));
  } else w.inlineBlock(() => writeStatements(w, f.body));
  w.newLine();
}

/**
 * The text writeFunction writes for `f` at the start of a line at indentation `level` (0: of a file),
 * ending with a line break: written directly when no line of it breaks, else through the code-block writer.
 */
export function functionText(f: FunctionDecl, unit = "  ", level = 0): string {
  const docLines = f.doc === undefined ? [] : typeof f.doc === "string" ? [f.doc] : f.doc;
  if (!singleLines(f.body) || [f.heading ?? "", ...docLines].some((l) => l.includes("\r")) || (typeof f.doc === "string" && f.doc.includes("\n"))) {
    const w = new CodeBlockWriter({ indentNumberOfSpaces: unit.length, useTabs: unit === "\t" });
    w.setIndentationLevel(level);
    writeFunction(w, f);
    return w.toString();
  }
  const indent = unit.repeat(level);
  let out = f.heading === undefined ? "" : `${indent}// ${f.heading}\n`;
  if (typeof f.doc === "string") out += `${indent}/** ${f.doc} */\n`;
  else if (f.doc !== undefined) out += docBlockText(f.doc, indent);
  const parameters = f.parameters.map(([name, type]) => `${name}: ${type}`).join(", ");
  const generator = f.async === "async*" ? "*" : "";
  const keyword = f.method ? generator : `function${generator} `;
  const body = statementsText(f.body, indent + unit, unit);
  return `${out}${indent}${f.exported ? "export " : ""}${f.async ? "async " : ""}${keyword}${f.name}(${parameters}): ${f.returnType} {\n${body}${body.endsWith("\n") || !body ? "" : "\n"}${indent}}\n`;
}

/** The text writeDoc writes for the lines of a block comment at `indent` (no line holds a `\r`). */
export function docBlockText(doc: readonly string[], indent: string): string {
  let out = `${indent}/**\n`;
  for (const line of doc.flatMap((l) => l.split("\n"))) out += line ? `${indent} * ${line}\n` : `${indent} *\n`;
  return `${out}${indent} */\n`;
}

/**
 * A writer function printing `f` after a blank line. Not a ts-morph FunctionDeclarationStructure on
 * purpose: its printer opens a writer per parameter and per type, about 30 µs a function, which is
 * most of the validators emitter's time on a few thousand functions.
 */
export const functionWriter =
  (f: FunctionDecl): WriterFunction =>
  (w) => {
    w.blankLineIfLastNot();
    writeFunction(w, f);
  };
