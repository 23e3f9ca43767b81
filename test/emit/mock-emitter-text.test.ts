import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type CodeBlockWriter,
  type StatementStructures,
  type WriterFunction,
} from "ts-morph";
import { describe, expect, it } from "vitest";
import { acceptsSequential, emitMockSource, mockSourceParts, type MockSourceParts } from "../../generator/emit/mock-emitter.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";
import { serviceFiles, tsHeader } from "../../generator/emit/generated-file.js";
import { block, functionText, functionWriter, type FunctionDecl } from "../../generator/emit/statements.js";
import type { Field, Service } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";

/**
 * The reference: mock.ts as ts-morph printed it from structures and writer functions (the emitter
 * before it wrote text). The emitter's text must equal this printer's output for the same parts.
 */
function referenceMockSource(service: Service, parts: MockSourceParts): string {
  const { symbols, constants, functions, definition: d } = parts;
  const property = (w: CodeBlockWriter, name: string, [open, close]: "{}" | "[]", lines: string[]) => {
    w.writeLine(`${name}: ${open}`);
    w.indent(() => lines.forEach((l) => w.writeLine(l)));
    w.writeLine(`${close},`);
  };
  const definition: WriterFunction = (w) => {
    w.blankLineIfLastNot().writeLine(d.doc);
    w.write(`export const mockDefinition: ${d.type} = `).inlineBlock(() => {
      w.writeLine(`${d.metadata},`);
      if (d.gateway) w.writeLine(`gateway: ${d.gateway},`);
      w.writeLine(`${d.validators},`);
      property(w, "samplers", "{}", d.entries.samplers);
      if (d.entries.resources.length) property(w, "resources", "{}", d.entries.resources);
      if (d.entries.lifecycle.length) property(w, "lifecycle", "{}", d.entries.lifecycle);
      property(w, "examples", "[]", d.entries.examples);
      if (d.entries.errorExamples.length) property(w, "errorExamples", "[]", d.entries.errorExamples);
    });
    w.write(";").newLine();
  };
  const comment =
    (text: string): WriterFunction =>
    (w) =>
      w.blankLineIfLastNot().writeLine(`// ${text}`);
  const variables: StatementStructures[] = constants.map((c) => ({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: c.name, type: c.type, initializer: c.initializer }],
  }));
  const body: Array<StatementStructures | WriterFunction> = [
    ...(variables.length ? [comment("Patterns of string fields, as programs the runtime draws matching strings from."), ...variables] : []),
    ...functions.map(functionWriter),
    definition,
  ];
  const statements = [...symbols.imports.structures(), ...body];
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

const realServices = (await realIr()).services;

describe("mock emitter text equals ts-morph's printing of the same parts", () => {
  it.each(realServices.map((s) => [s.id, s] as const))("for the real service %s", (_id, s) => {
    expect(emitMockSource(s)).toBe(referenceMockSource(s, mockSourceParts(s)));
  });

  it("for a title with line breaks, a namespace-free import list and no pattern constants", () => {
    const s = { ...realServices[0]!, title: "Edge\r\ncase\nthree" };
    const parts = mockSourceParts(s);
    const bare = { ...parts, constants: [] };
    expect(emitMockSource(s)).toBe(referenceMockSource(s, parts));
    expect(parts.definition.doc).toContain("\r\n");
    // The text writer of the same parts without constants, against the reference without them.
    expect(referenceMockSource(s, bare)).not.toContain("// Patterns");
  });
});

describe("functionText equals writeFunction's printing", () => {
  const base: FunctionDecl = { name: "f", parameters: [["a", "number"]], returnType: "void", body: ["return;"] };
  const decls: FunctionDecl[] = [
    base,
    { ...base, body: [] },
    { ...base, heading: "Heading", doc: "one line" },
    { ...base, doc: ["first", "", "second\nthird"], exported: true, async: "async" },
    { ...base, async: "async*", parameters: [], body: [block("if (x)", ["a();"]), block("else", [block("for (;;)", ["break;"])]), "done();"] },
    { ...base, body: ["const s = `multi", "line`;"] },
    { ...base, body: ["const s = `multi\nline`;", block("if (y)", ["z();\nw();"])] },
    { ...base, doc: "a\r\nb", heading: "h\rx" },
    { ...base, doc: ["x\r\ny"] },
  ];
  it.each(decls.map((d, i) => [i, d] as const))("for declaration %i", (_i, d) => {
    // After a line, as in a file: functionWriter leaves a blank line before the function.
    const reference = printStructure({ kind: StructureKind.SourceFile, statements: ["// x", functionWriter(d)] }, { indentNumberOfSpaces: 2 });
    expect(`// x\n\n${functionText(d)}`).toBe(reference);
  });
});

/** The reference: acceptsSequential as it was, trying each of the 1,000 keys on every field. */
function referenceAcceptsSequential(resource: string, keyType: "string" | "integer", fields: Field[]): boolean {
  const patterns = fields.map((f) => (f.constraints.pattern === undefined ? undefined : new RegExp(f.constraints.pattern, "u")));
  for (let i = 1; i <= 1000; i++) {
    for (const [n, f] of fields.entries()) {
      const { minimum, maximum, minLength, maxLength, format } = f.constraints;
      if (f.enum) return false;
      if (keyType === "integer") {
        if ((minimum !== undefined && i < minimum) || (maximum !== undefined && i > maximum)) return false;
        continue;
      }
      const key = `${resource}-${i}`;
      if (patterns[n] && !patterns[n].test(key)) return false;
      if ((minLength !== undefined && key.length < minLength) || (maxLength !== undefined && key.length > maxLength)) return false;
      if (format && format !== "unix-time" && !FORMATS[format](key)) return false;
    }
  }
  return true;
}

describe("acceptsSequential answers as trying every key did", () => {
  const key = (constraints: Field["constraints"], extra: Partial<Field> = {}) => ({ constraints, ...extra }) as Field;
  const cases: Array<[string, Field[]]> = [
    ["none", []],
    ["plain", [key({})]],
    ["enum", [key({}, { enum: [{ value: "room-1" }] })]],
    ...[0, 1, 1.5, 2, 999, 1000, 1001].flatMap((n): Array<[string, Field[]]> => [
      [`minimum ${n}`, [key({ minimum: n })]],
      [`maximum ${n}`, [key({ maximum: n })]],
    ]),
    ...[5, 6, 7, 8, 9, 10].flatMap((n): Array<[string, Field[]]> => [
      [`minLength ${n}`, [key({ minLength: n })]],
      [`maxLength ${n}`, [key({ maxLength: n })]],
    ]),
    ["pattern for all", [key({ pattern: "^room-\\d+$" })]],
    ["pattern failing at 10", [key({ pattern: "^room-\\d$" })]],
    ["pattern failing at 1000", [key({ pattern: "^room-\\d{1,3}$" })]],
    ["second field fails", [key({}), key({ pattern: "^x" })]],
    ["format uri", [key({ format: "uri" })]],
    ["format unix-time", [key({ format: "unix-time" })]],
  ];
  it.each(cases)("for %s", (_name, fields) => {
    for (const type of ["string", "integer"] as const)
      expect(acceptsSequential("room", type, fields)).toBe(referenceAcceptsSequential("room", type, fields));
  });
});
