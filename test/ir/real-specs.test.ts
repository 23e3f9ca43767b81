// The five APIs as the specs describe them: the facts the seed pages and PROTOCOLS.md state.
import { describe, expect, it } from "vitest";
import type { Field, Ir, JsonValue, Operation } from "../../generator/ir/types.js";
import { stringifyJson } from "../../generator/ir/json-text.js";
import { buildRealSpecs, realIr } from "../helpers.js";

const op = (ir: Ir, name: string): Operation => {
  const found = ir.services.flatMap((s) => s.operations).find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
};
const shape = (ir: Ir, service: string, name: string) => ir.services.find((s) => s.id === service)!.shapes.find((s) => s.name === name)!;
const field = (fields: Field[], name: string) => fields.find((f) => f.name === name)!;
const wire = (f: Field) => JSON.stringify(f.type);

describe("the real specs", () => {
  it("build with no diagnostics at all", async () => {
    const result = await buildRealSpecs();
    expect(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule} ${d.message}`)).toEqual([]);
  });

  it("hold the five seed operations with the wire names of the pages", async () => {
    const ir = await realIr();
    // The catalogue grows; the seed operations and their bindings must stay as the pages say.
    const wireOf = (service: string, name: string) => {
      const s = ir.services.find((x) => x.id === service)!;
      const o = s.operations.find((x) => x.name === name)!;
      return [s.protocol.name, o.wire?.key];
    };
    expect(wireOf("chat", "GetConferenceRoomInfo")).toEqual(["chat-rest", "room_engine_http_srv/get_room_info"]);
    expect(wireOf("chat", "GetLiveRoomInfo")).toEqual(["chat-rest", "live_engine_http_srv/get_room_info"]);
    expect(wireOf("lcic", "DescribeRoomStatistics")).toEqual(["tc3", "DescribeRoomStatistics"]);
    expect(wireOf("lcic", "GetRoomEvent")).toEqual(["tc3", "GetRoomEvent"]);
    expect(wireOf("trtc", "DescribeUserEvent")).toEqual(["tc3", "DescribeUserEvent"]);
    for (const s of ir.services) {
      const methods = s.operations.map((o) => o.method);
      expect(new Set(methods).size, s.id).toBe(methods.length);
    }
  });

  it("keep int64 and uint64 distinct from plain numbers", async () => {
    const ir = await realIr();
    const mr = shape(ir, "lcic", "MemberRecord");
    expect(mr.fields).toHaveLength(21);
    for (const name of ["Device", "PerMemberMicCount", "PerMemberMessageCount", "Stage"]) expect(wire(field(mr.fields, name))).toContain('"int64"');
    for (const name of ["PresentTime", "Role", "CurrentState", "FirstJoinTimestamp"]) expect(wire(field(mr.fields, name))).toContain('"uint64"');
    expect(wire(field(mr.fields, "SubGroupId"))).toContain('"array"');
    expect(field(mr.fields, "SubGroupId").nullable).toBe(true);
    const msg = shape(ir, "trtc", "EventMessage");
    expect(wire(field(msg.fields, "ParamOne"))).toContain('"int64"');
    expect(field(msg.fields, "Time").unit).toBe("milliseconds");
    expect(field(op(ir, "DescribeUserEvent").request.fields, "StartTime").unit).toBe("seconds");
    expect(wire(field(op(ir, "DescribeUserEvent").request.fields, "RoomId"))).toContain('"string"');
  });

  it("define the shared shapes with every member", async () => {
    const ir = await realIr();
    expect(shape(ir, "lcic", "EventDataInfo").fields.map((f) => f.name)).toEqual([
      "RoomId",
      "UserId",
      "Device",
      "Duration",
      "RecordSize",
      "RecordUrl",
      "Reason",
      "Role",
    ]);
    expect(shape(ir, "lcic", "EventInfo").fields.map((f) => f.name)).toEqual(["Timestamp", "EventType", "EventData"]);
    expect(shape(ir, "trtc", "EventList").fields.map((f) => f.name)).toEqual(["Content", "PeerId"]);
    const live = shape(ir, "chat", "LiveRoomInfo");
    expect(field(live.fields, "Category").constraints.maxItems).toBe(3);
    expect(field(live.fields, "Owner_Account").js).toBe("string");
    expect(shape(ir, "chat", "ConferenceRoomInfo").fields.length).toBeGreaterThanOrEqual(19);
  });

  it("carry limits, regions, rate limits, windows and pagination", async () => {
    const ir = await realIr();
    const gre = op(ir, "GetRoomEvent");
    expect(gre.pagination).toMatchObject({ page: "Page", size: "Limit", maxSize: 200, items: "Events", total: "Total", firstPage: 1 });
    expect(op(ir, "DescribeRoomStatistics").pagination).toMatchObject({ maxSize: 1000, items: "MemberRecords" });
    expect(gre.regions.required).toBe(false);
    const due = op(ir, "DescribeUserEvent");
    expect(due.regions).toMatchObject({ required: true, values: ["ap-beijing", "ap-guangzhou", "ap-mumbai", "ap-singapore"] });
    expect(due.timeWindows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "lookback", field: "StartTime", withinSeconds: 14 * 86400, error: "InvalidParameter.StartTsOversize" }),
        expect.objectContaining({ kind: "order", field: "EndTime", notBefore: "StartTime" }),
      ]),
    );
    expect(gre.timeWindows[0]).toMatchObject({ kind: "after-event", withinSeconds: 3600 });
    expect(op(ir, "DescribeRoomStatistics").timeWindows[0]).toMatchObject({ kind: "after-event", error: "FailedOperation.RoomNotEnd" });
    for (const name of ["GetRoomEvent", "DescribeRoomStatistics", "DescribeUserEvent"])
      expect(op(ir, name).rateLimit).toMatchObject({ requests: 20, per: "second" });
    for (const name of ["GetConferenceRoomInfo", "GetLiveRoomInfo"]) expect(op(ir, name).rateLimit).toMatchObject({ requests: 200, per: "second" });
  });

  it("list every documented error plus the protocol's common codes, with retryability", async () => {
    const ir = await realIr();
    const codes = (name: string) => new Map(op(ir, name).errors.map((e) => [String(e.code), e]));
    const stats = codes("DescribeRoomStatistics");
    for (const c of [
      "FailedOperation.RoomNotEnd",
      "ResourceNotFound.Room",
      "ResourceUnavailable.RoomStatistics",
      "AuthFailure.SignatureFailure",
      "RequestLimitExceeded",
      "UnsupportedRegion",
    ])
      expect(stats.has(c)).toBe(true);
    expect(stats.get("RequestLimitExceeded")!.retryable).toBe(true);
    expect(stats.get("AuthFailure.SignatureFailure")!.retryable).toBe(false);
    const due = codes("DescribeUserEvent");
    expect(due.size).toBeGreaterThanOrEqual(21 + 30);
    expect(due.has("InvalidParameter.SdkAppid")).toBe(true);
    const conf = codes("GetConferenceRoomInfo");
    for (const c of ["100001", "100002", "100004", "100005", "100006", "60003", "70001", "70009"]) expect(conf.has(c)).toBe(true);
    expect(conf.get("100001")!.retryable).toBe(true);
    expect(codes("GetLiveRoomInfo").has("100005")).toBe(false);
  });

  it("keep the Live Owner_Account example exact", async () => {
    const ir = await realIr();
    const examples = op(ir, "GetLiveRoomInfo").examples.filter((e) => e.responsePayload !== undefined);
    expect(examples.length).toBeGreaterThan(0);
    const owner = (examples[0]!.responsePayload as { RoomInfo: { Owner_Account: unknown } }).RoomInfo.Owner_Account;
    expect(owner).toBe(144115233775727695n);
    expect(examples.some((e) => e.responseText?.includes("144115233775727695"))).toBe(true);
  });

  it("mark the examples that contradict their page, with the reason", async () => {
    const ir = await realIr();
    const marked = (name: string) =>
      op(ir, name)
        .examples.filter((e) => e.contradicts)
        .flatMap((e) => e.contradicts!.paths);
    expect(marked("GetRoomEvent")).toContain("response.Events[0].EventType");
    expect(marked("DescribeRoomStatistics")).toContain("response.MemberRecords[0].PerMemberMicCount");
    expect(marked("GetLiveRoomInfo")).toContain("request");
  });

  it("note every inconsistency of PROTOCOLS.md §F that touches them", async () => {
    const ir = await realIr();
    // §F.1–24 concern the pages and specs; §F.25–26 are about the official SDK.
    const texts = stringifyJson(ir as unknown as JsonValue);
    const missing = Array.from({ length: 24 }, (_, i) => i + 1).filter((n) => !new RegExp(`§F\\.${n}(?!\\d)`).test(texts));
    expect(missing).toEqual([]);
  });
});
