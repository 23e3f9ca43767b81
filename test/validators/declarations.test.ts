// The public validators are consts made by runtime factories (issue 15: fewer bytes to parse on
// import); their declared types stay those of the functions they replaced: a result typed by the
// shape, a type predicate, an assertion (`npm run typecheck` checks the narrowing below).
import { describe, expect, expectTypeOf, it } from "vitest";
import { ValidationError } from "../../generated/runtime/src/index.js";
import type { EventInfo, GetRoomEventRequest } from "../../generated/lcic/src/types.js";
import {
  assertEventInfo,
  assertGetRoomEventRequest,
  isEventInfo,
  isGetRoomEventRequest,
  validateEventInfo,
  validateGetRoomEventRequest,
} from "../../generated/lcic/src/validators.js";

describe("public validators made by factories", () => {
  it("narrow as a type predicate and as an assertion, and type the result by the shape", () => {
    const value: unknown = { RoomId: 1, SdkAppId: 2, Page: 1, Limit: 10 };
    if (isGetRoomEventRequest(value)) expectTypeOf(value).toEqualTypeOf<GetRoomEventRequest>();
    else expect.unreachable();
    const r = validateGetRoomEventRequest(value);
    if (r.ok) expectTypeOf(r.value).toEqualTypeOf<GetRoomEventRequest>();
    else expect.unreachable();
    const request: unknown = value;
    assertGetRoomEventRequest(request);
    expectTypeOf(request).toEqualTypeOf<GetRoomEventRequest>();
    expectTypeOf(isEventInfo).parameters.toEqualTypeOf<[value: unknown, options?: { strict?: boolean } | undefined]>();
    expectTypeOf(validateEventInfo).returns.toMatchTypeOf<{ ok: true; value: EventInfo } | { ok: false }>();
  });

  it("keep the options: `strict` reports unknown fields of a shape; a request always does", () => {
    const event = { Timestamp: 1, EventType: "RoomStart", EventData: null, Extra: 1 };
    expect(isEventInfo(event)).toBe(true);
    expect(isEventInfo(event, { strict: true })).toBe(false);
    expect(validateEventInfo(event, { strict: true })).toMatchObject({ ok: false, issues: [{ path: "Extra", code: "unknown" }] });
    expect(isGetRoomEventRequest({ RoomId: 1, SdkAppId: 2, Page: 1, Limit: 10, Extra: 1 })).toBe(false);
  });

  it("assert with a ValidationError naming the shape and listing every issue", () => {
    let thrown: unknown;
    try {
      assertEventInfo({ Timestamp: "x" }, { strict: true });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).subject).toBe("EventInfo");
    expect((thrown as ValidationError).issues.length).toBeGreaterThan(0);
  });
});
