// The node transport's direct path (http1.ts) bypasses node:http, which test interceptors patch:
// while one is active (MSW, nock, a replaced http.request) requests must go through node:http so
// the interceptor sees them; once it is gone, they return to the direct path. Which path a request
// took is read from node:http's own diagnostics channel: every ClientRequest publishes on it.
import diagnostics from "node:diagnostics_channel";
import http from "node:http";
import { http as mswHttp, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createNodeTransport, type NodeTransport, type TransportRequest } from "../../templates/runtime/src/client/transport.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

let loopback: Loopback;
const started: unknown[] = [];
const onStart = (message: unknown) => started.push(message);
beforeAll(async () => {
  loopback = await startLoopback();
  loopback.fallback({ kind: "text", body: "from the server" });
  diagnostics.subscribe("http.client.request.start", onStart);
});
afterAll(async () => {
  diagnostics.unsubscribe("http.client.request.start", onStart);
  await loopback.close();
});

const made: NodeTransport[] = [];
afterEach(() => {
  for (const t of made.splice(0)) t.close();
});

const request = (): TransportRequest => ({ url: `${loopback.origin}/v1`, method: "POST", headers: {}, body: "{}", timeoutMs: 5_000 });

/** The body a call got, and whether it went through node:http. */
async function call(send: (r: TransportRequest) => Promise<{ body: string }>): Promise<{ body: string; viaNodeHttp: boolean }> {
  const before = started.length;
  const { body } = await send(request());
  return { body, viaNodeHttp: started.length > before };
}

const mswFor = (origin: string) => setupServer(mswHttp.post(`${origin}/v1`, () => HttpResponse.text("from msw")));

describe("the node transport under a test interceptor", () => {
  it("an MSW server started after the transport was used intercepts its calls; closing it returns them to the direct path", async () => {
    const send = createNodeTransport({ proxy: false });
    made.push(send);
    expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
    const msw = mswFor(loopback.origin);
    msw.listen({ onUnhandledRequest: "error" });
    try {
      expect(await call(send)).toEqual({ body: "from msw", viaNodeHttp: true });
      expect(await call(send)).toEqual({ body: "from msw", viaNodeHttp: true });
    } finally {
      msw.close();
    }
    expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
  });

  it("a replaced http.request is called, and no longer once it is put back", async () => {
    const send = createNodeTransport({ proxy: false });
    made.push(send);
    await call(send);
    const original = http.request;
    let calls = 0;
    http.request = ((...args: Parameters<typeof http.request>) => {
      calls++;
      return original(...args);
    }) as typeof http.request;
    try {
      expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: true });
      expect(calls).toBe(1);
    } finally {
      http.request = original;
    }
    expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
    expect(calls).toBe(1);
  });

  it("useNodeHttp: true sends every request through node:http", async () => {
    const send = createNodeTransport({ proxy: false, useNodeHttp: true });
    made.push(send);
    expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: true });
  });

  describe("in a process where the interceptor was there before the first call", () => {
    // A fresh copy of the runtime: the first look at node:http is made while the interceptor is on.
    const freshTransport = async () => {
      vi.resetModules();
      const fresh = await import("../../templates/runtime/src/client/transport.js");
      const send = fresh.createNodeTransport({ proxy: false });
      made.push(send);
      return send;
    };

    it("MSW (listening before the runtime first sent anything) intercepts, and after close() the direct path is used", async () => {
      const msw = mswFor(loopback.origin);
      msw.listen({ onUnhandledRequest: "error" });
      let send: NodeTransport;
      try {
        send = await freshTransport();
        expect(await call(send)).toEqual({ body: "from msw", viaNodeHttp: true });
      } finally {
        msw.close();
      }
      expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
    });

    it("an older @mswjs/interceptors (its global under an unregistered symbol) sends through node:http until it is removed", async () => {
      const key = Symbol("client-request-interceptor");
      const global = globalThis as Record<symbol, unknown>;
      global[key] = {};
      let send: NodeTransport;
      try {
        send = await freshTransport();
        expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: true });
      } finally {
        delete global[key];
      }
      expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
    });

    it("nock 13's replaced ClientRequest (OverriddenClientRequest) and http.request send through node:http", async () => {
      const { ClientRequest, request: original } = http;
      // What nock 13 does on import: its own ClientRequest and request functions.
      function OverriddenClientRequest(this: unknown, ...args: unknown[]) {
        return Reflect.construct(ClientRequest, args, new.target ?? ClientRequest);
      }
      let calls = 0;
      http.ClientRequest = OverriddenClientRequest as unknown as typeof http.ClientRequest;
      http.request = ((...args: Parameters<typeof http.request>) => {
        calls++;
        return original(...args);
      }) as typeof http.request;
      let send: NodeTransport;
      try {
        send = await freshTransport();
        expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: true });
        expect(calls).toBe(1);
      } finally {
        http.ClientRequest = ClientRequest;
        http.request = original;
      }
      expect(await call(send)).toEqual({ body: "from the server", viaNodeHttp: false });
    });
  });
});
