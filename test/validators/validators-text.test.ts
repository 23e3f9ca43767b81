// The validators emitter writes validators.ts as text. The reference here is the emitter as it was
// when it printed ts-morph structures and writer functions from the same parts; the text must equal
// that printing for every real service and at the edges (no operation, no shape, no constant).
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type StatementStructures,
  type VariableStatementStructure,
  type WriterFunction,
} from "ts-morph";
import { describe, expect, it } from "vitest";
import { serviceFiles, tsHeader } from "../../generator/emit/generated-file.js";
import { functionWriter, writeDoc } from "../../generator/emit/statements.js";
import { emitValidatorsSource, isFunction, validatorsParts, type ApiConst } from "../../generator/emit/validators-emitter.js";
import type { Service } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";

const blankLine: WriterFunction = (w) => w.blankLineIfLastNot();

const constWriter =
  (d: ApiConst): WriterFunction =>
  (w) => {
    w.blankLineIfLastNot();
    writeDoc(w, d.doc);
    w.writeLine(`export const ${d.name}: ${d.type} = /* @__PURE__ */ ${d.init};`);
  };

/** validators.ts as ts-morph printed it (the emitter before it wrote text). */
function referenceValidatorsSource(service: Service): string {
  const parts = validatorsParts(service);
  const constants = parts.constants.map(([name, initializer]): VariableStatementStructure => ({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
  }));
  const validators: WriterFunction = (w) =>
    w
      .writeLine("/** The request and response validators of every operation, by client method name. */")
      .write("export const validators = ")
      .inlineBlock(() => parts.table.forEach((line) => w.writeLine(line)))
      .write(" as const;");
  const statements: Array<StatementStructures | WriterFunction> = [
    ...parts.imports.structures(),
    blankLine,
    ...constants,
    ...parts.functions.map(functionWriter),
    ...parts.api.map((d) => (isFunction(d) ? functionWriter(d) : constWriter(d))),
    validators,
  ];
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

const realServices = (await realIr()).services;

describe("validators emitter text equals ts-morph's printing", () => {
  it.each(realServices.map((s) => [s.id, s] as const))("for the real service %s", (_id, s) => {
    expect(emitValidatorsSource(s)).toBe(referenceValidatorsSource(s));
  });

  it("for a service without operations, and one without shapes either", () => {
    const base = realServices[0]!;
    for (const s of [
      { ...base, operations: [] },
      { ...base, operations: [], shapes: [] },
    ]) {
      expect(emitValidatorsSource(s)).toBe(referenceValidatorsSource(s));
    }
  });

  it("for shapes without a constant (fields of any type only)", () => {
    const base = realServices[0]!;
    const shapes = base.shapes.map((shape) => ({
      ...shape,
      fields: shape.fields.map((f) => ({ ...f, type: { kind: "scalar" as const, name: "any" as const } })),
    }));
    const s = { ...base, operations: [], shapes };
    expect(validatorsParts(s).constants).toEqual([]);
    expect(emitValidatorsSource(s)).toBe(referenceValidatorsSource(s));
  });
});
