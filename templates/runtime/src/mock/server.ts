// The mock server core: one or more generated service definitions behind the protocols' gateways
// (TC3, Chat REST), with a deterministic store, injected errors and queued responses. Three ways
// in share one synchronous responder: `fetch` (in-process), `handle` (web Request, for MSW) and
// `listen` (node:http on loopback).
//
//   const mock = createMock([lcic.mockDefinition, chat.mockDefinition], { seed: 7 });
//   const client = new LcicClient({ fetch: mock.fetch, credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0] });
//   mock.resources("lcic.room").put({ key: 42, state: "ended", items: { getRoomEvent: [...] } });
//   mock.injectError("getRoomEvent", "InternalError", { times: 2 });
import { BUILTIN_GATEWAYS } from "../protocols/gateways.js";
import { applyRepresentation } from "../shared/json.js";
import { nowSource, type NowOption } from "../validation/validation-core.js";
import { credentialsFor, type MockCredentials } from "./credentials.js";
import { createRng, type MockServiceDefinition } from "./definition.js";
import { failure, reply, RequestIds, type MockHttpRequest, type MockHttpResponse, type MockOutcome, type MockProtocol } from "./envelope.js";
import { MockFixtureError, type MockFixtures } from "./fixtures.js";
import type { MockGateway, MockGatewayInstance } from "./gateway.js";
import { fromWebRequest, inProcessFetch, listenMock, toWebResponse, type MockListening, type MockListenOptions } from "./http.js";
import { MockOperation, valueAt, valuesAt, type MockInjectOptions } from "./operation.js";
import { MockRateLimiter } from "./rate-limit.js";
import { ResourceStore, type MockLifecycleState, type MockRequirement } from "./store.js";
import { typedItems } from "./wire.js";

export type { MockChatCredential } from "../protocols/chat-rest/gateway.js";
export type { MockTc3Credential } from "../protocols/tc3/gateway.js";
export { BUILTIN_GATEWAYS, type BuiltinGateway } from "../protocols/gateways.js";
export { MOCK_DEFAULT_CREDENTIALS, mockCredentialsFromEnv, type MockCredentials } from "./credentials.js";
export type { MockGateway, MockGatewayContext, MockGatewayInstance, MockGatewayService, MockRouted } from "./gateway.js";
export type { MockHttpRequest, MockHttpResponse, MockProtocol } from "./envelope.js";
export {
  checkMockFixtures,
  MockFixtureError,
  parseMockFixtures,
  type MockErrorFixture,
  type MockFixtures,
  type MockServiceFixtures,
} from "./fixtures.js";
export type { MockListening, MockListenOptions } from "./http.js";
export { mswHandlers, type MswHandlerOptions, type MswHttpLike } from "./msw.js";
export type { MockInjectOptions } from "./operation.js";
export {
  lifecycleState,
  ResourceStore,
  type MockLifecycleState,
  type MockResource,
  type MockResourceInput,
  type MockResourceKeysFilter,
  type MockTime,
} from "./store.js";

/** The documented limit for TC3 (POST with TC3-HMAC-SHA256: 10 MB); Chat documents none and gets the same. */
export const MOCK_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface MockOptions {
  /** Same seed, same data and request ids (default 1). */
  seed?: number | undefined;
  /** The mock clock in milliseconds, or a fixed time as a number or Date (default Date.now): signatures, UserSig expiry, time windows, lifecycles, rate limits. */
  now?: NowOption | undefined;
  /** Reference time of seeded and example lifecycles (default: the clock when the mock is made). */
  epoch?: number | undefined;
  /** Accepted credentials per protocol, under its gateway's key (default MOCK_DEFAULT_CREDENTIALS). */
  credentials?: Partial<MockCredentials> | undefined;
  /** Gateways of protocols beyond the built-in ones (BUILTIN_GATEWAYS), found by `metadata.protocol.name`. */
  gateways?: readonly MockGateway[] | undefined;
  /** Enforce the spec's rate limits per credential and operation (default true); `scale` multiplies them. */
  rateLimit?: boolean | { scale: number } | undefined;
  /** Larger bodies get RequestSizeLimitExceeded (TC3) or 60008 (Chat); default MOCK_MAX_BODY_BYTES. */
  maxBodyBytes?: number | undefined;
  /** Seeded lists have 0 to this many items (default 120). */
  maxItems?: number | undefined;
  /** Fraction of arbitrary keys that exist (default 0.75), for resources no operation creates or lists. */
  existence?: number | undefined;
  /** How many seeded resources exist of a kind that some operation creates or lists (default 10); other keys exist once created or put. */
  population?: number | undefined;
  /** Loaded now and again on every reset(). */
  fixtures?: MockFixtures | undefined;
}

/** One answered request, for assertions. */
export interface MockCall {
  service: string | undefined;
  /** The operation's name (`GetRoomEvent`), when routing reached one. */
  operation: string | undefined;
  /** The error code, or null for a success. */
  code: string | number | null;
  requestId: string;
}

/** One service of a mock, addressed without its id prefix. */
export interface MockServiceHandle {
  readonly id: string;
  readonly protocol: MockProtocol;
  resources(name: string): ResourceStore;
  injectError(method: string, code: string | number, options?: MockInjectOptions): void;
  setNextResponse(method: string, payload: Record<string, unknown>, options?: { times?: number | undefined }): void;
}

/** A service's mock definition, with the gateway of its protocol when that protocol is not built in. */
export type MockServiceInput = MockServiceDefinition & { readonly gateway?: MockGateway | undefined };

interface ServiceRuntime {
  id: string;
  definition: MockServiceDefinition;
  protocol: MockProtocol;
  operations: Map<string, MockOperation>;
  stores: Map<string, ResourceStore>;
}

const MAX_CALLS = 1000;

export class Mock {
  readonly seed: number;
  /** Service ids. */
  readonly services: readonly string[];
  /** Endpoint and backup hosts of every mocked service (what MSW intercepts). */
  readonly hosts: readonly string[];
  /** The last answered requests, oldest first (at most about a thousand). */
  readonly calls: MockCall[] = [];
  /** In-process fetch: pass it as a client's `fetch` option. No sockets. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly maxBodyBytes: number;
  readonly now: () => number;
  readonly #options: MockOptions;
  readonly #services = new Map<string, ServiceRuntime>();
  /** Every gateway this mock knows, by protocol name. */
  readonly #known = new Map<string, MockGateway>();
  /** The gateways of the protocols it serves, opened for this mock, in the order first served. */
  readonly #open = new Map<string, { gateway: MockGateway; instance: MockGatewayInstance }>();
  readonly #credentials: Partial<MockCredentials> | undefined;
  readonly #limiter: MockRateLimiter | undefined;
  readonly #ids: RequestIds;

  constructor(definitions: MockServiceInput | readonly MockServiceInput[], options: MockOptions = {}) {
    this.#options = options;
    this.seed = options.seed ?? 1;
    this.now = nowSource(options.now);
    this.maxBodyBytes = options.maxBodyBytes ?? MOCK_MAX_BODY_BYTES;
    const rate = options.rateLimit ?? true;
    this.#limiter = rate === false ? undefined : new MockRateLimiter(rate === true ? 1 : rate.scale);
    this.#ids = new RequestIds(this.seed);
    this.#credentials = options.credentials;
    const list: readonly MockServiceInput[] = Array.isArray(definitions) ? definitions : [definitions as MockServiceInput];
    for (const gateway of [...BUILTIN_GATEWAYS, ...(options.gateways ?? []), ...list.flatMap((d) => (d.gateway ? [d.gateway] : []))])
      this.#known.set(gateway.name, gateway as MockGateway);
    const epoch = options.epoch ?? Math.floor(this.now() / 1000) * 1000;
    for (const definition of list) this.#add(definition, epoch);
    this.services = [...this.#services.keys()];
    this.hosts = [
      ...new Set(
        [...this.#services.values()].flatMap((s) => s.definition.metadata.endpoints.flatMap((e) => (e.backup ? [e.host, e.backup] : [e.host]))),
      ),
    ];
    this.fetch = inProcessFetch((r) => this.respond(r), this.maxBodyBytes);
    if (options.fixtures) this.loadFixtures(options.fixtures);
  }

  #add(definition: MockServiceDefinition, epoch: number): void {
    const { metadata } = definition;
    const id = metadata.id;
    if (this.#services.has(id)) throw new TypeError(`createMock: the service ${id} is given twice`);
    const protocol: MockProtocol = metadata.protocol.name;
    const gateway = this.#known.get(protocol);
    if (!gateway)
      throw new TypeError(
        `createMock: ${id} uses the protocol ${protocol}, which no gateway serves (${[...this.#known.keys()].join(", ")}); pass its gateway in the options' gateways`,
      );
    const wire = { bodyCode: gateway.codes.body, wireCode: (code: string | number) => gateway.wireCode(code) };
    const serviceRng = createRng(this.seed).fork(id);
    const methods = Object.entries(metadata.operations);

    const stores = new Map<string, ResourceStore>();
    for (const [name, spec] of Object.entries(metadata.resources ?? {})) {
      const operations = new Map<string, readonly MockRequirement[]>();
      let closed = false;
      let transitions = false;
      for (const [method, op] of methods) {
        if (op.mock?.resource !== name) continue;
        operations.set(method, op.mock.requires);
        if (op.mock.action === "create" || op.mock.action === "list") closed = true;
        if (op.mock.sets) transitions = true;
      }
      stores.set(
        name,
        new ResourceStore({
          serviceId: id,
          name,
          spec,
          rng: serviceRng.fork(name),
          now: this.now,
          epoch,
          existence: this.#options.existence ?? 0.75,
          operations,
          closed,
          transitions,
          population: this.#options.population ?? 10,
          keys: definition.resources?.[name],
        }),
      );
    }

    const commonCodes = Object.keys(metadata.commonErrors);
    const operations = new Map<string, MockOperation>();
    for (const [method, meta] of methods) {
      const resource = meta.mock?.resource;
      if (resource !== undefined && !stores.has(resource)) throw new TypeError(`createMock: ${id}.${method} names the unknown resource ${resource}`);
      operations.set(
        method,
        new MockOperation({
          serviceId: id,
          wire,
          method,
          meta,
          definition,
          store: resource === undefined ? undefined : stores.get(resource),
          serviceRng,
          resourceRng: resource === undefined ? undefined : serviceRng.fork(resource),
          documented: new Set([...Object.keys(meta.errors), ...commonCodes]),
          now: this.now,
          maxItems: this.#options.maxItems ?? 120,
        }),
      );
    }

    for (const example of definition.examples) {
      const op = operations.get(example.method);
      if (!op) throw new TypeError(`createMock: an example of ${id} names the unknown operation ${example.method}`);
      op.addExample(example.request, example.response);
      const rule = op.ctx.meta.mock;
      const p = op.ctx.meta.pagination;
      // An example of a read, update or delete says its keys exist; a create's or a list's says nothing of the kind.
      if (rule && op.ctx.store && rule.key !== null && (rule.action ?? "read") !== "create" && rule.action !== "list") {
        const list = p && Array.isArray(example.response[p.items]) ? (example.response[p.items] as unknown[]) : undefined;
        // The state the example shows (its status field), when the operation ties one to the lifecycle.
        const shown = definition.lifecycle?.[example.method]?.state;
        const value = shown ? valueAt(example.response, shown.path) : undefined;
        const state =
          shown && value !== undefined ? (Object.keys(shown.values) as MockLifecycleState[]).find((s) => shown.values[s] === value) : undefined;
        for (const key of valuesAt(example.request, rule.key.split("."))) op.ctx.store.addExample(key, example.method, example.response, list, state);
      }
    }
    for (const example of definition.errorExamples ?? []) {
      const op = operations.get(example.method);
      if (!op) throw new TypeError(`createMock: an error example of ${id} names the unknown operation ${example.method}`);
      op.addErrorExample(example.request, example.code, example.message);
    }
    // Keys the spec gives as a key field's example exist too (a usage snippet built from field examples finds them).
    for (const [name, keys] of Object.entries(definition.resources ?? {}))
      for (const { key, methods } of keys.examples ?? []) stores.get(name)?.addExampleKey(key, methods);

    this.#gatewayFor(gateway).add({ id, metadata, operations });
    this.#services.set(id, { id, definition, protocol, operations, stores });
  }

  /** The gateway of a protocol for this mock, opened the first time one of its services is added. */
  #gatewayFor(gateway: MockGateway): MockGatewayInstance {
    let open = this.#open.get(gateway.name);
    if (!open) {
      // Built once: the responder is the hot path of the server.
      const instance = gateway.open({ credentials: credentialsFor(gateway, this.#credentials), nowMs: this.now, limiter: this.#limiter });
      open = { gateway, instance };
      this.#open.set(gateway.name, open);
    }
    return open.instance;
  }

  /** Answers one request; never throws, and always in the protocol's envelope. */
  respond(request: MockHttpRequest): MockHttpResponse {
    const { gateway, instance } = this.#gatewayOf(request.url);
    // Headers may be a plain object (node's own): every read is by a fixed name, or by a
    // client-given name (the signed list) through an own-property check.
    let requestId = "";
    try {
      const routed = instance.route(request);
      const outcome: MockOutcome = routed.outcome;
      requestId = this.#ids.next(gateway);
      const meta = routed.operation?.ctx.meta;
      const answer = reply(gateway, outcome, requestId, meta?.responseRepresentation ?? null, meta?.payloadAt);
      this.#log({ service: routed.service, operation: routed.operation?.name, code: outcome.ok ? null : outcome.code, requestId });
      return answer;
    } catch (error) {
      // A sampler or a payload set by a test failed: still an envelope, never a bare 500.
      requestId ||= this.#ids.next(gateway);
      const code = gateway.codes.internal;
      this.#log({ service: undefined, operation: undefined, code, requestId });
      return reply(gateway, failure(code, `The mock failed: ${error instanceof Error ? error.message : String(error)}`), requestId);
    }
  }

  /** Answers a web-standard Request (MSW, a fetch-based server). */
  async handle(request: Request): Promise<Response> {
    let received: MockHttpRequest;
    try {
      received = await fromWebRequest(request, this.maxBodyBytes);
    } catch {
      // The body stream failed: answer as for an unreadable body.
      const url = new URL(request.url);
      received = { method: request.method, url: url.pathname + url.search, headers: {}, body: "" };
    }
    return toWebResponse(this.respond(received));
  }

  /** A real HTTP server (default 127.0.0.1, any free port). */
  listen(options: MockListenOptions = {}): Promise<MockListening> {
    return listenMock(
      (r) => this.respond(r),
      (line) => this.#malformed(line),
      this.maxBodyBytes,
      options,
    );
  }

  service(id: string): MockServiceHandle {
    const s = this.#services.get(id);
    if (!s) throw new RangeError(`this mock serves no service ${id} (${this.services.join(", ")})`);
    return {
      id,
      protocol: s.protocol,
      resources: (name) => this.resources(`${id}.${name}`),
      injectError: (method, code, options) => this.injectError(`${id}.${method}`, code, options),
      setNextResponse: (method, payload, options) => this.setNextResponse(`${id}.${method}`, payload, options),
    };
  }

  /** A resource store: `room` when one service has it, else `lcic.room`. */
  resources(name: string): ResourceStore {
    return this.#find(name, "resource", (s) => s.stores);
  }

  /** The next call(s) of an operation (`getRoomEvent` or `lcic.getRoomEvent`) fail with a documented code. */
  injectError(method: string, code: string | number, options: MockInjectOptions = {}): void {
    this.#operation(method).injectError(code, options);
  }

  /** The next call(s) of an operation answer this payload (typed form), whatever the store holds. */
  setNextResponse(method: string, payload: Record<string, unknown>, options: { times?: number | undefined } = {}): void {
    this.#operation(method).setNextResponse(payload, options);
  }

  /** Puts resources, queues responses and injects errors from fixtures (JSON payloads are converted to typed form). */
  loadFixtures(fixtures: MockFixtures): void {
    for (const [id, f] of Object.entries(fixtures)) {
      const s = this.#services.get(id);
      if (!s) throw new MockFixtureError(id, `this mock serves no service ${id} (${this.services.join(", ")})`);
      for (const [name, list] of Object.entries(f.resources ?? {})) {
        const store = s.stores.get(name);
        if (!store) throw new MockFixtureError(`${id}.resources.${name}`, `${id} has no resource ${name}`);
        for (const input of list) {
          const typed = (method: string) => s.operations.get(method)?.ctx.meta;
          const responses = Object.fromEntries(
            Object.entries(input.responses ?? {}).map(([m, payload]) => {
              const plan = typed(m)?.responseRepresentation;
              return [m, (plan ? applyRepresentation(payload, plan) : payload) as Record<string, unknown>];
            }),
          );
          const items = Object.fromEntries(
            Object.entries(input.items ?? {}).map(([m, list]) => {
              const meta = typed(m);
              const p = meta?.pagination;
              return [m, typedItems(list, p ? meta?.responseRepresentation?.[p.items] : undefined)];
            }),
          );
          store.put({ ...input, responses, items });
        }
      }
      for (const [method, payloads] of Object.entries(f.responses ?? {})) {
        const op = this.#operation(`${id}.${method}`);
        const plan = op.ctx.meta.responseRepresentation;
        for (const payload of payloads) op.setNextResponse((plan ? applyRepresentation(payload, plan) : payload) as Record<string, unknown>);
      }
      for (const e of f.errors ?? []) this.injectError(`${id}.${e.method}`, e.code, { times: e.times, message: e.message });
    }
  }

  /** Forgets injected errors, queued responses, put resources, rate counters, request ids and calls; reloads the options' fixtures. */
  reset(): void {
    for (const s of this.#services.values()) {
      for (const op of s.operations.values()) op.reset();
      for (const store of s.stores.values()) store.reset();
    }
    this.#limiter?.reset();
    this.#ids.reset();
    this.calls.length = 0;
    if (this.#options.fixtures) this.loadFixtures(this.#options.fixtures);
  }

  #operation(name: string): MockOperation {
    return this.#find(name, "operation", (s) => s.operations);
  }

  /** `name` in the one service that has it, or `service.name`. */
  #find<T>(name: string, kind: string, table: (s: ServiceRuntime) => ReadonlyMap<string, T>): T {
    const dot = name.indexOf(".");
    if (dot > 0 && this.#services.has(name.slice(0, dot))) {
      const s = this.#services.get(name.slice(0, dot))!;
      const found = table(s).get(name.slice(dot + 1));
      if (found === undefined) throw new RangeError(`${s.id} has no ${kind} ${name.slice(dot + 1)} (${[...table(s).keys()].join(", ")})`);
      return found;
    }
    const matches = [...this.#services.values()].filter((s) => table(s).has(name));
    if (matches.length === 1) return table(matches[0]!).get(name)!;
    if (matches.length > 1)
      throw new RangeError(`several services have a ${kind} ${name}: use ${matches.map((s) => `${s.id}.${name}`).join(" or ")}`);
    throw new RangeError(`no service of this mock has a ${kind} ${name}`);
  }

  /** The answer to what is not HTTP: the protocol's "cannot parse the HTTP request" code. */
  #malformed(firstLine: string): MockHttpResponse {
    const { gateway } = this.#gatewayOf(firstLine.split(" ")[1] ?? "/");
    const code = gateway.codes.malformed;
    const requestId = this.#ids.next(gateway);
    this.#log({ service: undefined, operation: undefined, code, requestId });
    return reply(gateway, failure(code, "The request is not valid HTTP/1.1."), requestId);
  }

  /**
   * The gateway a request goes to: the only one when the mock serves one protocol; else the one
   * that owns the path (Chat REST: under a served version, `/v4/`), else the catch-all one (TC3's `/`).
   */
  #gatewayOf(url: string): { gateway: MockGateway; instance: MockGatewayInstance } {
    let fallback: { gateway: MockGateway; instance: MockGatewayInstance } | undefined;
    if (this.#open.size !== 1) {
      for (const open of this.#open.values()) {
        if (open.instance.owns(url)) return open;
        if (open.gateway.catchAll) fallback ??= open;
      }
    }
    const chosen = fallback ?? this.#open.values().next().value;
    if (chosen) return chosen;
    // A mock of no service: the first known catch-all gateway answers (in its envelope, with nothing served).
    const gateway = [...this.#known.values()].find((g) => g.catchAll) ?? [...this.#known.values()][0]!;
    return { gateway, instance: this.#gatewayFor(gateway) };
  }

  #log(call: MockCall): void {
    this.calls.push(call);
    if (this.calls.length > 2 * MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }
}

/** A mock serving the given generated service definitions (`mockDefinition` of each package). */
export function createMock(definitions: MockServiceInput | readonly MockServiceInput[], options: MockOptions = {}): Mock {
  return new Mock(definitions, options);
}
