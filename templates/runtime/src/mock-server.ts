// The mock server core: one or more generated service definitions behind the protocols' gateways
// (TC3, Chat REST), with a deterministic store, injected errors and queued responses. Three ways
// in share one synchronous responder: `fetch` (in-process), `handle` (web Request, for MSW) and
// `listen` (node:http on loopback).
//
//   const mock = createMock([lcic.mockDefinition, chat.mockDefinition], { seed: 7 });
//   const client = new LcicClient({ fetch: mock.fetch, credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0] });
//   mock.resources("lcic.room").put({ key: 42, state: "ended", items: { getRoomEvent: [...] } });
//   mock.injectError("getRoomEvent", "InternalError", { times: 2 });
import { applyRepresentation } from "./json.js";
import { nowSource, type NowOption } from "./validation-core.js";
import { handleChat, type ChatRoute, type ChatRouterContext } from "./mock-chat.js";
import { MOCK_DEFAULT_CREDENTIALS, type MockCredentials } from "./mock-credentials.js";
import { createRng, type MockServiceDefinition } from "./mock-definition.js";
import {
  failure,
  INTERNAL_ERROR,
  reply,
  RequestIds,
  type MockHttpRequest,
  type MockHttpResponse,
  type MockOutcome,
  type MockProtocol,
} from "./mock-envelope.js";
import { MockFixtureError, type MockFixtures } from "./mock-fixtures.js";
import { fromWebRequest, inProcessFetch, listenMock, toWebResponse, type MockListening, type MockListenOptions } from "./mock-http.js";
import { MockOperation, valueAt, valuesAt, type MockInjectOptions } from "./mock-operation.js";
import { MockRateLimiter } from "./mock-rate-limit.js";
import { ResourceStore, type MockLifecycleState, type MockRequirement } from "./mock-store.js";
import { Tc3KeyCache } from "./tc3-signing.js";
import { handleTc3, type Tc3RouterContext, type Tc3Service } from "./mock-tc3.js";
import { typedItems } from "./mock-wire.js";

export type { MockChatCredential } from "./mock-chat.js";
export { MOCK_DEFAULT_CREDENTIALS, mockCredentialsFromEnv, type MockCredentials, type MockTc3Credential } from "./mock-credentials.js";
export type { MockHttpRequest, MockHttpResponse, MockProtocol } from "./mock-envelope.js";
export { checkMockFixtures, MockFixtureError, parseMockFixtures, type MockErrorFixture, type MockFixtures, type MockServiceFixtures } from "./mock-fixtures.js";
export type { MockListening, MockListenOptions } from "./mock-http.js";
export { mswHandlers, type MswHandlerOptions, type MswHttpLike } from "./mock-msw.js";
export type { MockInjectOptions } from "./mock-operation.js";
export {
  lifecycleState,
  ResourceStore,
  type MockLifecycleState,
  type MockResource,
  type MockResourceInput,
  type MockResourceKeysFilter,
  type MockTime,
} from "./mock-store.js";

/** The documented limit for TC3 (POST with TC3-HMAC-SHA256: 10 MB); Chat documents none and gets the same. */
export const MOCK_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface MockOptions {
  /** Same seed, same data and request ids (default 1). */
  seed?: number | undefined;
  /** The mock clock in milliseconds, or a fixed time as a number or Date (default Date.now): signatures, UserSig expiry, time windows, lifecycles, rate limits. */
  now?: NowOption | undefined;
  /** Reference time of seeded and example lifecycles (default: the clock when the mock is made). */
  epoch?: number | undefined;
  /** Accepted credentials per protocol (default MOCK_DEFAULT_CREDENTIALS). */
  credentials?: Partial<MockCredentials> | undefined;
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
  readonly #tc3 = new Map<string, Tc3Service>();
  readonly #chat = new Map<string, ChatRoute>();
  readonly #chatVersions = new Set<string>();
  readonly #tc3Router: Tc3RouterContext;
  readonly #chatRouter: ChatRouterContext;
  readonly #limiter: MockRateLimiter | undefined;
  readonly #ids: RequestIds;

  constructor(definitions: MockServiceDefinition | readonly MockServiceDefinition[], options: MockOptions = {}) {
    this.#options = options;
    this.seed = options.seed ?? 1;
    this.now = nowSource(options.now);
    this.maxBodyBytes = options.maxBodyBytes ?? MOCK_MAX_BODY_BYTES;
    const rate = options.rateLimit ?? true;
    this.#limiter = rate === false ? undefined : new MockRateLimiter(rate === true ? 1 : rate.scale);
    this.#ids = new RequestIds(this.seed);
    const credentials = { ...MOCK_DEFAULT_CREDENTIALS, ...options.credentials };
    const epoch = options.epoch ?? Math.floor(this.now() / 1000) * 1000;
    for (const definition of Array.isArray(definitions) ? definitions : [definitions]) this.#add(definition as MockServiceDefinition, epoch);
    this.services = [...this.#services.keys()];
    this.hosts = [...new Set([...this.#services.values()].flatMap((s) => s.definition.metadata.endpoints.flatMap((e) => (e.backup ? [e.host, e.backup] : [e.host]))))];
    this.fetch = inProcessFetch((r) => this.respond(r), this.maxBodyBytes);
    // Built once: the responder is the hot path of the server.
    const tc3Credentials = new Map(credentials.tc3.map((c) => [c.secretId, c]));
    const chatCredentials = new Map(credentials.chat.map((c) => [c.sdkAppId, c]));
    this.#tc3Router = { services: this.#tc3, lookup: (id) => tc3Credentials.get(id), nowMs: this.now, limiter: this.#limiter, keyCache: new Tc3KeyCache() };
    this.#chatRouter = { commands: this.#chat, lookup: (id) => chatCredentials.get(id), nowMs: this.now, limiter: this.#limiter };
    if (options.fixtures) this.loadFixtures(options.fixtures);
  }

  #add(definition: MockServiceDefinition, epoch: number): void {
    const { metadata } = definition;
    const id = metadata.id;
    if (this.#services.has(id)) throw new TypeError(`createMock: the service ${id} is given twice`);
    const protocol: MockProtocol = metadata.protocol.name;
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
          protocol,
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
        const state = shown && value !== undefined ? (Object.keys(shown.values) as MockLifecycleState[]).find((s) => shown.values[s] === value) : undefined;
        for (const key of valuesAt(example.request, rule.key.split("."))) op.ctx.store.addExample(key, example.method, example.response, list, state);
      }
    }
    for (const example of definition.errorExamples ?? []) {
      const op = operations.get(example.method);
      if (!op) throw new TypeError(`createMock: an error example of ${id} names the unknown operation ${example.method}`);
      op.addErrorExample(example.request, example.code, example.message);
    }
    // Keys the spec gives as a key field's example exist too (a usage snippet built from field examples finds them).
    for (const [name, keys] of Object.entries(definition.resources ?? {})) for (const { key, methods } of keys.examples ?? []) stores.get(name)?.addExampleKey(key, methods);

    if (metadata.protocol.name === "tc3") {
      const scope = metadata.protocol.service;
      if (this.#tc3.has(scope)) throw new TypeError(`createMock: two services use the credential scope ${scope}`);
      const actions = new Map<string, MockOperation>();
      for (const [method, op] of operations) {
        const action = op.ctx.meta.action;
        if (!action) throw new TypeError(`createMock: ${id}.${method} has no action`);
        actions.set(action, op);
      }
      this.#tc3.set(scope, { id, scope, version: metadata.protocol.version, actions });
    } else {
      const version = metadata.protocol.version;
      this.#chatVersions.add(version);
      for (const [method, op] of operations) {
        const command = op.ctx.meta.command;
        if (!command) throw new TypeError(`createMock: ${id}.${method} has no command`);
        const path = `${version}/${command}`;
        if (this.#chat.has(path)) throw new TypeError(`createMock: two operations are served at /${path}`);
        this.#chat.set(path, { serviceId: id, operation: op });
      }
    }
    this.#services.set(id, { id, definition, protocol, operations, stores });
  }

  /** Answers one request; never throws, and always in the protocol's envelope. */
  respond(request: MockHttpRequest): MockHttpResponse {
    const protocol = this.#protocolOf(request.url);
    // Headers may be a plain object (node's own): every read is by a fixed name, or by a
    // client-given name (the signed list) through an own-property check.
    let requestId = "";
    try {
      const routed = protocol === "tc3" ? handleTc3(request, this.#tc3Router) : handleChat(request, this.#chatRouter);
      const outcome: MockOutcome = routed.outcome;
      requestId = this.#ids.next(protocol);
      const meta = routed.operation?.ctx.meta;
      const answer = reply(protocol, outcome, requestId, meta?.responseRepresentation ?? null, meta?.payloadAt);
      this.#log({ service: routed.service, operation: routed.operation?.name, code: outcome.ok ? null : outcome.code, requestId });
      return answer;
    } catch (error) {
      // A sampler or a payload set by a test failed: still an envelope, never a bare 500.
      requestId ||= this.#ids.next(protocol);
      const code = INTERNAL_ERROR[protocol];
      this.#log({ service: undefined, operation: undefined, code, requestId });
      return reply(protocol, failure(code, `The mock failed: ${error instanceof Error ? error.message : String(error)}`), requestId);
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
    return listenMock((r) => this.respond(r), (line) => this.#malformed(line), this.maxBodyBytes, options);
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
    if (matches.length > 1) throw new RangeError(`several services have a ${kind} ${name}: use ${matches.map((s) => `${s.id}.${name}`).join(" or ")}`);
    throw new RangeError(`no service of this mock has a ${kind} ${name}`);
  }

  /** The answer to what is not HTTP: the protocol's "cannot parse the HTTP request" code. */
  #malformed(firstLine: string): MockHttpResponse {
    const protocol = this.#protocolOf(firstLine.split(" ")[1] ?? "/");
    const code = protocol === "tc3" ? "UnsupportedProtocol" : 60002;
    const requestId = this.#ids.next(protocol);
    this.#log({ service: undefined, operation: undefined, code, requestId });
    return reply(protocol, failure(code, "The request is not valid HTTP/1.1."), requestId);
  }

  /** Chat when the path starts with a served Chat version (`/v4/`), else TC3. */
  #protocolOf(url: string): MockProtocol {
    if (this.#chat.size === 0) return "tc3";
    if (this.#tc3.size === 0) return "chat-rest";
    const m = /^\/+([^/?]+)\//.exec(url);
    return m && this.#chatVersions.has(m[1]!) ? "chat-rest" : "tc3";
  }

  #log(call: MockCall): void {
    this.calls.push(call);
    if (this.calls.length > 2 * MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }
}

/** A mock serving the given generated service definitions (`mockDefinition` of each package). */
export function createMock(definitions: MockServiceDefinition | readonly MockServiceDefinition[], options: MockOptions = {}): Mock {
  return new Mock(definitions, options);
}
