// One operation of a mocked service, after the protocol layer has authenticated and routed the
// request: parse the body (lossless), validate it as the service does, then answer an injected
// error, a queued response, or the store's data (examples, put resources, seeded data), with the
// operation's `mock` rules (unknown key, lifecycle) and consistent pagination.
import { isUtf8 } from "node:buffer";
import { applyRepresentation, parseJson, stringifyJson, type Representation } from "../shared/json.js";
import { reduceLargeBody } from "./body.js";
import type { MockLifecyclePlan, MockOperationMetadata, MockOperationSpec, MockPagination, MockServiceDefinition, Rng } from "./definition.js";
import { failure, LIST_MARKER, type MockOutcome } from "./envelope.js";
import { lifecycleState, meets, type MockLifecycleState, type MockResource, type ResourceStore } from "./store.js";
import { canonicalJson, toWireElement, wholeNumber } from "./wire.js";
import { protocolErrorOf } from "../validation/validation.js";

export interface MockInjectOptions {
  /** How many calls get it (default 1); Infinity until `reset()`. */
  times?: number | undefined;
  /** The error message (default: one naming the code). */
  message?: string | undefined;
}

export interface OperationContext {
  serviceId: string;
  /** What the operation needs of its protocol's gateway: its code for a body that is not JSON, and a code as it goes on the wire. */
  wire: { readonly bodyCode: string | number; wireCode(code: string | number): string | number };
  method: string;
  meta: MockOperationMetadata;
  definition: MockServiceDefinition;
  /** The store of `meta.mock.resource`, when the operation has one. */
  store: ResourceStore | undefined;
  /** createRng(seed).fork(service): requests without a resource draw from it. */
  serviceRng: Rng;
  /** createRng(seed).fork(service).fork(resource): what the store's records draw from. */
  resourceRng: Rng | undefined;
  /** Codes the operation is documented to return (its own and the service's common ones). */
  documented: ReadonlySet<string>;
  now: () => number;
  /** Upper bound of a seeded list's length. */
  maxItems: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class MockOperation {
  readonly ctx: OperationContext;
  /** The spec's examples: each one's answer, one outcome object per example (its envelope is written once). */
  readonly #examples = new ByRequest<MockOutcome & { ok: true }>();
  /** The spec's error examples: the error answered to each one's exact request. */
  readonly #errorExamples = new ByRequest<{ code: string | number; message: string }>();
  /** A resource list's item for each key: drawn once (a function of the seed), overlaid again only when its record or state changed. */
  readonly #listed = new Map<string, ListedItem>();
  readonly #cache = new Map<string, SeededData>();
  #injected: Array<{ code: string | number; message: string; remaining: number }> = [];
  #next: Array<{ payload: Record<string, unknown>; remaining: number }> = [];

  readonly #itemRule: Representation[string] | undefined;
  /** The validators' options for a request without a region (most of them): made once. */
  readonly #clockOnly: { now: () => number };
  readonly #filters: NonNullable<MockOperationSpec["filters"]>;
  /** The request's field names, when the definition gives them: a large body is cut down with them. */
  readonly #requestFields: ReadonlySet<string> | undefined;
  /** The path of the key in the request (read, update, delete). */
  readonly #keyPath: readonly string[] | undefined;
  /** The key path goes through a list (`GroupIds[]`): the request names several resources. */
  readonly #keyList: boolean;
  /** The field name seeded data echoes the key into: the key's (or the create's key field's) last name. */
  readonly #echoField: string | undefined;
  readonly #plan: MockLifecyclePlan;
  /** A list paged by an item field: the item at a position with that field numbered (position + 1) in the response's representation. */
  readonly #numbering: ((item: unknown, i: number) => unknown) | undefined;

  constructor(ctx: OperationContext) {
    this.ctx = ctx;
    const fields = ctx.definition.validators[ctx.method]?.requestFields;
    this.#requestFields = fields ? new Set(fields) : undefined;
    this.#clockOnly = { now: ctx.now };
    const p = ctx.meta.pagination;
    this.#itemRule = p ? ctx.meta.responseRepresentation?.[p.items] : undefined;
    const numbered = p?.style === "cursor" ? p.nextItem?.field : undefined;
    const itemPlan = this.#itemRule !== undefined && typeof this.#itemRule === "object" ? this.#itemRule : null;
    this.#numbering =
      numbered === undefined ? undefined : (item, i) => (isObject(item) ? { ...item, [numbered]: represent(i + 1, itemPlan, [numbered]) } : item);
    this.#filters = p ? (ctx.meta.mock?.filters ?? []) : [];
    const rule = ctx.meta.mock;
    this.#keyPath = rule?.key ? rule.key.split(".") : undefined;
    this.#keyList = this.#keyPath?.some(isListSegment) ?? false;
    this.#echoField = (rule?.key ?? rule?.keyFrom?.path)?.split(".").pop()?.replace(/\[\]$/, "");
    this.#plan = ctx.definition.lifecycle?.[ctx.method] ?? NO_PLAN;
  }

  get name(): string {
    return this.ctx.meta.name;
  }

  /** Serves `response` to a request equal to `request` (typed form, canonical comparison). */
  addExample(request: Record<string, unknown>, response: Record<string, unknown>): void {
    this.#examples.add(request, { ok: true, payload: response, reused: true });
  }

  /** Answers `code` to a request equal to `request` (typed form): an error example of the spec. */
  addErrorExample(request: Record<string, unknown>, code: string | number, message: string): void {
    this.#errorExamples.add(request, { code, message: message || `The example answers ${code}.` });
  }

  /** The next `times` calls fail with `code`, which must be one the operation documents. */
  injectError(code: string | number, options: MockInjectOptions = {}): void {
    if (!this.ctx.documented.has(String(code))) {
      const known = [...this.ctx.documented].join(", ");
      throw new RangeError(`${this.ctx.serviceId}.${this.ctx.method}: ${code} is not a documented error of ${this.name} (${known})`);
    }
    const wireCode = this.ctx.wire.wireCode(code);
    this.#injected.push({ code: wireCode, message: options.message ?? `Injected by the mock: ${code}.`, remaining: timesOf(options.times) });
  }

  /** The next `times` calls answer `payload` (typed form) as it is, apart from the RequestId. */
  setNextResponse(payload: Record<string, unknown>, options: { times?: number | undefined } = {}): void {
    if (!isObject(payload)) throw new TypeError(`${this.ctx.serviceId}.${this.ctx.method}: a response payload must be an object`);
    this.#next.push({ payload, remaining: timesOf(options.times) });
  }

  reset(): void {
    this.#injected = [];
    this.#next = [];
  }

  /**
   * Handles an authenticated, routed request body. `region` is the request's, when it named one;
   * `bytes` the body as received, when it came as bytes.
   */
  handle(body: string, region: string | undefined, bytes?: Uint8Array): MockOutcome {
    const { meta, definition, method, wire } = this.ctx;
    // The protocol's answer to an unusable body when the operation's map names none.
    const bodyCode = meta.validationErrors.codes.body ?? wire.bodyCode;
    // JSON is UTF-8 (RFC 8259): bytes that are not are no JSON, whatever their decoding would read.
    if (bytes !== undefined && !isUtf8(bytes)) return failure(bodyCode, "The request body is not valid UTF-8.");
    let request: unknown;
    try {
      request = parseJson(this.#requestFields ? reduceLargeBody(body, this.#requestFields) : body, meta.requestRepresentation);
    } catch (error) {
      return failure(bodyCode, `The request body is not JSON: ${(error as Error).message}`);
    }
    const validator = definition.validators[method];
    if (validator) {
      const result = validator.request(request, region === undefined ? this.#clockOnly : { now: this.ctx.now, region });
      if (!result.ok) {
        const error = protocolErrorOf(result.issues, meta.validationErrors);
        return failure(error?.code ?? bodyCode, error?.message ?? "The request is invalid.");
      }
    }
    if (!isObject(request)) return failure(bodyCode, "The request body is not a JSON object.");

    const injected = take(this.#injected);
    if (injected) return failure(injected.code, injected.message);
    const next = take(this.#next);
    if (next) return { ok: true, payload: next.payload };
    // A cursor the mock never issued (nor a response a test queued) is a bad value, as the service would find it.
    const p = meta.pagination;
    if (p?.style === "cursor" && p.next !== null && cursorStart(p, request[p.cursor]) === undefined)
      return failure(meta.validationErrors.codes.value ?? bodyCode, `${p.cursor}: not a cursor this list issued.`);
    return this.#answer(request);
  }

  #answer(request: Record<string, unknown>): MockOutcome {
    const { meta, store } = this.ctx;
    const rule = meta.mock;
    // An error example answers its error, unless a test put or an operation created what it names.
    // The request's canonical text, written at most once (most requests match no example and need none).
    const canonical = new Canonical(request);
    const failed = this.#errorExamples.get(canonical);
    if (failed && !this.#namesMadeResource(request)) return failure(failed.code, failed.message);
    if (rule && store) {
      const action = rule.action ?? "read";
      if (action === "create")
        return rule.keyFrom?.path.includes("[]") ? this.#createSeveral(request, rule, store) : this.#create(request, rule, store);
      if (action === "list") return this.#list(request, store);
      if (this.#keyList) return this.#answerMany(request, rule, store, action);
      const keyValue = this.#keyPath ? valueAt(request, this.#keyPath) : undefined;
      const key = store.keyOf(keyValue);
      if (key !== undefined) {
        const record = store.lookup(key);
        if (!record) {
          return rule.notFound !== null
            ? failure(rule.notFound, `The ${store.name} ${key} does not exist.`)
            : { ok: true, payload: this.#empty(this.#seeded(key, keyValue)) };
        }
        const unmet = this.#unmet(rule, store, record);
        if (unmet) return unmet === EMPTY ? { ok: true, payload: this.#empty(this.#seeded(key, keyValue)) } : unmet;
        this.#apply(rule, store, action, key, request);
        const example = record.origin === "example" ? this.#examples.get(canonical) : undefined;
        // An example is served as published until an operation changes its resource; then it shows the change.
        if (example) return store.changed(key) ? this.#shown(example, store.lookup(key) ?? record, keyValue) : example;
        const outcome = this.#assemble(request, this.#seeded(key, keyValue), record);
        return action === "delete" ? outcome : this.#shown(outcome, store.lookup(key) ?? record, keyValue);
      }
    }
    const example = this.#examples.get(canonical);
    if (example) return example;
    return this.#assemble(request, this.#seeded(undefined, this.#label(request)), undefined);
  }

  /** The label of a request's seeded data: same request (pages and filters aside) → same data. */
  #label(request: Record<string, unknown>): string {
    const p = this.ctx.meta.pagination;
    // Filters narrow that data rather than draw other data, so their fields are left out too.
    const unpaged: Record<string, unknown> = { ...request };
    if (p) for (const f of pagingFields(p)) unpaged[f] = undefined;
    for (const f of this.#filters) unpaged[f.field] = undefined;
    return canonicalJson(unpaged);
  }

  /** Whether the request names a resource that a test put or an operation created (its key, or any of its keys). */
  #namesMadeResource(request: Record<string, unknown>): boolean {
    const store = this.ctx.store;
    if (!store || !this.#keyPath) return false;
    return valuesAt(request, this.#keyPath).some((v) => {
      const key = store.keyOf(v);
      const origin = key === undefined ? undefined : store.lookup(key)?.origin;
      return origin === "put" || origin === "created";
    });
  }

  /** The answer when the resource is not in a state the operation requires: the rule's error, EMPTY (no error documented), or undefined when it is. */
  #unmet(rule: MockOperationSpec, store: ResourceStore, record: MockResource): MockOutcome | typeof EMPTY | undefined {
    const now = this.ctx.now();
    if (rule.requires.length === 0 || rule.requires.some((r) => meets(record, r, now))) return undefined;
    const state = lifecycleState(record, now);
    const broken = rule.requires.find((r) => r.state === state) ?? rule.requires[0]!;
    if (broken.error === null) return EMPTY;
    const when = broken.withinSeconds === null ? "" : ` within ${broken.withinSeconds} seconds`;
    return failure(broken.error, `The ${store.name} ${record.key} is ${state}; this operation needs it ${broken.state}${when}.`);
  }

  /** What an update or a delete does to one resource: its attributes written and its state moved, or it is gone. */
  #apply(rule: MockOperationSpec, store: ResourceStore, action: string, key: string, request: Record<string, unknown>): void {
    if (action === "update") {
      store.write(key, this.#attributesOf(request));
      if (rule.sets) store.transition(key, rule.sets.state);
    }
    if (action === "delete") store.delete(key);
  }

  /**
   * A read, update or delete of every resource a key list names (`GroupIds[]`): each must exist
   * (else the `notFound` error naming the first unknown one) and be in a required state; then each
   * is updated or deleted. The answer is the example's or seeded data, as for a request without a key.
   */
  #answerMany(request: Record<string, unknown>, rule: MockOperationSpec, store: ResourceStore, action: string): MockOutcome {
    const label = this.#label(request);
    const keys = valuesAt(request, this.#keyPath!).flatMap((v) => {
      const key = store.keyOf(v);
      return key === undefined ? [] : [key];
    });
    for (const key of keys) {
      const record = store.lookup(key);
      if (!record) {
        return rule.notFound !== null
          ? failure(rule.notFound, `The ${store.name} ${key} does not exist.`)
          : { ok: true, payload: this.#empty(this.#seeded(undefined, label)) };
      }
      const unmet = this.#unmet(rule, store, record);
      if (unmet) return unmet === EMPTY ? { ok: true, payload: this.#empty(this.#seeded(undefined, label)) } : unmet;
    }
    for (const key of new Set(keys)) this.#apply(rule, store, action, key, request);
    const example = this.#examples.get(new Canonical(request));
    if (example) return example;
    return this.#assemble(request, this.#seeded(undefined, label), undefined);
  }

  /** The attributes a create or update writes: the request's values at the plan's paths (absent and null ones left out). */
  #attributesOf(request: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [path, attribute] of this.#plan.writes) {
      const value = valueAt(request, path);
      if (value !== undefined && value !== null) out[attribute] = value;
    }
    return out;
  }

  /** A create: the caller's key (or a new one), the request's attributes stored, the response showing them and the key. */
  #create(request: Record<string, unknown>, rule: MockOperationSpec, store: ResourceStore): MockOutcome {
    const from = rule.keyFrom;
    // A create naming its key answers its own example as published (a drawn key would not be the example's).
    const example = from?.side === "request" ? this.#examples.get(new Canonical(request)) : undefined;
    let given: unknown;
    if (from?.side === "request") {
      given = valueAt(request, from.path.split("."));
      const existing = store.keyOf(given);
      const found = existing === undefined ? undefined : store.lookup(existing);
      // A key that only the spec's examples hold (a read's example names the room a create's example
      // makes) is free for a create, which replaces it; a put, created or seeded one conflicts.
      if (existing === undefined) given = undefined;
      else if (found && found.origin !== "example" && rule.conflict != null)
        return failure(rule.conflict, `The ${store.name} ${existing} already exists.`);
    }
    const { record, key } = store.create(given as string | number | bigint | undefined, this.#attributesOf(request));
    if (example) return example;
    const base = this.#seeded(record.key, key).base();
    return { ok: true, payload: this.#overlay(base, record, key, this.ctx.meta.responseRepresentation) };
  }

  /**
   * A create of several: one resource per element of the request list (`RoomInfos`), its
   * attributes the request's top-level ones and the element's; keys named in each element or
   * drawn, answered in the response list in the request's order (`RoomIds`, `Users[].UserId`).
   */
  #createSeveral(request: Record<string, unknown>, rule: MockOperationSpec, store: ResourceStore): MockOutcome {
    const each = this.#plan.each;
    const elements = each ? valueAt(request, each.list) : undefined;
    if (!each || !Array.isArray(elements)) return { ok: true, payload: this.#seeded(undefined, this.#label(request)).base() };
    const shared = this.#attributesOf(request);
    const from = rule.keyFrom!;
    const within =
      from.side === "request"
        ? from.path
            .slice(from.path.indexOf("[]") + 3)
            .split(".")
            .filter(Boolean)
        : [];
    const made = elements.map((element) => {
      const attributes = { ...shared };
      for (const [path, attribute] of each.writes) {
        const value = valueAt(element, path);
        if (value !== undefined && value !== null) attributes[attribute] = value;
      }
      const named = from.side === "request" ? store.keyOf(valueAt(element, within)) : undefined;
      return store.create(named === undefined ? undefined : (valueAt(element, within) as string | number | bigint), attributes);
    });
    const { method, definition, meta } = this.ctx;
    let payload = this.#seeded(undefined, this.#label(request)).base();
    const answer = each.response;
    if (answer) {
      const element = definition.samplers[method]?.element;
      const rep = meta.responseRepresentation;
      const list = made.map(({ record, key }) => {
        if (answer.keyField.length === 0) return key;
        const drawn = element ? element(this.ctx.resourceRng!.fork(record.key).fork(method)) : {};
        let out: Record<string, unknown> = drawn;
        for (const [path, attribute] of answer.reads)
          if (record.attributes?.[attribute] !== undefined) out = withValueAt(out, path, record.attributes[attribute]);
        return withValueAt(out, answer.keyField, key);
      });
      payload = withValueAt(payload, answer.list, list);
      // 64-bit fields of the list take the response's representation (a key drawn as a number where the field says bigint).
      payload = withValueAt(payload, answer.list, represent(valueAt(payload, answer.list), rep, answer.list));
    }
    return { ok: true, payload };
  }

  /** A list: every resource of the kind that exists, one item each, filtered and paged; the total counts them. */
  #list(request: Record<string, unknown>, store: ResourceStore): MockOutcome {
    const { meta, method, definition } = this.ctx;
    const p = meta.pagination;
    const base = this.#seeded(undefined, "").base();
    if (!p) return { ok: true, payload: base };
    const records = store.list();
    const sampler = definition.samplers[method];
    const itemPlan = planRule(meta.responseRepresentation, p.items);
    const itemRep = itemPlan !== undefined && typeof itemPlan === "object" ? itemPlan : null;
    const listed = records.map((r) => this.#listedItem(r, sampler, store, itemRep));
    const numbering = this.#numbering;
    const items = numbering ? listed.map((l, i) => numbering(l.item, i)) : listed.map((l) => l.item);
    const filter = this.#filterOf(request);
    const chosen = filter ? items.flatMap((item, i) => (filter.accepts(item) ? [i] : [])) : undefined;
    const length = chosen ? chosen.length : items.length;
    const keyAt = (k: number) => itemField(items[chosen ? chosen[k]! : k], p);
    const { from, to } = filter && !filter.paged ? { from: 0, to: length } : this.#window(request, p, length, keyAt);
    const total = this.#count(filter && !filter.countsAll ? length : items.length);
    const at = { from, to, length };
    const page = chosen ? chosen.slice(from, to) : range(from, to);
    // Numbered items differ by position: written with the page. Others keep their text.
    if (numbering || page.length === 0)
      return {
        ok: true,
        payload: withPage(
          base,
          p,
          page.map((i) => items[i]),
          total,
          at,
        ),
      };
    const listText = `[${page.map((i) => (listed[i]!.text ??= stringifyJson(toWireElement(listed[i]!.item, this.#itemRule)))).join(",")}]`;
    return { ok: true, payload: withPage(base, p, LIST_MARKER, total, at), listText };
  }

  /**
   * A resource list's item for a record: the seed's draw for its key with the record overlaid, kept
   * (bounded) while the store hands out the same record object (a write or a move makes a new one)
   * in the same lifecycle state. Overlays copy: the draw is never changed.
   */
  #listedItem(record: MockResource, sampler: Sampler, store: ResourceStore, plan: Representation | null): ListedItem {
    const state = this.#plan.state ? lifecycleState(record, this.ctx.now()) : undefined;
    const kept = this.#listed.get(record.key);
    if (kept !== undefined && kept.record === record && kept.state === state) return kept;
    const drawn = kept !== undefined ? kept.drawn : sampler?.item ? sampler.item(this.ctx.resourceRng!.fork(record.key).fork(this.ctx.method)) : {};
    const item = isObject(drawn) ? this.#overlay(drawn, record, typedKey(record.key, store.keyType), plan) : drawn;
    const listed: ListedItem = { record, state, drawn, item, text: undefined };
    if (kept === undefined && this.#listed.size >= LISTED_CACHE) this.#listed.delete(this.#listed.keys().next().value!);
    this.#listed.set(record.key, listed);
    return listed;
  }

  /** An answer about a record with its attributes shown (a new outcome; kept ones are never changed). */
  #shown(outcome: MockOutcome, record: MockResource, keyValue: unknown): MockOutcome {
    if (!outcome.ok || (!record.attributes && this.#plan.keyField === null && !this.#plan.state)) return outcome;
    const payload = this.#overlay(outcome.payload, record, keyValue, this.ctx.meta.responseRepresentation);
    return outcome.listText === undefined ? { ok: true, payload } : { ok: true, payload, listText: outcome.listText };
  }

  /**
   * `target` with the record's attributes at the plan's read paths, the key at its key field and
   * the value of its lifecycle state at the state field, in the representation the response uses.
   */
  #overlay(target: Record<string, unknown>, record: MockResource, key: unknown, plan: Representation | null): Record<string, unknown> {
    let out = target;
    const set = (path: readonly string[], value: unknown) => {
      out = withValueAt(out, path, represent(value, plan, path));
    };
    const attributes = record.attributes;
    if (attributes) for (const [path, attribute] of this.#plan.reads) if (attributes[attribute] !== undefined) set(path, attributes[attribute]);
    if (key !== undefined && this.#plan.keyField) set(this.#plan.keyField, key);
    const state = this.#plan.state;
    if (state) {
      const value = state.values[lifecycleState(record, this.ctx.now())];
      if (value !== undefined) set(state.path, value);
    }
    return out;
  }

  /**
   * The seed's data for a resource key (`key` set, the key's request value in `keyValue`) or for a
   * request label, kept in a bounded cache: the data is a function of the seed, so keeping it only saves drawing it again.
   */
  #seeded(key: string | undefined, keyValue: unknown): SeededData {
    const id = key === undefined ? `r\n${String(keyValue)}` : `k\n${key}`;
    let data = this.#cache.get(id);
    if (!data) {
      const { method, definition, maxItems } = this.ctx;
      const rng = key === undefined ? this.ctx.serviceRng.fork(method).fork(String(keyValue)) : this.ctx.resourceRng!.fork(key).fork(method);
      const keyField = key === undefined ? undefined : this.#echoField;
      data = new SeededData(
        rng,
        definition.samplers[method],
        keyField === undefined ? undefined : { field: keyField, value: keyValue },
        maxItems,
        this.#numbering,
      );
      if (this.#cache.size >= SEEDED_CACHE) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(id, data);
    }
    return data;
  }

  /** The record's (or the seed's) response, with the requested page of its list and the list's length as total. */
  #assemble(request: Record<string, unknown>, seeded: SeededData, record: MockResource | undefined): MockOutcome {
    const { meta, method } = this.ctx;
    const given = record?.responses[method];
    const put = record?.items[method];
    if (given === undefined && put === undefined) return this.#seededOutcome(request, seeded);
    const base = given ?? seeded.base();
    const p = meta.pagination;
    if (!p) return { ok: true, payload: base };

    const listed = put ?? (given && Array.isArray(given[p.items]) ? (given[p.items] as unknown[]) : undefined);
    const all = listed ? listed.length : seeded.count();
    const filter = this.#filterOf(request);
    const matching = filter ? range(0, all).filter((i) => filter.accepts(listed ? listed[i] : seeded.item(i))) : undefined;
    const listLength = matching ? matching.length : all;
    const keyAt = (k: number) => {
      const i = matching ? matching[k]! : k;
      return itemField(listed ? listed[i] : seeded.item(i), p);
    };
    const { from, to } = filter && !filter.paged ? { from: 0, to: listLength } : this.#window(request, p, listLength, keyAt);
    const chosen = matching ? matching.slice(from, to) : range(from, to);
    const total = this.#count(filter && !filter.countsAll ? listLength : all);
    const at = { from, to, length: listLength };
    if (listed || chosen.length === 0)
      return {
        ok: true,
        payload: withPage(
          base,
          p,
          chosen.map((i) => listed![i]),
          total,
          at,
        ),
      };
    return { ok: true, payload: withPage(base, p, LIST_MARKER, total, at), listText: this.#listText(seeded, chosen) };
  }

  /**
   * The filters the request turns on (a field present, not null and not ""), as one test on an
   * item; undefined when none is on. With several on, an item must match each; paging is ignored
   * if any filter ignores it, and the total counts every item only if every filter says so.
   */
  #filterOf(request: Record<string, unknown>): { accepts: (item: unknown) => boolean; paged: boolean; countsAll: boolean; key: string } | undefined {
    let on: Array<{ matches: string; value: unknown }> | undefined;
    let paged = true;
    let countsAll = true;
    for (const f of this.#filters) {
      const value = request[f.field];
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) continue;
      (on ??= []).push({ matches: f.matches, value });
      if (f.paging === "ignored") paged = false;
      if (f.total !== "unfiltered") countsAll = false;
    }
    if (!on) return undefined;
    const tests = on;
    return {
      // A list in the request (GetRooms `Status: [1, 2]`) accepts an item equal to any of it.
      accepts: (item) =>
        isObject(item) &&
        tests.every((t) => (Array.isArray(t.value) ? t.value.some((v) => sameValue(item[t.matches], v)) : sameValue(item[t.matches], t.value))),
      paged,
      countsAll,
      key: canonicalJson(tests.map((t) => [t.matches, t.value])),
    };
  }

  /**
   * Seeded data only: the same outcome object for the same page each time it is asked for, so its
   * envelope is written once (and its items, written once each, are spliced in as text).
   */
  #seededOutcome(request: Record<string, unknown>, seeded: SeededData): MockOutcome {
    const p = this.ctx.meta.pagination;
    const filter = p ? this.#filterOf(request) : undefined;
    if (p && filter) {
      // Which items match is worked out once per filter value; the pages of it are kept like any other.
      const all = seeded.count();
      const matching = seeded.matching(filter.key, () => range(0, all).filter((i) => filter.accepts(seeded.item(i))));
      // A seeded list numbers its items 1, 2, 3… in list order (the field a cursor is taken from).
      const { from, to } = filter.paged ? this.#window(request, p, matching.length, (k) => matching[k]! + 1) : { from: 0, to: matching.length };
      return this.#keptPage(seeded, `${filter.key}\n${from}:${to}`, matching, from, to, filter.countsAll ? all : matching.length);
    }
    const total = p ? seeded.count() : 0;
    const { from, to } = p ? this.#window(request, p, total, (k) => k + 1) : { from: 0, to: 0 };
    return this.#keptPage(seeded, `${from}:${to}`, undefined, from, to, total);
  }

  /**
   * The kept outcome for a page of the seeded list, made on first use: items `from` to `to` of the
   * list, or of `matching` (the indices a filter accepts); `total` as the answer counts it.
   */
  #keptPage(seeded: SeededData, key: string, matching: readonly number[] | undefined, from: number, to: number, total: number): MockOutcome {
    const kept = seeded.page(key);
    if (kept) return kept;
    const base = seeded.base();
    const indices = matching ? matching.slice(from, to) : range(from, to);
    const p = this.ctx.meta.pagination;
    if (!p) return seeded.keepPage(key, { ok: true, payload: base, reused: true });
    const at = { from, to, length: matching ? matching.length : seeded.count() };
    if (indices.length === 0) return seeded.keepPage(key, { ok: true, payload: withPage(base, p, [], this.#count(total), at), reused: true });
    const payload = withPage(base, p, LIST_MARKER, this.#count(total), at);
    return seeded.keepPage(key, { ok: true, payload, listText: this.#listText(seeded, indices), reused: true });
  }

  /**
   * The items a page request covers, `from` (inclusive) to `to` (exclusive); empty when out of
   * range. Without a size: the spec's default page, else its largest, else the whole list. A
   * cursor list starts where the request's cursor points; one paged by an item field (`keyAt`: the
   * field's value at a position, ascending along the list) takes the items below or above it.
   */
  #window(request: Record<string, unknown>, p: MockPagination, total: number, keyAt: (k: number) => unknown): { from: number; to: number } {
    const size = (p.size === null ? undefined : wholeNumber(request[p.size])) ?? p.defaultSize ?? p.maxSize ?? total;
    let from: number;
    if (p.style === "offset") from = wholeNumber(request[p.offset]) ?? 0;
    else if (p.style === "cursor") {
      if (p.nextItem) return keysetWindow(p.nextItem.pick, request[p.cursor], size, total, keyAt);
      from = cursorStart(p, request[p.cursor]) ?? total;
    } else {
      const page = wholeNumber(request[p.page]) ?? p.firstPage;
      from = page < p.firstPage ? total : (page - p.firstPage) * size;
    }
    return from >= 0 && size > 0 && from < total ? { from, to: Math.min(total, from + size) } : { from: 0, to: 0 };
  }

  #listText(seeded: SeededData, indices: readonly number[]): string {
    return `[${indices.map((i) => seeded.itemText(i, this.#itemRule)).join(",")}]`;
  }

  /** An empty result: every top-level list empty, the total 0. */
  #empty(seeded: SeededData): Record<string, unknown> {
    const out: Record<string, unknown> = { ...seeded.base() };
    for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = [];
    const p = this.ctx.meta.pagination;
    return p ? withPage(out, p, [], this.#count(0), { from: 0, to: 0, length: 0 }) : out;
  }

  /** A count in the total field's typed form (a 64-bit total may be held as a string or a bigint). */
  #count(n: number): number | string | bigint {
    const p = this.ctx.meta.pagination;
    const rule = p?.total ? planRule(this.ctx.meta.responseRepresentation, p.total) : undefined;
    return rule === "string" ? String(n) : rule === "bigint" ? BigInt(n) : n;
  }
}

const NO_PLAN: MockLifecyclePlan = { writes: [], reads: [], keyField: null };

/** What #unmet answers for a requirement without an error: an empty result. */
const EMPTY = Symbol("empty");

const isListSegment = (segment: string): boolean => segment.endsWith("[]");

/**
 * The values at a path of nested objects where a segment `Name[]` goes through each element of
 * the list `Name` (`GroupIds[]`, `Users[].UserId`): every value found, absent ones left out.
 */
export function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  const i = path.findIndex(isListSegment);
  if (i < 0) {
    const v = valueAt(value, path);
    return v === undefined ? [] : [v];
  }
  const list = valueAt(value, [...path.slice(0, i), path[i]!.slice(0, -2)]);
  return Array.isArray(list) ? list.flatMap((element) => valuesAt(element, path.slice(i + 1))) : [];
}

/** The value at a path of nested objects, or undefined. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const name of path) {
    if (!isObject(v) || !Object.hasOwn(v, name)) return undefined;
    v = v[name];
  }
  return v;
}

/** A copy of `target` with `value` at `path`, copying the objects on the way; a missing or null object on the way leaves it as it is. */
function withValueAt(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [name, ...rest] = path;
  if (name === undefined) return target;
  if (rest.length === 0) return { ...target, [name]: value };
  const inner = target[name];
  return isObject(inner) ? { ...target, [name]: withValueAt(inner, rest, value) } : target;
}

/** A value in the representation the plan gives the field at `path` (a 64-bit integer as a string or a bigint). */
function represent(value: unknown, plan: Representation | null, path: readonly string[]): unknown {
  let rule: Representation[string] | undefined = plan ?? undefined;
  for (const name of path) {
    if (rule === undefined || typeof rule !== "object") return value;
    rule = rule[name];
  }
  return rule === undefined ? value : (applyRepresentation({ v: value }, { v: rule }) as { v: unknown }).v;
}

/** A key's canonical text in typed form: an integer key as a number (a bigint beyond 2^53). */
function typedKey(key: string, type: "string" | "integer"): string | number | bigint {
  if (type === "string") return key;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : BigInt(key);
}

/** The request fields that move through the list and size its pages: the page, offset or cursor, and the size. */
function pagingFields(p: MockPagination): string[] {
  const position = p.style === "offset" ? p.offset : p.style === "cursor" ? p.cursor : p.page;
  return p.size === null ? [position] : [position, p.size];
}

/**
 * `base` with the page's items (positions `from` to `to` of a list of `length`), the total where
 * the response has one, and for a cursor list the next cursor and the end field: the next cursor
 * is `c` and the position in base 36 (an integer cursor: the position itself); at the end of the
 * list "" (an integer one: the `end` value, else left out).
 */
function withPage(
  base: Record<string, unknown>,
  p: MockPagination,
  items: unknown,
  total: unknown,
  at: { from: number; to: number; length: number },
): Record<string, unknown> {
  const out = p.total === null ? { ...base, [p.items]: items } : { ...base, [p.items]: items, [p.total]: total };
  if (p.style !== "cursor") return out;
  const done = at.to <= at.from || (p.nextItem?.pick === "min" ? at.from <= 0 : at.to >= at.length);
  if (p.next !== null) {
    const sample = base[p.next];
    const integer = typeof sample === "number" || typeof sample === "bigint" || (sample === undefined && typeof p.first === "number");
    if (!done) out[p.next] = !integer ? `c${at.to.toString(36)}` : typeof sample === "bigint" ? BigInt(at.to) : at.to;
    else if (p.end?.field === p.next) out[p.next] = p.end.equals;
    else if (integer) delete out[p.next];
    else out[p.next] = "";
  }
  if (p.end && p.end.field !== p.next) out[p.end.field] = done ? p.end.equals : otherThan(p.end.equals);
  return out;
}

/** A value of the same type as `v` that is not `v`: what an end field holds while the list goes on. */
const otherThan = (v: string | number | boolean): string | number | boolean =>
  typeof v === "boolean" ? !v : typeof v === "number" ? (v === 0 ? 1 : 0) : v === "" ? "0" : "";

/**
 * Where a request's cursor starts its page: the first position for none, "", null or the spec's
 * `first`; the position a cursor of this list's (`c` and base 36, or an integer) names; undefined
 * for a cursor the mock never issued.
 */
function cursorStart(p: Extract<MockPagination, { style: "cursor" }>, value: unknown): number | undefined {
  if (value === undefined || value === null || value === "" || value === p.first) return 0;
  if (typeof value === "string") {
    const m = /^c([0-9a-z]{1,8})$/.exec(value);
    return m ? parseInt(m[1]!, 36) : undefined;
  }
  const n = typeof value === "bigint" ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A list paged by an item field: the `size` items just below the cursor (`min`; none: the last ones) or just above it (`max`; none: the first ones). */
function keysetWindow(
  pick: "min" | "max",
  cursor: unknown,
  size: number,
  total: number,
  keyAt: (k: number) => unknown,
): { from: number; to: number } {
  const c = integerOf(cursor);
  let from: number;
  let to: number;
  if (pick === "min") {
    to = total;
    if (c !== undefined)
      for (let k = 0; k < total; k++)
        if ((integerOf(keyAt(k)) ?? c) >= c) {
          to = k;
          break;
        }
    from = Math.max(0, to - size);
  } else {
    from = total;
    if (c === undefined) from = 0;
    else
      for (let k = 0; k < total; k++)
        if ((integerOf(keyAt(k)) ?? c) > c) {
          from = k;
          break;
        }
    to = Math.min(total, from + size);
  }
  return size > 0 && from < to ? { from, to } : { from: 0, to: 0 };
}

/** An integer held as a number, a bigint or decimal text; undefined otherwise. */
function integerOf(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === "string" && /^-?\d{1,40}$/.test(v)) return BigInt(v);
  return undefined;
}

/** The field a cursor is taken from, of a list item (undefined for other styles). */
function itemField(item: unknown, p: MockPagination): unknown {
  return p.style === "cursor" && p.nextItem && isObject(item) ? item[p.nextItem.field] : undefined;
}

/** A copy of `value` with every field named `field` (at any depth) set to `key`, where the types agree. */
function withKey(value: unknown, field: string, key: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => withKey(v, field, key));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === field && typeof v === typeof key ? key : withKey(v, field, key);
  return out;
}

// Seeded data kept per operation (keys or requests); beyond this the oldest is drawn again when asked.
// 256 keys of 120 items stay well under 100 MB even when every page of every key was read.
const SEEDED_CACHE = 256;
// Pages kept per key: a reader of a key usually asks for the same few pages again.
const KEPT_PAGES = 8;
// Items of a resource list kept per operation (a list longer than this draws the rest each time).
const LISTED_CACHE = 4096;

interface ListedItem {
  /** The record the item shows, and its state then (undefined when the item shows none). */
  record: MockResource;
  state: MockLifecycleState | undefined;
  drawn: unknown;
  item: unknown;
  /** The item's wire text, written when first listed. */
  text: string | undefined;
}

/** A request's canonical text (wire.ts canonicalJson) and top-level hash, each computed on first use (a request is looked up in two indexes). */
class Canonical {
  readonly request: Record<string, unknown>;
  #text: string | undefined;
  #hash: number | undefined;

  constructor(request: Record<string, unknown>) {
    this.request = request;
  }

  get text(): string {
    return (this.#text ??= canonicalJson(this.request));
  }

  get hash(): number {
    return (this.#hash ??= topLevelHash(this.request));
  }
}

/**
 * A hash of a request's top level that equal canonical texts share: the sum (order does not
 * matter) over its defined fields of a hash of the name and, for a scalar, its text as
 * canonicalJson writes it (a number and a bigint of the same value alike). Nested values count
 * by name only.
 */
function topLevelHash(request: Record<string, unknown>): number {
  let sum = 0;
  for (const key in request) {
    if (!Object.hasOwn(request, key)) continue;
    const v = request[key];
    if (v === undefined) continue;
    let h = fnv(FNV_BASIS, key);
    if (typeof v === "string") h = fnv(h ^ 0x22, v);
    else if (typeof v === "number") h = fnv(h, Number.isFinite(v) ? String(v) : "null");
    else if (typeof v === "bigint" || typeof v === "boolean") h = fnv(h, String(v));
    sum = (sum + h) | 0;
  }
  return sum;
}

const FNV_BASIS = 0x811c9dc5 | 0;

/** FNV-1a over the UTF-16 units of `s`, from `h`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * Values by exact request (canonical text, first one kept). A request whose top-level hash no
 * stored request has is no match, found without writing its canonical text.
 */
class ByRequest<V> {
  readonly #byText = new Map<string, V>();
  readonly #hashes = new Set<number>();

  get size(): number {
    return this.#byText.size;
  }

  add(request: Record<string, unknown>, value: V): void {
    const text = canonicalJson(request);
    if (this.#byText.has(text)) return;
    this.#byText.set(text, value);
    this.#hashes.add(topLevelHash(request));
  }

  get(canonical: Canonical): V | undefined {
    if (this.#byText.size === 0 || !this.#hashes.has(canonical.hash)) return undefined;
    return this.#byText.get(canonical.text);
  }
}

type Sampler = MockServiceDefinition["samplers"][string] | undefined;

/** One key's (or request's) seeded data for an operation, drawn on first use. */
class SeededData {
  readonly #rng: Rng;
  readonly #sampler: Sampler;
  readonly #key: { field: string; value: unknown } | undefined;
  readonly #maxItems: number;
  readonly #numbering: ((item: unknown, i: number) => unknown) | undefined;
  #base: Record<string, unknown> | undefined;
  #count: number | undefined;
  #itemRng: Rng | undefined;
  #timeline: Rng | undefined;
  readonly #items: unknown[] = [];
  readonly #texts: string[] = [];
  readonly #pages = new Map<string, MockOutcome>();
  readonly #matching = new Map<string, number[]>();

  constructor(
    rng: Rng,
    sampler: Sampler,
    key: { field: string; value: unknown } | undefined,
    maxItems: number,
    numbering?: (item: unknown, i: number) => unknown,
  ) {
    this.#numbering = numbering;
    this.#rng = rng;
    this.#sampler = sampler;
    this.#key = key;
    this.#maxItems = maxItems;
  }

  /** Seeded data names the resource it belongs to: every field called like the key gets the request's key. */
  #echo<T>(value: T): T {
    return this.#key === undefined ? value : (withKey(value, this.#key.field, this.#key.value) as T);
  }

  base(): Record<string, unknown> {
    return (this.#base ??= this.#echo(this.#sampler?.response(this.#rng) ?? {}));
  }

  /** The length of the seeded list (0 without an item sampler). */
  count(): number {
    return (this.#count ??= this.#sampler?.item ? this.#rng.fork("count").int(0, this.#maxItems) : 0);
  }

  /** Item `i` as wire JSON text (`rule`: the list field's 64-bit plan). */
  itemText(i: number, rule: Representation[string] | undefined): string {
    return (this.#texts[i] ??= stringifyJson(toWireElement(this.item(i), rule)));
  }

  /** The indices of the items a filter accepts, by the filter's key: worked out once each (a few kept). */
  matching(key: string, find: () => number[]): number[] {
    let found = this.#matching.get(key);
    if (!found) {
      if (this.#matching.size >= KEPT_PAGES) this.#matching.delete(this.#matching.keys().next().value!);
      this.#matching.set(key, (found = find()));
    }
    return found;
  }

  /** The outcome kept for a page (`from:to` of the list), if any. */
  page(key: string): MockOutcome | undefined {
    return this.#pages.get(key);
  }

  /** Keeps a page's outcome (the last few pages asked for: each holds its text). */
  keepPage(key: string, outcome: MockOutcome): MockOutcome {
    if (this.#pages.size >= KEPT_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
    this.#pages.set(key, outcome);
    return outcome;
  }

  /** Item `i` of the list: its own stream, so any page can be drawn without the ones before it. */
  item(i: number): unknown {
    if (!(i in this.#items)) {
      this.#itemRng ??= this.#rng.fork("item");
      // The list's own stream places each item in time order without drawing the ones before it.
      this.#timeline ??= this.#rng.fork("timeline");
      const item = this.#echo(this.#sampler!.item!(this.#itemRng.fork(i), { index: i, count: this.count(), rng: this.#timeline }));
      this.#items[i] = this.#numbering ? this.#numbering(item, i) : item;
    }
    return this.#items[i];
  }
}

/** `from` to `to` (exclusive). */
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Equal values, where a 64-bit integer may be held as a number, a string or a bigint on either side. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const numeric = (v: unknown) => typeof v === "number" || typeof v === "bigint" || typeof v === "string";
  return numeric(a) && numeric(b) && typeof a !== typeof b && String(a) === String(b);
}

function planRule(plan: Representation | null, key: string): Representation[string] | undefined {
  return plan ? plan[key] : undefined;
}

function timesOf(times: number | undefined): number {
  const n = times ?? 1;
  if (!(n >= 1) || (!Number.isSafeInteger(n) && n !== Infinity)) throw new RangeError(`times must be a positive integer or Infinity, got ${n}`);
  return n;
}

/** Takes one use of the queue's head, dropping it when used up. */
function take<T extends { remaining: number }>(queue: T[]): T | undefined {
  const head = queue[0];
  if (!head) return undefined;
  head.remaining--;
  if (head.remaining <= 0) queue.shift();
  return head;
}
