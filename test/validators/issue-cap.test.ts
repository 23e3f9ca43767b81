// The issue cap: a validation reports at most MAX_ISSUES issues and says when it cut the list, and
// the collectors stop working (over array items and unknown keys) once the list is full, so a huge
// invalid value costs about as much as MAX_ISSUES issues. Work is counted through proxies, never timed.
import { describe, expect, it } from "vitest";
import * as chatRoot from "../../generated/chat/src/index.js";
import * as chatValidators from "../../generated/chat/src/validators.js";
import * as lcicRoot from "../../generated/lcic/src/index.js";
import * as lcicValidators from "../../generated/lcic/src/validators.js";
import * as trtcRoot from "../../generated/trtc/src/index.js";
import * as trtcValidators from "../../generated/trtc/src/validators.js";
import { parseJson, type Representation } from "../../generated/runtime/src/shared/json.js";
import { MAX_ISSUES, type ValidationResult } from "../../generated/runtime/src/validation/validation.js";
import { envelopeOf } from "../../generator/protocols/index.js";
import { realIr } from "../helpers.js";

// Each package's root and its `/validators` subpath, as a consumer imports both.
const chat = { ...chatRoot, ...chatValidators };
const lcic = { ...lcicRoot, ...lcicValidators };
const trtc = { ...trtcRoot, ...trtcValidators };

const ir = await realIr();
const PACKAGES = { chat, lcic, trtc } as const;
type Validate = (v: unknown, o?: object) => ValidationResult<unknown>;
type Validators = Record<string, { request: Validate; response: Validate }>;

// Per operation: its validators and the first of its examples whose request passes them as written.
const operations = ir.services.flatMap((service) =>
  service.operations.flatMap((op) => {
    const v = (PACKAGES[service.id as keyof typeof PACKAGES].validators as unknown as Validators)[op.method];
    if (!v) return [];
    const meta = PACKAGES[service.id as keyof typeof PACKAGES].metadata.operations as unknown as Record<
      string,
      { requestRepresentation: Representation | null }
    >;
    // A clock at the example's own time, so a historical request is inside its look-back window.
    const requests = op.examples.flatMap((ex) =>
      ex.requestText !== undefined && !ex.contradicts
        ? [parseJson(ex.requestText, meta[op.method]?.requestRepresentation) as Record<string, unknown>]
        : [],
    );
    const clock = (r: Record<string, unknown>) => ({
      now: () =>
        Math.max(Date.UTC(2020, 0, 1), ...op.timeWindows.flatMap((w) => (w.kind === "lookback" ? [Number(r[w.field]) * 1000] : []))) + 60_000,
    });
    const request = requests.find((r) => v.request(r, clock(r)).ok);
    return request ? [{ name: `${service.id} ${op.name}`, service, op, v, request, options: clock(request) }] : [];
  }),
);

/** `base` with `n` extra keys, counting reads of the extra ones (a for-in over a proxy reads through `get`). */
function withUnknownKeys(base: Record<string, unknown>, n: number) {
  const target: Record<string, unknown> = { ...base };
  for (let i = 0; i < n; i++) target[`Unknown${i}`] = i;
  let reads = 0;
  const value = new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "string" && key.startsWith("Unknown")) reads++;
      return Reflect.get(t, key, receiver);
    },
  });
  return { value, reads: () => reads };
}

describe("the issue cap", () => {
  it("is tried on every service, and is the documented 100", () => {
    expect(new Set(operations.map((o) => o.service.id))).toEqual(new Set(ir.services.map((s) => s.id)));
    expect(MAX_ISSUES).toBe(100);
  });

  it.each(operations)("$name request: exactly MAX_ISSUES unknown keys are all reported, not cut", ({ v, request, options }) => {
    const r = v.request(withUnknownKeys(request, MAX_ISSUES).value, options);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(MAX_ISSUES);
    expect(r.truncated).toBeUndefined();
  });

  it.each(operations)("$name request: 20,000 unknown keys give MAX_ISSUES issues, truncated, and read about that many", ({ v, request, options }) => {
    const { value, reads } = withUnknownKeys(request, 20_000);
    const r = v.request(value, options);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(MAX_ISSUES);
    expect(r.truncated).toBe(true);
    expect(r.issues.every((i) => i.code === "unknown")).toBe(true);
    expect(r.issues[0]!.path).toBe("Unknown0");
    // One read per reported key, and the one that overflowed the list.
    expect(reads()).toBe(MAX_ISSUES + 1);
  });

  // Responses: a list field of every response with one, filled with nulls (one issue each).
  const lists = operations.flatMap(({ name, service, op, v }) => {
    const field = op.response.fields.find((f) => f.type.kind === "array");
    const example = op.examples.find((ex) => ex.responseText !== undefined && !ex.contradicts);
    if (!field || !example) return [];
    const meta = PACKAGES[service.id as keyof typeof PACKAGES].metadata.operations as unknown as Record<
      string,
      { responseRepresentation: Representation | null }
    >;
    const key = envelopeOf(service.protocol.name).payloadKey;
    const plan = meta[op.method]!.responseRepresentation;
    const payload = (parseJson(example.responseText!, plan ? { [key]: plan } : null) as Record<string, Record<string, unknown>>)[key]!;
    return [{ name, field: field.name, v, payload }];
  });

  it("has a response list to try", () => {
    expect(lists.length).toBeGreaterThan(0);
  });

  it.each(lists)(
    "$name response: a list of 100,000 nulls in $field gives MAX_ISSUES issues and reads about that many items",
    ({ field, v, payload }) => {
      let reads = 0;
      const items = new Proxy(new Array<unknown>(100_000).fill(null), {
        get(t, key, receiver) {
          if (typeof key === "string" && /^\d+$/.test(key)) reads++;
          return Reflect.get(t, key, receiver);
        },
      });
      const r = v.response({ ...payload, [field]: items });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues).toHaveLength(MAX_ISSUES);
      expect(r.truncated).toBe(true);
      // Issues before the items' (the list's own size, say) take their places in the cap.
      const before = r.issues.findIndex((i) => i.path === `${field}[0]`);
      expect(before).toBeGreaterThanOrEqual(0);
      expect(r.issues.slice(before).every((i, k) => i.path === `${field}[${k}]`)).toBe(true);
      expect(reads).toBe(MAX_ISSUES + 1 - before);
    },
  );
});
