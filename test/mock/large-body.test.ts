// Large request bodies: an object of hundreds of thousands of unknown keys is cut down to what a
// validation can see (the request's field names, the first unknown keys) before it is parsed, and
// the answer is the one the whole body gets. Work is checked by what reaches the validator, never timed.
import { describe, expect, it } from "vitest";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { parseJson } from "../../templates/runtime/src/shared/json.js";
import { MANY_KEYS, reduceLargeBody, SCAN_BYTES } from "../../templates/runtime/src/mock/body.js";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import { createMock, MOCK_MAX_BODY_BYTES } from "../../templates/runtime/src/mock/server.js";
import { MAX_ISSUES, protocolErrorOf, type ValidationErrorMap } from "../../templates/runtime/src/validation/validation.js";
import { json, tc3Code, tc3Request } from "./support/requests.js";

const METHOD = "getRoomEvent";
const meta = lcicDefinition.metadata.operations[METHOD]!;
const protocol = lcicDefinition.metadata.protocol as unknown as { service: string; version: string };
const HOST = lcicDefinition.metadata.endpoints.find((e) => e.default)!.host;
const validator = lcicDefinition.validators[METHOD]!;
const FIELDS = new Set<string>(validator.requestFields);
// A valid request: the spec's example.
const EXAMPLE = lcicDefinition.examples.find((e) => e.method === METHOD)!.request as Record<string, unknown>;
const exampleText = JSON.stringify(EXAMPLE).slice(1, -1);

/** A mock whose validator records the key count of every value it is given. */
function spiedMock() {
  const seen: number[] = [];
  const validators = {
    ...lcicDefinition.validators,
    [METHOD]: {
      ...validator,
      request: (value: unknown, options?: object) => {
        seen.push(typeof value === "object" && value !== null ? Object.keys(value).length : -1);
        return validator.request(value, options);
      },
    },
  };
  const mock = createMock({ ...lcicDefinition, validators } as MockServiceDefinition, { rateLimit: false });
  return { mock, seen };
}

const send = (mock: ReturnType<typeof createMock>, body: string) =>
  mock.respond(tc3Request({ action: meta.action!, body, service: protocol.service, host: HOST, version: protocol.version }, Date.now()));

/** What the whole body gets: parsed in full, validated, mapped to the protocol's error. */
function expectedAnswer(body: string): { code: string | number | null; message?: unknown } {
  let value: unknown;
  try {
    value = parseJson(body, meta.requestRepresentation);
  } catch {
    // Where the parse stopped is worded by whichever parser found it.
    return {
      code: (meta.validationErrors.codes as { body?: string }).body ?? "InvalidParameter",
      message: expect.stringMatching(/^The request body is not JSON: /),
    };
  }
  const result = validator.request(value, {});
  if (result.ok) return { code: null };
  const error = protocolErrorOf(result.issues, meta.validationErrors as ValidationErrorMap)!;
  return { code: error.code, message: error.message };
}

function answer(mock: ReturnType<typeof createMock>, body: string): { code: string | number | null; message?: string } {
  const res = send(mock, body);
  const code = tc3Code(res);
  return code === null ? { code } : { code, message: json(res)["Response"]["Error"]["Message"] as string };
}

const unknownKeys = (n: number) => Array.from({ length: n }, (_, i) => `"u${String(i).padStart(6, "0")}":"vvvvvv"`);

describe("a 9.9 MB body of 500,000 unknown keys", () => {
  it("gets the unknown-field answer, naming the first unknown key, and its validator sees a cut-down object", () => {
    const body = `{${[exampleText, ...unknownKeys(500_000)].join(",")}}`;
    expect(body.length).toBeGreaterThan(9_000_000);
    expect(body.length).toBeLessThanOrEqual(MOCK_MAX_BODY_BYTES);
    const { mock, seen } = spiedMock();
    const got = answer(mock, body);
    expect(got.code).toBe(meta.validationErrors.codes.unknown ?? "UnknownParameter");
    expect(got.message).toBe("u000000: is not a field of this type");
    expect(seen).toHaveLength(1);
    // The request's fields and the first unknown keys (one more than the issue cap), not 500,000.
    expect(seen[0]).toBeLessThanOrEqual(FIELDS.size + MAX_ISSUES + 1);
  });
});

describe("a cut-down body gets the answer the whole body gets", () => {
  const n = Math.max(MANY_KEYS * 2, Math.ceil(SCAN_BYTES / 16));
  const cases: Array<[string, string]> = [
    ["declared fields after the unknown keys", `{${[...unknownKeys(n), exampleText].join(",")}}`],
    ["an invalid declared field after the unknown keys", `{${[...unknownKeys(n), exampleText.replace(/"Limit":\d+/, '"Limit":5000')].join(",")}}`],
    ["a declared field given twice, the last one valid", `{${['"Limit":5000', ...unknownKeys(n), exampleText].join(",")}}`],
    ["a declared field given twice, the last one invalid", `{${[exampleText, ...unknownKeys(n), '"Limit":"ten"'].join(",")}}`],
    ["a declared key written with escapes", `{${[...unknownKeys(n), exampleText.replace('"RoomId"', '"\\u0052oomId"')].join(",")}}`],
    [
      "array-index keys, which objects enumerate first, in numeric order",
      `{${[exampleText, ...unknownKeys(n), ...Array.from({ length: n }, (_, i) => `"${n - i}":${i}`)].join(",")}}`,
    ],
    ["an unknown key repeated", `{${[exampleText, ...Array.from({ length: n }, () => '"Again":1'), ...unknownKeys(n)].join(",")}}`],
    ["a large object inside a declared field", `{${[exampleText.replace(/"Limit":\d+/, `"Limit":{${unknownKeys(n).join(",")}}`)].join(",")}}`],
    ["a large object inside an unknown field", `{${[exampleText, `"Extra":{${unknownKeys(n).join(",")}}`].join(",")}}`],
    [
      "a large array (not cut)",
      `{${[
        exampleText,
        `"List":[${unknownKeys(n)
          .map((k) => `{${k}}`)
          .join(",")}]`,
      ].join(",")}}`,
    ],
    ["bad JSON inside a dropped member", `{${[exampleText, ...unknownKeys(n), '"Late":[1,2,}'].join(",")}}`],
    ["a control character inside a dropped member", `{${[exampleText, ...unknownKeys(n), '"Late":"a\u0001b"'].join(",")}}`],
    ["trailing text", `{${[exampleText, ...unknownKeys(n)].join(",")}} x`],
  ];
  it.each(cases)("%s", (_, body) => {
    expect(body.length).toBeGreaterThan(SCAN_BYTES);
    const { mock } = spiedMock();
    expect(answer(mock, body)).toEqual(expectedAnswer(body));
  });

  it.each(cases.filter(([, body]) => expectedAnswer(body).message !== undefined && typeof expectedAnswer(body).message === "string"))(
    "%s: the same capped issue list, and truncated alike",
    (_, body) => {
      const whole = validator.request(parseJson(body, meta.requestRepresentation), {});
      const cut = validator.request(parseJson(reduceLargeBody(body, FIELDS), meta.requestRepresentation), {});
      expect(cut).toEqual(whole);
    },
  );

  it("a large body without a large object is parsed as it is", () => {
    const body = `{${[
      exampleText,
      `"List":[${unknownKeys(n)
        .map((k) => `{${k}}`)
        .join(",")}]`,
    ].join(",")}}`;
    expect(reduceLargeBody(body, FIELDS)).toBe(body);
  });
});
