// Build: schema-valid spec documents → IR. Assumes the schema check passed.
import type { LoadedSpecs } from "../load/load-specs.js";
import type { SpecDocument, PathSegment } from "../load/spec-document.js";
import { parseJsonText } from "./json-text.js";
import { camelCase, durationSeconds, pascalCase, requestShapeName, responseShapeName } from "./names.js";
import { envelopeOf, findProtocol } from "../protocols/index.js";
import { resolveValidationErrors } from "./validation-errors.js";
import type {
  KeyLocs,
  Constraints,
  CursorNext,
  EnumValue,
  ErrorDef,
  Example,
  Field,
  Ir,
  JsonValue,
  Note,
  Operation,
  PaginationStyle,
  Protocol,
  ProtocolBinding,
  Regions,
  Relation,
  ScalarName,
  Service,
  Shape,
  TimeWindow,
  TypeRef,
  ValidationErrorSettings,
  Wire,
} from "./types.js";

/* Raw spec shapes, as the JSON Schema guarantees them. */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- schema-checked input, read freely

const SCALARS = new Set<ScalarName>(["string", "boolean", "integer", "int32", "uint32", "int64", "uint64", "float", "any"]);

export function parseTypeExpr(expr: string | string[]): TypeRef {
  if (Array.isArray(expr)) return { kind: "union", members: expr.map((e) => parseTypeExpr(e)) };
  if (expr.endsWith("[]")) return { kind: "array", items: parseTypeExpr(expr.slice(0, -2)) };
  return SCALARS.has(expr as ScalarName) ? { kind: "scalar", name: expr as ScalarName } : { kind: "shape", name: expr };
}

class Builder {
  constructor(private readonly doc: SpecDocument) {}

  loc(path: PathSegment[], key = false) {
    return this.doc.locate(path, key);
  }

  /** Positions of the values of the keys `raw` has. */
  at(raw: Raw, path: PathSegment[]): KeyLocs {
    return this.doc.locateKeys(path, Object.keys(raw));
  }

  notes(raw: Raw | undefined): Note[] {
    return ((raw?.notes as Raw[] | undefined) ?? []).map((n) => ({ topic: n.topic, text: n.text, ...(n.ref ? { ref: n.ref } : {}) }));
  }

  field(name: string, raw: Raw, path: PathSegment[]): Field {
    const c: Constraints = {};
    for (const k of ["minimum", "maximum", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems"] as const)
      if (raw[k] !== undefined) (c as Raw)[k] = raw[k];
    const enumValues: EnumValue[] | undefined = (raw.enum as unknown[] | undefined)?.map((v, i) =>
      typeof v === "object" && v !== null
        ? { ...(v as EnumValue), loc: this.loc([...path, "enum", i, "value"]) }
        : { value: v as string | number, loc: this.loc([...path, "enum", i]) },
    );
    return {
      name,
      type: parseTypeExpr(raw.type),
      description: raw.description,
      required: raw.required === true,
      nullable: raw.nullable === true,
      ...(raw.js ? { js: raw.js } : {}),
      constraints: c,
      ...(raw.unit ? { unit: raw.unit } : {}),
      ...(enumValues ? { enum: enumValues } : {}),
      ...(raw.default !== undefined ? { default: raw.default as JsonValue } : {}),
      ...(raw.example !== undefined ? { example: raw.example as JsonValue } : {}),
      ...(raw.deprecated ? { deprecated: raw.deprecated } : {}),
      ...(raw.errors ? { errors: { ...raw.errors } } : {}),
      ...(raw.source ? { source: raw.source } : {}),
      notes: this.notes(raw),
      loc: this.loc(path, true),
      at: this.at(raw, path),
    };
  }

  fields(raw: Raw | undefined, path: PathSegment[]): Field[] {
    return Object.entries(raw ?? {}).map(([name, f]) => this.field(name, f as Raw, [...path, name]));
  }

  shape(name: string, raw: Raw, path: PathSegment[]): Shape {
    return {
      name,
      description: raw.description,
      fields: this.fields(raw.fields, [...path, "fields"]),
      ...(raw.source ? { source: raw.source } : {}),
      notes: this.notes(raw),
      definedIn: this.doc.file,
      ...(Array.isArray(raw.order)
        ? {
            order: (raw.order as Raw[]).map((o, i) => ({
              first: o.first,
              then: o.then,
              loc: this.loc([...path, "order", i]),
              at: this.at(o, [...path, "order", i]),
            })),
          }
        : {}),
      loc: this.loc(path, true),
    };
  }

  shapes(raw: Raw | undefined, path: PathSegment[]): Shape[] {
    return Object.entries(raw ?? {}).map(([name, s]) => this.shape(name, s as Raw, [...path, name]));
  }

  errors(raw: Raw[] | undefined, path: PathSegment[], scope: ErrorDef["scope"]): ErrorDef[] {
    return (raw ?? []).map((e, i) => ({
      code: e.code,
      description: e.description,
      retryable: e.retryable,
      scope,
      ...(e.source ? { source: e.source } : {}),
      notes: this.notes(e),
      loc: this.loc([...path, i, "code"]),
    }));
  }

  validationErrors(raw: Raw | undefined, path: PathSegment[]): ValidationErrorSettings | undefined {
    if (!raw) return undefined;
    const { source: _source, ...settings } = raw;
    return { ...settings, loc: this.loc(path, true), at: this.at(raw, path) };
  }

  regions(raw: Raw, path: PathSegment[]): Regions {
    return {
      required: raw.required,
      values: raw.values ?? [],
      ...(raw.source ? { source: raw.source } : {}),
      notes: this.notes(raw),
      loc: this.loc(path, true),
      at: this.at(raw, path),
    };
  }
}

function buildProtocol(doc: SpecDocument): Protocol {
  const raw = doc.value as Raw;
  const b = new Builder(doc);
  return {
    name: raw.protocol,
    title: raw.title,
    ...(raw.description ? { description: raw.description } : {}),
    errorCode: { ...raw.errorCode, at: b.at(raw.errorCode, ["errorCode"]) },
    errors: b.errors(raw.errors, ["errors"], "protocol"),
    ...(raw.validationErrors ? { validationErrors: b.validationErrors(raw.validationErrors, ["validationErrors"])! } : {}),
    sources: raw.sources,
    notes: b.notes(raw),
    file: doc.file,
  };
}

function buildExample(b: Builder, raw: Raw, path: PathSegment[], binding: ProtocolBinding, besideStatus = false): Example {
  const ex: Example = {
    title: raw.title,
    ...(raw.description ? { description: raw.description } : {}),
    source: raw.source,
    ...(raw.contradicts ? { contradicts: { reason: raw.contradicts.reason, paths: raw.contradicts.paths } } : {}),
    loc: b.loc(path),
  };
  if (typeof raw.request === "string") {
    ex.requestText = raw.request;
    const r = parseJsonText(raw.request);
    if ("value" in r) ex.request = r.value;
    else ex.requestParseError = r.error;
  }
  if (typeof raw.response === "string") {
    ex.responseText = raw.response;
    const r = parseJsonText(raw.response);
    if ("value" in r) {
      ex.response = r.value;
      const body = r.value;
      const { payloadKey: key, payloadOptional, errorOf, statusKeys } = envelopeOf(binding.name);
      // An error answer has no payload: its code is checked against the operation's errors instead.
      const error = errorOf(body);
      if (error)
        ex.error = { ...(error.code !== undefined ? { code: error.code } : {}), ...(error.message !== undefined ? { message: error.message } : {}) };
      else if (body && typeof body === "object" && !Array.isArray(body)) {
        // `payload: envelope`: the response fields sit beside the status fields, so the payload is the body without them.
        if (besideStatus && statusKeys.length) ex.responsePayload = Object.fromEntries(Object.entries(body).filter(([k]) => !statusKeys.includes(k)));
        else if (key in body) ex.responsePayload = body[key]!;
        else if (payloadOptional) ex.responsePayload = {};
      }
    } else ex.responseParseError = r.error;
  }
  return ex;
}

function buildTimeWindow(b: Builder, raw: Raw, path: PathSegment[]): TimeWindow {
  const common = {
    description: raw.description as string,
    ...(raw.error !== undefined ? { error: raw.error as string | number } : {}),
    ...(raw.source ? { source: raw.source as string } : {}),
    loc: b.loc(path),
    at: b.at(raw, path),
  };
  switch (raw.kind) {
    case "after-event":
      return { ...common, kind: "after-event", event: raw.event ?? "", ...(raw.within ? { withinSeconds: durationSeconds(raw.within) } : {}) };
    case "lookback":
      return { ...common, kind: "lookback", field: raw.field ?? "", withinSeconds: raw.within ? durationSeconds(raw.within) : 0 };
    default:
      return { ...common, kind: "order", field: raw.field ?? "", notBefore: raw.notBefore ?? "" };
  }
}

function buildRelation(b: Builder, raw: Raw, path: PathSegment[]): Relation {
  const w = raw.when as Raw | undefined;
  const common = {
    ...(raw.description ? { description: raw.description as string } : {}),
    ...(w
      ? {
          when: {
            field: w.field as string,
            ...(w.present !== undefined ? { present: w.present as boolean } : {}),
            ...(w.equals !== undefined ? { equals: w.equals as string | number | boolean } : {}),
            loc: b.loc([...path, "when"]),
            at: b.at(w, [...path, "when"]),
          },
        }
      : {}),
    ...(raw.error !== undefined ? { error: raw.error as string | number } : {}),
    ...(raw.source ? { source: raw.source as string } : {}),
    notes: b.notes(raw),
    loc: b.loc(path),
    at: b.at(raw, path),
  };
  switch (raw.kind) {
    case "max-span":
      return { ...common, kind: "max-span", from: raw.from, to: raw.to, withinMs: Math.round(durationSeconds(raw.within) * 1000) };
    case "bound": {
      const limits: Partial<Record<"minimum" | "maximum" | "minItems" | "maxItems", number>> = {};
      for (const k of ["minimum", "maximum", "minItems", "maxItems"] as const) if (raw[k] !== undefined) limits[k] = raw[k];
      return { ...common, kind: "bound", field: raw.field, ...limits };
    }
    default:
      return { ...common, kind: "order", first: raw.first, then: raw.then, allowEqual: raw.allowEqual !== false };
  }
}

/** Operation, then service, then protocol errors; a later list never repeats a code an earlier one has.
 * Repeats inside one list are kept so the error-code-format rule can report them. */
function mergeErrors(...lists: ErrorDef[][]): ErrorDef[] {
  const out: ErrorDef[] = [];
  for (const list of lists) {
    const before = new Set(out.map((e) => String(e.code)));
    out.push(...list.filter((e) => !before.has(String(e.code))));
  }
  return out;
}

/** The operation's wire key, under the spec key its protocol's plugin names (`action`, `command`). */
function wireOf(protocol: string, raw: Raw): { wire?: Wire } {
  const plugin = findProtocol(protocol);
  const key: unknown = plugin ? raw[plugin.wireField] : undefined;
  return typeof key === "string" && key ? { wire: { kind: protocol, key } } : {};
}

function buildOperation(doc: SpecDocument, service: Omit<Service, "operations" | "shapes">): { op: Operation; localShapes: Shape[] } {
  const raw = doc.value as Raw;
  const b = new Builder(doc);
  const request = b.shape(
    requestShapeName(raw.name),
    {
      description: raw.request.description ?? `Request of ${raw.name} (client method \`${raw.method ?? camelCase(raw.name)}\`).`,
      fields: raw.request.fields,
    },
    ["request"],
  );
  const response = b.shape(
    responseShapeName(raw.name),
    { description: raw.response.description ?? `Response of ${raw.name}.`, fields: raw.response.fields, order: raw.response.order },
    ["response"],
  );
  const opErrors = b.errors(raw.errors, ["errors"], "operation");
  const sizeField = raw.pagination ? request.fields.find((f) => f.name === raw.pagination.size) : undefined;
  const op: Operation = {
    name: raw.name,
    method: raw.method ?? camelCase(raw.name),
    ...wireOf(service.protocol.name, raw),
    ...(raw.payload === "envelope" ? { payloadAt: "envelope" as const } : {}),
    summary: raw.summary,
    description: raw.description,
    source: raw.source,
    ...(raw.deprecated ? { deprecated: raw.deprecated } : {}),
    regions: raw.regions ? b.regions(raw.regions, ["regions"]) : service.regions,
    ...(raw.rateLimit
      ? {
          rateLimit: {
            requests: raw.rateLimit.requests,
            per: raw.rateLimit.per,
            ...(raw.rateLimit.source ? { source: raw.rateLimit.source } : {}),
            notes: b.notes(raw.rateLimit),
            loc: b.loc(["rateLimit"], true),
          },
        }
      : {}),
    timeWindows: ((raw.timeWindows as Raw[] | undefined) ?? []).map((w, i) => buildTimeWindow(b, w, ["timeWindows", i])),
    relations: ((raw.relations as Raw[] | undefined) ?? []).map((r, i) => buildRelation(b, r, ["relations", i])),
    ...(raw.pagination
      ? {
          pagination: {
            ...paginationStyle(raw.pagination as Raw),
            ...(sizeField?.constraints.maximum !== undefined ? { maxSize: sizeField.constraints.maximum } : {}),
            ...(typeof sizeField?.default === "number" ? { defaultSize: sizeField.default } : {}),
            items: raw.pagination.items,
            ...(raw.pagination.total !== undefined ? { total: raw.pagination.total as string } : {}),
            loc: b.loc(["pagination"], true),
            at: b.at(raw.pagination, ["pagination"]),
          },
        }
      : {}),
    request,
    response,
    errors: mergeErrors(opErrors, service.serviceErrors, service.protocolInfo.errors),
    validationErrors: { codes: {}, fields: {}, at: {} },
    ...(raw.mock
      ? {
          mock: {
            resource: raw.mock.resource,
            action: raw.mock.action ?? "read",
            ...(raw.mock.key !== undefined ? { key: raw.mock.key } : {}),
            ...(raw.mock.sets?.state !== undefined ? { sets: { state: raw.mock.sets.state } } : {}),
            ...(typeof raw.mock.keyFrom === "string"
              ? {
                  keyFrom: {
                    side: raw.mock.keyFrom.startsWith("request.") ? ("request" as const) : ("response" as const),
                    path: raw.mock.keyFrom.replace(/^(request|response)\./, ""),
                  },
                }
              : {}),
            ...(raw.mock.conflict !== undefined ? { conflict: raw.mock.conflict } : {}),
            attributes: {
              ...(raw.mock.attributes?.in !== undefined ? { in: raw.mock.attributes.in as string } : {}),
              rename: { ...(raw.mock.attributes?.rename as Record<string, string> | undefined) },
              omit: [...((raw.mock.attributes?.omit as string[] | undefined) ?? [])],
              ...(raw.mock.attributes?.state
                ? {
                    state: {
                      field: raw.mock.attributes.state.field as string,
                      values: { ...(raw.mock.attributes.state.values as Record<string, string | number>) },
                    },
                  }
                : {}),
            },
            ...(raw.mock.notFound !== undefined ? { notFound: raw.mock.notFound } : {}),
            requires: ((raw.mock.requires as Raw[] | undefined) ?? []).map((r, i) => ({
              state: r.state,
              ...(r.within ? { withinSeconds: durationSeconds(r.within) } : {}),
              ...(r.error !== undefined ? { error: r.error } : {}),
              loc: b.loc(["mock", "requires", i]),
              at: b.at(r, ["mock", "requires", i]),
            })),
            filters: ((raw.mock.filters as Raw[] | undefined) ?? []).map((f, i) => ({
              field: f.field,
              matches: f.matches,
              paging: f.paging ?? "applies",
              total: f.total ?? "filtered",
              loc: b.loc(["mock", "filters", i]),
              at: b.at(f, ["mock", "filters", i]),
            })),
            loc: b.loc(["mock"], true),
            at: b.at(raw.mock, ["mock"]),
          },
        }
      : {}),
    examples: ((raw.examples as Raw[] | undefined) ?? []).map((e, i) =>
      buildExample(b, e, ["examples", i], service.protocol, raw.payload === "envelope"),
    ),
    notes: b.notes(raw),
    file: doc.file,
    loc: b.loc(["name"]),
  };
  op.validationErrors = resolveValidationErrors(service, op);
  return { op, localShapes: b.shapes(raw.types, ["types"]) };
}

/** The style's own keys of a spec's `pagination`, with the page size (a cursor list may have none). */
function paginationStyle(raw: Raw): PaginationStyle {
  if (raw.style === "offset") return { style: "offset", offset: raw.offset as string, size: raw.size as string };
  if (raw.style !== "cursor")
    return { style: "page-number", page: raw.page as string, firstPage: (raw.firstPage as number | undefined) ?? 1, size: raw.size as string };
  const next: CursorNext =
    typeof raw.next === "string" ? { field: raw.next } : { item: (raw.next as Raw).item as string, pick: (raw.next as Raw).pick as "min" | "max" };
  return {
    style: "cursor",
    cursor: raw.cursor as string,
    next,
    ...(raw.first !== undefined ? { first: raw.first as string | number } : {}),
    ...(raw.end ? { end: { field: (raw.end as Raw).field as string, equals: (raw.end as Raw).equals as string | number | boolean } } : {}),
    ...(raw.size !== undefined ? { size: raw.size as string } : {}),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** `protocols`: the protocols' IR when already built from these specs' protocol files (then `specs.protocols` is not read). */
export function buildIr(specs: LoadedSpecs, protocols: Protocol[] = specs.protocols.map(buildProtocol).sort(byName)): Ir {
  const services: Service[] = [];
  for (const doc of specs.services) {
    const raw = doc.value as Raw;
    const b = new Builder(doc);
    const binding: ProtocolBinding = findProtocol(raw.protocol.name)?.binding(raw.protocol) ?? {
      name: raw.protocol.name,
      version: raw.protocol.version,
    };
    const protocolInfo = protocols.find((p) => p.name === binding.name) ?? {
      name: binding.name,
      title: binding.name,
      errorCode: { type: "string", description: "" },
      errors: [],
      sources: [],
      notes: [],
      file: "",
    };
    const base = {
      id: raw.service,
      title: raw.title,
      description: raw.description,
      clientName: raw.client ?? `${pascalCase(raw.service)}Client`,
      packageName: raw.package.name,
      ...(raw.package.description ? { packageDescription: raw.package.description } : {}),
      protocol: binding,
      protocolInfo,
      endpoints: (raw.endpoints as Raw[]).map((e, i) => ({
        id: e.id,
        host: e.host,
        ...(e.backup ? { backup: e.backup } : {}),
        description: e.description,
        isDefault: e.default === true,
        ...(e.region ? { region: e.region } : {}),
        ...(e.source ? { source: e.source } : {}),
        loc: b.loc(["endpoints", i]),
        at: b.at(e, ["endpoints", i]),
      })),
      regions: b.regions(raw.regions, ["regions"]),
      serviceErrors: b.errors(raw.errors, ["errors"], "service"),
      ...(raw.validationErrors ? { validationErrors: b.validationErrors(raw.validationErrors, ["validationErrors"])! } : {}),
      resources: Object.entries((raw.resources as Record<string, Raw> | undefined) ?? {}).map(([name, r]) => ({
        name,
        description: r.description,
        key: r.key,
        loc: b.loc(["resources", name], true),
      })),
      sources: raw.sources,
      notes: b.notes(raw),
      file: doc.file,
      loc: b.loc(["service"]),
    };
    const shapes = b.shapes(raw.types, ["types"]);
    const operations: Operation[] = [];
    for (const opDoc of specs.operations.filter((o) => o.serviceDir === doc.serviceDir)) {
      const { op, localShapes } = buildOperation(opDoc, base);
      operations.push(op);
      shapes.push(...localShapes);
    }
    services.push({ ...base, shapes: shapes.sort(byName), operations: operations.sort(byName) });
  }
  return { services: services.sort((a, b) => a.id.localeCompare(b.id)), protocols };
}
