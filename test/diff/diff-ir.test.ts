// diffIr on IR pairs made by editing the real specs: each kind of change, classified.
import { describe, expect, it } from "vitest";
import { diffIr } from "../../generator/diff/diff-ir.js";
import type { Ir } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";
import { irWith, summary, type Edit } from "./spec-edits.js";

const real = await realIr();

const ROOM = "lcic/GetRoomEvent.yaml";
const LCIC = "lcic/service.yaml";
const TRTC = "trtc/service.yaml";
const USER = "trtc/DescribeUserEvent.yaml";
const CHAT = "chat/service.yaml";

const KEYWORD = "    Keyword:\n      type: string\n";
const TOTAL = "    Total:\n      type: uint64\n      js: number\n      required: true\n";
const LIMIT = "    Limit:\n      type: uint64\n      js: number\n      required: true\n";
const extra = (lines: string) => `    Extra:\n      description: A field for the test.\n${lines}`;
/** A field of GetRoomEvent's request (before Keyword) or response (before Total). */
const requestField = (lines: string): Edit => ({ file: ROOM, replace: KEYWORD, with: extra(lines) + KEYWORD });
const responseField = (lines: string): Edit => ({ file: ROOM, replace: TOTAL, with: extra(lines) + TOTAL });
const VISIBLE_OFF_KEYWORD = "        - { value: VisibleOff, description: The page is invisible., source: metadata-cn GetRoomEventRequest.Keyword }\n";
const VISIBLE_OFF_EVENT = "          - { value: VisibleOff, description: The page is invisible. }\n";
const INTL = / {2}- id: intl\n {4}host: lcic\.intl\.tencentcloudapi\.com\n[\s\S]*? {4}source: seed-000\n/;
const SDKAPPID_ERROR = "  - code: InvalidParameter.SdkAppId\n    description: SdkAppId is incorrect.\n    retryable: false\n";
const USER_ID = "    UserId:\n      type: string\n      required: true\n";

interface Case {
  base?: Edit[];
  head?: Edit[];
  expected: string[];
}

const CASES: Record<string, Case> = {
  "nothing changed": { expected: [] },
  // Services and operations
  "a service removed": { head: [{ file: "trtc", remove: true }], expected: ["breaking service-removed trtc/- -"] },
  "a service added": { base: [{ file: "trtc", remove: true }], expected: ["safe service-added trtc/- -"] },
  "an operation removed": { head: [{ file: ROOM, remove: true }], expected: ["breaking operation-removed lcic/GetRoomEvent -"] },
  "an operation added": {
    head: [
      { file: "lcic/GetRoomEventCopy.yaml", copyOf: ROOM },
      {
        file: "lcic/GetRoomEventCopy.yaml",
        replace: "name: GetRoomEvent\naction: GetRoomEvent\n",
        with: "name: GetRoomEventCopy\naction: GetRoomEventCopy\n",
      },
    ],
    expected: ["safe operation-added lcic/GetRoomEventCopy -"],
  },
  "an action renamed on the wire": {
    head: [{ file: ROOM, replace: "action: GetRoomEvent\n", with: "action: GetRoomEvents\n" }],
    expected: ["breaking wire-name-changed lcic/GetRoomEvent action"],
  },
  "a client method renamed": {
    head: [{ file: ROOM, replace: "action: GetRoomEvent\n", with: "action: GetRoomEvent\nmethod: fetchRoomEvent\n" }],
    expected: ["breaking method-renamed lcic/GetRoomEvent method"],
  },
  "an operation deprecated": {
    head: [{ file: ROOM, replace: "action: GetRoomEvent\n", with: "action: GetRoomEvent\ndeprecated: Use GetRoomEvents.\n" }],
    expected: ["safe deprecated lcic/GetRoomEvent -"],
  },
  "the protocol version changed": {
    head: [{ file: LCIC, replace: 'version: "2022-08-17"', with: 'version: "2023-01-01"' }],
    expected: ["breaking protocol-changed lcic/- protocol"],
  },
  // Request fields
  "a request field removed": { base: [requestField("      type: string\n")], expected: ["breaking field-removed lcic/GetRoomEvent request.Extra"] },
  "an optional request field added": { head: [requestField("      type: string\n")], expected: ["safe field-added lcic/GetRoomEvent request.Extra"] },
  "a required request field added": {
    // The page's examples predate the field.
    head: [
      requestField("      type: string\n      required: true\n"),
      { file: ROOM, append: "suppress:\n  example-invalid: the examples predate the field\n" },
    ],
    expected: ["breaking field-added lcic/GetRoomEvent request.Extra"],
  },
  "a request field made required": {
    head: [{ file: ROOM, replace: KEYWORD, with: `${KEYWORD}      required: true\n` }],
    expected: ["breaking field-required lcic/GetRoomEvent request.Keyword"],
  },
  "a request field made optional": {
    head: [{ file: ROOM, replace: LIMIT, with: LIMIT.replace("      required: true\n", "") }],
    expected: ["safe field-optional lcic/GetRoomEvent request.Limit"],
  },
  "a request field made nullable": {
    head: [{ file: ROOM, replace: KEYWORD, with: `${KEYWORD}      nullable: true\n` }],
    expected: ["safe field-nullable lcic/GetRoomEvent request.Keyword"],
  },
  "a request field's type changed": {
    base: [requestField("      type: string\n")],
    head: [requestField("      type: boolean\n")],
    expected: ["breaking type-changed lcic/GetRoomEvent request.Extra"],
  },
  "a request integer widened (uint32 to uint64)": {
    base: [requestField("      type: uint32\n")],
    head: [requestField("      type: uint64\n      js: number\n")],
    expected: ["safe type-widened lcic/GetRoomEvent request.Extra"],
  },
  "a request integer narrowed (uint64 to uint32)": {
    head: [{ file: ROOM, replace: LIMIT, with: LIMIT.replace("uint64\n      js: number\n", "uint32\n") }],
    expected: ["breaking type-narrowed lcic/GetRoomEvent request.Limit"],
  },
  "a request maximum lowered": {
    head: [{ file: ROOM, replace: "      maximum: 200\n", with: "      maximum: 100\n" }],
    expected: ["breaking limit-tightened lcic/GetRoomEvent request.Limit"],
  },
  "a request maximum raised": {
    head: [{ file: ROOM, replace: "      maximum: 200\n", with: "      maximum: 300\n" }],
    expected: ["safe limit-loosened lcic/GetRoomEvent request.Limit"],
  },
  "a request minimum raised": {
    base: [
      {
        file: ROOM,
        replace: "      minimum: 1\n      description: >-\n        The starting page.",
        with: "      minimum: 0\n      description: >-\n        The starting page.",
      },
    ],
    expected: ["breaking limit-tightened lcic/GetRoomEvent request.Page"],
  },
  "a request maxLength lowered": {
    base: [{ file: USER, replace: USER_ID, with: `${USER_ID}      maxLength: 64\n` }],
    head: [{ file: USER, replace: USER_ID, with: `${USER_ID}      maxLength: 32\n` }],
    expected: ["breaking limit-tightened trtc/DescribeUserEvent request.UserId"],
  },
  "a request pattern changed": {
    head: [{ file: USER, replace: "pattern: '^[0-9]+_.+_[0-9]+$'", with: "pattern: '^[0-9]+_.+$'" }],
    expected: ["breaking pattern-changed trtc/DescribeUserEvent request.CommId"],
  },
  "a request enum value removed": {
    head: [{ file: ROOM, replace: VISIBLE_OFF_KEYWORD, with: "" }],
    expected: ["breaking enum-value-removed lcic/GetRoomEvent request.Keyword"],
  },
  "a request enum value added": {
    base: [{ file: ROOM, replace: VISIBLE_OFF_KEYWORD, with: "" }],
    expected: ["safe enum-value-added lcic/GetRoomEvent request.Keyword"],
  },
  // Response fields
  "a response field removed": {
    base: [responseField("      type: string\n")],
    expected: ["breaking field-removed lcic/GetRoomEvent response.Extra"],
  },
  "a response field added": { head: [responseField("      type: string\n")], expected: ["safe field-added lcic/GetRoomEvent response.Extra"] },
  "a response field made optional": {
    head: [{ file: ROOM, replace: TOTAL, with: TOTAL.replace("      required: true\n", "") }],
    expected: ["breaking field-optional lcic/GetRoomEvent response.Total"],
  },
  "a response field made nullable": {
    head: [{ file: ROOM, replace: TOTAL, with: `${TOTAL}      nullable: true\n` }],
    expected: ["breaking field-nullable lcic/GetRoomEvent response.Total"],
  },
  "a response field no longer nullable": {
    head: [{ file: ROOM, replace: "      nullable: true\n", with: "" }],
    expected: ["safe field-not-nullable lcic/GetRoomEvent response.Events"],
  },
  "a response integer widened (uint32 to uint64)": {
    base: [responseField("      type: uint32\n")],
    head: [responseField("      type: uint64\n      js: number\n")],
    expected: ["breaking type-widened lcic/GetRoomEvent response.Extra"],
  },
  "a response enum value added (breaks exhaustive consumers)": {
    head: [
      { file: LCIC, replace: VISIBLE_OFF_EVENT, with: `${VISIBLE_OFF_EVENT}          - { value: RoomPause, description: The class paused. }\n` },
    ],
    expected: ["breaking enum-value-added lcic/GetRoomEvent response.Events[].EventType"],
  },
  "a response enum value removed": {
    head: [{ file: LCIC, replace: VISIBLE_OFF_EVENT, with: "" }],
    expected: ["safe enum-value-removed lcic/GetRoomEvent response.Events[].EventType"],
  },
  "a nested response field removed": {
    base: [
      {
        file: LCIC,
        replace: "      RecordUrl:\n",
        with: "      Extra:\n        type: string\n        description: A field for the test.\n      RecordUrl:\n",
      },
    ],
    expected: ["breaking field-removed lcic/GetRoomEvent response.Events[].EventData.Extra"],
  },
  "a response maxItems raised": {
    head: [
      {
        file: CHAT,
        replace: "        example: https://xxxx.png\n      Category:\n        type: integer[]\n        required: true\n        maxItems: 3\n",
        with: "        example: https://xxxx.png\n      Category:\n        type: integer[]\n        required: true\n        maxItems: 5\n",
      },
    ],
    expected: ["breaking limit-loosened chat/GetLiveRoomInfo response.RoomInfo.Category"],
  },
  "a response maxItems lowered": {
    base: [
      {
        file: CHAT,
        replace: "        example: https://xxxx.png\n      Category:\n        type: integer[]\n        required: true\n        maxItems: 3\n",
        with: "        example: https://xxxx.png\n      Category:\n        type: integer[]\n        required: true\n        maxItems: 5\n",
      },
    ],
    expected: ["safe limit-tightened chat/GetLiveRoomInfo response.RoomInfo.Category"],
  },
  "a 64-bit field's JavaScript representation changed": {
    head: [{ file: CHAT, replace: "        js: string\n", with: "        js: bigint\n" }],
    expected: ["breaking js-representation-changed chat/GetLiveRoomInfo response.RoomInfo.Owner_Account"],
  },
  "a unit changed": {
    head: [{ file: TRTC, replace: "        unit: milliseconds\n", with: "        unit: seconds\n" }],
    expected: ["breaking unit-changed trtc/DescribeUserEvent response.Data[].Content[].Time"],
  },
  "a shared type removed": {
    base: [
      {
        file: LCIC,
        replace: "\ntypes:\n",
        with: "\ntypes:\n  Unused:\n    description: Not used.\n    fields:\n      A:\n        type: string\n        description: A field.\n",
      },
    ],
    expected: ["breaking shape-removed lcic/- types.Unused"],
  },
  // Limits of the operation and the service
  "a rate limit lowered": {
    head: [{ file: ROOM, replace: "  requests: 20\n  per: second\n", with: "  requests: 10\n  per: second\n" }],
    expected: ["breaking rate-limit-lowered lcic/GetRoomEvent rateLimit"],
  },
  "a rate limit per second became per minute": {
    head: [{ file: ROOM, replace: "  requests: 20\n  per: second\n", with: "  requests: 20\n  per: minute\n" }],
    expected: ["breaking rate-limit-lowered lcic/GetRoomEvent rateLimit"],
  },
  "a rate limit raised": {
    head: [{ file: ROOM, replace: "  requests: 20\n  per: second\n", with: "  requests: 40\n  per: second\n" }],
    expected: ["safe rate-limit-raised lcic/GetRoomEvent rateLimit"],
  },
  "a service region removed": {
    head: [{ file: TRTC, replace: "ap-singapore, na-toronto]", with: "ap-singapore]" }],
    expected: ["breaking region-removed trtc/- regions[na-toronto]"],
  },
  "an operation region removed": {
    head: [{ file: USER, replace: "ap-mumbai, ap-singapore]", with: "ap-singapore]" }],
    expected: ["breaking region-removed trtc/DescribeUserEvent regions[ap-mumbai]"],
  },
  "an operation region added": {
    head: [{ file: USER, replace: "ap-mumbai, ap-singapore]", with: "ap-mumbai, ap-singapore, na-toronto]" }],
    expected: ["safe region-added trtc/DescribeUserEvent regions[na-toronto]"],
  },
  "a region made required": {
    head: [{ file: LCIC, replace: "regions:\n  required: false\n", with: "regions:\n  required: true\n" }],
    expected: ["breaking region-required lcic/- regions"],
  },
  "an endpoint removed": { head: [{ file: LCIC, replace: INTL, with: "" }], expected: ["breaking endpoint-removed lcic/- endpoints[intl]"] },
  "an endpoint added": { base: [{ file: LCIC, replace: INTL, with: "" }], expected: ["safe endpoint-added lcic/- endpoints[intl]"] },
  "an endpoint's host changed": {
    head: [{ file: LCIC, replace: "host: lcic.intl.tencentcloudapi.com", with: "host: lcic.ap.tencentcloudapi.com" }],
    expected: ["breaking endpoint-changed lcic/- endpoints[intl]"],
  },
  "the default endpoint changed": {
    head: [
      { file: CHAT, replace: "    backup: adminapi.my-imcloud.com\n    default: true\n", with: "    backup: adminapi.my-imcloud.com\n" },
      { file: CHAT, replace: "    backup: adminapisgp.my-imcloud.com\n", with: "    backup: adminapisgp.my-imcloud.com\n    default: true\n" },
    ],
    expected: ["breaking default-endpoint-changed chat/- endpoints"],
  },
  "an error code removed (safe: the service stops sending it)": {
    head: [{ file: ROOM, replace: SDKAPPID_ERROR, with: "" }],
    expected: ["safe error-removed lcic/GetRoomEvent errors[InvalidParameter.SdkAppId]"],
  },
  "an error code added (safe: codes are an open set)": {
    base: [{ file: ROOM, replace: SDKAPPID_ERROR, with: "" }],
    expected: ["safe error-added lcic/GetRoomEvent errors[InvalidParameter.SdkAppId]"],
  },
  // The mock's Keyword filter narrows the paginated list, so it goes too (the check refuses a filter without pagination).
  "pagination removed": {
    head: [
      { file: ROOM, replace: /pagination:\n(?: {2}.*\n)+/, with: "" },
      { file: ROOM, replace: / {2}filters:\n(?: {4}.*\n)+/, with: "" },
    ],
    expected: ["breaking pagination-removed lcic/GetRoomEvent pagination"],
  },
  "a time window shortened": {
    head: [{ file: USER, replace: "within: 14d", with: "within: 7d" }],
    expected: ["breaking time-window-tightened trtc/DescribeUserEvent timeWindows[lookback StartTime]"],
  },
};

const built = new Map<string, Promise<Ir>>();
/** The IR of one set of edits, built once (the real IR without edits). */
function ir(edits: Edit[] | undefined): Promise<Ir> {
  if (!edits) return Promise.resolve(real);
  const key = JSON.stringify(edits, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/` : v));
  if (!built.has(key)) built.set(key, irWith(edits));
  return built.get(key)!;
}

describe("diffIr", () => {
  it.each(Object.entries(CASES))("%s", async (_name, c) => {
    const changes = diffIr(await ir(c.base), await ir(c.head));
    expect(summary(changes)).toEqual(c.expected);
    for (const change of changes) expect(change.message.length, change.kind).toBeGreaterThan(0);
  });

  it("lists breaking changes before safe ones, in a stable order", async () => {
    const head = await irWith([
      { file: ROOM, replace: "      maximum: 200\n", with: "      maximum: 100\n" },
      responseField("      type: string\n"),
      { file: USER, replace: "ap-mumbai, ap-singapore]", with: "ap-mumbai, ap-singapore, na-toronto]" },
      { file: "chat/GetLiveRoomInfo.yaml", remove: true },
    ]);
    const changes = diffIr(real, head);
    expect(summary(changes)).toEqual([
      "breaking operation-removed chat/GetLiveRoomInfo -",
      "breaking limit-tightened lcic/GetRoomEvent request.Limit",
      "safe field-added lcic/GetRoomEvent response.Extra",
      "safe region-added trtc/DescribeUserEvent regions[na-toronto]",
    ]);
    expect(diffIr(real, head)).toEqual(changes);
    // Reversed, each change turns into its opposite.
    expect(summary(diffIr(head, real))).toEqual([
      "breaking field-removed lcic/GetRoomEvent response.Extra",
      "breaking region-removed trtc/DescribeUserEvent regions[na-toronto]",
      "safe operation-added chat/GetLiveRoomInfo -",
      "safe limit-loosened lcic/GetRoomEvent request.Limit",
    ]);
  });
});
