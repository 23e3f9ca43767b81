// The whitespace squeeze of the built ES entries (generator/build/squeeze-whitespace.ts): the same
// tokens and line breaks, so the same program, with the `@__PURE__` marks kept.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { tokenizer } from "acorn";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { squeezeWhitespace } from "../../generator/build/squeeze-whitespace.js";
import { ROOT } from "../helpers.js";

/** Each token with whether a line break comes before it: what the squeeze must keep. */
function tokens(code: string): string[] {
  const out: string[] = [];
  let end = 0;
  for (const t of tokenizer(code, { ecmaVersion: "latest", sourceType: "module" })) {
    out.push(`${/[\n\r\u2028\u2029]/.test(code.slice(end, t.start)) ? "\n" : ""}${t.type.label}:${code.slice(t.start, t.end)}`);
    end = t.end;
  }
  return out;
}

/** `body` as a function expression (a module has no top-level `return`). */
const wrapped = (body: string) => `(function () {\n${body}\n});`;

/** Runs the function expression `code` and returns what it returns. */
function run(code: string): unknown {
  return (new Function(`return ${code}`)() as () => unknown)();
}

describe("squeezeWhitespace", () => {
  it.each([
    ["unary after binary", "let a = 3, b = 2;\nreturn [a - -b, a + +b, a - --b, a++ + b];"],
    ["a regular expression after a division", "let a = 8, b = 2;\nreturn [a / /x/g.source.length, a / b / 2];"],
    ["a regular expression before a keyword", "return /a/ instanceof RegExp;"],
    ["a number before a member", "return 1 .toString() + 2..toFixed(1);"],
    ["spaces inside templates and strings", "let b = 1;\nreturn `a  ${ b }  c` + '  d  ';"],
    ["a line break that ends a statement", "let f = () => {\n  return\n  1;\n};\nreturn f();"],
    ["a line break before ++", "let a = 1, b = 1;\na\n++b;\nreturn [a, b];"],
    ["keywords and names", "const o = { get x() { return typeof this } };\nreturn void 0 === undefined && 'x' in o && o.x;"],
  ])("keeps the program: %s", (_, body) => {
    const code = wrapped(body);
    const squeezed = squeezeWhitespace(code);
    expect(tokens(squeezed)).toEqual(tokens(code));
    expect(run(squeezed)).toEqual(run(code));
  });

  it("drops indentation, spaces and comments, and keeps the marks a bundler tree-shakes by", () => {
    const code = [
      "/** Docs. */",
      "var table = /* @__PURE__ */ new Map(), made = /* @__PURE__ */ make(1);",
      "// @__NO_SIDE_EFFECTS__",
      "function make(n) {",
      "  // a comment",
      "  return n + 1; /* another */",
      "}",
      "export { made, table };",
    ].join("\n");
    expect(squeezeWhitespace(code)).toBe(
      [
        "var table= /* @__PURE__ */ new Map(),made= /* @__PURE__ */ make(1);",
        "// @__NO_SIDE_EFFECTS__",
        "function make(n){",
        "return n+1;",
        "}",
        "export{made,table};",
        "",
      ].join("\n"),
    );
  });

  it("keeps the tokens and line breaks of every runtime module as esbuild prints it", () => {
    const dir = path.join(ROOT, "templates", "runtime", "src");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const js = transformSync(readFileSync(path.join(dir, f), "utf8"), { loader: "ts", format: "esm", target: "node20", minifySyntax: true }).code;
      const squeezed = squeezeWhitespace(js);
      expect(tokens(squeezed), f).toEqual(tokens(js));
      expect(squeezed, f).not.toMatch(/^[ \t]/m);
    }
  });
});
