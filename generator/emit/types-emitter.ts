// Types: per service, an interface per shape, a request and a response type per operation,
// literal unions for enums, error-code unions, doc comments from the spec.
//
// Written as text, in the layout ts-morph's printer gave it (test/emit/types-emitter.test.ts holds
// that printer as the reference): building structures and printing them through ts-morph's writer,
// which scans every character it writes, was ~15% of a 1,000-operation run.
import type { Field, Operation, Service, Shape } from "../ir/types.js";
import { commonErrors, operationErrors } from "../ir/usage.js";
import { constraintPhrases, enumPhrases } from "./describe.js";
import { serviceFiles, tsHeader, type Emitter } from "./generated-file.js";
import { docText, SymbolRegistry } from "./symbols.js";
import { INDENT } from "./statements.js";
import { docComment } from "./doc-comment.js";

function fieldDocs(f: Field): string {
  const lines = [docText(f.description)];
  const facts = constraintPhrases(f);
  // docText: a pattern may hold `*/`, which would end the comment.
  if (facts.length) lines.push("", docText(facts.join("; ") + "."));
  const values = enumPhrases(f);
  if (values.length) lines.push("", "Values:", ...values.map((v) => `- ${docText(v)}`));
  for (const n of f.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
  return docComment(lines.join("\n"), INDENT, f.deprecated ? docText(f.deprecated) : undefined);
}

function property(f: Field, symbols: SymbolRegistry): string {
  const base = symbols.fieldType(f);
  const name = /^[A-Za-z_$][\w$]*$/.test(f.name) ? f.name : JSON.stringify(f.name);
  return `${fieldDocs(f)}${INDENT}${name}${f.required ? "" : "?"}: ${f.nullable ? `${base} | null` : base};\n`;
}

function shapeInterface(shape: Shape, symbols: SymbolRegistry): string {
  const lines = [docText(shape.description)];
  for (const n of shape.notes) lines.push("", `Note (${docText(n.topic)}): ${docText(n.text)}`);
  let out = `${docComment(lines.join("\n"), "")}export interface ${symbols.shape(shape.name)} {\n`;
  for (const f of shape.fields) out += property(f, symbols);
  return `${out}}`;
}

function codeUnion(codes: Array<string | number>): string[] {
  return [...new Set(codes.map((c) => JSON.stringify(c)))];
}

/** `export type name = type;`, a union's lines hanging one level in. */
function typeAlias(doc: string, name: string, type: string): string {
  return `${docComment(doc, "")}export type ${name} = ${type.replaceAll("\n", `\n${INDENT}`)};`;
}

function commonErrorCodeAlias(service: Service, symbols: SymbolRegistry): string {
  const codes = codeUnion(commonErrors(service).map((e) => e.code));
  return typeAlias(
    `Error codes every ${docText(service.title)} operation can return: the service's and the ${docText(service.protocolInfo.title)} common codes.`,
    symbols.commonErrorCodeType(),
    codes.length ? unionText(codes) : "never",
  );
}

function errorCodeAlias(op: Operation, symbols: SymbolRegistry): string {
  const own = codeUnion(operationErrors(op).map((e) => e.code));
  return typeAlias(
    `Every error code ${op.name} is documented to return: its own and the common ones.`,
    symbols.errorCodeType(op),
    unionText([...own, symbols.commonErrorCodeType()]),
  );
}

/** One member per line once a union is long, as prettier would print it. */
function unionText(members: string[]): string {
  const flat = members.join(" | ");
  return flat.length <= 80 ? flat : members.map((m) => `\n| ${m}`).join("");
}

export function emitTypesSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const statements = [commonErrorCodeAlias(service, symbols)];
  for (const op of service.operations) {
    statements.push(shapeInterface(op.request, symbols));
    statements.push(shapeInterface(op.response, symbols));
    statements.push(errorCodeAlias(op, symbols));
  }
  for (const shape of service.shapes) statements.push(shapeInterface(shape, symbols));
  // No trailing spaces: a union starting on the next line leaves one after `=`, as may spec text.
  return `${statements.join("\n\n")}\n`.replace(/ +\n/g, "\n");
}

export const typesEmitter: Emitter = {
  name: "types",
  emitService(service) {
    // Written formatted; prettier would only re-wrap long lines, at a large share of a big run.
    return [{ path: `${service.id}/src/types.ts`, content: tsHeader(serviceFiles(service)) + "\n" + emitTypesSource(service), preformatted: true }];
  },
};
