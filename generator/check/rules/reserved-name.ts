import type { Rule } from "../rule.js";
import type { Operation, Service, SourceLoc } from "../../ir/types.js";
import type { SpecDocument } from "../../load/spec-document.js";
import {
  CLIENT_CLASS_MEMBERS,
  CLIENT_MODULE_NAMES,
  clientOptionsName,
  coreClientName,
  iteratorMethods,
  OBJECT_PROTOTYPE_KEYS,
  PACKAGE_EXPORTS,
  RESERVED_WORDS,
  THENABLE_EXPORT,
} from "../../ir/names.js";
import { SymbolRegistry } from "../../emit/symbols.js";
import { protocolPlugins } from "../../protocols/index.js";
import { documentsByFile, eachField, eachShape } from "./walk.js";

/** Where an operation's client method is set: its `method:`, else its `name:` (the method comes from it). */
function methodLoc(op: Operation, docs: ReadonlyMap<string, SpecDocument>): SourceLoc {
  const doc = docs.get(op.file);
  const raw = doc?.value as { method?: unknown } | undefined;
  return raw?.method !== undefined ? doc!.locate(["method"]) : op.loc;
}

function serviceLoc(service: Service, key: string, docs: ReadonlyMap<string, SpecDocument>): SourceLoc {
  const doc = docs.get(service.file);
  const raw = doc?.value as Record<string, unknown> | undefined;
  return raw?.[key] !== undefined ? doc!.locate([key]) : service.loc;
}

/** The names operations.ts may import or declare: its own, and any protocol's factory. */
const clientModuleNames = (): string[] => [...CLIENT_MODULE_NAMES, ...protocolPlugins().map((p) => p.client.factory)];

/**
 * The package's other value exports and the names operations.ts imports, each with what it is: an
 * operation's exported functions (its method and iterators) must not take one.
 */
function moduleNames(service: Service): Map<string, string> {
  const names = new Map<string, string>([
    ...clientModuleNames().map((n) => [n, `a name operations.ts imports or declares`] as [string, string]),
    ...PACKAGE_EXPORTS.map((n) => [n, `the runtime's ${n}, which the package exports`] as [string, string]),
    ["metadata", "the package's metadata export"],
    ["validators", "the package's validators export"],
    [service.clientName, "the client class"],
    [coreClientName(service.clientName), "the core client class"],
  ]);
  const symbols = new SymbolRegistry(service);
  const shapes = [...service.shapes, ...service.operations.flatMap((o) => [o.request, o.response])];
  for (const s of shapes)
    for (const verb of ["validate", "is", "assert"]) names.set(`${verb}${symbols.shape(s.name)}`, `the validator function of ${s.name}`);
  return names;
}

const from = (op: Operation, explicit: boolean) => (explicit ? "" : ` (from name "${op.name}"; set \`method:\` to choose another)`);

export const reservedName: Rule = {
  id: "reserved-name",
  severity: "error",
  description:
    "A name that collides where it lands in the generated code: a client method named like the client class's own members, an `Object.prototype` key, or another method's page/item iterator; a client method the package cannot export as a function (`then`, which makes the module namespace a thenable; a reserved word such as `default`; the name of another export or import of the module); a type named like an export of the package or the client; a field named like an `Object.prototype` key; a resource named like an `Object.prototype` key; a client class named like a name client.ts imports.",
  check(ir, report, docs = []) {
    const byFile = documentsByFile(docs);
    for (const service of ir.services) {
      // Client methods: class members, and keys of metadata.operations, validators and the mock.
      const exported = moduleNames(service);
      const iterators = new Map<string, Operation>();
      for (const op of service.operations) if (op.pagination) for (const m of Object.values(iteratorMethods(op.method))) iterators.set(m, op);
      for (const op of service.operations) {
        const explicit = (byFile.get(op.file)?.value as { method?: unknown } | undefined)?.method !== undefined;
        const at = methodLoc(op, byFile);
        const m = op.method;
        if (CLIENT_CLASS_MEMBERS.includes(m))
          report(at, `operation "${op.name}": client method "${m}" is the client class's own ${m}${from(op, explicit)}`);
        else if (OBJECT_PROTOTYPE_KEYS.has(m))
          report(
            at,
            `operation "${op.name}": client method "${m}" is an Object.prototype member, and the generated metadata, validators and mock are keyed by method${from(op, explicit)}`,
          );
        const other = iterators.get(m);
        if (other && other !== op)
          report(
            at,
            `operation "${op.name}": client method "${m}" is also the ${m.endsWith("Pages") ? "page" : "item"} iterator of paginated operation "${other.name}"${from(op, explicit)}`,
          );
        // Module hazards: operations.ts exports a function per method (and iterator), which the package's index re-exports.
        if (m === THENABLE_EXPORT)
          report(
            at,
            `operation "${op.name}": client method "then" would be exported from the package as a function, making its module namespace a thenable: \`await import()\` of the package would call it and never settle${from(op, explicit)}`,
          );
        else if (RESERVED_WORDS.has(m))
          report(
            at,
            `operation "${op.name}": client method "${m}" is a reserved word of JavaScript modules, so operations.ts cannot export a function of that name${m === "default" ? " (and it would be the package's default export)" : ""}${from(op, explicit)}`,
          );
        for (const fn of [m, ...(op.pagination ? Object.values(iteratorMethods(m)) : [])]) {
          const clash = exported.get(fn);
          if (clash)
            report(at, `operation "${op.name}": the function "${fn}" the package exports for it has the name of ${clash}${from(op, explicit)}`);
        }
      }
      // Type names: the package's index exports them beside the client and the runtime's exports.
      const taken = new Map<string, string>([
        ...PACKAGE_EXPORTS.map((n) => [n, `the runtime's ${n}, which the package exports`] as [string, string]),
        [service.clientName, "the client class"],
        [clientOptionsName(service.clientName), "the client's options type"],
        [coreClientName(service.clientName), "the core client class"],
      ]);
      for (const { shape, operation } of eachShape(service)) {
        const clash = taken.get(shape.name);
        if (!clash) continue;
        const what = operation ? `the ${shape === operation.request ? "request" : "response"} type of ${operation.name}` : `type "${shape.name}"`;
        report(operation ? operation.loc : shape.loc, `${what} is named "${shape.name}", like ${clash}; rename it`);
      }
      // The client class: client.ts imports these names.
      for (const name of [service.clientName, clientOptionsName(service.clientName)])
        if (clientModuleNames().includes(name))
          report(
            serviceLoc(service, "client", byFile),
            `client class "${service.clientName}": "${name}" is a name the generated client.ts imports; set \`client:\` to another name`,
          );
      // Fields: the validators read them from plain objects, where TypeScript types such a name as Object's member.
      for (const { field: f, shape } of eachField(service))
        if (OBJECT_PROTOTYPE_KEYS.has(f.name))
          report(
            f.loc,
            `field "${f.name}" of ${shape.name} is an Object.prototype member: generated code reading it from a plain object would get Object's ${f.name}; rename it`,
          );
      for (const r of service.resources)
        if (OBJECT_PROTOTYPE_KEYS.has(r.name))
          report(r.loc, `resource "${r.name}" is an Object.prototype member, and the mock keys resources by name; rename it`);
    }
  },
};
