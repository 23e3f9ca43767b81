// Client: per service, operations.ts (operations-emitter.ts: a core client and one function per
// operation, over the runtime's ProtocolClient) and client.ts (a class with one method per
// operation, and page/item iterators where the operation pages, each calling its function). Both are
// ts-morph structures; the import planner writes the imports from the symbols they use.
import { printStructure, StructureKind, type StatementStructures, type WriterFunction } from "ts-morph";
import type { Service } from "../ir/types.js";
import { clientOptionsName } from "../ir/names.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { coreClassName, members } from "./client-members.js";
import { emitOperationsSource } from "./operations-emitter.js";
import { CLIENT_SYMBOLS } from "./runtime-symbols.js";
import { writeDoc, writeFunction, type FunctionDecl } from "./statements.js";
import { docText, SymbolRegistry } from "./symbols.js";
import { protocolOf } from "../protocols/index.js";

/** Between the imports and what follows (ts-morph separates declarations with bodies, not imports). */
const blankLine: WriterFunction = (w) => w.blankLineIfLastNot();

/** The full client: the core with one method per operation, each calling the function of the same name.
 * A writer over function declarations, not a class structure: about 30 µs less a method (statements.ts). */
function clientClass(service: Service, symbols: SymbolRegistry): WriterFunction {
  const O = symbols.imports.namespace("./operations.js", "O");
  const core = `${O}.${coreClassName(service)}`;
  const doc = `${docText(service.title)}: one method per operation, typed from the spec. Requests are validated
before sending, ${protocolOf(service).client.authPhrase}, rate-limited to the spec's limits and retried
when a retry can help; responses are parsed without precision loss. An app that calls a few
operations and is bundled can use {@link ${core}} and the operations' functions instead.`;
  const methods = service.operations.flatMap((op) =>
    members(op, symbols).map((m): FunctionDecl => ({
      doc: m.doc,
      method: true,
      name: m.name,
      parameters: [
        ["request", m.request],
        ["options?", symbols.use("CallOptions")],
      ],
      returnType: m.returns,
      body: [`return ${O}.${m.name}(this, request, options);`],
    })),
  );
  // Every operation's response validator, for `validateResponses` (the class holds every operation anyway).
  const V = symbols.imports.namespace("./validators.js", "V");
  const responses = service.operations.map((op) => `${op.method}: ${V}.validate${symbols.shape(op.response.name)}`).join(", ");
  const options = `${O}.${clientOptionsName(service.clientName)}`;
  return (w) => {
    w.blankLineIfLastNot();
    writeDoc(w, [doc]);
    w.write(`export class ${service.clientName} extends ${core} `).inlineBlock(() => {
      writeDoc(w, ["With every operation's response validator: `validateResponses` applies to each."]);
      w.writeLine(`constructor(options: ${options} = {}) {`);
      w.indent(() => w.writeLine(`super({ ...options, responseValidators: { ${responses}, ...options.responseValidators } });`));
      w.writeLine("}");
      methods.forEach((m) => {
        w.blankLine();
        writeFunction(w, m);
      });
    });
    w.newLine();
  };
}

/** client.ts: the full client, and the options type re-exported from operations.ts. */
export function emitClientSource(service: Service): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(CLIENT_SYMBOLS));
  const options: StatementStructures = {
    kind: StructureKind.ExportDeclaration,
    isTypeOnly: true,
    namedExports: [clientOptionsName(service.clientName)],
    moduleSpecifier: "./operations.js",
  };
  const body = [options, clientClass(service, symbols)];
  // Every declaration is built above, so every symbol it uses is declared: the imports are complete.
  const statements = [...symbols.imports.structures(), blankLine, ...body];
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

export const clientEmitter: Emitter = {
  name: "client",
  emitService(service): GeneratedFile[] {
    // Printed by ts-morph, already formatted: prettier would only re-wrap long lines.
    return [
      { path: `${service.id}/src/operations.ts`, content: emitOperationsSource(service), preformatted: true },
      { path: `${service.id}/src/client.ts`, content: emitClientSource(service), preformatted: true },
    ];
  },
};
