// The emitted validators on the spec's examples and on the behaviours the spec states, through
// the generated packages as a consumer imports them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as chatRoot from "../../generated/chat/src/index.js";
import * as chatValidators from "../../generated/chat/src/validators.js";
import * as lcicRoot from "../../generated/lcic/src/index.js";
import * as lcicValidators from "../../generated/lcic/src/validators.js";
import * as trtcRoot from "../../generated/trtc/src/index.js";
import * as trtcValidators from "../../generated/trtc/src/validators.js";
import { parseJson, type Representation } from "../../generated/runtime/src/shared/json.js";
import {
  describeValue,
  protocolCodeOf,
  protocolErrorOf,
  ValidationError,
  type Issue,
  type ValidationErrorMap,
  type ValidationResult,
} from "../../generated/runtime/src/validation/validation.js";
import { envelopeOf } from "../../generator/protocols/index.js";
import { realIr } from "../helpers.js";

// Each package's root and its `/validators` subpath, as a consumer imports both.
const chat = { ...chatRoot, ...chatValidators };
const lcic = { ...lcicRoot, ...lcicValidators };
const trtc = { ...trtcRoot, ...trtcValidators };

const ir = await realIr();
const PACKAGES = { chat, lcic, trtc } as const;
type Validators = Record<
  string,
  { request: (v: unknown, o?: object) => ValidationResult<unknown>; response: (v: unknown, o?: object) => ValidationResult<unknown> }
>;

const codes = (r: ValidationResult<unknown>) => (r.ok ? [] : r.issues.map((i) => `${i.path} ${i.code}`));
const messages = (r: ValidationResult<unknown>) => (r.ok ? [] : r.issues.map((i) => i.message));
const DAY = 86_400_000;

const examples = ir.services.flatMap((s) =>
  s.operations.flatMap((op) => op.examples.map((ex) => ({ name: `${s.id} ${op.name}: ${ex.title}`, service: s, op, ex }))),
);

describe("every spec example", () => {
  it.each(examples)("$name", ({ service, op, ex }) => {
    const pkg = PACKAGES[service.id as keyof typeof PACKAGES];
    const v = (pkg.validators as unknown as Validators)[op.method]!;
    const meta = pkg.metadata.operations[op.method as keyof typeof pkg.metadata.operations] as {
      requestRepresentation: Representation | null;
      responseRepresentation: Representation | null;
    };
    const failing: string[] = [];
    const parse = (text: string, plan: Representation | null) => {
      try {
        return { value: parseJson(text, plan ?? undefined) };
      } catch {
        return undefined;
      }
    };
    if (ex.requestText !== undefined) {
      const parsed = parse(ex.requestText, meta.requestRepresentation);
      if (!parsed) failing.push("request");
      else {
        // A clock just after the look-back fields, so a historical example is inside its window.
        const times = op.timeWindows.flatMap((w) =>
          w.kind === "lookback" ? [Number((parsed.value as Record<string, unknown>)[w.field]) * 1000] : [],
        );
        const r = v.request(parsed.value, { now: () => Math.max(Date.UTC(2020, 0, 1), ...times) + 60_000 });
        if (!r.ok) failing.push(...r.issues.map((i) => `request.${i.path}`));
      }
    }
    // An error example's response is the protocol's error answer (no payload): test/mock/lifecycle-transitions-lint.test.ts checks its form.
    if (ex.responseText !== undefined && !ex.error) {
      // The payload as the client delivers it: the plan applies inside the protocol's envelope.
      const key = envelopeOf(service.protocol.name).payloadKey;
      const parsed = parse(ex.responseText, meta.responseRepresentation ? { [key]: meta.responseRepresentation } : null);
      // Where the body carries no payload object (a Chat answer with the envelope only), the IR
      // says what the operation's response fields describe.
      const payload = parsed ? ((parsed.value as Record<string, unknown>)[key] ?? ex.responsePayload) : undefined;
      if (payload === undefined) failing.push("response");
      else {
        const r = v.response(payload, { strict: true });
        if (!r.ok) failing.push(...r.issues.map((i) => `response.${i.path}`));
      }
    }
    if (ex.contradicts) expect(failing.sort()).toEqual([...ex.contradicts.paths].sort());
    else expect(failing).toEqual([]);
  });

  it("include the marked contradicting ones and at least one example per operation", () => {
    expect(examples.filter((e) => e.ex.contradicts).length).toBeGreaterThanOrEqual(3);
    for (const s of ir.services) for (const op of s.operations) expect(op.examples.length, op.name).toBeGreaterThan(0);
  });
});

describe("what the spec states", () => {
  const stats = { RoomId: 1, Page: 1, Limit: 100 };

  it("report every problem with path, code, expected, received and a readable message", () => {
    const r = lcic.validateDescribeRoomStatisticsRequest({ RoomId: "1", Page: 0, Limit: 5000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { path: "RoomId", code: "type", expected: "an integer", received: '"1"', message: 'RoomId: must be an integer, got "1"' },
      { path: "Page", code: "minimum", expected: "≥ 1", received: "0", message: "Page: must be ≥ 1, got 0" },
      { path: "Limit", code: "maximum", expected: "≤ 1000", received: "5000", message: "Limit: must be ≤ 1000, got 5000" },
    ]);
  });

  it("check required fields, absent against null, and the three forms", () => {
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ RoomId: 1, Page: 1 }))).toEqual(["Limit required"]);
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, Limit: null }))).toEqual(["Limit null"]);
    expect(lcic.isDescribeRoomStatisticsRequest(stats)).toBe(true);
    expect(lcic.isDescribeRoomStatisticsRequest({ ...stats, Limit: 1.5 })).toBe(false);
    expect(() => lcic.assertDescribeRoomStatisticsRequest({ ...stats, Page: 0 })).toThrow(ValidationError);
    expect(() => lcic.assertDescribeRoomStatisticsRequest({ ...stats, Page: 0 })).toThrow(
      "DescribeRoomStatisticsRequest is invalid: Page: must be ≥ 1, got 0",
    );
    // RealStartTime is required and nullable: null is a value, absence is not.
    const response = {
      PeakMemberNumber: 1,
      MemberNumber: 1,
      Total: 0,
      MemberRecords: [],
      RealStartTime: null,
      RealEndTime: 2,
      MessageCount: 0,
      MicCount: 0,
      RequestId: "r",
    };
    expect(codes(lcic.validateDescribeRoomStatisticsResponse(response))).toEqual([]);
    const { RealStartTime: _absent, ...without } = response;
    expect(codes(lcic.validateDescribeRoomStatisticsResponse(without))).toEqual(["RealStartTime required"]);
    expect(codes(lcic.validateDescribeRoomStatisticsResponse({ ...response, MessageCount: null }))).toEqual(["MessageCount null"]);
  });

  it("tell integers from floats and keep 64-bit values exact", () => {
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, RoomId: 1.5 }))).toEqual(["RoomId type"]);
    // uint64 held as a number: beyond 2^53 it cannot be one without rounding.
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, RoomId: 2n ** 60n }))).toEqual(["RoomId precision"]);
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, RoomId: 2 ** 60 }))).toEqual(["RoomId precision"]);
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, RoomId: -1 }))).toEqual(["RoomId minimum"]);
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, RoomId: 2n ** 64n }))).toEqual(["RoomId maximum"]);
    // A bigint where the spec holds a plain integer as a number: the message names the type with its article.
    const room = chat.validateConferenceRoomInfo({
      RoomId: "r",
      RoomName: "n",
      RoomType: "Conference",
      Owner_Account: "o",
      MaxMemberCount: 2n ** 60n,
    });
    expect(room.ok ? [] : room.issues.filter((i) => i.path === "MaxMemberCount").map((i) => i.message)).toEqual([
      "MaxMemberCount: must be an integer, got 1152921504606846976",
    ]);
  });

  // The Live example's response, with the payload's plan applied inside the envelope.
  const liveOp = ir.services.find((x) => x.id === "chat")!.operations.find((o) => o.method === "getLiveRoomInfo")!;
  const liveText = liveOp.examples.find((e) => !e.contradicts)!.responseText!;
  const livePayload = () =>
    (
      parseJson(liveText, { Response: chat.metadata.operations.getLiveRoomInfo.responseRepresentation ?? {} }) as {
        Response: { RoomInfo: Record<string, unknown> };
      }
    ).Response;

  it("deliver and accept the Live Owner_Account beyond 2^53 exactly", () => {
    expect(liveText).toContain('"Owner_Account" : 144115233775727695');
    const payload = livePayload();
    expect(payload.RoomInfo.Owner_Account).toBe("144115233775727695");
    expect(messages(chat.validateGetLiveRoomInfoResponse(payload, { strict: true }))).toEqual([]);
    const owner = (v: unknown) => codes(chat.validateGetLiveRoomInfoResponse({ RoomInfo: { ...payload.RoomInfo, Owner_Account: v } }));
    expect(owner("alice")).toEqual([]); // the union's string member: a user ID
    expect(owner(true)).toEqual(["RoomInfo.Owner_Account type"]);
    expect(owner(1.5)).toEqual(["RoomInfo.Owner_Account type"]);
  });

  it("hold the Live Category to three items", () => {
    const payload = livePayload();
    const r = chat.validateGetLiveRoomInfoResponse({ RoomInfo: { ...payload.RoomInfo, Category: [1, 2, 3, 4] } });
    expect(messages(r)).toEqual(["RoomInfo.Category: must be at most 3 items, got 4"]);
  });

  it("check enums", () => {
    const event = { Timestamp: 1, EventType: "abc", EventData: { RoomId: 1 } };
    expect(codes(lcic.validateEventInfo(event))).toEqual(["EventType enum"]);
    expect(lcic.isEventInfo({ ...event, EventType: "RoomStart" })).toBe(true);
  });

  it("refuse unknown request fields, tolerate unknown response fields unless strict", () => {
    expect(codes(lcic.validateDescribeRoomStatisticsRequest({ ...stats, Extra: 1 }))).toEqual(["Extra unknown"]);
    const event = { Timestamp: 1, EventType: "RoomStart", EventData: { RoomId: 1 }, NewServerField: "x" };
    expect(lcic.validateEventInfo(event).ok).toBe(true);
    expect(codes(lcic.validateEventInfo(event, { strict: true }))).toEqual(["NewServerField unknown"]);
  });

  const user = { CommId: "1400188366_218695_1590065777", UserId: "u", RoomId: "1400", SdkAppId: 1400188366 };
  const now = Date.UTC(2026, 10, 23);
  const sec = (ms: number) => Math.floor(ms / 1000);

  it("check the time windows against an injected clock", () => {
    const ok = { ...user, StartTime: sec(now - 13 * DAY), EndTime: sec(now - 12 * DAY) };
    expect(codes(trtc.validateDescribeUserEventRequest(ok, { now: () => now }))).toEqual([]);
    const old = trtc.validateDescribeUserEventRequest({ ...ok, StartTime: sec(now - 15 * DAY) }, { now: () => now });
    expect(codes(old)).toEqual(["StartTime time-window"]);
    expect(old.ok ? undefined : old.issues[0]!.error).toBe("InvalidParameter.StartTsOversize");
    expect(messages(old)[0]).toMatch(/^StartTime: must be within the last 14 days \(≥ \d+\), got \d+$/);
    const reversed = trtc.validateDescribeUserEventRequest({ ...ok, EndTime: ok.StartTime - 1 }, { now: () => now });
    expect(codes(reversed)).toEqual(["EndTime time-window"]);
    // The same request is fine on the day it was made.
    expect(trtc.validateDescribeUserEventRequest({ ...ok, StartTime: sec(now - 15 * DAY) }, { now: () => now - 2 * DAY }).ok).toBe(true);
  });

  it("check the region against the operation's list when one is given", () => {
    const ok = { ...user, StartTime: sec(now - DAY), EndTime: sec(now) };
    const clock = { now: () => now };
    expect(trtc.validateDescribeUserEventRequest(ok, { ...clock, region: "ap-guangzhou" }).ok).toBe(true);
    expect(codes(trtc.validateDescribeUserEventRequest(ok, { ...clock, region: "na-toronto" }))).toEqual(["Region region"]);
    expect(codes(trtc.validateDescribeUserEventRequest(ok, { ...clock, region: undefined }))).toEqual(["Region region"]);
    expect(trtc.validateDescribeUserEventRequest(ok, clock).ok).toBe(true);
    // The guard answers alike.
    expect(trtc.isDescribeUserEventRequest(ok, { ...clock, region: "ap-guangzhou" })).toBe(true);
    expect(trtc.isDescribeUserEventRequest(ok, { ...clock, region: "na-toronto" })).toBe(false);
    expect(trtc.isDescribeUserEventRequest(ok, { ...clock, region: undefined })).toBe(false);
    expect(trtc.isDescribeUserEventRequest(ok, clock)).toBe(true);
  });

  it("need no options where the operation has no window or region", () => {
    expect(chat.validateGetConferenceRoomInfoRequest({ RoomId: "r1" })).toEqual({ ok: true, value: { RoomId: "r1" } });
    expect(chat.isGetConferenceRoomInfoRequest({ RoomId: "r1" })).toBe(true);
    expect(chat.isGetConferenceRoomInfoRequest({ RoomId: "r1", Extra: 1 })).toBe(false);
    expect(() => chat.assertGetConferenceRoomInfoRequest({})).toThrow("RoomId: is required");
  });
});

describe("protocol mapping", () => {
  const map = (m: { validationErrors: unknown }) => m.validationErrors as ValidationErrorMap;
  const first = (r: ValidationResult<unknown>): Issue => (r.ok ? (undefined as never) : r.issues[0]!);
  const userEvent = map(trtc.metadata.operations.describeUserEvent);
  const stats = map(lcic.metadata.operations.describeRoomStatistics);
  const live = map(chat.metadata.operations.getLiveRoomInfo);
  const now = Date.UTC(2026, 10, 23);
  const user = { CommId: "1_2_3", UserId: "u", RoomId: "1", SdkAppId: 1, StartTime: now / 1000 - 60, EndTime: now / 1000 };
  const issueOf = (value: unknown) => first(trtc.validateDescribeUserEventRequest(value, { now: () => now, region: "ap-beijing" }));

  it("answers Cloud API 3.0 codes, the operation's own where it documents one", () => {
    const { UserId: _u, ...noUser } = user;
    expect(protocolCodeOf(issueOf(noUser), userEvent)).toBe("MissingParameter.UserId");
    const { SdkAppId: _s, ...noApp } = user;
    expect(protocolCodeOf(issueOf(noApp), userEvent)).toBe("MissingParameter");
    expect(protocolCodeOf(issueOf({ ...user, UserId: 1 }), userEvent)).toBe("InvalidParameter.UserId");
    expect(protocolCodeOf(issueOf({ ...user, StartTime: "x" }), userEvent)).toBe("InvalidParameter.StartTs");
    expect(protocolCodeOf(issueOf({ ...user, StartTime: now / 1000 - 20 * 86400 }), userEvent)).toBe("InvalidParameter.StartTsOversize");
    expect(protocolCodeOf(issueOf({ ...user, EndTime: user.StartTime - 5 }), userEvent)).toBe("InvalidParameter.EndTs");
    expect(protocolCodeOf(issueOf({ ...user, Extra: 1 }), userEvent)).toBe("UnknownParameter");
    expect(protocolCodeOf(first(trtc.validateDescribeUserEventRequest(user, { now: () => now, region: "eu-frankfurt" })), userEvent)).toBe(
      "UnsupportedRegion",
    );
    expect(protocolCodeOf(issueOf([]), userEvent)).toBe("InvalidParameter");
    expect(protocolCodeOf(first(lcic.validateDescribeRoomStatisticsRequest({ RoomId: 1, Page: 1, Limit: 5000 })), stats)).toBe(
      "InvalidParameterValue",
    );
    expect(protocolCodeOf(first(lcic.validateDescribeRoomStatisticsRequest({ RoomId: 1, Page: 1 })), stats)).toBe("MissingParameter");
  });

  it("answers Chat REST 100002 for field problems and 60003 for a body that is not an object", () => {
    expect(protocolErrorOf((chat.validateGetLiveRoomInfoRequest({}) as { issues: Issue[] }).issues, live)).toEqual({
      code: 100002,
      message: "RoomId: is required",
    });
    expect(protocolCodeOf(first(chat.validateGetLiveRoomInfoRequest({ RoomId: 5 })), live)).toBe(100002);
    expect(protocolCodeOf(first(chat.validateGetLiveRoomInfoRequest("x")), live)).toBe(60003);
    expect(protocolErrorOf([], live)).toBeUndefined();
  });
});

describe("describeValue", () => {
  it("shows a string as JSON.stringify does, cut after 40 characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        expect(describeValue(s)).toBe(JSON.stringify(s.length > 40 ? s.slice(0, 40) + "…" : s));
      }),
      { numRuns: 2000 },
    );
    for (const s of ['a"b', "a\\b", "\n", "\ud800", "\u2028", "\u007f", "é€😀"]) expect(describeValue(s)).toBe(JSON.stringify(s));
  });

  it("shows a number as String does (small whole numbers come from a table), and the other kinds in words", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -300, max: 300 }), fc.constantFrom(-0, 0, 255, 256, 0.5, 1e21, NaN)), (n) => {
        expect(describeValue(n)).toBe(String(n));
        expect(describeValue(n)).toBe(String(n)); // the table's second answer too
      }),
      { numRuns: 2000 },
    );
    expect([true, false, undefined, null, [1, 2], {}, 12n, Symbol("s"), () => 1].map(describeValue)).toEqual([
      "true",
      "false",
      "nothing",
      "null",
      "an array of 2",
      "an object",
      "12",
      "a symbol",
      "a function",
    ]);
  });
});
