// writeFunction writes a body of one-line statements as one text: it must equal what the writer's
// own calls (writeStatements inside inlineBlock, as before) print, at any indentation.
import { CodeBlockWriter } from "ts-morph";
import { describe, expect, it } from "vitest";
import { block, writeFunction, writeStatements, type FunctionDecl, type Statement } from "../../generator/emit/statements.js";

/** The reference: the function printed through the writer's calls, line by line. */
function referenceFunction(w: CodeBlockWriter, f: FunctionDecl): void {
  if (f.heading !== undefined) w.writeLine(`// ${f.heading}`);
  const parameters = f.parameters.map(([name, type]) => `${name}: ${type}`).join(", ");
  w.write(`${f.exported ? "export " : ""}function ${f.name}(${parameters}): ${f.returnType} `).inlineBlock(() => writeStatements(w, f.body));
  w.newLine();
}

const bodies: Record<string, Statement[]> = {
  empty: [],
  lines: ["const a = 1;", "", "return a;"],
  "if/else if/else": [
    "let n = 0;",
    block("if (a)", ["n = 1;"]),
    block("else if (b)", [block("for (const x of y)", ["n += x;", block("if (x)", [])])]),
    block("else", ["n = 2;"]),
    "return n;",
  ],
  "blocks back to back": [block("if (a)", ["x();"]), block("if (b)", ["y();"]), block("", ["z();"]), block("else", [])],
  "ends with a block": ["const s = `a ${b}`;", block("while (true)", [block("if (c)", ["break;"])])],
  "block first, else without a block before": [block("else", ["odd();"]), "done();"],
};

describe("writeFunction", () => {
  for (const level of [0, 1, 2])
    it.each(Object.entries(bodies))(`prints %s at indentation ${level} as the writer's calls do`, (_name, body) => {
      const f: FunctionDecl = {
        name: "f",
        parameters: [
          ["a", "boolean"],
          ["b?", "string"],
        ],
        returnType: "number",
        body,
        exported: true,
        heading: "h",
      };
      const print = (write: (w: CodeBlockWriter, f: FunctionDecl) => void) => {
        const w = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
        w.setIndentationLevel(level);
        w.writeLine("// before");
        write(w, f);
        write(w, f);
        w.writeLine("// after");
        return w.toString();
      };
      expect(print(writeFunction)).toBe(print(referenceFunction));
    });

  it("keeps a statement of several lines as the writer indents it", () => {
    const f: FunctionDecl = { name: "g", parameters: [], returnType: "string", body: [block("if (x)", ["return `a\nb`;"]), "return 'c';"] };
    const print = (write: (w: CodeBlockWriter, f: FunctionDecl) => void) => {
      const w = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
      write(w, f);
      return w.toString();
    };
    expect(print(writeFunction)).toBe(print(referenceFunction));
    expect(print(writeFunction)).toContain("return `a\nb`;");
  });
});
