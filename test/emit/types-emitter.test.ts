import {
  IndentationText,
  Project,
  StructureKind,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
  type PropertySignatureStructure,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import { describe, expect, it } from "vitest";
import { constraintPhrases, enumPhrases } from "../../generator/emit/describe.js";
import { docText, SymbolRegistry } from "../../generator/emit/symbols.js";
import { emitTypesSource } from "../../generator/emit/types-emitter.js";
import { parseTypeExpr } from "../../generator/ir/build-ir.js";
import type { Field, Operation, Service, Shape } from "../../generator/ir/types.js";
import { commonErrors, operationErrors } from "../../generator/ir/usage.js";
import { realIr } from "../helpers.js";

const loc = { file: "specs/x/service.yaml", line: 1, col: 1 };
const f = (name: string, type: string | string[], extra: Partial<Field> = {}): Field => ({
  name,
  type: parseTypeExpr(type),
  description: `${name} field`,
  required: false,
  nullable: false,
  constraints: {},
  notes: [],
  loc,
  at: {},
  ...extra,
});
const shape = (name: string, fields: Field[], description = name): Shape => ({ name, description, fields, notes: [], definedIn: loc.file, loc });
const regions = { required: false, values: [], notes: [], loc, at: {} };

const service: Service = {
  id: "x",
  title: "X",
  description: "X",
  clientName: "XClient",
  packageName: "@t/x",
  protocol: { name: "tc3", service: "x", version: "2020-01-01" },
  protocolInfo: { name: "tc3", title: "T", errorCode: { type: "string", description: "" }, errors: [], sources: [], notes: [], file: "p.yaml" },
  endpoints: [],
  regions,
  serviceErrors: [],
  resources: [],
  sources: [],
  notes: [],
  file: loc.file,
  loc,
  shapes: [shape("Item", [f("Id", "uint64", { js: "string", required: true })], "An item. Ends a comment: */ here.")],
  operations: [
    {
      name: "GetX",
      method: "getX",
      wire: { kind: "tc3", key: "GetX" },
      summary: "s",
      description: "d",
      source: "s",
      regions,
      timeWindows: [],
      relations: [],
      request: shape("GetXRequest", [
        f("Kind", "string", { enum: [{ value: "A", description: "first" }, { value: "B" }], required: true }),
        f("Ids", "uint64[]", { js: "bigint" }),
      ]),
      response: shape("GetXResponse", [f("Items", "Item[]", { nullable: true, required: true }), f("Mode", ["string", "integer"]), f("Raw", "any")]),
      errors: [{ code: "FailedOperation", description: "d", retryable: false, scope: "operation", notes: [], loc }],
      validationErrors: { codes: {}, fields: {}, at: {} },
      examples: [],
      notes: [],
      file: "specs/x/GetX.yaml",
      loc,
    },
  ],
};

describe("types emitter", () => {
  const text = emitTypesSource(service);

  it("emits literal unions, optional and nullable members, and js representations", () => {
    expect(text).toMatch(/Kind: "A" \| "B";/);
    expect(text).toMatch(/Ids\?: bigint\[\];/);
    expect(text).toMatch(/Items: Item\[\] \| null;/);
    expect(text).toMatch(/Mode\?: string \| number;/);
    expect(text).toMatch(/Raw\?: unknown;/);
    expect(text).toMatch(/Id: string;/);
    expect(text).toMatch(/export type GetXErrorCode = "FailedOperation" \| CommonErrorCode;/);
    expect(text).toMatch(/export type CommonErrorCode = never;/);
  });

  it("keeps doc comments closed and lists enum descriptions", () => {
    expect(text).toContain("Ends a comment: *\\/ here.");
    expect(text).toContain('- `"A"`: first');
    expect(text.match(/\/\*\*/g)!.length).toBe(text.match(/\*\//g)!.length);
  });
});

/**
 * The reference: types.ts as ts-morph printed it from structures (the emitter before it wrote text).
 * The emitter's text must equal this printer's output, doc comments and unions included.
 */
function referenceTypesSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const fieldDocs = (field: Field): OptionalKind<JSDocStructure> => {
    const lines = [docText(field.description)];
    const facts = constraintPhrases(field);
    if (facts.length) lines.push("", docText(facts.join("; ") + "."));
    const values = enumPhrases(field);
    if (values.length) lines.push("", "Values:", ...values.map((v) => `- ${docText(v)}`));
    for (const n of field.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
    const tags = field.deprecated ? [{ tagName: "deprecated", text: docText(field.deprecated) }] : [];
    return { description: lines.join("\n"), tags };
  };
  const property = (field: Field): OptionalKind<PropertySignatureStructure> => {
    const base = symbols.fieldType(field);
    return {
      name: /^[A-Za-z_$][\w$]*$/.test(field.name) ? field.name : JSON.stringify(field.name),
      hasQuestionToken: !field.required,
      type: field.nullable ? `${base} | null` : base,
      docs: [fieldDocs(field)],
    };
  };
  const shapeInterface = (s: Shape): InterfaceDeclarationStructure => {
    const lines = [docText(s.description)];
    for (const n of s.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
    const docs = [{ description: lines.join("\n") }];
    return { kind: StructureKind.Interface, name: symbols.shape(s.name), isExported: true, docs, properties: s.fields.map(property) };
  };
  const union = (members: string[]) => (members.join(" | ").length <= 80 ? members.join(" | ") : members.map((m) => `\n| ${m}`).join(""));
  const codes = (list: Array<string | number>) => [...new Set(list.map((c) => JSON.stringify(c)))];
  const alias = (name: string, description: string, type: string): TypeAliasDeclarationStructure => ({
    kind: StructureKind.TypeAlias,
    name,
    isExported: true,
    docs: [{ description }],
    type,
  });
  const common = codes(commonErrors(service).map((e) => e.code));
  const statements: Array<InterfaceDeclarationStructure | TypeAliasDeclarationStructure> = [
    alias(
      symbols.commonErrorCodeType(),
      `Error codes every ${docText(service.title)} operation can return: the service's and the ${docText(service.protocolInfo.title)} common codes.`,
      common.length ? union(common) : "never",
    ),
  ];
  for (const op of service.operations as Operation[]) {
    statements.push(shapeInterface(op.request), shapeInterface(op.response));
    statements.push(
      alias(
        symbols.errorCodeType(op),
        `Every error code ${op.name} is documented to return: its own and the common ones.`,
        union([...codes(operationErrors(op).map((e) => e.code)), symbols.commonErrorCodeType()]),
      ),
    );
  }
  for (const s of service.shapes) statements.push(shapeInterface(s));
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces } });
  return project.createSourceFile("types.ts", { statements }, { overwrite: true }).getFullText().replace(/ +\n/g, "\n");
}

const realServices = (await realIr()).services;

describe("types emitter text equals ts-morph's printing of the same declarations", () => {
  it.each(realServices.map((s) => [s.id, s] as const))("for the real service %s", (_id, s) => {
    expect(emitTypesSource(s)).toBe(referenceTypesSource(s));
  });

  // Doc text at the edges of the printer's rules: empty, one line, blank first line, trailing spaces,
  // CRLF and lone CR, a deprecation with and without text, names that need quotes, an empty shape.
  const texts = [
    "",
    "one line",
    "ends with a space ",
    "two\nlines",
    "\n\nafter blanks",
    "a\r\nb",
    "lone\rcr",
    "cr at end\r",
    "x\r\r\ny",
    "  padded  \n  lines  ",
  ];
  const edgeFields = texts.flatMap((description, i) => [
    f(`F${i}`, "string", { description, required: i % 2 === 0, nullable: i % 3 === 0 }),
    f(`D${i}`, "integer", { description, deprecated: texts[(i + 1) % texts.length] || " " }),
    f(`e-${i}`, "string", { description: "", deprecated: description || "gone", enum: [{ value: `v${i}`, description }] }),
    f(`N${i}`, "string", { description, notes: [{ topic: description || "t", text: "note\nwith a line" }] }),
  ]);
  const edge: Service = {
    ...service,
    title: "Edge\r\ncase ",
    shapes: [
      ...service.shapes,
      shape("Edges", edgeFields, "Shape\n\ndoc "),
      shape("Empty", [], ""),
      ...texts.map((t, i) => ({ ...shape(`S${i}`, [f("X", "Edges")], t), notes: [{ topic: "topic", text: t }] })),
    ],
    serviceErrors: Array.from({ length: 12 }, (_, i) => ({
      code: `LongErrorCodeNumber${i}`,
      description: "d",
      retryable: false,
      scope: "service" as const,
      notes: [],
      loc,
    })),
  };

  it("for doc text at the edges of its rules", () => {
    expect(emitTypesSource(edge)).toBe(referenceTypesSource(edge));
    expect(emitTypesSource(service)).toBe(referenceTypesSource(service));
  });
});
