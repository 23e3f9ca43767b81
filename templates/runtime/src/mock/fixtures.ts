// A fixtures file: per service id, resources to put, responses to queue and errors to inject,
// as JSON (read losslessly, so 64-bit integers keep their digits). Keys starting with "$" or "//"
// are comments. Example:
//
//   { "lcic": {
//       "resources": { "room": [ { "key": 42, "startedAt": "-2h", "endedAt": "-10m",
//                                  "items": { "getRoomEvent": [ { "Timestamp": 1, "EventType": "RoomStart" } ] } } ] },
//       "responses": { "describeRoomStatistics": [ { "Total": 0, "MemberRecords": [] } ] },
//       "errors": [ { "method": "getRoomEvent", "code": "InternalError", "times": 2 } ] } }
import { parseJson } from "../shared/json.js";
import type { MockResourceInput } from "./store.js";

export interface MockErrorFixture {
  method: string;
  code: string | number;
  times?: number | undefined;
  message?: string | undefined;
}

export interface MockServiceFixtures {
  /** Per resource name, the resources to put. */
  resources?: Readonly<Record<string, readonly MockResourceInput[]>> | undefined;
  /** Per operation (client method), responses for its next calls, in order. */
  responses?: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>> | undefined;
  /** Errors for the next calls of an operation. */
  errors?: readonly MockErrorFixture[] | undefined;
}

/** Per service id. */
export type MockFixtures = Readonly<Record<string, MockServiceFixtures>>;

export class MockFixtureError extends Error {
  override readonly name = "MockFixtureError";
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`fixtures${path ? ` at ${path}` : ""}: ${problem}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isComment = (key: string) => key.startsWith("$") || key.startsWith("//");

function object(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw new MockFixtureError(path, "must be an object");
  return Object.fromEntries(Object.entries(value).filter(([k]) => !isComment(k)));
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new MockFixtureError(path, "must be an array");
  return value;
}

function only(o: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new MockFixtureError(`${path}.${k}`, `unknown key (expected ${keys.join(", ")})`);
}

const time = (v: unknown) => v === undefined || v === null || typeof v === "number" || typeof v === "string";

function resource(value: unknown, path: string): MockResourceInput {
  const o = object(value, path);
  only(o, ["key", "startedAt", "endedAt", "state", "responses", "items", "attributes"], path);
  if (o["attributes"] !== undefined) object(o["attributes"], `${path}.attributes`);
  const key = o["key"];
  if (typeof key !== "string" && typeof key !== "number" && typeof key !== "bigint")
    throw new MockFixtureError(`${path}.key`, "must be a string or an integer");
  for (const t of ["startedAt", "endedAt"])
    if (!time(o[t])) throw new MockFixtureError(`${path}.${t}`, 'must be ms since the epoch, relative text ("-10m") or null');
  const state = o["state"];
  if (state !== undefined && state !== "not-started" && state !== "live" && state !== "ended") {
    throw new MockFixtureError(`${path}.state`, 'must be "not-started", "live" or "ended"');
  }
  const responses = o["responses"] === undefined ? undefined : object(o["responses"], `${path}.responses`);
  for (const [m, r] of Object.entries(responses ?? {})) object(r, `${path}.responses.${m}`);
  const items = o["items"] === undefined ? undefined : object(o["items"], `${path}.items`);
  for (const [m, list] of Object.entries(items ?? {})) array(list, `${path}.items.${m}`);
  return o as unknown as MockResourceInput;
}

/** Checks the structure of parsed fixtures (not the payloads: they are answered as given). */
export function checkMockFixtures(value: unknown): MockFixtures {
  const out: Record<string, MockServiceFixtures> = {};
  for (const [id, raw] of Object.entries(object(value, ""))) {
    const path = id;
    const s = object(raw, path);
    only(s, ["resources", "responses", "errors"], path);
    const fixtures: MockServiceFixtures = {};
    if (s["resources"] !== undefined) {
      const resources: Record<string, MockResourceInput[]> = {};
      for (const [name, list] of Object.entries(object(s["resources"], `${path}.resources`))) {
        resources[name] = array(list, `${path}.resources.${name}`).map((r, i) => resource(r, `${path}.resources.${name}[${i}]`));
      }
      fixtures.resources = resources;
    }
    if (s["responses"] !== undefined) {
      const responses: Record<string, Array<Record<string, unknown>>> = {};
      for (const [method, list] of Object.entries(object(s["responses"], `${path}.responses`))) {
        responses[method] = array(list, `${path}.responses.${method}`).map((r, i) => object(r, `${path}.responses.${method}[${i}]`));
      }
      fixtures.responses = responses;
    }
    if (s["errors"] !== undefined) {
      fixtures.errors = array(s["errors"], `${path}.errors`).map((e, i) => {
        const p = `${path}.errors[${i}]`;
        const o = object(e, p);
        only(o, ["method", "code", "times", "message"], p);
        if (typeof o["method"] !== "string") throw new MockFixtureError(`${p}.method`, "must be a string");
        if (typeof o["code"] !== "string" && typeof o["code"] !== "number") throw new MockFixtureError(`${p}.code`, "must be a string or a number");
        if (o["times"] !== undefined && typeof o["times"] !== "number") throw new MockFixtureError(`${p}.times`, "must be a number");
        if (o["message"] !== undefined && typeof o["message"] !== "string") throw new MockFixtureError(`${p}.message`, "must be a string");
        return o as unknown as MockErrorFixture;
      });
    }
    out[id] = fixtures;
  }
  return out;
}

/** Parses a fixtures file's text (lossless JSON) and checks its structure. */
export function parseMockFixtures(text: string): MockFixtures {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    throw new MockFixtureError("", `not JSON: ${(error as Error).message}`);
  }
  return checkMockFixtures(value);
}
