// The emitted mock definitions: samplers draw valid, deterministic payloads; examples are typed.
import { describe, expect, it } from "vitest";
import * as chat from "../../generated/chat/src/mock.js";
import * as lcic from "../../generated/lcic/src/mock.js";
import * as trtc from "../../generated/trtc/src/mock.js";
import { createRng, type MockServiceDefinition } from "../../generated/runtime/src/mock.js";

const DEFINITIONS: Record<string, MockServiceDefinition> = { chat: chat.mockDefinition, lcic: lcic.mockDefinition, trtc: trtc.mockDefinition };
const SEEDS = 300;

describe.each(Object.entries(DEFINITIONS))("%s mock definition", (_id, def) => {
  it("has a sampler per operation, with an item sampler exactly where the operation pages", () => {
    expect(Object.keys(def.samplers).sort()).toEqual(Object.keys(def.metadata.operations).sort());
    for (const [method, op] of Object.entries(def.metadata.operations))
      expect(typeof def.samplers[method]!.item, method).toBe(op.pagination ? "function" : "undefined");
  });

  it("draws payloads and items that pass the strict response validators", () => {
    for (const [method, s] of Object.entries(def.samplers)) {
      const validate = def.validators[method]!.response;
      const items = def.metadata.operations[method]!.pagination?.items;
      for (let seed = 0; seed < SEEDS; seed++) {
        const rng = createRng(seed);
        const payload = s.response(rng);
        const r = validate(payload, { strict: true });
        expect(r.ok ? [] : r.issues.map((i) => i.message), `${method} seed ${seed}`).toEqual([]);
        if (s.item && items) {
          const withItems = { ...payload, [items]: [s.item(rng), s.item(rng)] };
          const ri = validate(withItems, { strict: true });
          expect(ri.ok ? [] : ri.issues.map((i) => i.message), `${method} item, seed ${seed}`).toEqual([]);
        }
      }
    }
  });

  it("draws the same data from the same seed, and other data from another", () => {
    for (const s of Object.values(def.samplers)) {
      expect(s.response(createRng(7))).toEqual(s.response(createRng(7)));
      expect(s.response(createRng("room-1"))).toEqual(s.response(createRng("room-1")));
      const distinct = new Set(
        Array.from({ length: 20 }, (_, i) => JSON.stringify(s.response(createRng(i)), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))),
      );
      // A response with no fields (a Chat answer with the envelope only) has one possible value; a
      // small one (a flag, a short enum) a few: any other seed must be able to change the data.
      const empty = JSON.stringify(s.response(createRng(0))) === "{}";
      if (empty) expect(distinct.size).toBe(1);
      else expect(distinct.size).toBeGreaterThan(1);
    }
  });

  it("carries the spec's valid examples in typed form, valid both ways", () => {
    for (const ex of def.examples) {
      const v = def.validators[ex.method]!;
      expect(v.response(ex.response, { strict: true }).ok, ex.title).toBe(true);
      // A clock just after the example's own timestamps, so look-back windows hold.
      const stamps = Object.values(ex.request).filter((x): x is number => typeof x === "number" && x > 1e9 && x < 1e10);
      const now = stamps.length ? Math.max(...stamps) * 1000 + 60_000 : Date.now();
      expect(v.request(ex.request, { now: () => now }).ok, ex.title).toBe(true);
    }
  });
});

describe("examples in typed form", () => {
  it("keep the Live Owner_Account exact as a string", () => {
    const live = chat.mockDefinition.examples.find((e) => e.method === "getLiveRoomInfo")!;
    expect((live.response.RoomInfo as Record<string, unknown>).Owner_Account).toBe("144115233775727695");
  });
  it("skip the examples that contradict their page", () => {
    expect(lcic.mockDefinition.examples.some((e) => e.title.includes("Getting the statistics of a room") && e.response.MemberRecords)).toBe(true);
    for (const def of Object.values(DEFINITIONS))
      expect(def.examples.every((e) => def.validators[e.method]!.response(e.response, { strict: true }).ok)).toBe(true);
  });
});

describe("the seeded source", () => {
  it("forks independent, reproducible streams", () => {
    const a = createRng(1).fork("room").fork(42);
    const b = createRng(1).fork("room").fork(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRng(1).fork("x").next()).not.toBe(createRng(2).fork("x").next());
    const r = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(-5, 5);
      expect(n >= -5 && n <= 5 && Number.isInteger(n)).toBe(true);
      const g = r.bigint(2n ** 63n, 2n ** 64n - 1n);
      expect(g >= 2n ** 63n && g <= 2n ** 64n - 1n).toBe(true);
    }
  });
});
