// isEnvelope (test/mock/support/requests.ts), the judge of the mock tests and the hostile bench's
// "outside the envelope" count, reads answers with the runtime client's own protocol readers: a
// Chat answer may carry its payload under `Response`, leave it out (a command that returns
// nothing) or carry it beside `ActionStatus` (`payload: envelope`), as the operation's metadata says.
import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../generator/cli/mock-server.js";
import type { OperationMetadata } from "../../templates/runtime/src/client/metadata.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { GENERATED } from "../helpers.js";
import { chatRequest, isEnvelope, NOW } from "./support/requests.js";

const status = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", RequestId: "r-1" };

describe("isEnvelope", () => {
  it("takes a Chat answer with the payload under Response, left out, or beside ActionStatus", () => {
    expect(isEnvelope(JSON.stringify({ ...status, Response: { A: 1 } }))).toBe(true);
    expect(isEnvelope(JSON.stringify(status))).toBe(true);
    expect(isEnvelope(JSON.stringify({ ...status, GiftList: [] }))).toBe(true);
  });

  it("holds an answer to the operation's own payload settings when given them", () => {
    const underResponse: Pick<OperationMetadata, "payloadOptional" | "payloadAt"> = {};
    expect(isEnvelope(JSON.stringify(status), underResponse)).toBe(false);
    expect(isEnvelope(JSON.stringify(status), { payloadOptional: true })).toBe(true);
    expect(isEnvelope(JSON.stringify({ ...status, GiftList: [] }), { payloadAt: "envelope" })).toBe(true);
  });

  it("refuses what the runtime reads as an invalid answer, or one without a request id", () => {
    for (const body of [
      "not json",
      "[]",
      JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 0, ErrorInfo: "", RequestId: "r" }),
      JSON.stringify({ ActionStatus: "MAYBE", ErrorCode: 0, RequestId: "r" }),
      JSON.stringify({ ErrorCode: 0, ErrorInfo: "", RequestId: "r", Response: {} }),
      JSON.stringify({ ...status, RequestId: undefined }),
      JSON.stringify({ Response: {} }),
      JSON.stringify({ Response: { RequestId: "r", Error: { Message: "no code" } } }),
      JSON.stringify({ Response: "text" }),
    ])
      expect(isEnvelope(body), body).toBe(false);
    expect(isEnvelope(JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired", RequestId: "r" }))).toBe(true);
    expect(isEnvelope(JSON.stringify({ Response: { RequestId: "r", Error: { Code: "InternalError", Message: "m" } } }))).toBe(true);
  });

  it("takes the mock's answer to every Chat operation's example, with that operation's payload settings", async () => {
    const definitions = (await loadDefinitions(GENERATED)).filter((d) => d.metadata.protocol.name === "chat-rest");
    const mock = createMock(definitions, { seed: 1, rateLimit: false, now: () => NOW });
    let beside = 0;
    for (const d of definitions)
      for (const [method, op] of Object.entries(d.metadata.operations)) {
        const example = d.examples.find((e) => e.method === method)?.request ?? {};
        const { body } = mock.respond(chatRequest({ command: op.command!, body: example }, NOW));
        expect(isEnvelope(body, op), `${method}: ${body.slice(0, 200)}`).toBe(true);
        expect(isEnvelope(body), method).toBe(true);
        const parsed = JSON.parse(body) as Record<string, unknown>;
        if (op.payloadAt === "envelope" && parsed["ErrorCode"] === 0) {
          beside++;
          // Not an answer of an operation whose payload sits under Response.
          expect(isEnvelope(body, {}), method).toBe(false);
        }
      }
    // The specs have commands answering beside ActionStatus (the gift getters): the case is exercised.
    expect(beside).toBeGreaterThan(0);
  });
});
