// The client loads its call path on the first call (issue 15: a cold import does not parse it).
// Once loaded, a call reads its request (validates and serialises it) before it returns, as it did
// before the call path was lazy and as a bundled app's calls always do: a caller that reuses the
// request object for the next page does not change the one already sent.
import { describe, expect, it } from "vitest";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import { InstantClock } from "./support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";

describe("a call once the call path is loaded", () => {
  it("serialises its request before it returns, so a later change to the object is not sent", async () => {
    const sent: string[] = [];
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: "http://127.0.0.1:9",
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      transport: async (r) => {
        sent.push(String(r.body));
        return { status: 200, headers: {}, body: JSON.stringify(tc3Ok({ Total: 0 })) };
      },
      clock: new InstantClock(),
      retry: { maxAttempts: 1 },
      env: {},
    });
    await client.call("listThings", { Owner: "first" }); // loads the call path
    const request = { Owner: "second" };
    const pending = client.call("listThings", request);
    request.Owner = "changed";
    await pending;
    expect(JSON.parse(sent[1]!)).toEqual({ Owner: "second" });
  });

  it("rejects, never throws, when called on the wrong receiver", async () => {
    const client = new ServiceClient(tc3Metadata, tc3Validators, { endpoint: "http://127.0.0.1:9", env: {} });
    const detached = client.call as (this: unknown, method: string, request: unknown) => Promise<unknown>;
    let result: Promise<unknown> | undefined;
    expect(() => (result = detached.call({}, "listThings", {}))).not.toThrow();
    await expect(result).rejects.toBeInstanceOf(TypeError);
  });
});
