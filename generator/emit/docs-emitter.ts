// Markdown docs: a page per operation, a README per package, an index of every API.
import type { ErrorDef, Ir, Note, Operation, Service, Shape } from "../ir/types.js";
import { reachableShapes } from "../ir/usage.js";
import { cursorPhrase } from "../ir/pagination.js";
import { envelopeOf } from "../protocols/index.js";
import { coreClientName } from "../ir/names.js";
import { constraintPhrases, durationPhrase, enumPhrases, protocolPhrase, regionsPhrase, wireType, type PhraseStyle } from "./describe.js";
import { usageSnippet } from "./usage-snippet.js";
import { mdHeader, serviceFiles, type Emitter, type GeneratedFile } from "./generated-file.js";
import { code, fence, heading, htmlText, inline, paragraph, relativeLink, table, url } from "./markdown.js";
import { relationPhrase } from "./relation-checks.js";

/** Every spec string on these pages goes through the escaper of its Markdown context (markdown.ts). */
const MD: PhraseStyle = { code, text: inline };

function detailsOf(f: Shape["fields"][number]): string {
  const parts = [inline(f.description), ...constraintPhrases(f, MD).map((c) => `${c}.`)];
  const values = enumPhrases(f, MD);
  if (values.length) parts.push(`Values: ${values.join("; ")}.`);
  if (f.deprecated) parts.push(`Deprecated: ${inline(f.deprecated)}`);
  return parts.join("\n");
}

function fieldTable(shape: Shape, role: "request" | "response" | "shape"): string {
  if (!shape.fields.length) return "_No fields._";
  const presence = role === "request" ? "Required" : "Always present";
  return table(
    ["Name", "Type", presence, "Null", "Description"],
    shape.fields.map((f) => [code(f.name), code(wireType(f.type)), f.required ? "yes" : "no", f.nullable ? "may be null" : "", detailsOf(f)]),
  );
}

function notesList(notes: Array<Note & { at?: string }>): string {
  return notes
    .map((n) => `- **${n.at ? `${inline(n.at)}: ` : ""}${inline(n.topic)}.** ${inline(n.text)}${n.ref ? ` (${inline(n.ref)})` : ""}`)
    .join("\n");
}

function errorTable(errors: ErrorDef[]): string {
  return table(
    ["Code", "Retry can help", "Description"],
    errors.map((e) => [code(e.code), e.retryable ? "yes" : "no", inline(e.description) + (e.source ? `\n(source: ${inline(e.source)})` : "")]),
  );
}

function allNotes(op: Operation, shapes: Shape[]): Array<Note & { at?: string }> {
  const out: Array<Note & { at?: string }> = [...op.notes];
  for (const s of shapes) {
    out.push(...s.notes.map((n) => ({ ...n, at: s.name })));
    for (const f of s.fields) out.push(...f.notes.map((n) => ({ ...n, at: `${s.name}.${f.name}` })));
  }
  for (const e of op.errors.filter((x) => x.scope === "operation")) out.push(...e.notes.map((n) => ({ ...n, at: String(e.code) })));
  out.push(...op.regions.notes.map((n) => ({ ...n, at: "regions" })));
  out.push(...(op.rateLimit?.notes ?? []).map((n) => ({ ...n, at: "rateLimit" })));
  return out;
}

function timeWindowLine(w: Operation["timeWindows"][number]): string {
  const err = w.error !== undefined ? ` Outside it the service answers ${code(w.error)}.` : "";
  const rule =
    w.kind === "after-event"
      ? `Only after ${inline(w.event)}${w.withinSeconds !== undefined ? `, within ${durationPhrase(w.withinSeconds)}` : ""}`
      : w.kind === "lookback"
        ? `${code(w.field)} no older than ${durationPhrase(w.withinSeconds)}`
        : `${code(w.field)} not before ${code(w.notBefore)}`;
  return `- **${rule}.** ${inline(w.description)}${err}`;
}

/** A relation between request fields: the rule, the page's words, the code the service answers. */
function relationLine(op: Operation, r: Operation["relations"][number]): string {
  // Without its own code, the relation's issue maps as a bad value of the field it is reported at.
  const at = r.kind === "max-span" ? r.to : r.kind === "order" ? r.then : r.field;
  const answer = r.error ?? op.validationErrors.fields[at]?.value ?? op.validationErrors.codes.value;
  const err = answer !== undefined ? ` Otherwise the service answers ${code(answer)}.` : "";
  const words = r.description ? ` ${inline(r.description)}` : "";
  return `- **${relationPhrase(op, r, (n) => code(n))}.**${words}${err}${r.source ? ` (source: ${inline(r.source)})` : ""}`;
}

/** What the operation does to which resource of the mock. */
function mockPhrase(m: NonNullable<Operation["mock"]>): string {
  const resource = code(m.resource);
  const unknown = m.notFound !== undefined ? `; an unknown key answers ${code(String(m.notFound))}` : "";
  switch (m.action) {
    case "create":
      return m.keyFrom?.side === "request"
        ? `creates a ${resource} under the key in ${code(m.keyFrom.path)}${m.conflict !== undefined ? `; an existing key answers ${code(String(m.conflict))}` : ""}`
        : `creates a ${resource}${m.keyFrom?.path.includes("[]") ? ` per element of ${code(m.attributes.in ?? "")}` : ""}; the mock draws ${m.keyFrom?.path.includes("[]") ? "the keys and answers them" : "its key and answers it"} in ${code(m.keyFrom?.path ?? "")}`;
    case "list":
      return `lists every ${resource} that exists${m.attributes.state ? `; ${code(m.attributes.state.field)} shows each one's state` : ""}`;
    case "update":
      return `updates the ${resource}${m.key?.includes("[]") ? "s whose keys are" : " whose key is"} in ${code(m.key ?? "")}${m.sets ? ` and makes it ${m.sets.state}` : ""}${unknown}`;
    case "delete":
      return `deletes the ${resource}${m.key?.includes("[]") ? "s whose keys are" : " whose key is"} in ${code(m.key ?? "")}${unknown}`;
    default:
      return `reads the ${resource}${m.key?.includes("[]") ? "s whose keys are" : " whose key is"} in ${code(m.key ?? "")}${unknown}${m.attributes.state ? `; ${code(m.attributes.state.field)} shows its state` : ""}`;
  }
}

export function operationPage(service: Service, op: Operation): string {
  const shapes = reachableShapes(service, [op.request, op.response]).filter((s) => s !== op.request && s !== op.response);
  const facts: string[][] = [
    ["Protocol", protocolPhrase(service, op, MD)],
    ["Client method", code(`${service.clientName}.${op.method}(request)`)],
    ["Endpoints", service.endpoints.map((e) => `${code(e.host)}${e.isDefault ? " (default)" : ""}`).join(", ")],
    ["Region", regionsPhrase(op.regions, MD)],
  ];
  if (op.rateLimit) facts.push(["Rate limit", `${op.rateLimit.requests} requests per ${op.rateLimit.per}`]);
  if (op.pagination) {
    const p = op.pagination;
    const cursor = p.style === "cursor" ? cursorPhrase(p, (n) => code(n)) : undefined;
    const position =
      p.style === "offset"
        ? `item offset in ${code(p.offset)} (from 0)`
        : p.style === "cursor"
          ? `cursor in ${cursor!.from}, then ${cursor!.next}`
          : `page number in ${code(p.page)} (from ${p.firstPage})`;
    const sizes =
      p.maxSize === undefined && p.defaultSize === undefined
        ? ["no documented maximum or default"]
        : [
            p.maxSize !== undefined ? `at most ${p.maxSize}` : "no documented maximum",
            ...(p.defaultSize !== undefined ? [`default ${p.defaultSize}`] : []),
          ];
    const total =
      p.total !== undefined ? `total in ${code(p.total)}` : cursor ? "no total" : "no total: the list ends at a page shorter than the page size";
    const size = p.size === undefined ? "no page size field" : `page size in ${code(p.size)} (${sizes.join(", ")})`;
    facts.push(["Pagination", `${position}${cursor ? ";" : ","} ${size}; items in ${code(p.items)}, ${total}`]);
  }
  if (op.mock) facts.push(["Mock", mockPhrase(op.mock)]);
  if (op.deprecated) facts.push(["Deprecated", inline(op.deprecated)]);
  const parts: string[] = [
    mdHeader([op.file, service.file]),
    heading(1, op.name),
    `> ${inline(op.summary)}`,
    paragraph(op.description),
    table(["", ""], facts),
  ];
  parts.push("## Usage", fence("ts", usageSnippet(service, op)));
  if (op.timeWindows.length) parts.push("## Time windows", op.timeWindows.map(timeWindowLine).join("\n"));
  if (op.relations.length) parts.push("## Relations", op.relations.map((r) => relationLine(op, r)).join("\n"));
  parts.push("## Request parameters", fieldTable(op.request, "request"));
  parts.push("## Response fields");
  // The protocol's envelope names its own keys: the fields a `payload: envelope` operation answers sit beside them.
  if (op.payloadAt === "envelope") {
    const envelope = envelopeOf(service.protocol.name);
    parts.push(
      `These fields sit at the top level of the answer, beside ${envelope.statusKeys.map((k) => code(k)).join(", ")}, not inside ${code(envelope.payloadKey)}.`,
    );
  }
  parts.push(fieldTable(op.response, "response"));
  for (const s of shapes) parts.push(heading(3, s.name), paragraph(s.description), fieldTable(s, "shape"));
  const own = op.errors.filter((e) => e.scope !== "protocol");
  const common = op.errors.filter((e) => e.scope === "protocol");
  parts.push("## Errors", own.length ? errorTable(own) : "_No operation-specific errors are documented._");
  if (common.length)
    parts.push(
      `<details><summary>Common ${htmlText(service.protocolInfo.title)} errors (${common.length})</summary>`,
      errorTable(common),
      "</details>",
    );
  if (op.examples.length) {
    parts.push("## Examples");
    for (const ex of op.examples) {
      parts.push(heading(3, ex.title));
      if (ex.description) parts.push(paragraph(ex.description));
      parts.push(`Source: ${inline(ex.source)}`);
      if (ex.contradicts)
        parts.push(
          `> **This example contradicts its own page** and is kept as published. ${inline(ex.contradicts.reason)} Fails at: ${ex.contradicts.paths.map(code).join(", ")}.`,
        );
      if (ex.requestText !== undefined) parts.push("Request:", fence("json", ex.requestText));
      const failed = ex.error?.code;
      if (ex.responseText !== undefined && (typeof failed === "string" || typeof failed === "number")) {
        // An error example: the service refused this request; say with which documented error.
        const meaning = op.errors.find((e) => String(e.code) === String(failed))?.description;
        parts.push(
          `Response: an error, ${code(String(failed))}${meaning ? ` (${inline(meaning)})` : ""}; the mock answers it to this request.`,
          fence("json", ex.responseText),
        );
      } else if (ex.responseText !== undefined) parts.push("Response:", fence("json", ex.responseText));
    }
  }
  const notes = allNotes(op, [op.request, op.response, ...shapes]);
  if (notes.length) parts.push("## Notes", notesList(notes));
  parts.push("## Source", `${inline(op.source)}. Spec: ${code(op.file)}.`);
  return parts.join("\n\n").replace(/\n{3,}/g, "\n\n") + "\n";
}

export function packageReadme(service: Service): string {
  const parts: string[] = [
    mdHeader(serviceFiles(service)),
    heading(1, service.packageName),
    `${inline(service.title)}. ${paragraph(service.description)}`,
    "## Install",
    fence("sh", `npm install ${service.packageName}`),
    "## Operations",
    table(
      ["Operation", "Client method", "Summary", "Rate limit"],
      service.operations.map((op) => [
        // No link: docs/ stays in the repository, and a link would dangle in the installed package.
        inline(op.name),
        code(op.method),
        inline(op.summary),
        op.rateLimit ? `${op.rateLimit.requests}/${op.rateLimit.per}` : "",
      ]),
    ),
    "## Endpoints",
    table(
      ["Id", "Host", "Backup", "Description"],
      service.endpoints.map((e) => [
        code(e.id) + (e.isDefault ? " (default)" : ""),
        code(e.host),
        e.backup ? code(e.backup) : "",
        inline(e.description),
      ]),
    ),
    "## Regions",
    regionsPhrase(service.regions, MD) + ".",
    "## What the package holds",
    [
      `- ${code(service.clientName)}: one method per operation${service.operations.some((o) => o.pagination) ? ", with page and item iterators where the operation pages" : ""}; ${code(coreClientName(service.clientName))} and one function per operation (${code(`${service.operations[0]?.method ?? "operation"}(core, request)`)}) for a bundled app that calls a few operations.`,
      "- Types: an interface per shape, a request and response type per operation, and each operation's error-code union.",
      `- ${code(`${service.packageName}/validators`)}: \`validate*\`, \`is*\` and \`assert*\` for every shape, request and response, and the \`validators\` table (not on the root's import path: in Node the client loads them on its first call).`,
      "- `metadata`: endpoints, regions, rate limits, pagination, time windows and errors as data.",
      `- ${code(`${service.packageName}/mock`)}: \`mockDefinition\`, what the mock server of \`@rtc-apigen/runtime/mock\` needs to imitate the service.`,
      // Not installed (most of the bytes); in the repository they sit beside this README.
      "\nIn the repository beside the package's sources, not installed: `docs/`, a page per operation; `schemas/`, a JSON Schema (draft-07) per shape, request and response (request schemas refuse unknown fields); `openapi.json`.",
    ].join("\n"),
  ];
  const notes = [...service.notes, ...service.regions.notes.map((n) => ({ ...n, at: "regions" }))];
  if (notes.length) parts.push("## Notes", notesList(notes));
  parts.push(
    "## Sources",
    service.sources
      .map(
        (s) =>
          `- ${code(s.id)}: ${inline(s.title)}${s.updated ? ` (updated ${inline(s.updated)})` : ""}${s.file ? `, ${code(s.file)}` : ""}${s.url ? `, ${url(s.url)}` : ""}`,
      )
      .join("\n"),
  );
  return parts.join("\n\n").replace(/\n{3,}/g, "\n\n") + "\n";
}

/** The protocol and its version, short enough for a table cell. */
function protocolCell(service: Service): string {
  return `${code(service.protocol.name)} ${code(service.protocol.version)}`;
}

/** One line per service: how many operations its specs define and, for each source that says how many it documents, how much of it they cover.
 * A service taken from more than one document (two editions) can define more than either lists: then the line only says how many each lists. */
export function coverageLine(service: Service): string {
  const n = service.operations.length;
  const defined = `${n} operation${n === 1 ? "" : "s"}`;
  const covered = service.sources.flatMap(({ id, operations: m }) =>
    m === undefined ? [] : [n <= m ? `${n} of the ${m} operations documented in ${code(id)}` : `${code(id)} documents ${m}`],
  );
  const heading = `${relativeLink(service.id, [service.id, "README.md"])} (${code(service.packageName)}, ${inline(service.protocolInfo.title)})`;
  return `- ${heading}: ${[defined, ...covered].join("; ")}.`;
}

/** What the index README takes from one service: an edit to another leaves it as it was (write/generation-cache.ts caches it per service). */
export interface IndexPart {
  files: string[];
  operations: number;
  coverage: string;
  rows: string[][];
}

export function indexPart(s: Service): IndexPart {
  return {
    files: serviceFiles(s),
    operations: s.operations.length,
    coverage: coverageLine(s),
    rows: s.operations.map((op) => [
      relativeLink(s.id, [s.id, "README.md"]),
      relativeLink(op.name, [s.id, "docs", `${op.name}.md`]),
      code(op.method),
      code(op.wire?.key ?? ""),
      protocolCell(s),
      inline(op.summary),
    ]),
  };
}

export function apiIndex(ir: Ir): string {
  return indexOfParts(ir.services.map(indexPart));
}

function indexOfParts(parts: readonly IndexPart[]): string {
  const total = parts.reduce((n, p) => n + p.operations, 0);
  return (
    [
      mdHeader(parts.flatMap((p) => p.files)),
      "# Generated API packages",
      "Every API generated from `specs/`. Each package's README lists its endpoints, regions and operations.",
      "## Coverage",
      `${total} operations in ${parts.length} services. Where a service's sources say how many operations a document describes (\`sources[].operations\` in service.yaml), the line says how many of them the specs define.`,
      parts.map((p) => p.coverage).join("\n"),
      "## Operations",
      table(
        ["Service", "Operation", "Client method", "On the wire", "Protocol", "Summary"],
        parts.flatMap((p) => p.rows),
      ),
    ]
      .join("\n\n")
      .replace(/\n{3,}/g, "\n\n") + "\n"
  );
}

export const docsEmitter: Emitter = {
  name: "docs",
  emitService(service): GeneratedFile[] {
    return [
      { path: `${service.id}/README.md`, content: packageReadme(service) },
      ...service.operations.map((op) => ({ path: `${service.id}/docs/${op.name}.md`, content: operationPage(service, op) })),
    ];
  },
  emitAll(ir) {
    return [{ path: "README.md", content: apiIndex(ir) }];
  },
  emitAllParts: {
    part: (service) => indexPart(service),
    combine: (parts) => [{ path: "README.md", content: indexOfParts(parts as IndexPart[]) }],
  },
};
