// Response validation without every response validator in a bundle: an operation's function hands
// the core its request validator and the response's typed fields, not its response validator. The
// class client passes every operation's; a core client validates responses with those of the
// `responseValidators` option, and refuses `validateResponses` without one before sending. Whatever
// the mode, an integer beyond 2^53 in a typed field is refused and an undeclared field keeps it,
// judged from the typed fields alone.
import { describe, expect, it } from "vitest";
import { createMock } from "../../generated/runtime/src/mock.js";
import { MOCK_DEFAULT_CREDENTIALS } from "../../generated/runtime/src/mock/server.js";
import { mockDefinition } from "../../generated/lcic/src/mock.js";
import * as lcic from "../../generated/lcic/src/index.js";
import { validateGetRoomEventResponse } from "../../generated/lcic/src/validators.js";
import { typedFieldsOf } from "../../generator/emit/operations-emitter.js";
import { realIr } from "../helpers.js";

const ir = await realIr();
const service = ir.services.find((s) => s.id === "lcic")!;
// A paging operation: its total is a typed integer field of the response.
const op = service.operations.find((o) => o.method === "getRoomEvent")!;
const totalField = op.pagination!.total!;

const mock = createMock(mockDefinition, { seed: 5, rateLimit: false });
const room = mock.service("lcic").resources("room").keys({ state: "ended", count: 1 })[0] as number;
const request = { RoomId: room, SdkAppId: 1400000000, Page: 1, Limit: 5 };

/** The mock's answer with `change` applied to its JSON text, and a count of the requests sent. */
function tamperedFetch(change: (text: string) => string): { fetch: lcic.LcicClientOptions["fetch"]; sent: () => number } {
  let sent = 0;
  return {
    sent: () => sent,
    fetch: async (url, init) => {
      sent++;
      const answer = await mock.fetch(url, init as RequestInit);
      const text = change(await answer.text());
      return new Response(text, { status: answer.status, headers: { "content-type": "application/json" } });
    },
  };
}
const withUnknownField = (text: string) => text.replace('"Response":{', '"Response":{"NotInTheSpec":1,');
const options = (fetch: lcic.LcicClientOptions["fetch"], extra: lcic.LcicClientOptions = {}): lcic.LcicClientOptions => ({
  fetch,
  endpoint: "https://lcic.tencentcloudapi.com",
  credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0]!,
  retry: false,
  rateLimit: false,
  env: {},
  ...extra,
});
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable("the call succeeded"),
    (e: unknown) => e as lcic.ApiError,
  );

describe("validateResponses on the core client", () => {
  it("without the operation's response validator: ClientError.Configuration naming the option, nothing sent", async () => {
    const { fetch, sent } = tamperedFetch((t) => t);
    const error = await rejection(lcic.getRoomEvent(new lcic.LcicCore(options(fetch, { validateResponses: "strict" })), request));
    expect(error).toMatchObject({ code: "ClientError.Configuration", operation: op.name });
    expect(error.message).toContain("responseValidators");
    expect(sent()).toBe(0);
  });

  it("with responseValidators: validates (strict refuses a field the spec does not declare)", async () => {
    const { fetch } = tamperedFetch(withUnknownField);
    const core = new lcic.LcicCore(
      options(fetch, { validateResponses: "strict", responseValidators: { getRoomEvent: validateGetRoomEventResponse } }),
    );
    const error = await rejection(lcic.getRoomEvent(core, request));
    expect(error.code).toBe("ClientError.InvalidResponse");
    expect(error.issues.map((i) => i.path)).toContain("NotInTheSpec");
  });

  it("the class client validates every operation's responses, as before", async () => {
    const { fetch } = tamperedFetch(withUnknownField);
    const error = await rejection(new lcic.LcicClient(options(fetch, { validateResponses: "strict" })).getRoomEvent(request));
    expect(error.code).toBe("ClientError.InvalidResponse");
    // Its functions, given the class client, validate too (it is a core client with every validator).
    const wrongType = tamperedFetch((t) => t.replace(new RegExp(`"${totalField}":\\d+`), `"${totalField}":"many"`));
    const warn: unknown[] = [];
    const client = new lcic.LcicClient(options(wrongType.fetch, { validateResponses: "warn", logger: { warn: (m) => warn.push(m) } }));
    await lcic.getRoomEvent(client, request);
    expect(warn).toHaveLength(1);
    expect(String(warn[0])).toContain(totalField);
  });

  it("off (the default) needs no response validator and does not validate", async () => {
    const { fetch } = tamperedFetch(withUnknownField);
    const payload = await lcic.getRoomEvent(new lcic.LcicCore(options(fetch)), request);
    expect(payload).toHaveProperty("NotInTheSpec", 1);
  });
});

describe("integers beyond 2^53, without a response validator", () => {
  it("the operation's typed fields are the response's fields, `any` ones left out", () => {
    const typed = typedFieldsOf(service, op.response);
    const declared = op.response.fields.filter((f) => !(f.type.kind === "scalar" && f.type.name === "any")).map((f) => f.name);
    expect(Object.keys(typed).sort()).toEqual(declared.sort());
  });

  it("in a typed field: ClientError.InvalidResponse naming it; in an undeclared field: kept as a bigint", async () => {
    const huge = "123456789012345678901234567890";
    const typed = tamperedFetch((t) => t.replace(new RegExp(`"${totalField}":\\d+`), `"${totalField}":${huge}`));
    const error = await rejection(lcic.getRoomEvent(new lcic.LcicCore(options(typed.fetch)), request));
    expect(error.code).toBe("ClientError.InvalidResponse");
    expect(error.message).toContain(`${totalField}: the integer ${huge}`);
    const undeclared = tamperedFetch((t) => t.replace('"Response":{', `"Response":{"NotInTheSpec":${huge},`));
    const payload = await lcic.getRoomEvent(new lcic.LcicCore(options(undeclared.fetch)), request);
    expect(payload).toHaveProperty("NotInTheSpec", BigInt(huge));
  });
});
