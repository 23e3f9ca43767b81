// Function bodies as data: a statement is a line of code, or a block whose nesting is explicit, so
// ts-morph's code-block writer indents them (no bracket counting over text). Emitters build these
// before printing, which also lets every symbol a body uses be declared before the imports are planned.
import type { CodeBlockWriter, WriterFunction } from "ts-morph";

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
export const statementsWriter = (statements: readonly Statement[]): WriterFunction => (w) => writeStatements(w, statements);

/** A function declaration: its signature as data, its body as statements. */
export interface FunctionDecl {
  name: string;
  parameters: Array<[name: string, type: string]>;
  returnType: string;
  body: Statement[];
  exported?: boolean;
  /** One line of documentation. */
  doc?: string;
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
    if (f.doc !== undefined) w.writeLine(`/** ${f.doc} */`);
    const parameters = f.parameters.map(([name, type]) => `${name}: ${type}`).join(", ");
    w.write(`${f.exported ? "export " : ""}function ${f.name}(${parameters}): ${f.returnType} `).inlineBlock(() => writeStatements(w, f.body));
    w.newLine();
  };
