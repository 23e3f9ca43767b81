// Client: per service, operations.ts (operations-emitter.ts: a core client and one function per
// operation, over the runtime's ProtocolClient) and client.ts (a class with one method per
// operation, and page/item iterators where the operation pages, each calling its function). Both are
// written as text, in the layout ts-morph's printer gave them (test/emit/client-emitter-text.test.ts
// holds that printer as the reference); the import planner writes the imports from the symbols they use.
import CodeBlockWriter from "code-block-writer";
import type { Service } from "../ir/types.js";
import { clientOptionsName } from "../ir/names.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { coreClassName, members } from "./client-members.js";
import { type ClientVariant, emitOperationsSource, emitValidatorsLazySource, VALIDATORS_LAZY, variantModule } from "./operations-emitter.js";
import { CLIENT_SYMBOLS } from "./runtime-symbols.js";
import { docBlockText, functionText, INDENT, writeDoc, type FunctionDecl } from "./statements.js";
import { docText, SymbolRegistry } from "./symbols.js";
import { protocolOf } from "../protocols/index.js";

/** The class's doc comment, as writeDoc writes it (through the writer when a line holds a `\r`). */
function classDoc(doc: string): string {
  if (!doc.includes("\r")) return docBlockText([doc], "");
  const w = new CodeBlockWriter({ indentNumberOfSpaces: INDENT.length });
  writeDoc(w, [doc]);
  return w.toString();
}

/** The full client: the core with one method per operation, each calling the function of the same name. */
function clientClass(service: Service, symbols: SymbolRegistry, variant: ClientVariant): string {
  const O = symbols.imports.namespace(`./${variantModule("operations", variant)}.js`, "O");
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
  // The node variant's are getters: its validators load on the first call, and a call reads them after.
  const V = variant === "bundled" ? symbols.imports.namespace("./validators.js", "V") : symbols.imports.named(`./${VALIDATORS_LAZY}.js`, "V");
  const responses = service.operations
    .map((op) =>
      variant === "bundled"
        ? `${op.method}: ${V}.validate${symbols.shape(op.response.name)}`
        : `get ${op.method}() { return ${V}.validate${symbols.shape(op.response.name)}; }`,
    )
    .join(", ");
  const options = `${O}.${clientOptionsName(service.clientName)}`;
  return `${classDoc(doc)}export class ${service.clientName} extends ${core} {
${docBlockText(["With every operation's response validator: `validateResponses` applies to each."], INDENT)}${INDENT}constructor(options: ${options} = {}) {
${INDENT}${INDENT}super({ ...options, responseValidators: { ${responses}, ...options.responseValidators } });
${INDENT}}
${methods.map((m) => `\n${functionText(m, INDENT, 1)}`).join("")}}
`;
}

/** client.ts: the full client, and the options type re-exported from operations.ts. */
export function emitClientSource(service: Service, variant: ClientVariant = "bundled"): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(CLIENT_SYMBOLS));
  const options = `export type { ${clientOptionsName(service.clientName)} } from "./${variantModule("operations", variant)}.js";\n`;
  const body = clientClass(service, symbols, variant);
  // Every declaration is built above, so every symbol it uses is declared: the imports are complete.
  return `${tsHeader(serviceFiles(service))}\n${symbols.imports.text()}\n${options}\n${body}`;
}

export const clientEmitter: Emitter = {
  name: "client",
  emitService(service): GeneratedFile[] {
    // Written formatted: prettier would only re-wrap long lines.
    // Two variants (ClientVariant): package.json's `exports` gives bundlers the first, Node the second.
    return [
      ...(["bundled", "node"] as const).flatMap((variant) => [
        { path: `${service.id}/src/${variantModule("operations", variant)}.ts`, content: emitOperationsSource(service, variant), preformatted: true },
        { path: `${service.id}/src/${variantModule("client", variant)}.ts`, content: emitClientSource(service, variant), preformatted: true },
      ]),
      { path: `${service.id}/src/${VALIDATORS_LAZY}.ts`, content: emitValidatorsLazySource(service), preformatted: true },
    ];
  },
};
