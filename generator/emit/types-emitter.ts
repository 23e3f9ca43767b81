// Types: per service, an interface per shape, a request and a response type per operation,
// literal unions for enums, error-code unions, doc comments from the spec.
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
import type { Field, Operation, Service, Shape } from "../ir/types.js";
import { commonErrors, operationErrors } from "../ir/usage.js";
import { constraintPhrases, enumPhrases } from "./describe.js";
import { serviceFiles, tsHeader, type Emitter } from "./generated-file.js";
import { docText, SymbolRegistry } from "./symbols.js";

function fieldDocs(f: Field): OptionalKind<JSDocStructure> {
  const lines = [docText(f.description)];
  const facts = constraintPhrases(f);
  // docText: a pattern may hold `*/`, which would end the comment.
  if (facts.length) lines.push("", docText(facts.join("; ") + "."));
  const values = enumPhrases(f);
  if (values.length) lines.push("", "Values:", ...values.map((v) => `- ${docText(v)}`));
  for (const n of f.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
  const tags = f.deprecated ? [{ tagName: "deprecated", text: docText(f.deprecated) }] : [];
  return { description: lines.join("\n"), tags };
}

function property(f: Field, symbols: SymbolRegistry): OptionalKind<PropertySignatureStructure> {
  const base = symbols.fieldType(f);
  return {
    name: /^[A-Za-z_$][\w$]*$/.test(f.name) ? f.name : JSON.stringify(f.name),
    hasQuestionToken: !f.required,
    type: f.nullable ? `${base} | null` : base,
    docs: [fieldDocs(f)],
  };
}

function shapeInterface(shape: Shape, symbols: SymbolRegistry): InterfaceDeclarationStructure {
  const lines = [docText(shape.description)];
  for (const n of shape.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
  return {
    kind: StructureKind.Interface,
    name: symbols.shape(shape.name),
    isExported: true,
    docs: [{ description: lines.join("\n") }],
    properties: shape.fields.map((f) => property(f, symbols)),
  };
}

function codeUnion(codes: Array<string | number>): string[] {
  return [...new Set(codes.map((c) => JSON.stringify(c)))];
}

function commonErrorCodeAlias(service: Service, symbols: SymbolRegistry): TypeAliasDeclarationStructure {
  const codes = codeUnion(commonErrors(service).map((e) => e.code));
  return {
    kind: StructureKind.TypeAlias,
    name: symbols.commonErrorCodeType(),
    isExported: true,
    docs: [
      {
        description: `Error codes every ${docText(service.title)} operation can return: the service's and the ${docText(service.protocolInfo.title)} common codes.`,
      },
    ],
    type: codes.length ? unionText(codes) : "never",
  };
}

function errorCodeAlias(op: Operation, symbols: SymbolRegistry): TypeAliasDeclarationStructure {
  const own = codeUnion(operationErrors(op).map((e) => e.code));
  return {
    kind: StructureKind.TypeAlias,
    name: symbols.errorCodeType(op),
    isExported: true,
    docs: [{ description: `Every error code ${op.name} is documented to return: its own and the common ones.` }],
    type: unionText([...own, symbols.commonErrorCodeType()]),
  };
}

/** One member per line once a union is long, as prettier would print it. */
function unionText(members: string[]): string {
  const flat = members.join(" | ");
  return flat.length <= 80 ? flat : members.map((m) => `\n| ${m}`).join("");
}

export function emitTypesSource(
  service: Service,
  project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces } }),
): string {
  const symbols = new SymbolRegistry(service);
  const statements: Array<InterfaceDeclarationStructure | TypeAliasDeclarationStructure> = [commonErrorCodeAlias(service, symbols)];
  for (const op of service.operations) {
    statements.push(shapeInterface(op.request, symbols));
    statements.push(shapeInterface(op.response, symbols));
    statements.push(errorCodeAlias(op, symbols));
  }
  for (const shape of service.shapes) statements.push(shapeInterface(shape, symbols));
  const file = project.createSourceFile(`${service.id}/types.ts`, { statements }, { overwrite: true });
  // ts-morph leaves a space after `=` when a union starts on the next line.
  return file.getFullText().replace(/ +\n/g, "\n");
}

export const typesEmitter: Emitter = {
  name: "types",
  emitService(service) {
    // ts-morph prints it formatted; prettier would only re-wrap long lines, at a large share of a big run.
    return [{ path: `${service.id}/src/types.ts`, content: tsHeader(serviceFiles(service)) + "\n" + emitTypesSource(service), preformatted: true }];
  },
};
