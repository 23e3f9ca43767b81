// A kept envelope (a seeded page, an example) carries its body's UTF-8 length, so the server does
// not count it for every answer: that length must be the body's, non-ASCII text and request ids included.
import { describe, expect, it } from "vitest";
import { bodyByteLength, KNOWN_LENGTH, reply, type MockEnvelopeWriter, type MockOutcome } from "../../templates/runtime/src/mock/envelope.js";
import { tc3Gateway } from "../../templates/runtime/src/protocols/tc3/gateway.js";
import { exchange, answersOf } from "./support/raw-http.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { NOW, tc3Headers } from "./support/requests.js";

const TEXTS = ["plain", "café", "课堂", "emoji 😀", "a lone surrogate \ud800", "\u0000\u007f\u0080"];

describe("reply() of a reused outcome", () => {
  it.each(TEXTS)("gives the UTF-8 length of its body: %j", (text) => {
    const outcome: MockOutcome = { ok: true, payload: { Name: text, List: [text] }, reused: true };
    for (const id of ["41f80dfc-f3f6-4509-ac6d-d8f2e89a4a64", "another-id"]) {
      const answer = reply(tc3Gateway, outcome, id);
      expect(answer.body).toContain(id);
      expect(answer[KNOWN_LENGTH]?.[1]).toBe(Buffer.byteLength(answer.body));
      expect(bodyByteLength(answer)).toBe(Buffer.byteLength(answer.body));
    }
  });

  it("counts again when a copy of the answer carries another body (a respond() of the caller's own)", () => {
    const outcome: MockOutcome = { ok: true, payload: { Name: "x" }, reused: true };
    const answer = reply(tc3Gateway, outcome, "an-id");
    expect(answer[KNOWN_LENGTH]).toBeDefined();
    const changed = { ...answer, body: answer.body.replace("x", "课堂 and more") };
    expect(bodyByteLength(changed)).toBe(Buffer.byteLength(changed.body));
  });

  it("gives no length, or the right one, when a gateway's request id is not ASCII", () => {
    const gateway: MockEnvelopeWriter = { envelope: tc3Gateway.envelope, requestId: () => "id-é" };
    const outcome: MockOutcome = { ok: true, payload: { Name: "x" }, reused: true };
    const answer = reply(gateway, outcome, "id-é");
    expect(bodyByteLength(answer)).toBe(Buffer.byteLength(answer.body));
  });
});

const TEXT = "课堂 😀 café";
/** The example response with its first event's UserId replaced. */
function withUserId(response: Record<string, unknown>, userId: string): Record<string, unknown> {
  const events = response["Events"] as Array<{ EventData: Record<string, unknown> }>;
  return { ...response, Events: events.map((e, i) => (i === 0 ? { ...e, EventData: { ...e.EventData, UserId: userId } } : e)) };
}

describe("over the server", () => {
  it("answers a kept example of non-ASCII text with the Content-Length of its bytes", async () => {
    const example = lcicDefinition.examples.find((e) => e.method === "getRoomEvent")!;
    const definition = {
      ...lcicDefinition,
      examples: lcicDefinition.examples.map((e) => (e === example ? { ...e, response: withUserId(e.response, TEXT) } : e)),
    };
    const mock = createMock(definition, { seed: 3, now: () => NOW, rateLimit: false });
    const server = await mock.listen();
    try {
      const body = JSON.stringify(example.request);
      const protocol = lcicDefinition.metadata.protocol as unknown as { service: string; version: string };
      const host = lcicDefinition.metadata.endpoints.find((e) => e.default)!.host;
      const headers = tc3Headers({ action: "GetRoomEvent", body, service: protocol.service, version: protocol.version, host }, NOW);
      const head = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      const bytes = `POST / HTTP/1.1\r\n${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      // Twice: the first answer writes the kept envelope, the second reuses it.
      const answers = answersOf(await exchange(server.port, bytes + bytes), new Set());
      expect(answers).toHaveLength(2);
      // A wrong length would cut the first body short or run into the second answer.
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(JSON.stringify(JSON.parse(a.body))).toContain(TEXT);
      }
    } finally {
      await server.close();
    }
  });
});
