// The proof that every TC3 action works: the official Node SDK (tencentcloud-sdk-nodejs), as a user
// would set it up, calls every operation of every TC3 service in the specs with each of its
// examples' requests, through the generated mock server on loopback. A normal example gets an
// answer the SDK parses, shaped like the example's response; an example that contradicts its page
// in the request gets the code the spec's validation-error map predicts (one that is not JSON
// cannot be given to the SDK at all); an example published as an error answer gets that error or
// a result. An action the SDK has no method for (intl-only ones) goes through its generic
// `client.request(action, …)`, and says so in the test's name. Everything comes from the specs'
// IR: a new spec is called here without a change to this file.
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Example } from "../../generator/ir/types.js";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type Mock, type MockListening } from "../../templates/runtime/src/mock/server.js";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { GENERATED, realIr } from "../helpers.js";
import { contradictedPaths, exampleClock, predictedRequestError, publishedErrorCode, typeMismatches } from "./support/example-expectations.js";
import { hasMethod, officialClient, officialClientClass, sdkCall, sdkFailure, type SdkError } from "./support/official-sdk.js";

const ir = await realIr();
const definitions = await Promise.all(
  ir.services.map(
    async (s) =>
      ((await import(pathToFileURL(path.join(GENERATED, s.id, "src", "mock.ts")).href)) as { mockDefinition: MockServiceDefinition }).mockDefinition,
  ),
);
const credential = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
const tc3Services = ir.services.flatMap((service) =>
  service.protocol.name === "tc3" ? [{ service, binding: service.protocol as { name: string; service: string; version: string } }] : [],
);

/** One server for the real clock; one more per clock an example's look-back windows need (made under that clock, so the mock's lifecycles start there too). */
const servers = new Map<number | "real", Promise<{ mock: Mock; listening: MockListening }>>();
function serverAt(clock: number | undefined) {
  const key = clock ?? "real";
  let server = servers.get(key);
  if (!server) {
    const mock = createMock(definitions, { rateLimit: false });
    server = mock.listen({ port: 0 }).then((listening) => ({ mock, listening }));
    servers.set(key, server);
  }
  return server;
}
afterAll(async () => {
  for (const server of servers.values()) await (await server).listening.close();
});

it("has a TC3 service, and an example request for every TC3 operation to call", () => {
  expect(tc3Services.length).toBeGreaterThan(0);
  const without = tc3Services.flatMap(({ service }) =>
    service.operations.filter((op) => !op.examples.some((e) => e.requestText !== undefined)).map((op) => `${service.id} ${op.name}`),
  );
  expect(without).toEqual([]);
});

it("compares an answer with an example's response: a required field left out or of another type is reported", () => {
  const cases = tc3Services.flatMap(({ service }) =>
    service.operations.flatMap((op) =>
      op.examples.flatMap((ex) => {
        const payload = ex.responsePayload as Record<string, unknown> | undefined;
        const field = op.response.fields.find((f) => f.required && payload?.[f.name] != null);
        return !ex.contradicts && payload && field ? [{ service, op, payload, field }] : [];
      }),
    ),
  );
  expect(cases.length).toBeGreaterThan(0);
  const { service, op, payload, field } = cases[0]!;
  const example = payload as Parameters<typeof typeMismatches>[2];
  expect(typeMismatches(service, op.response.fields, example, structuredClone(payload), new Set())).toEqual([]);
  const { [field.name]: _left, ...without } = payload;
  expect(typeMismatches(service, op.response.fields, example, without, new Set())).toEqual([`${field.name}: missing from the answer`]);
  const retyped = { ...payload, [field.name]: typeof payload[field.name] === "string" ? 1 : "1" };
  expect(typeMismatches(service, op.response.fields, example, retyped, new Set())).toHaveLength(1);
  expect(typeMismatches(service, op.response.fields, example, retyped, new Set([field.name]))).toEqual([]);
});

it("predicts the code for a request that breaks its spec, and the SDK gets it (a required field left out of an example)", async () => {
  const cases = tc3Services.flatMap(({ service, binding }) =>
    service.operations.flatMap((op) =>
      op.examples.flatMap((ex) => {
        const request = ex.request as Record<string, unknown> | undefined;
        const field = op.request.fields.find((f) => f.required && request?.[f.name] !== undefined);
        return field && !ex.contradicts && !ex.requestParseError && exampleClock(op, ex) === undefined ? [{ service, binding, op, ex, field }] : [];
      }),
    ),
  );
  expect(cases.length).toBeGreaterThan(0);
  const { service, binding, op, ex, field } = cases[0]!;
  const { [field.name]: _left, ...request } = JSON.parse(ex.requestText!) as Record<string, unknown>;
  const broken = {
    ...ex,
    requestText: JSON.stringify(request),
    request: request as Example["request"],
    contradicts: { reason: "left out", paths: [`request.${field.name}`] },
  };
  const predicted = predictedRequestError(service, op, broken);
  expect(predicted).toBe(op.validationErrors.fields[field.name]?.missing ?? op.validationErrors.codes.missing);
  const { listening } = await serverAt(undefined);
  const { client, close } = officialClient(
    officialClientClass(binding),
    listening.port,
    credential,
    op.regions.values[0] ?? service.regions.values[0],
  );
  try {
    expect((await sdkFailure(sdkCall(client, op.wire!.key)(request))).code).toBe(String(predicted));
  } finally {
    close();
  }
});

for (const { service, binding } of tc3Services) {
  const Client = officialClientClass(binding);
  describe(`${service.id}: tencentcloud-sdk-nodejs ${binding.service} ${binding.version}`, () => {
    for (const op of service.operations)
      for (const ex of op.examples) {
        if (ex.requestText === undefined) continue;
        const action = op.wire!.key;
        const requestPaths = contradictedPaths(ex, "request");
        const published = publishedErrorCode(ex);
        const expects = requestPaths.length
          ? " (contradicts its page in the request)"
          : published !== undefined
            ? ` (an error example: the SDK throws ${published})`
            : "";
        const via = hasMethod(Client, action) ? "" : " [the SDK has no method: client.request]";
        it(`${action}: ${ex.title}${expects}${via}`, async () => {
          // An SDK user passes an object: a request that is not JSON cannot be given to the SDK at all.
          if (ex.requestParseError !== undefined) {
            expect(requestPaths).toEqual([""]);
            expect(() => JSON.parse(ex.requestText!) as unknown).toThrow();
            return;
          }
          const clock = exampleClock(op, ex);
          // The SDK signs with Date.now and the mock checks the signature's time against its own clock: both move together.
          if (clock !== undefined) vi.useFakeTimers({ toFake: ["Date"], now: clock });
          const { mock, listening } = await serverAt(clock);
          mock.reset();
          const region = op.regions.values[0] ?? service.regions.values[0];
          const { client, close } = officialClient(Client, listening.port, credential, region);
          try {
            const call = sdkCall(client, action);
            const request = JSON.parse(ex.requestText!) as unknown;
            if (requestPaths.length > 0) {
              const predicted = predictedRequestError(service, op, ex);
              expect(predicted, "the spec maps the example's first problem to a code").toBeDefined();
              const error = await sdkFailure(call(request));
              expect(error.code, error.message).toBe(String(predicted));
              expect(error.requestId).toBeTruthy();
            } else if (published !== undefined) {
              // An error example: the mock answers its error to exactly its request, as the service did.
              const error = await sdkFailure(call(request));
              expect(error.code, error.message).toBe(published);
              expect(error.requestId).toBeTruthy();
            } else {
              const answer = await call(request).catch((e: SdkError) => {
                throw new Error(`the SDK call failed: ${e.code} ${e.message}`);
              });
              expect(answer["RequestId"]).toBeTypeOf("string");
              expect(answer["RequestId"]).not.toBe("");
              const skip = new Set(contradictedPaths(ex, "response"));
              if (ex.responsePayload !== undefined) expect(typeMismatches(service, op.response.fields, ex.responsePayload, answer, skip)).toEqual([]);
            }
            expect(mock.calls.at(-1)).toMatchObject({ service: service.id, operation: op.name });
          } finally {
            close();
            vi.useRealTimers();
          }
        });
      }
  });
}
