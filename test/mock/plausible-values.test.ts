// Plausible mock data: times of one object in order (by a shape's `order:` or the name rule),
// lists in time order across pages, strings matching their pattern, formats respected, and seeded
// and allocated keys matching the key field's pattern. Every sample is checked with the generated
// validators in strict mode.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createMock as CreateMock, createRng as CreateRng, MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { patternProgram, UnsupportedPattern } from "../../generator/emit/pattern-program.js";
import { timeOrderPairs } from "../../generator/ir/time-order.js";
import type { Field, Shape } from "../../generator/ir/types.js";
import { createRng } from "../../templates/runtime/src/mock/definition.js";
import { drawPattern } from "../../templates/runtime/src/mock/sample.js";
import { TC3, tc3Request } from "./support/requests.js";
import { generateTree, type GeneratedTree } from "./support/lifecycle-specs.js";

const SOURCE = "ref";
const COMM_ID = "^[0-9]+_.+_[0-9]+$";
const USER_ID = "^user_[a-z0-9]{4,8}$";
const uint = (description: string, extra: Record<string, unknown> = {}) => ({ type: "uint64", js: "number", description, ...extra });
const seconds = (description: string, extra: Record<string, unknown> = {}) =>
  uint(description, { format: "unix-time", unit: "seconds", required: true, ...extra });

const SERVICE = {
  service: "plausible",
  title: "Plausible data test service",
  description: "Calls with sessions, events and time windows.",
  package: { name: "@rtc-apigen/plausible" },
  protocol: { name: "tc3", service: "plausible", version: "2020-01-01" },
  endpoints: [{ id: "default", host: "plausible.tencentcloudapi.com", default: true, description: "The endpoint.", source: SOURCE }],
  regions: { required: false, source: SOURCE },
  resources: { call: { description: "A call, keyed by its CommId.", key: "string" } },
  types: {
    Session: {
      description: "A user's time in a call.",
      source: SOURCE,
      fields: {
        UserId: { type: "string", required: true, pattern: USER_ID, description: "The user." },
        JoinTs: seconds("When the user joined."),
        LeaveTs: seconds("When the user left."),
        FirstJoinTimestamp: seconds("First join."),
        LastQuitTimestamp: seconds("Last quit."),
        Ip: { type: "string", required: true, format: "ipv4", description: "The user's IP." },
        Url: { type: "string", required: true, format: "uri", maxLength: 30, description: "A link." },
        Day: { type: "string", required: true, format: "date", description: "The day." },
        At: { type: "string", required: true, format: "date-time", description: "A moment." },
        Code: { type: "string", required: true, pattern: "^[A-Z]{2}-\\d{3}(-[a-f]{2})?$", maxLength: 6, description: "A code." },
        Region: { type: "string", required: true, pattern: "^(ap|na|eu)-[a-z]+$", description: "A region." },
        Events: { type: "Event[]", required: true, description: "What the user did." },
      },
    },
    Event: {
      description: "An event.",
      source: SOURCE,
      fields: {
        Time: { type: "uint64", js: "number", required: true, format: "unix-time", unit: "milliseconds", description: "When (ms)." },
        Kind: { type: "string", required: true, enum: ["join", "leave"], description: "What." },
      },
    },
    Window: {
      description: "Times named unlike the name rule, ordered by `order:`.",
      source: SOURCE,
      order: [{ first: "Alpha", then: "Omega" }],
      fields: {
        Alpha: seconds("The first time."),
        Omega: uint("The last time (ms).", { format: "unix-time", unit: "milliseconds", required: true }),
        StartDate: { type: "string", required: true, format: "date", description: "Not ordered: the shape's order says which are." },
      },
    },
  },
  sources: [{ id: SOURCE, title: "Test" }],
};

const OPERATIONS = [
  {
    name: "DescribeCallSessions",
    action: "DescribeCallSessions",
    summary: "The sessions of a call.",
    description: "Sessions of a call, a page at a time.",
    source: SOURCE,
    mock: { resource: "call", key: "CommId", notFound: "ResourceNotFound.Call" },
    pagination: { style: "page-number", page: "Page", firstPage: 1, size: "Limit", items: "Sessions", total: "Total" },
    request: {
      fields: {
        CommId: { type: "string", required: true, pattern: COMM_ID, description: "The call." },
        Page: uint("Page.", { minimum: 1 }),
        Limit: uint("Size.", { minimum: 1, maximum: 10 }),
      },
    },
    response: {
      fields: {
        Total: uint("Every session.", { required: true }),
        Sessions: { type: "Session[]", required: true, description: "The page." },
        Window: { type: "Window", required: true, description: "The window." },
        RequestId: { type: "string", required: true, description: "The request ID." },
      },
    },
    errors: [{ code: "ResourceNotFound.Call", description: "No such call.", retryable: false }],
    examples: [],
  },
  {
    name: "StartCall",
    action: "StartCall",
    summary: "Starts a call.",
    description: "Starts a call; the service names it.",
    source: SOURCE,
    mock: { resource: "call", action: "create", keyFrom: "response.CommId" },
    request: { fields: { UserId: { type: "string", required: true, description: "Who starts it." } } },
    response: {
      fields: {
        CommId: { type: "string", required: true, pattern: COMM_ID, maxLength: 40, description: "The new call." },
        RequestId: { type: "string", required: true, description: "The request ID." },
      },
    },
    errors: [],
    examples: [],
  },
];

let tree: GeneratedTree;
let definition: MockServiceDefinition;
let createMock: typeof CreateMock;
let rng: typeof CreateRng;

beforeAll(async () => {
  tree = await generateTree("mock-plausible-", [{ service: SERVICE, operations: OPERATIONS }]);
  if (!tree.wrote) return;
  definition = ((await import(path.join(tree.outDir, "plausible", "src", "mock.ts"))) as { mockDefinition: MockServiceDefinition }).mockDefinition;
  const runtime = (await import(path.join(tree.outDir, "runtime", "src", "mock.ts"))) as {
    createMock: typeof CreateMock;
    createRng: typeof CreateRng;
  };
  createMock = runtime.createMock;
  rng = runtime.createRng;
});
afterAll(() => tree?.cleanup());

const SAMPLES = 600;
type Session = {
  UserId: string;
  JoinTs: number;
  LeaveTs: number;
  FirstJoinTimestamp: number;
  LastQuitTimestamp: number;
  Code: string;
  Events: Array<{ Time: number }>;
};

function expectOrdered(s: Session) {
  expect(s.LeaveTs, "LeaveTs ≥ JoinTs").toBeGreaterThanOrEqual(s.JoinTs);
  expect(s.LastQuitTimestamp, "LastQuit ≥ FirstJoin").toBeGreaterThanOrEqual(s.FirstJoinTimestamp);
  // Plausible spans: minutes to hours, not years.
  expect(s.LeaveTs - s.JoinTs).toBeLessThanOrEqual(3 * 3600);
  const times = s.Events.map((e) => e.Time);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe("sampled data", () => {
  it("generates without a diagnostic", () => expect(tree.diagnostics).toEqual([]));

  it("passes the strict validators, with every time pair in order and lists in time order", () => {
    const validate = definition.validators["describeCallSessions"]!.response;
    const sampler = definition.samplers["describeCallSessions"]!;
    let sessions = 0;
    for (let seed = 0; seed < SAMPLES; seed++) {
      const payload = sampler.response(rng(seed)) as { Sessions: Session[]; Window: { Alpha: number; Omega: number } };
      const result = validate(payload, { strict: true });
      expect(result.ok ? [] : result.issues.map((i) => i.message), `seed ${seed}`).toEqual([]);
      payload.Sessions.forEach(expectOrdered);
      sessions += payload.Sessions.length;
      const joins = payload.Sessions.map((s) => s.JoinTs);
      expect(joins).toEqual([...joins].sort((a, b) => a - b));
      expect(payload.Window.Omega, "Omega (ms) ≥ Alpha (s)").toBeGreaterThanOrEqual(payload.Window.Alpha * 1000);
    }
    expect(sessions).toBeGreaterThan(SAMPLES / 2);
  });

  it("draws strings that match their pattern and vary", () => {
    const sampler = definition.samplers["describeCallSessions"]!;
    const users = new Set<string>();
    const codes = new Set<string>();
    for (let seed = 0; seed < SAMPLES; seed++) {
      for (const s of (sampler.response(rng(seed)) as { Sessions: Session[] }).Sessions) {
        users.add(s.UserId);
        codes.add(s.Code);
      }
    }
    expect([...users].every((u) => new RegExp(USER_ID, "u").test(u))).toBe(true);
    expect([...codes].every((c) => /^[A-Z]{2}-\d{3}$/.test(c) && c.length <= 6)).toBe(true);
    expect(users.size).toBeGreaterThan(50);
  });
});

describe("through the mock", () => {
  it("seeds keys that match the key field's pattern, and serves each, its pages in time order", () => {
    const mock = createMock(definition, { seed: 4, rateLimit: false });
    const calls = mock.resources("plausible.call");
    const keys = calls.keys({ count: 10 }) as string[];
    expect(keys).toHaveLength(10);
    for (const k of keys) expect(k).toMatch(new RegExp(COMM_ID, "u"));
    const [unknown] = calls.keys({ known: false, count: 1 }) as string[];
    expect(unknown).toMatch(new RegExp(COMM_ID, "u"));
    const validate = definition.validators["describeCallSessions"]!.response;
    for (const CommId of keys) {
      const sessions: Session[] = [];
      let total = Infinity;
      for (let Page = 1; sessions.length < total; Page++) {
        const page = call(mock, "DescribeCallSessions", { CommId, Page, Limit: 10 });
        expect(validate(page, { strict: true }).ok).toBe(true);
        total = page.Total as number;
        const got = page.Sessions as Session[];
        if (got.length === 0) break;
        sessions.push(...got);
      }
      expect(sessions).toHaveLength(total);
      sessions.forEach(expectOrdered);
      const joins = sessions.map((s) => s.JoinTs);
      expect(joins, CommId).toEqual([...joins].sort((a, b) => a - b));
    }
  });

  it("allocates keys that match the key field's pattern", () => {
    const mock = createMock(definition, { seed: 4, rateLimit: false });
    const made = new Set<string>();
    for (let i = 0; i < 20; i++) made.add(call(mock, "StartCall", { UserId: "u" }).CommId as string);
    expect(made.size).toBe(20);
    for (const k of made) {
      expect(k).toMatch(new RegExp(COMM_ID, "u"));
      expect(k.length).toBeLessThanOrEqual(40);
      expect(call(mock, "DescribeCallSessions", { CommId: k, Page: 1, Limit: 1 }).Total).toBeTypeOf("number");
    }
  });
});

/** One TC3 call through the mock's in-process fetch, signed like a client (the generated one is not needed here). */
function call(mock: ReturnType<typeof CreateMock>, action: string, body: Record<string, unknown>): Record<string, unknown> {
  const request = tc3Request(
    {
      action,
      body,
      service: "plausible",
      version: "2020-01-01",
      host: "plausible.tencentcloudapi.com",
      secretId: TC3.secretId,
      secretKey: TC3.secretKey,
    },
    mock.now(),
  );
  const answer = mock.respond(request);
  const parsed = JSON.parse(String(answer.body)) as { Response: Record<string, unknown> & { Error?: { Code: string } } };
  if (parsed.Response.Error) throw new Error(`${action}: ${parsed.Response.Error.Code}`);
  return parsed.Response;
}

describe("pattern programs", () => {
  const PATTERNS = [
    COMM_ID,
    USER_ID,
    "^[A-Z]{2}-\\d{3}$",
    "^(ap|na|eu)-[a-z]+$",
    "^[^,;]{1,5}$",
    "^\\w+@\\w+\\.com$",
    "^[\\u4e00-\\u9fa5]{2,4}$",
    "^a(b|cd)*e?$",
    "^\\p{L}+\\d$",
    "x[0-9]",
  ];
  it.each(PATTERNS)("draws strings matching %s", (pattern) => {
    const program = patternProgram(pattern);
    const re = new RegExp(pattern, "u");
    const r = createRng(pattern);
    for (let i = 0; i < 300; i++) expect(drawPattern(r, program)).toMatch(re);
  });
  it("refuses what it cannot draw (the emitter then falls back to a pool or the example)", () => {
    for (const p of ["^(?=a)a$", "^(a)\\1$", "\\bx\\b"]) expect(() => patternProgram(p)).toThrow(UnsupportedPattern);
  });
  it("keeps lengths within min and max when it can", () => {
    const r = createRng(1);
    const program = patternProgram("^[a-z]+$");
    for (let i = 0; i < 100; i++) expect(drawPattern(r, program, 3, 4).length).toBeGreaterThanOrEqual(3);
  });
});

describe("the name rule for ordered times (generator/ir/time-order.ts)", () => {
  const field = (name: string, extra: Partial<Field> = {}): Field =>
    ({
      name,
      type: { kind: "scalar", name: "uint64" },
      description: "",
      required: true,
      nullable: false,
      constraints: { format: "unix-time" },
      notes: [],
      loc: { file: "", line: 0, col: 0 },
      at: {},
      ...extra,
    }) as Field;
  const shape = (fields: Field[], order?: Shape["order"]): Shape => ({
    name: "S",
    description: "",
    fields,
    notes: [],
    definedIn: "",
    loc: { file: "", line: 0, col: 0 },
    ...(order ? { order } : {}),
  });
  it("pairs start and end words with the same stem, only among times", () => {
    const s = shape([
      field("JoinTs"),
      field("LeaveTs"),
      field("RealStartTime"),
      field("RealEndTime"),
      field("StartTime"),
      field("CreateTime"),
      field("EndCount", { constraints: {} }),
    ]);
    expect(timeOrderPairs(s)).toEqual([
      { first: "JoinTs", then: "LeaveTs" },
      { first: "RealStartTime", then: "RealEndTime" },
    ]);
  });
  it("takes a shape's order over the rule, and order: [] for none", () => {
    const loc = { file: "", line: 0, col: 0 };
    expect(timeOrderPairs(shape([field("StartTime"), field("EndTime")], []))).toEqual([]);
    expect(timeOrderPairs(shape([field("A"), field("B")], [{ first: "A", then: "B", loc, at: {} }]))).toEqual([{ first: "A", then: "B" }]);
  });
});
