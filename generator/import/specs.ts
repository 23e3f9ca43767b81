// Pure conversions: one api.json action → `<Action>.yaml`, the api.json's service → `service.yaml`.
import type { ErrorDef, Note } from "../ir/types.js";
import { objectDirections, reachableObjects, type ApiJson, type Direction, type ErrorCodes, type ExamplesJson } from "./api-json.js";
import { exampleModels } from "./examples.js";
import { irShape, shapeModel, type Editions, type ShapeModel } from "./fields.js";
import { paginationHint, rateLimitFromText, timeWindowPhrases } from "./hints.js";
import { oneLine, plainText } from "./text.js";
import { exampleObject, fieldsObject, notesOf, renderSpec, shapeObject } from "./yaml-doc.js";

export interface SpecFile {
  /** File name inside the service folder. */
  file: string;
  yaml: string;
}

export interface EditionOptions {
  /** The id of the api.json in service.yaml `sources` (default `metadata`); every `source:` starts with it. */
  sourceId?: string;
  /** Another edition of the same API version (the intl-en copy): a field either edition lets be null is nullable. */
  secondary?: ApiJson;
  secondaryId?: string;
  /** How the header comment names the api.json (default: the source id). */
  fromLabel?: string;
}

export interface ActionSpecOptions extends EditionOptions {
  examples?: ExamplesJson;
  errors?: ErrorCodes;
  /** Shapes defined in service.yaml or another operation file: referenced, not repeated here. */
  definedElsewhere?: ReadonlySet<string>;
}

export interface ServiceInfo {
  /** The service id: folder and generated package folder. */
  id: string;
  packageName?: string;
  client?: string;
  title?: string;
  description?: string;
  endpoints?: Array<{ id: string; host: string; description: string; default?: boolean; region?: string }>;
}

export interface ServiceSpecOptions extends EditionOptions {
  service: ServiceInfo;
  /** Shapes for service.yaml `types` (used by more than one imported action). */
  sharedTypes?: readonly string[];
  /** The api.json path as service.yaml `sources` names it. */
  sourceFile?: string;
  secondaryFile?: string;
  examplesFile?: string;
}

const directionsCache = new WeakMap<ApiJson, Map<string, Direction>>();

function editions(api: ApiJson, o: EditionOptions): Editions {
  let directions = directionsCache.get(api);
  if (!directions) directionsCache.set(api, (directions = objectDirections(api)));
  return {
    primary: api,
    primaryId: o.sourceId ?? "metadata",
    ...(o.secondary ? { secondary: o.secondary, secondaryId: o.secondaryId ?? "metadata-secondary" } : {}),
    directions,
  };
}

const RETRYABLE = /^(InternalError|RequestLimitExceeded)(\.|$)/;
const TC3_CODE = /^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

function errorList(codes: ErrorCodes[string] | undefined): Array<Pick<ErrorDef, "code" | "description" | "retryable" | "notes">> {
  const seen = new Set<string>();
  const out = [];
  for (const e of [...(codes ?? [])].sort((a, b) => a.code.localeCompare(b.code))) {
    if (seen.has(e.code) || !TC3_CODE.test(e.code)) continue;
    seen.add(e.code);
    const retryable = RETRYABLE.test(e.code);
    const notes: Note[] = [{ topic: "Retryable (imported)", text: `Imported as ${retryable ? "retryable (internal errors and rate limits are)" : "not retryable (the default)"}. TODO(import): confirm.` }];
    out.push({ code: e.code, description: plainText(e.description) || e.code, retryable, notes });
  }
  return out;
}

function header(o: EditionOptions): string[] {
  return [`Imported from ${o.fromLabel ?? o.sourceId ?? "the metadata"} by \`rtc-apigen import\`: a skeleton to complete by hand.`, "Every TODO(import) comment and note marks a decision for the maintainer (README, \"How to add an API\")."];
}

/** Comment lines for what the metadata cannot say: rate limit, regions, time windows, mock. */
function decisionComments(texts: ReadonlyArray<string | undefined>): string[] {
  const rate = rateLimitFromText(texts);
  const windows = timeWindowPhrases(texts);
  return [
    ...(rate === undefined
      ? ["TODO(import): rateLimit. The metadata has none; take it from the page, e.g. `rateLimit: {requests: 20, per: second}`."]
      : [`TODO(import): rateLimit. The description says ${rate} per second; confirm, then uncomment:`, `rateLimit: {requests: ${rate}, per: second}`]),
    "TODO(import): regions, timeWindows, mock. The metadata has none; see README (`<Op>.yaml`).",
    ...(windows.length ? [`The description mentions ${windows.map((w) => `"${w}"`).join(", ")}: a time window?`] : []),
  ];
}

/** `<Action>.yaml` for one action of the api.json. */
export function actionToSpec(api: ApiJson, action: string, options: ActionSpecOptions = {}): SpecFile {
  const a = api.actions[action];
  if (!a) throw new Error(`no action "${action}" in the metadata`);
  const ed = editions(api, options);
  const elsewhere = options.definedElsewhere ?? new Set<string>();
  const request = shapeModel(ed, a.input);
  const response = shapeModel(ed, a.output, true);
  const reachable = reachableObjects(api, action).map((n) => shapeModel(ed, n));
  const local = reachable.filter((s) => !elsewhere.has(s.name));
  const secondaryAction = options.secondary?.actions[action];

  const before: Record<string, string[]> = { request: [...decisionComments([a.document, secondaryAction?.document]), ...paginationHint(request, response)] };
  const errors = errorList(options.errors?.[action]);
  if (!errors.length) before.errors = ["TODO(import): the metadata lists no error codes; add every code the page documents, with `retryable`."];
  const exampleSource = `${ed.primaryId} examples.json ${action}`;
  const examples = exampleModels(action, options.examples?.actions[action] ?? [], reachable.map(irShape), irShape(request), irShape(response), exampleSource);
  if (!examples.length) before.examples = ["TODO(import): the metadata has no example for this action; add the page's examples verbatim."];

  const summary = oneLine(a.name) || action;
  const notes: Note[] = [
    {
      topic: "Imported",
      text:
        `Imported from ${options.fromLabel ?? ed.primaryId}. The metadata has no rate limit, regions, time windows, constraints or enums` +
        `${errors.length ? "" : ", nor error codes"}. TODO(import): check every field against the vendor's page, settle the TODO(import) comments and notes, then delete this note.`,
    },
  ];
  if (options.secondary && !secondaryAction) notes.push({ topic: `Not in ${ed.secondaryId}`, text: `The ${ed.secondaryId} edition of the metadata has no ${action}.` });
  if (a.status && a.status !== "online" && a.status !== "deprecated") notes.push({ topic: "Status (imported)", text: `The metadata gives the status "${a.status}".` });
  const value = {
    name: action,
    action,
    summary,
    description: plainText(a.document) || summary,
    source: `${ed.primaryId} ${action}`,
    ...(a.status === "deprecated" ? { deprecated: "The metadata marks this action deprecated (status: deprecated)." } : {}),
    request: { fields: fieldsObject(request.fields) },
    response: { fields: fieldsObject(response.fields) },
    ...(local.length ? { types: Object.fromEntries(local.map((s) => [s.name, shapeObject(s)])) } : {}),
    errors,
    examples: examples.map(exampleObject),
    ...notesOf(notes),
  };
  return { file: `${action}.yaml`, yaml: renderSpec("../schema/operation.schema.json", header(options), value, before) };
}

/** The objects more than one of `actions` reaches: they go to service.yaml `types`. */
export function sharedObjects(api: ApiJson, actions: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const action of actions) for (const name of reachableObjects(api, action)) count.set(name, (count.get(name) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([name]) => name).sort();
}

const pascal = (id: string) => id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");

/** `service.yaml` for the api.json's product: tc3 binding, hosts, shared types, sources. */
export function serviceToSpec(api: ApiJson, options: ServiceSpecOptions): SpecFile {
  const ed = editions(api, options);
  const { id } = options.service;
  const scope = api.metadata.serviceShortName;
  const version = api.metadata.apiVersion;
  const product = api.metadata.serviceNameCN ? `${api.metadata.serviceNameCN} (${scope.toUpperCase()})` : scope.toUpperCase();
  const title = options.service.title ?? `${product} API ${version}`;
  const endpoints = options.service.endpoints ?? [
    { id: "default", host: `${scope}.tencentcloudapi.com`, default: true, description: "Nearest-access endpoint (the official SDKs' default)." },
    { id: "intl", host: `${scope}.intl.tencentcloudapi.com`, description: "International nearest-access endpoint. Same API, same credential-scope service." },
  ];
  const types: ShapeModel[] = (options.sharedTypes ?? []).map((n) => shapeModel(ed, n));
  const sources = [
    { id: ed.primaryId, title: `Official API metadata (${options.fromLabel ?? "api.json"})${options.examplesFile ? `; its examples are in ${options.examplesFile}` : ""}`, ...(options.sourceFile ? { file: options.sourceFile } : {}) },
    ...(ed.secondary ? [{ id: ed.secondaryId!, title: "Official API metadata, another edition of the same version (nullability merged in)", ...(options.secondaryFile ? { file: options.secondaryFile } : {}) }] : []),
  ];
  const value = {
    service: id,
    title,
    description: plainText(api.metadata.api_brief) || `${title}, imported from the official API metadata.`,
    client: options.service.client ?? `${pascal(id)}Client`,
    package: { name: options.service.packageName ?? `@rtc-apigen/${id}`, description: `Typed client for the ${title}.` },
    protocol: { name: "tc3", service: scope, version },
    endpoints: endpoints.map((e) => ({ id: e.id, host: e.host, ...(e.default ? { default: true } : {}), ...(e.region ? { region: e.region } : {}), description: e.description })),
    regions: { required: false },
    ...(types.length ? { types: Object.fromEntries(types.map((s) => [s.name, shapeObject(s)])) } : {}),
    sources,
    notes: [
      {
        topic: "Imported",
        text: `Imported from ${options.fromLabel ?? ed.primaryId} by rtc-apigen import. The types here are the objects more than one imported action uses. TODO(import): check the hosts and regions against the product's pages, then delete this note.`,
      },
    ],
  };
  return {
    file: "service.yaml",
    yaml: renderSpec("../schema/service.schema.json", header(options), value, {
      endpoints: ["TODO(import): check the hosts; add regional ones (`<service>.<region>.tencentcloudapi.com`) where the pages name them."],
      regions: ["TODO(import): regions. The metadata names none: list the page's regions, and `required: true` if every call must name one."],
    }),
  };
}
