// The client emitter writes operations.ts and client.ts as text. The reference here is the emitter as
// it was when it printed ts-morph structures and writer functions; the text must equal that printing
// for every real service and for doc text at the edges of the printer's rules.
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type FunctionDeclarationStructure,
  type StatementStructures,
  type WriterFunction,
} from "ts-morph";
import { describe, expect, it } from "vitest";
import { emitClientSource } from "../../generator/emit/client-emitter.js";
import { coreClassName, members, type Member } from "../../generator/emit/client-members.js";
import { serviceFiles, tsHeader } from "../../generator/emit/generated-file.js";
import { ImportPlanner } from "../../generator/emit/imports.js";
import { operationMetadataName } from "../../generator/emit/metadata-emitter.js";
import { emitOperationsSource, typedFieldsOf } from "../../generator/emit/operations-emitter.js";
import { RUNTIME_PACKAGE } from "../../generator/emit/runtime-package.js";
import { CLIENT_SYMBOLS } from "../../generator/emit/runtime-symbols.js";
import { functionWriter, writeDoc, writeFunction, type FunctionDecl } from "../../generator/emit/statements.js";
import { docText, SymbolRegistry } from "../../generator/emit/symbols.js";
import { clientOptionsName } from "../../generator/ir/names.js";
import type { Operation, Service } from "../../generator/ir/types.js";
import { protocolOf } from "../../generator/protocols/index.js";
import { realIr } from "../helpers.js";

const blankLine: WriterFunction = (w) => w.blankLineIfLastNot();
const opConst = (op: Operation) => `_${op.method}`;

/** operations.ts as ts-morph printed it (the emitter before it wrote text). */
function referenceOperationsSource(service: Service): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(CLIENT_SYMBOLS));
  const core = coreClassName(service);
  const protocol = protocolOf(service).client;
  const from = protocol.module ? `${RUNTIME_PACKAGE.name}/${protocol.module}` : RUNTIME_PACKAGE.name;
  const factory = symbols.imports.named(from, protocol.factory);
  const descriptor = (op: Operation): FunctionDeclarationStructure => {
    const M = symbols.imports.namespace("./metadata.js", "M");
    const V = symbols.imports.namespace("./validators.js", "V");
    const json = JSON.stringify(typedFieldsOf(service, op.response));
    const typed = /['\\]/.test(json) ? JSON.stringify(json) : `'${json}'`;
    const validators = `{ request: ${V}.validate${symbols.shape(op.request.name)}, typedFields: ${typed} }`;
    return {
      kind: StructureKind.Function,
      name: opConst(op),
      returnType: "Operation",
      statements: [`return { metadata: ${M}.${operationMetadataName(op)}, validators: ${validators} };`],
    };
  };
  const memberFunction = (m: Member): FunctionDecl => {
    const method = JSON.stringify(m.op.method);
    const runtime = `_clientOf(client, ${method}, ${opConst(m.op)})`;
    const runtimeCall =
      m.runtime === "call"
        ? `${runtime}.call<${m.typeArg}>(${method}, request, options)`
        : `${symbols.use(m.runtime === "pages" ? "paginate" : "paginateItems")}<${m.typeArg}>(${runtime}, ${method}, request, options)`;
    return {
      doc: [...m.doc, "", `@param client an {@link ${core}} or a {@link ${service.clientName}}.`],
      exported: true,
      async: m.runtime === "call" ? "async" : "async*",
      name: m.name,
      parameters: [
        ["client", core],
        ["request", m.request],
        ["options?", symbols.use("CallOptions")],
      ],
      returnType: m.returns,
      body: [m.runtime === "call" ? `return ${runtimeCall};` : `yield* ${runtimeCall};`],
    };
  };
  const coreClass = (): ClassDeclarationStructure => {
    const metadata = symbols.use("OperationMetadata");
    const validators = symbols.use("OperationValidators");
    const M = symbols.imports.namespace("./metadata.js", "M");
    const client = `new ${symbols.use("ProtocolClient")}({ ...${M}.serviceMetadata, operations }, validators, options, ${factory})`;
    const doc = `${docText(service.title)}, without its operations: call each with the function of the same name,
the client first (\`await ${service.operations[0]?.method ?? "operation"}(client, request)\`). A bundler keeps only the
operations an app imports. {@link ${service.clientName}} is this class with one method per operation.
Requests are validated before sending, ${protocolOf(service).client.authPhrase}, rate-limited to the spec's
limits and retried when a retry can help; responses are parsed without precision loss.`;
    return {
      kind: StructureKind.Class,
      docs: [doc],
      isExported: true,
      name: core,
      ctors: [
        {
          parameters: [{ name: "options", type: clientOptionsName(service.clientName), initializer: "{}" }],
          statements: [
            `const operations: Record<string, ${metadata}> = {};`,
            `const validators: Record<string, ${validators}> = {};`,
            `_registries.set(this, { client: ${client}, operations, validators });`,
          ],
        },
      ],
    };
  };
  const registry = (): StatementStructures[] => {
    const [metadata, validators] = [symbols.use("OperationMetadata"), symbols.use("OperationValidators")];
    const readonly = (name: string, type: string) => ({ name, type, isReadonly: true });
    return [
      {
        kind: StructureKind.Interface,
        docs: ["One operation as its function hands it to the core: its metadata and validators."],
        name: "Operation",
        properties: [readonly("metadata", `() => ${metadata}`), readonly("validators", validators)],
      },
      {
        kind: StructureKind.Interface,
        docs: ["Per core client: the runtime's client, over the operations called through it so far."],
        name: "Registry",
        properties: [
          readonly("client", symbols.use("ProtocolClient")),
          readonly("operations", `Record<string, ${metadata}>`),
          readonly("validators", `Record<string, ${validators}>`),
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: "_registries", initializer: `/* @__PURE__ */ new WeakMap<${core}, Registry>()` }],
      },
    ];
  };
  const clientOf = (): FunctionDeclarationStructure => {
    const message = `\`\${name}: the first argument must be a client made with new ${core}() or new ${service.clientName}()\``;
    const configurationError = `new ${symbols.use("ApiError")}({ code: "ClientError.Configuration", message: ${message}, operation: name })`;
    return {
      kind: StructureKind.Function,
      docs: ["The runtime client of `client`, with `method` (whose descriptor `operation` makes) registered on its first call."],
      name: "_clientOf",
      parameters: [
        { name: "client", type: core },
        { name: "method", type: "string" },
        { name: "operation", type: "() => Operation" },
      ],
      returnType: symbols.use("ProtocolClient"),
      statements: [
        "const registry = _registries.get(client);",
        (w) => {
          w.write("if (!registry) ").inlineBlock(() =>
            w.writeLine("const name = operation().metadata().name;").writeLine(`throw ${configurationError};`),
          );
          w.newLine().write("if (!registry.validators[method]) ");
          w.inlineBlock(() =>
            w
              .writeLine("const { metadata, validators } = operation();")
              .writeLine("registry.operations[method] = metadata();")
              .writeLine("registry.validators[method] = validators;"),
          );
          w.newLine().write("return registry.client;");
        },
      ],
    };
  };
  const options: StatementStructures = {
    kind: StructureKind.TypeAlias,
    docs: [
      `Options of {@link ${core}} and {@link ${service.clientName}}: ` +
        "credentials, endpoint, region, timeouts, retries, rate limiting, validation, transport and hooks.",
    ],
    isExported: true,
    name: clientOptionsName(service.clientName),
    type: symbols.imports.named(from, protocol.optionsType, true, "ProtocolClientOptions"),
  };
  const body: Array<StatementStructures | WriterFunction> = [
    options,
    ...registry(),
    coreClass(),
    clientOf(),
    blankLine,
    ...service.operations.map(descriptor),
    ...service.operations.flatMap((op) => members(op, symbols).map((m) => functionWriter(memberFunction(m)))),
  ];
  const statements = [...symbols.imports.structures(), blankLine, ...body];
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

/** client.ts as ts-morph printed it (the emitter before it wrote text). */
function referenceClientSource(service: Service): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(CLIENT_SYMBOLS));
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
  const V = symbols.imports.namespace("./validators.js", "V");
  const responses = service.operations.map((op) => `${op.method}: ${V}.validate${symbols.shape(op.response.name)}`).join(", ");
  const options = `${O}.${clientOptionsName(service.clientName)}`;
  const clientClass: WriterFunction = (w) => {
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
  const exported: StatementStructures = {
    kind: StructureKind.ExportDeclaration,
    isTypeOnly: true,
    namedExports: [clientOptionsName(service.clientName)],
    moduleSpecifier: "./operations.js",
  };
  const statements = [...symbols.imports.structures(), blankLine, exported, clientClass];
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

const realServices = (await realIr()).services;

describe("client emitter text equals ts-morph's printing", () => {
  it.each(realServices.map((s) => [s.id, s] as const))("for the real service %s", (_id, s) => {
    expect(emitOperationsSource(s)).toBe(referenceOperationsSource(s));
    expect(emitClientSource(s)).toBe(referenceClientSource(s));
  });

  // Doc text at the edges: line breaks (LF, CRLF, a lone CR) in a title, a summary and a description,
  // quotes and backticks the writer might take for strings, trailing spaces, and no operation at all.
  const texts = ["Edge\r\ncase ", "lone\rcr", "cr at end\r", "two\nlines", 'a `tick and a "quote', "x\r\r\ny", "ends with a space "];
  it.each(texts.map((t, i) => [i, t] as const))("for doc text %i at the edges of the printer's rules", (_i, t) => {
    const base = realServices.find((s) => s.operations.some((o) => o.pagination))!;
    const operations = base.operations.map((o, i) => (i % 2 ? { ...o, summary: t } : { ...o, description: `${t}\n${t}` }));
    for (const s of [
      { ...base, title: t },
      { ...base, operations },
    ]) {
      expect(emitOperationsSource(s)).toBe(referenceOperationsSource(s));
      expect(emitClientSource(s)).toBe(referenceClientSource(s));
    }
  });

  it("for a service without operations", () => {
    const s = { ...realServices[0]!, operations: [] };
    expect(emitOperationsSource(s)).toBe(referenceOperationsSource(s));
    expect(emitClientSource(s)).toBe(referenceClientSource(s));
  });
});
