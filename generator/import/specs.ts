// Pure conversions: one api.json action → `<Action>.yaml`, the api.json's service → `service.yaml`.
import type { ErrorDef, Note } from "../ir/types.js";
import { apiJsonProtocol } from "../protocols/index.js";
import type { ActionFacts, FactsByAction } from "./action-facts.js";
import { objectDirections, reachableObjects, type ApiJson, type Direction, type ExamplesJson } from "./api-json.js";
import { exampleModels } from "./examples.js";
import { irShape, shapeModel, TRANSLATE, type Editions, type ShapeModel } from "./fields.js";
import { timeWindowPhrases } from "./hints.js";
import { paginationOf } from "./pagination.js";
import { chooseRateLimit, rateSentences } from "./rate-limit.js";
import { RETRYABLE_RULE, retryableByDefault } from "./retryable.js";
import { settleExamples } from "./settle-examples.js";
import { languageOf, plainText, preferredText, type Language } from "./text.js";
import { exampleObject, fieldsObject, notesOf, renderSpec, shapeObject } from "./yaml-doc.js";

export interface SpecFile {
  /** File name inside the service folder. */
  file: string;
  yaml: string;
}

export interface EditionOptions {
  /** The id of the api.json in service.yaml `sources` (default `metadata`); every `source:` starts with it. */
  sourceId?: string;
  /** Another edition of the same API version (the intl-en copy): its English text is preferred, and a field either edition lets be null is nullable. */
  secondary?: ApiJson;
  secondaryId?: string;
  /** How the header comment names the api.json (default: the source id). */
  fromLabel?: string;
}

export interface ActionSpecOptions extends EditionOptions {
  examples?: ExamplesJson;
  /** Error codes and rate-limit sentences per action (action-facts.ts). */
  facts?: FactsByAction;
  /** The id of the errors file in service.yaml `sources` (default `sdk-errors`). */
  factsSourceId?: string;
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
  /** The errors file as `sources` names it, and its id (default `sdk-errors`). */
  factsFile?: string;
  factsSourceId?: string;
  /** For the shared types' constraints, as actionToSpec gets them. */
  examples?: ExamplesJson;
}

const directionsCache = new WeakMap<ApiJson, Map<string, Direction>>();
const NONE = {};
/** One Editions (and so one cache of shape models and vetoes) per api, other edition, ids and examples. */
const editionsCache = new WeakMap<ApiJson, WeakMap<object, WeakMap<object, Map<string, Editions>>>>();

function editions(api: ApiJson, o: EditionOptions & { examples?: ExamplesJson }): Editions {
  const primaryId = o.sourceId ?? "metadata";
  const secondaryId = o.secondary ? (o.secondaryId ?? "metadata-secondary") : undefined;
  const bySecondary = editionsCache.get(api) ?? new WeakMap();
  editionsCache.set(api, bySecondary);
  const byExamples = bySecondary.get(o.secondary ?? NONE) ?? new WeakMap();
  bySecondary.set(o.secondary ?? NONE, byExamples);
  const byIds = byExamples.get(o.examples ?? NONE) ?? new Map<string, Editions>();
  byExamples.set(o.examples ?? NONE, byIds);
  const key = `${primaryId}\u0000${secondaryId ?? ""}`;
  const cached = byIds.get(key);
  if (cached) return cached;
  let directions = directionsCache.get(api);
  if (!directions) directionsCache.set(api, (directions = objectDirections(api)));
  const ed: Editions = {
    primary: api,
    primaryId,
    ...(o.secondary ? { secondary: o.secondary, secondaryId: secondaryId! } : {}),
    directions,
    vetoes: new Map(),
    shapes: new Map(),
  };
  if (o.examples) settleExamples(ed, o.examples);
  byIds.set(key, ed);
  return ed;
}

const TC3_CODE = /^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

type ImportedError = Pick<ErrorDef, "code" | "description" | "retryable"> & { source: string; notes?: Note[] };

function errorList(facts: ActionFacts | undefined, action: string, sourceId: string): ImportedError[] {
  const seen = new Set<string>();
  const out: ImportedError[] = [];
  for (const e of [...(facts?.errors ?? [])].sort((a, b) => a.code.localeCompare(b.code))) {
    if (seen.has(e.code) || !TC3_CODE.test(e.code)) continue;
    seen.add(e.code);
    const description = plainText(e.description);
    const notes: Note[] = [];
    if (e.onlyZh)
      notes.push({ topic: "Chinese SDK only (imported)", text: `Only the Chinese edition of the official SDK lists ${e.code} for ${action}.` });
    if (description && languageOf(description) === "zh")
      notes.push({ topic: "Language", text: `Chinese (zh): the description; the errors file has no English one. ${TRANSLATE}` });
    out.push({
      code: e.code,
      description: description || e.code,
      retryable: retryableByDefault(e.code, `${e.description ?? ""}`),
      source: `${sourceId} ${action}`,
      ...(notes.length ? { notes } : {}),
    });
  }
  return out;
}

function header(o: EditionOptions): string[] {
  return [
    `Imported from ${o.fromLabel ?? o.sourceId ?? "the metadata"} by \`rtc-apigen import\`: a skeleton to complete by hand.`,
    'Every import TODO below marks a decision for the maintainer; the lint rule import-todo fails until none is left (README, "How to add an API").',
  ];
}

/** The rate limit: from the errors file's sentences and the action texts of both editions. */
function rateLimitOf(ed: Editions, action: string, facts: ActionFacts | undefined, factsId: string) {
  const sentences: Partial<Record<Language, string[]>> = { en: [...(facts?.rateLimitText.en ?? [])], zh: [...(facts?.rateLimitText.zh ?? [])] };
  const fromFacts = sentences.en!.length + sentences.zh!.length > 0;
  for (const api of [ed.primary, ed.secondary]) {
    const text = plainText(api?.actions[action]?.document);
    for (const s of rateSentences(text)) (sentences[languageOf(s)] ??= []).push(s);
  }
  const choice = chooseRateLimit(sentences);
  return choice
    ? {
        value: {
          requests: choice.requests,
          per: choice.per,
          source: fromFacts ? `${factsId} ${action}` : `${ed.primaryId} ${action}`,
          notes: choice.notes,
        },
      }
    : undefined;
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
  const factsId = options.factsSourceId ?? "sdk-errors";
  const facts = options.facts?.[action];

  const before: Record<string, string[]> = {};
  const rate = rateLimitOf(ed, action, facts, factsId);
  const texts = (object: string, field: string) =>
    [ed.primary, ed.secondary].map((x) => plainText(x?.objects[object]?.members.find((m) => m.name === field)?.document)).filter(Boolean);
  const pagination = paginationOf(request, response, (field) => texts(a.input, field));
  const windows = timeWindowPhrases([plainText(a.document), plainText(secondaryAction?.document)]);
  const decisions = [
    ...(rate
      ? []
      : [
          `TODO(import): rateLimit. ${options.facts ? "Neither the metadata nor the errors file states one" : "The metadata states none (import with --errors for the SDKs' sentences)"}; take it from the page, e.g. \`rateLimit: {requests: 20, per: second}\`.`,
        ]),
    "Not in the metadata: regions, timeWindows, relations, mock (README `<Op>.yaml`); add them where the page states them.",
    ...(windows.length ? [`TODO(import): the description mentions ${windows.map((w) => `"${w}"`).join(", ")}: a time window?`] : []),
  ];
  const firstKey = rate ? "rateLimit" : pagination.value ? "pagination" : "request";
  before[firstKey] = decisions;
  if (pagination.comments.length) {
    const key = pagination.value ? "pagination" : "request";
    before[key] = [...(before[key] ?? []), ...pagination.comments];
  }
  const errors = errorList(facts, action, factsId);
  if (!errors.length)
    before.errors = ["TODO(import): no error codes for this action (import with --errors); add every code the page documents, with `retryable`."];
  const exampleSource = `${ed.primaryId} examples.json ${action}`;
  const examples = exampleModels(
    action,
    options.examples?.actions[action] ?? [],
    reachable.map(irShape),
    irShape(request),
    irShape(response),
    exampleSource,
  );
  if (!examples.length) before.examples = ["TODO(import): the metadata has no example for this action; add the page's examples verbatim."];

  const editionsOf = (pick: (x: ApiJson["actions"][string]) => string | undefined) => [
    { document: pick(a), edition: ed.primaryId },
    ...(secondaryAction ? [{ document: pick(secondaryAction), edition: ed.secondaryId! }] : []),
  ];
  const summaryText = preferredText(
    editionsOf((x) => x.name),
    true,
  );
  const descriptionText = preferredText(editionsOf((x) => x.document));
  const summary = summaryText?.text || action;
  const notes: Note[] = [
    {
      topic: "Imported",
      text:
        `Imported from ${options.fromLabel ?? ed.primaryId}${ed.secondary ? ` and ${ed.secondaryId}` : ""}${options.facts ? ` with the errors file (${factsId})` : ""}: ` +
        "wire types, flags and examples from the metadata; enums, ranges, lengths and defaults read from the field texts, each with the sentence in the field's notes; " +
        `${errors.length ? `error codes from the errors file, \`retryable\` by the importer's rule (${RETRYABLE_RULE})` : "no error codes"}. ` +
        "TODO(import): check the fields against the vendor's page, settle the other import TODOs, then delete this note.",
    },
    ...pagination.notes,
  ];
  const chinese = [...(summaryText?.language === "zh" ? ["the summary"] : []), ...(descriptionText?.language === "zh" ? ["the description"] : [])];
  if (chinese.length && options.secondary)
    notes.push({
      topic: "Language",
      text: `Chinese (zh): ${chinese.join(" and ")}, from ${ed.primaryId}; ${secondaryAction ? `the ${ed.secondaryId} edition has no English text for them` : `the ${ed.secondaryId} edition has no ${action}`}. ${TRANSLATE}`,
    });
  if (options.secondary && !secondaryAction)
    notes.push({ topic: `Not in ${ed.secondaryId}`, text: `The ${ed.secondaryId} edition of the metadata has no ${action}.` });
  if (a.status && a.status !== "online" && a.status !== "deprecated")
    notes.push({ topic: "Status (imported)", text: `The metadata gives the status "${a.status}".` });
  const value = {
    name: action,
    action,
    summary,
    description: descriptionText?.text || summary,
    source: `${ed.primaryId} ${action}`,
    ...(a.status === "deprecated" ? { deprecated: "The metadata marks this action deprecated (status: deprecated)." } : {}),
    ...(rate ? { rateLimit: rate.value } : {}),
    ...(pagination.value ? { pagination: pagination.value } : {}),
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
  return [...count]
    .filter(([, n]) => n > 1)
    .map(([name]) => name)
    .sort();
}

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");

/** `service.yaml` for the api.json's product: the protocol binding, hosts, shared types, sources. */
export function serviceToSpec(api: ApiJson, options: ServiceSpecOptions): SpecFile {
  const ed = editions(api, options);
  const { id } = options.service;
  const scope = api.metadata.serviceShortName;
  const version = api.metadata.apiVersion;
  const product = api.metadata.serviceNameCN ? `${api.metadata.serviceNameCN} (${scope.toUpperCase()})` : scope.toUpperCase();
  const title = options.service.title ?? `${product} API ${version}`;
  const endpoints = options.service.endpoints ?? [
    { id: "default", host: `${scope}.tencentcloudapi.com`, default: true, description: "Nearest-access endpoint (the official SDKs' default)." },
    {
      id: "intl",
      host: `${scope}.intl.tencentcloudapi.com`,
      description: "International nearest-access endpoint. Same API, same credential-scope service.",
    },
  ];
  const types: ShapeModel[] = (options.sharedTypes ?? []).map((n) => shapeModel(ed, n));
  const factsId = options.factsSourceId ?? "sdk-errors";
  const brief = preferredText([
    { document: api.metadata.api_brief, edition: ed.primaryId },
    { document: ed.secondary?.metadata.api_brief, edition: ed.secondaryId ?? "" },
  ]);
  const sources = [
    {
      id: ed.primaryId,
      title: `Official API metadata (${options.fromLabel ?? "api.json"})${options.examplesFile ? `; its examples are in ${options.examplesFile}` : ""}`,
      ...(options.sourceFile ? { file: options.sourceFile } : {}),
    },
    ...(ed.secondary
      ? [
          {
            id: ed.secondaryId!,
            title: "Official API metadata, another edition of the same version (its English text preferred, nullability merged in)",
            ...(options.secondaryFile ? { file: options.secondaryFile } : {}),
          },
        ]
      : []),
    ...(options.factsFile
      ? [{ id: factsId, title: "Error codes and rate-limit sentences per action, from the official SDKs", file: options.factsFile }]
      : []),
  ];
  const value = {
    service: id,
    title,
    description: brief?.text || `${title}, imported from the official API metadata.`,
    client: options.service.client ?? `${pascal(id)}Client`,
    package: { name: options.service.packageName ?? `@rtc-apigen/${id}`, description: `Typed client for the ${title}.` },
    protocol: apiJsonProtocol().apiJson.binding(scope, version),
    endpoints: endpoints.map((e) => ({
      id: e.id,
      host: e.host,
      ...(e.default ? { default: true } : {}),
      ...(e.region ? { region: e.region } : {}),
      description: e.description,
    })),
    regions: { required: false },
    ...(types.length ? { types: Object.fromEntries(types.map((s) => [s.name, shapeObject(s)])) } : {}),
    sources,
    notes: [
      {
        topic: "Imported",
        text: `Imported from ${options.fromLabel ?? ed.primaryId} by rtc-apigen import. The types here are the objects more than one imported action uses. TODO(import): check the hosts and regions against the product's pages, then delete this note.`,
      },
      ...(brief?.language === "zh" && ed.secondary
        ? [
            {
              topic: "Language",
              text: `Chinese (zh): the description, from ${brief.edition}; no edition of the metadata has it in English. ${TRANSLATE}`,
            },
          ]
        : []),
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
