// Data that behaves: the seeded store (same seed, same answers), the unknown-key rule, resource
// lifecycles against `requires`, examples, put resources and fixtures, injected errors and queued
// responses, and pagination invariants as a property.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMock, parseMockFixtures, type Mock } from "../../templates/runtime/src/mock/server.js";
import { eduDefinition, imDefinition } from "./support/definitions.js";
import { chatCode, chatRequest, json, manualClock, NOW, tc3Code, tc3Request, type ManualClock } from "./support/requests.js";

const MINUTE = 60_000;

function setup(options: Parameters<typeof createMock>[1] = {}) {
  const clock = manualClock();
  const mock = createMock([eduDefinition, imDefinition], { now: clock.now, rateLimit: false, ...options });
  return { mock, clock, ...senders(mock, clock) };
}

function senders(mock: Mock, clock: ManualClock) {
  const events = (RoomId: number, Page = 1, Limit = 10) =>
    mock.respond(tc3Request({ action: "GetRoomEvent", body: { RoomId, SdkAppId: 1, Page, Limit } }, clock.now()));
  const stats = (RoomId: number, Page = 1, Limit = 10) =>
    mock.respond(tc3Request({ action: "DescribeRoomStatistics", body: { RoomId, Page, Limit } }, clock.now()));
  const room = (RoomId: string) => mock.respond(chatRequest({ command: "room_engine_http_srv/get_room_info", body: { RoomId } }, clock.now()));
  return { events, stats, room };
}

describe("determinism", () => {
  it("two mocks with the same seed answer a sequence of requests byte for byte alike", () => {
    const run = (seed: number) => {
      const { events, stats, room } = setup({ seed });
      const out: string[] = [];
      for (let id = 1; id <= 40; id++) out.push(events(id).body, stats(id, 2, 3).body, room(`r-${id}`).body);
      return out;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
  });

  it("the same request gets the same data every time (request ids aside)", () => {
    const { events } = setup();
    const strip = (b: string) => b.replace(/"RequestId":"[^"]*"/, "");
    expect(strip(events(7).body)).toBe(strip(events(7).body));
  });
});

describe("unknown keys", () => {
  it("keys() finds known and unknown keys; unknown ones get the notFound code", () => {
    const { mock, events, stats, room } = setup();
    const unknown = mock.resources("edu.room").keys({ known: false, count: 3 }) as number[];
    expect(unknown).toHaveLength(3);
    for (const id of unknown) {
      expect(mock.resources("edu.room").get(id)).toBeUndefined();
      expect(tc3Code(events(id))).toBe("ResourceNotFound.Room");
      expect(tc3Code(stats(id))).toBe("ResourceNotFound.Room");
    }
    const [missingRoom] = mock.resources("im.room").keys({ known: false, count: 1 }) as string[];
    expect(chatCode(room(missingRoom!))).toBe(100004);
    // About three in four arbitrary keys exist (the documented default).
    const known = Array.from({ length: 400 }, (_, i) => mock.resources("edu.room").get(i + 1000) !== undefined).filter(Boolean).length;
    expect(known).toBeGreaterThan(250);
    expect(known).toBeLessThan(350);
  });

  it("delete() makes a key unknown, put() makes it known", () => {
    const { mock, events } = setup();
    mock.resources("edu.room").delete(1);
    expect(tc3Code(events(1))).toBe("ResourceNotFound.Room");
    mock.resources("edu.room").put({ key: 1, state: "ended" });
    expect(tc3Code(events(1))).toBeNull();
  });
});

describe("lifecycle", () => {
  it("statistics of a room that has not ended answer FailedOperation.RoomNotEnd", () => {
    const { mock, stats } = setup();
    const rooms = mock.resources("edu.room");
    const [live] = rooms.keys({ state: "live", count: 1 }) as number[];
    const [scheduled] = rooms.keys({ state: "not-started", count: 1 }) as number[];
    const [ended] = rooms.keys({ state: "ended", count: 1 }) as number[];
    expect(tc3Code(stats(live!))).toBe("FailedOperation.RoomNotEnd");
    expect(tc3Code(stats(scheduled!))).toBe("FailedOperation.RoomNotEnd");
    expect(tc3Code(stats(ended!))).toBeNull();
  });

  it("events only within one hour after the class ends; otherwise an empty result (no code documented)", () => {
    const { mock, clock, events } = setup();
    mock.resources("edu.room").put({
      key: 500,
      startedAt: NOW - 2 * 60 * MINUTE,
      endedAt: NOW - 59 * MINUTE,
      items: { getRoomEvent: [{ Timestamp: 1, EventType: "RoomEnd" }] },
    });
    expect(json(events(500))["Response"]).toMatchObject({ Total: 1, Events: [{ EventType: "RoomEnd" }] });
    clock.advance(2 * MINUTE);
    const late = json(events(500))["Response"];
    expect(late["Error"]).toBeUndefined();
    expect(late).toMatchObject({ Total: 0, Events: [] });
  });

  it("a live room moves to ended as the mock clock passes its endedAt", () => {
    const { mock, clock, stats } = setup();
    mock.resources("edu.room").put({ key: 600, startedAt: "-10m", endedAt: "+30m" });
    expect(mock.resources("edu.room").state(600)).toBe("live");
    expect(tc3Code(stats(600))).toBe("FailedOperation.RoomNotEnd");
    clock.advance(31 * MINUTE);
    expect(mock.resources("edu.room").state(600)).toBe("ended");
    expect(tc3Code(stats(600))).toBeNull();
  });

  it("a put resource without times gets a lifecycle every operation on it accepts", () => {
    const { mock, events, stats } = setup();
    mock.resources("edu.room").put({ key: 700 });
    expect(tc3Code(events(700))).toBeNull();
    expect(tc3Code(stats(700))).toBeNull();
  });

  it("refuses impossible lifecycles and unknown operations", () => {
    const { mock } = setup();
    const rooms = mock.resources("edu.room");
    expect(() => rooms.put({ key: 1, startedAt: "-1m", endedAt: "-2m" })).toThrow(/before startedAt/);
    expect(() => rooms.put({ key: 1, startedAt: "yesterday" })).toThrow(/not a time/);
    expect(() => rooms.put({ key: 1, items: { getRoomEvents: [] } })).toThrow(/not an operation/);
    expect(() => rooms.put({ key: "abc" })).toThrow(/not an integer key/);
    expect(() => mock.resources("room")).toThrow(/edu.room or im.room/);
  });
});

describe("examples and put data", () => {
  it("serves the spec's example for its request, and the example's data for other pages", () => {
    const { events, stats } = setup();
    const response = json(events(1))["Response"];
    expect(response["Total"]).toBe(1);
    expect(response["Events"]).toEqual(eduDefinition.examples[0]!.response["Events"]);
    const page2 = json(events(1, 2, 10))["Response"];
    expect(page2).toMatchObject({ Total: 1, Events: [] });
    expect(json(stats(1, 1, 1))["Response"]["PeakMemberNumber"]).toBe(1);
  });

  it("a put resource's responses and items are served, paginated", () => {
    const { mock, events } = setup();
    const items = Array.from({ length: 25 }, (_, i) => ({ Timestamp: i, EventType: "MemberJoin" }));
    mock.resources("edu.room").put({ key: 800, state: "ended", items: { getRoomEvent: items } });
    expect(json(events(800, 1, 10))["Response"]["Events"]).toEqual(items.slice(0, 10));
    expect(json(events(800, 3, 10))["Response"]).toMatchObject({ Total: 25, Events: items.slice(20) });
  });

  it("a fixtures file puts resources, queues responses and injects errors (lossless JSON)", () => {
    const fixtures = parseMockFixtures(`{
      "$comment": "test fixtures",
      "edu": {
        "resources": { "room": [ { "key": 900, "startedAt": "-2h", "endedAt": "-10m", "items": { "getRoomEvent": [ { "Timestamp": 5, "EventType": "RoomStart" } ] } } ] },
        "responses": { "describeOwner": [ { "OwnerId": 18446744073709551615, "Owners": [], "RequestId": "x" } ] },
        "errors": [ { "method": "describeRoomStatistics", "code": "InternalError", "times": 2 } ]
      },
      "im": { "resources": { "room": [ { "key": "fixture-room", "responses": { "getRoomInfo": { "RoomInfo": { "RoomId": "fixture-room", "Owner_Account": 144115233775727695 } } } } ] } }
    }`);
    const { mock, clock, events, stats, room } = setup({ fixtures });
    expect(json(events(900))["Response"]).toMatchObject({ Total: 1, Events: [{ Timestamp: 5 }] });
    expect(tc3Code(stats(1))).toBe("InternalError");
    expect(tc3Code(stats(1))).toBe("InternalError");
    expect(tc3Code(stats(1))).toBeNull();
    const owner = mock.respond(tc3Request({ action: "DescribeOwner", body: { OwnerId: "1" } }, clock.now()));
    expect(owner.body).toContain('"OwnerId":18446744073709551615');
    expect(room("fixture-room").body).toContain('"Owner_Account":144115233775727695');
    // reset() reloads the fixtures.
    mock.reset();
    expect(tc3Code(stats(1))).toBe("InternalError");
  });

  it("fixtures with mistakes are refused with their path", () => {
    expect(() => parseMockFixtures(`{"edu": {"resources": {"room": [{"key": true}]}}}`)).toThrow("fixtures at edu.resources.room[0].key");
    expect(() => parseMockFixtures(`{"edu": {"errors": [{"method": "x"}]}}`)).toThrow("edu.errors[0].code");
    expect(() => parseMockFixtures(`{"edu": {"extra": 1}}`)).toThrow("edu.extra");
    expect(() => parseMockFixtures(`{`)).toThrow("not JSON");
    const { mock } = setup();
    expect(() => mock.loadFixtures({ nope: {} })).toThrow("no service nope");
    expect(() => mock.loadFixtures({ edu: { resources: { hall: [] } } })).toThrow("no resource hall");
  });
});

describe("filters (mock.filters)", () => {
  const filtered = (mock: Mock, clock: ManualClock, RoomId: number, Keyword: string | undefined, Page = 1, Limit = 10) =>
    json(
      mock.respond(
        tc3Request(
          { action: "GetRoomEvent", body: { RoomId, SdkAppId: 1, Page, Limit, ...(Keyword === undefined ? {} : { Keyword }) } },
          clock.now(),
        ),
      ),
    )["Response"];
  type Event = { EventType: string };

  it("a seeded room: each type's events, all in one answer whatever the page, with the unfiltered total", () => {
    const { mock, clock } = setup();
    const [room] = mock
      .resources("edu.room")
      .keys({ state: "ended", count: 40 })
      .filter((k) => {
        const r = mock.resources("edu.room").get(k)!;
        return clock.now() - r.endedAt! < 3_600_000 && (filtered(mock, clock, k as number, undefined, 1, 200)["Total"] as number) > 15;
      }) as number[];
    expect(room).toBeDefined();
    const everything = filtered(mock, clock, room!, "", 1, 200);
    const all = everything["Events"] as Event[];
    expect(all).toHaveLength(everything["Total"]);
    const types = [...new Set(all.map((e) => e.EventType))];
    expect(types.length).toBeGreaterThan(1);
    const seen: Event[] = [];
    for (const type of types) {
      // Page and Limit are ignored while Keyword is set: page 1 of size 1 and page 9 alike.
      for (const [page, limit] of [
        [1, 1],
        [9, 3],
      ] as const) {
        const answer = filtered(mock, clock, room!, type, page, limit);
        expect(answer["Total"]).toBe(everything["Total"]);
        expect(answer["Events"]).toEqual(all.filter((e) => e.EventType === type));
      }
      seen.push(...(filtered(mock, clock, room!, type)["Events"] as Event[]));
    }
    // The types together give back every event, none twice.
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((e) => JSON.stringify(e))).size).toBe(new Set(all.map((e) => JSON.stringify(e))).size);
    // A type with no events: an empty list, the total still every event.
    const absent = ["RoomStart", "RoomEnd", "MemberJoin", "MemberQuit", "RecordFinish"].find((t) => !types.includes(t));
    if (absent) expect(filtered(mock, clock, room!, absent)).toMatchObject({ Events: [], Total: everything["Total"] });
    // Absent and "" are no filter: paging applies.
    expect(filtered(mock, clock, room!, undefined, 1, 2)["Events"]).toEqual(all.slice(0, 2));
    expect(filtered(mock, clock, room!, "", 2, 2)["Events"]).toEqual(all.slice(2, 4));
  });

  it("a put room's items are filtered the same way", () => {
    const { mock, clock } = setup();
    const items = Array.from({ length: 12 }, (_, i) => ({ Timestamp: i, EventType: i % 3 === 0 ? "RoomStart" : "MemberJoin" }));
    mock.resources("edu.room").put({ key: 801, state: "ended", items: { getRoomEvent: items } });
    expect(filtered(mock, clock, 801, "RoomStart", 2, 1)).toMatchObject({ Total: 12, Events: items.filter((e) => e.EventType === "RoomStart") });
    expect(filtered(mock, clock, 801, "MemberQuit")).toMatchObject({ Total: 12, Events: [] });
    expect(filtered(mock, clock, 801, undefined, 2, 5)).toMatchObject({ Total: 12, Events: items.slice(5, 10) });
  });
});

describe("injected errors and queued responses", () => {
  it("injects a documented error for the next calls only", () => {
    const { mock, events } = setup();
    mock.injectError("getRoomEvent", "InternalError", { times: 2 });
    expect(tc3Code(events(1))).toBe("InternalError");
    expect(json(events(1))["Response"]["Error"]["Message"]).toContain("InternalError");
    expect(tc3Code(events(1))).toBeNull();
    mock.injectError("edu.getRoomEvent", "ResourceNotFound.Room", { message: "custom" });
    expect(json(events(1))["Response"]["Error"]).toEqual({ Code: "ResourceNotFound.Room", Message: "custom" });
  });

  it("injects Chat codes as integers", () => {
    const { mock, room } = setup();
    mock.service("im").injectError("getRoomInfo", 100001);
    const res = json(room("room-test"));
    expect(res).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 100001 });
  });

  it("refuses a code the operation does not document", () => {
    const { mock } = setup();
    expect(() => mock.injectError("getRoomEvent", "FailedOperation.RoomNotEnd")).toThrow(/not a documented error/);
    expect(() => mock.injectError("getRoomInfo", 99999)).toThrow(/not a documented error/);
    expect(() => mock.injectError("getRoomEvent", "InternalError", { times: 0 })).toThrow(/times/);
    expect(() => mock.injectError("nothing", "InternalError")).toThrow(/no service/);
  });

  it("a queued response is served as is (RequestId aside), then the store again", () => {
    const { mock, events } = setup();
    mock.setNextResponse("getRoomEvent", { Total: 99, Events: [] });
    expect(json(events(1))["Response"]).toMatchObject({ Total: 99, Events: [] });
    expect(json(events(1))["Response"]["Total"]).toBe(1);
  });

  it("an invalid request is answered as invalid even with an error queued (validation comes first)", () => {
    const { mock, clock } = setup();
    mock.injectError("getRoomEvent", "InternalError");
    const res = mock.respond(tc3Request({ action: "GetRoomEvent", body: { RoomId: 1 } }, clock.now()));
    expect(tc3Code(res)).toBe("MissingParameter");
  });
});

describe("pagination", () => {
  it("pages partition the list: total equals the items over all pages, none twice, page size honoured", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 10_000 }), fc.integer({ min: 1, max: 50 }), (seed, roomId, limit) => {
        const clock = manualClock();
        const mock = createMock(eduDefinition, { seed, now: clock.now, rateLimit: false, maxItems: 60 });
        const { stats, events } = senders(mock, clock);
        const room = mock.resources("room").get(roomId);
        for (const [fetch, field] of [
          [stats, "MemberRecords"],
          [events, "Events"],
        ] as const) {
          const first = json(fetch(roomId, 1, limit))["Response"];
          if (first["Error"]) {
            // Unknown, or not in the state the operation needs: a documented code, never data.
            expect(["ResourceNotFound.Room", "FailedOperation.RoomNotEnd"]).toContain(first["Error"]["Code"]);
            continue;
          }
          const total = first["Total"] as number;
          expect(total).toBeLessThanOrEqual(60);
          const seen: string[] = [];
          const pages = Math.ceil(total / limit) + 1;
          for (let page = 1; page <= pages; page++) {
            const r = json(fetch(roomId, page, limit))["Response"];
            expect(r["Total"]).toBe(total);
            const items = r[field] as unknown[];
            expect(items.length).toBe(Math.max(0, Math.min(limit, total - (page - 1) * limit)));
            seen.push(...items.map((i) => JSON.stringify(i)));
          }
          expect(seen).toHaveLength(total);
          if (room?.origin === "seed") expect(new Set(seen).size).toBe(total);
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
