// The README's OpenTelemetry example (examples/otel-middleware.ts, shown verbatim in the README)
// with the SDK's in-memory exporter, on the GENERATED LcicClient against the generated mock server
// on 127.0.0.1: a span per attempt named by the operation, with service, action, region, attempt,
// status, request id and error code, for a success, a service error and a retried attempt; its
// traceparent reaches the server and the mock still verifies the TC3 signature.
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { propagation, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { otelMiddleware } from "../../examples/otel-middleware.js";
import { LcicClient, type GetRoomEventRequest } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { middlewareChain } from "../../generated/runtime/src/index.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type Mock, type MockListening } from "../../generated/runtime/src/mock.js";
import { rejection } from "./support/bodies.js";

const REQUEST: GetRoomEventRequest = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" };
const REGION = "ap-guangzhou";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let mock: Mock;
let server: MockListening;
let received: IncomingHttpHeaders[];

beforeAll(() => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  propagation.disable();
  await provider.shutdown();
});
beforeEach(async () => {
  exporter.reset();
  mock = createMock([lcicDefinition], { seed: 3, rateLimit: false });
  server = await mock.listen();
  received = [];
  server.server.on("request", (req: { headers: IncomingHttpHeaders }) => received.push(req.headers));
});
afterEach(async () => {
  await server.close();
});

const lcic = () =>
  new LcicClient({
    endpoint: server.url,
    region: REGION,
    credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0]!,
    env: {},
    rateLimit: false,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    middleware: middlewareChain(otelMiddleware(provider.getTracer("otel-middleware-test"))),
  });

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
/** The request ids the mock answered with, in order. */
const answeredIds = () => mock.calls.map((c) => c.requestId);

describe("the OpenTelemetry middleware example", () => {
  it("is in the README verbatim", () => {
    const example = readFileSync(new URL("../../examples/otel-middleware.ts", import.meta.url), "utf8");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain("```ts\n" + example + "```");
  });

  it("a success: one span named by the operation, with its attributes, and the trace context sent", async () => {
    await lcic().getRoomEvent(REQUEST);
    const [span, ...rest] = spans();
    expect(rest).toEqual([]);
    expect(span!.name).toBe("GetRoomEvent");
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toEqual({
      "rpc.service": "lcic",
      "rpc.method": "GetRoomEvent",
      "cloud.region": REGION,
      "server.address": new URL(server.url).host,
      "rtc.attempt": 1,
      "http.response.status_code": 200,
      "rtc.request_id": answeredIds()[0],
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    // traceparent reached the mock, which accepted the signature (code null: answered normally).
    expect(received[0]!["traceparent"]).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    expect(mock.calls[0]!.code).toBeNull();
  });

  it("a service error: the span carries the error code and the request id, with an error status", async () => {
    mock.injectError("lcic.getRoomEvent", "ResourceNotFound.Room");
    const error = await rejection(lcic().getRoomEvent(REQUEST));
    expect(error.code).toBe("ResourceNotFound.Room");
    const [span, ...rest] = spans();
    expect(rest).toEqual([]);
    expect(span!.attributes).toMatchObject({
      "rtc.attempt": 1,
      "http.response.status_code": 200,
      "rtc.error_code": "ResourceNotFound.Room",
      "rtc.request_id": error.requestId,
    });
    expect(error.requestId).toBe(answeredIds()[0]);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("a retried attempt: one span per attempt, numbered, the failed one with its code", async () => {
    mock.injectError("lcic.getRoomEvent", "InternalError", { times: 1 });
    await lcic().getRoomEvent(REQUEST);
    const all = spans();
    expect(all.map((s) => [s.name, s.attributes["rtc.attempt"], s.attributes["rtc.error_code"], s.status.code])).toEqual([
      ["GetRoomEvent", 1, "InternalError", SpanStatusCode.ERROR],
      ["GetRoomEvent", 2, undefined, SpanStatusCode.UNSET],
    ]);
    expect(all.map((s) => s.attributes["rtc.request_id"])).toEqual(answeredIds());
    // Each attempt sent its own span's context.
    expect(received.map((h) => String(h["traceparent"]).split("-")[2])).toEqual(all.map((s) => s.spanContext().spanId));
  });

  it("no answer at all: the span records the client's error code", async () => {
    const closed = server.url;
    await server.close();
    server = await mock.listen();
    const client = new LcicClient({
      endpoint: closed,
      credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0]!,
      env: {},
      retry: false,
      middleware: middlewareChain(otelMiddleware(provider.getTracer("t"))),
    });
    const error = await rejection(client.getRoomEvent(REQUEST));
    expect(error.code).toBe("ClientError.Network");
    expect(spans().map((s) => [s.attributes["rtc.error_code"], s.attributes["http.response.status_code"]])).toEqual([
      ["ClientError.Network", undefined],
    ]);
  });
});
