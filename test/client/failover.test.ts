// Failover through the generated ChatClient, against two loopback servers: after a network error, a
// timeout or a 5xx the retry goes to the backup host (the spec's `backup` of the endpoint, or the
// `backupEndpoint` option), `onAttempt` names each attempt's host, and `failover: false` keeps
// every attempt on the primary.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatClient, metadata as chatMetadata } from "../../generated/chat/src/index.js";
import type { AttemptEvent } from "../../generated/runtime/src/client/options.js";
import { createNodeTransport, type NodeTransport, type Transport } from "../../generated/runtime/src/client/transport.js";
import { startLoopback, type Loopback } from "../runtime/support/loopback.js";
import { CHAT_IDENTIFIER, CHAT_KEY, CHAT_SDKAPPID, chatFailBody, fixedClock, LIVE_ROOM_INFO_TEXT, rejection } from "./support/bodies.js";

let primary: Loopback;
let backup: Loopback;
let node: NodeTransport;

beforeEach(async () => {
  primary = await startLoopback();
  backup = await startLoopback("localhost");
  // Unscripted requests fail loudly, so nothing passes on a request a test did not plan.
  for (const server of [primary, backup]) server.fallback({ kind: "text", status: 500, body: "unscripted" });
  node = createNodeTransport();
});
afterEach(async () => {
  node.close();
  await Promise.all([primary.close(), backup.close()]);
});

const OK = { kind: "text", body: LIVE_ROOM_INFO_TEXT } as const;
const DOWN = { kind: "text", status: 503, body: "upstream unavailable" } as const;

function chat(options: Partial<ConstructorParameters<typeof ChatClient>[0]> & object, events: AttemptEvent[]) {
  return new ChatClient({
    endpoint: primary.origin,
    backupEndpoint: backup.origin,
    credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
    clock: fixedClock(),
    env: {},
    transport: node,
    onAttempt: (event) => events.push(event),
    ...options,
  });
}

const hostOf = (server: Loopback) => new URL(server.origin).host;
const hosts = (events: AttemptEvent[]) => events.map((e) => e.host);

describe("failover to the backup host", () => {
  it("a 5xx from the primary: the retry goes to the backup, and onAttempt says which host answered", async () => {
    primary.enqueue(DOWN);
    backup.enqueue(OK);
    const events: AttemptEvent[] = [];
    const out = await chat({}, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(out.RoomInfo.RoomId).toBe("rid-123");
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    // The same command and signed query on both hosts.
    expect(backup.requests[0]!.url.split("&random=")[0]).toBe(primary.requests[0]!.url.split("&random=")[0]);
    expect(hosts(events)).toEqual([hostOf(primary), hostOf(backup)]);
    expect(events.map((e) => e.status)).toEqual([503, 200]);
  });

  it("a connection refused by the primary: the retry goes to the backup", async () => {
    const origin = primary.origin;
    await primary.close();
    backup.enqueue(OK);
    const events: AttemptEvent[] = [];
    await chat({ endpoint: origin }, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(events.map((e) => [e.host, e.errorCode])).toEqual([
      [new URL(origin).host, "ClientError.Network"],
      [hostOf(backup), undefined],
    ]);
    expect(backup.requests).toHaveLength(1);
  });

  it("alternates while failures last: primary, backup, primary", async () => {
    primary.enqueue(DOWN, OK);
    backup.enqueue(DOWN);
    const events: AttemptEvent[] = [];
    await chat({}, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(hosts(events)).toEqual([hostOf(primary), hostOf(backup), hostOf(primary)]);
  });

  it("uses the spec's backup host of a data centre chosen by id", async () => {
    // The data centre and its backup come from the generated metadata; a transport maps both
    // names to the two loopback servers (nothing leaves the machine).
    const centre = chatMetadata.endpoints.find((e) => e.default)!;
    expect(centre.backup).toBeTruthy();
    const map = new Map([
      [`https://${centre.host}/`, `${primary.origin}/`],
      [`https://${centre.backup}/`, `${backup.origin}/`],
    ]);
    const mapped: Transport = (request) => {
      for (const [from, to] of map) if (request.url.startsWith(from)) return node({ ...request, url: to + request.url.slice(from.length) });
      throw new Error(`unexpected URL ${request.url}`);
    };
    primary.enqueue(DOWN);
    backup.enqueue(OK);
    const events: AttemptEvent[] = [];
    await chat({ endpoint: centre.id, backupEndpoint: undefined, transport: mapped }, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(hosts(events)).toEqual([centre.host, centre.backup]);
    expect(backup.requests).toHaveLength(1);
  });

  it("a 429 or an error code from the service is retried (or not) on the same host", async () => {
    primary.enqueue({ kind: "text", status: 429, body: "slow down" }, OK);
    const events: AttemptEvent[] = [];
    await chat({}, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(hosts(events)).toEqual([hostOf(primary), hostOf(primary)]);

    // Codes the spec marks retryable and not (HTTP 200 envelopes): the server answered, so no failover.
    const codes = Object.entries(chatMetadata.commonErrors);
    const retryable = Number(codes.find(([, e]) => e.retryable)![0]);
    const final = Number(codes.find(([, e]) => !e.retryable)![0]);
    primary.enqueue({ kind: "json", body: chatFailBody(retryable, "busy", "r1") }, OK);
    const more: AttemptEvent[] = [];
    await chat({}, more).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(hosts(more)).toEqual([hostOf(primary), hostOf(primary)]);
    primary.enqueue({ kind: "json", body: chatFailBody(final, "refused", "r2") });
    const last: AttemptEvent[] = [];
    expect((await rejection(chat({}, last).getLiveRoomInfo({ RoomId: "rid-123" }))).code).toBe(final);
    expect(hosts(last)).toEqual([hostOf(primary)]);
    expect(backup.requests).toHaveLength(0);
  });

  it("failover: false keeps every attempt on the primary", async () => {
    primary.enqueue(DOWN, DOWN, OK);
    const events: AttemptEvent[] = [];
    await chat({ failover: false }, events).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(hosts(events)).toEqual([hostOf(primary), hostOf(primary), hostOf(primary)]);
    expect(backup.requests).toHaveLength(0);
  });

  it("no retry, no failover: retry: false makes one attempt", async () => {
    primary.enqueue(DOWN);
    const events: AttemptEvent[] = [];
    const error = await rejection(chat({ retry: false }, events).getLiveRoomInfo({ RoomId: "rid-123" }));
    expect(error.httpStatus).toBe(503);
    expect(hosts(events)).toEqual([hostOf(primary)]);
    expect(backup.requests).toHaveLength(0);
  });

  it("an unusable backupEndpoint is ClientError.Configuration before anything is sent", async () => {
    const events: AttemptEvent[] = [];
    const error = await rejection(chat({ backupEndpoint: "ftp://backup" }, events).getLiveRoomInfo({ RoomId: "rid-123" }));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toMatch(/backupEndpoint/);
    expect(primary.requests).toHaveLength(0);
  });
});
