// Read sets (generator/write/read-set.ts): an emitter run on recording proxies writes exactly what it
// writes on the IR itself, and when a changed IR agrees with every recorded read, emitting it gives
// the same files (so a cached unit may stand in for it).
import { describe, expect, it } from "vitest";
import { EMITTERS } from "../../generator/emit/index.js";
import type { Ir, Service } from "../../generator/ir/types.js";
import { recordReads, sameReads, Unrecordable } from "../../generator/write/read-set.js";
import { realIr } from "../helpers.js";

type Leaf = { holder: Record<string, unknown>; key: string };

/** Every primitive leaf under `value`, in a fixed order. */
function leaves(value: unknown, out: Leaf[] = [], seen = new Set<object>()): Leaf[] {
  if (typeof value !== "object" || value === null || seen.has(value)) return out;
  seen.add(value);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "object" && v !== null) leaves(v, out, seen);
    else out.push({ holder: value as Record<string, unknown>, key });
  }
  return out;
}

function changed(v: unknown): unknown {
  if (typeof v === "string") return `${v} (changed)`;
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  return "changed";
}

describe("read sets", () => {
  it("record reads, absences, key lists and sameness, and refuse writes", () => {
    const shared = { n: 1 };
    const ir = { a: { b: "x", c: [1, 2] }, d: shared, e: shared, unread: "u" };
    const { value, reads } = recordReads([ir], (p) => {
      const o = p as typeof ir & { missing?: string };
      return [o.a.b, o.a.c.length, Object.keys(o.a).join(), "zz" in o, o.missing, o.d === o.e].join("|");
    });
    expect(value).toBe("x|2|b,c|false||true");
    const same = structuredClone(ir);
    same.e = same.d; // structuredClone keeps the sharing; state it anyway
    expect(sameReads(reads, [same])).toBe(true);
    expect(sameReads(reads, [{ ...structuredClone(ir), unread: "changed" }])).toBe(true);
    const variants: unknown[] = [
      { ...structuredClone(ir), a: { b: "y", c: [1, 2] } },
      { ...structuredClone(ir), a: { b: "x", c: [1, 2, 3] } },
      { ...structuredClone(ir), a: { c: [1, 2], b: "x" } },
      { ...structuredClone(ir), zz: 1 },
      { ...structuredClone(ir), missing: "now" },
      { ...structuredClone(ir), d: { n: 1 }, e: { n: 1 } },
    ];
    for (const v of variants) expect(sameReads(reads, [v as object])).toBe(false);
    expect(() =>
      recordReads([ir], (p) => {
        (p as typeof ir).a.b = "written";
      }),
    ).toThrow(Unrecordable);
    expect(ir.a.b).toBe("x");
    // Even when the emitter catches the refusal and carries on.
    expect(() =>
      recordReads([ir], (p) => {
        try {
          delete (p as Partial<typeof ir>).unread;
        } catch {
          // ignored by the emitter
        }
        return 1;
      }),
    ).toThrow(Unrecordable);
    expect(() => recordReads([new Date()], () => 1)).toThrow(Unrecordable);
  });

  it("keep a value read at several places once, and -0 apart from 0", () => {
    const ir = { a: "x", b: "x", c: 0, d: -0, e: 0 };
    const { reads } = recordReads([ir], (p) => Object.values(p).length);
    expect(reads.values.filter((v) => !Array.isArray(v))).toEqual(["x", 0, -0]);
    expect(sameReads(reads, [{ ...ir }])).toBe(true);
    expect(sameReads(reads, [{ ...ir, d: 0 }])).toBe(false);
    expect(sameReads(reads, [{ ...ir, c: -0 }])).toBe(false);
    expect(sameReads(reads, [{ ...ir, b: "y" }])).toBe(false);
  });

  it("refuse a symbol-keyed property only when it is looked at", () => {
    const tag = Symbol("tag");
    const ir = { a: { b: 1, [tag]: "t" } };
    // Never looked at: the rest is recorded as usual.
    expect(recordReads([ir], (p) => (p as typeof ir).a.b).value).toBe(1);
    expect(() => recordReads([ir], (p) => (p as typeof ir).a[tag])).toThrow(Unrecordable);
    expect(() => recordReads([ir], (p) => tag in (p as typeof ir).a)).toThrow(Unrecordable);
    expect(() => recordReads([ir], (p) => Reflect.ownKeys((p as typeof ir).a))).toThrow(Unrecordable);
    expect(() => recordReads([ir], (p) => Object.getOwnPropertyDescriptor((p as typeof ir).a, tag))).toThrow(Unrecordable);
    // A symbol from the prototype (an array's iterator) is the language's, not the IR's.
    expect(recordReads([{ list: [1, 2] }], (p) => [...(p as { list: number[] }).list]).value).toEqual([1, 2]);
  });

  it("pack a unit's reads: each key stored once, the places as one Int32Array (a cold run records millions)", async () => {
    const ir = await realIr();
    const service = ir.services[0]!;
    const emitter = EMITTERS.find((e) => e.emitService)!;
    const { reads } = recordReads([service, ir], (s, i) => emitter.emitService!(s as Service, i as Ir));
    expect(reads.ops instanceof Uint16Array || reads.ops instanceof Int32Array).toBe(true);
    expect(reads.nodes).toBeInstanceOf(Int32Array);
    expect(new Set(reads.keys).size).toBe(reads.keys.length);
    // Only primitives and key lists are kept as values (a read of an object is a node number), each
    // primitive once however many places it was read at.
    const kinds = [...reads.ops].filter((_, i) => i % 4 === 2);
    const primitives = reads.values.filter((v) => !Array.isArray(v));
    expect(reads.values.every((v) => typeof v !== "object" || v === null || Array.isArray(v))).toBe(true);
    expect(new Set(primitives).size).toBe(primitives.length);
    expect(primitives.length).toBeLessThan(kinds.filter((k) => k === 0).length);
    expect(reads.values.length - primitives.length).toBe(kinds.filter((k) => k === 5).length);
    // A structured clone (what the cache stores) still answers.
    expect(sameReads(structuredClone(reads), [service, ir])).toBe(true);
    // A read set in the earlier flat format, or damaged, is a miss, never an error.
    const flat = { roots: 2, nodes: [[-1, "0", 0]], reads: [0, "id", 0, service.id] };
    expect(sameReads(flat as never, [service, ir])).toBe(false);
    expect(sameReads({ ...reads, ops: reads.ops.slice(0, 5) }, [service, ir])).toBe(false);
    // Past two bytes a number (here a key's index), the ops take four each, and still answer.
    const wide = Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i]));
    const big = recordReads([wide], (p) => Object.values(p).length);
    expect(big.reads.ops).toBeInstanceOf(Int32Array);
    expect(sameReads(structuredClone(big.reads), [{ ...wide }])).toBe(true);
    expect(sameReads(big.reads, [{ ...wide, k69999: -1 }])).toBe(false);
  });

  it("every emitter writes through the recording proxies exactly what it writes on the IR", async () => {
    const ir = await realIr();
    for (const emitter of EMITTERS) {
      for (const service of emitter.emitService ? ir.services : []) {
        const { value } = recordReads([service, ir], (s, i) => emitter.emitService!(s as Service, i as Ir));
        expect(value, `${emitter.name} ${service.id}`).toEqual(emitter.emitService!(service, ir));
      }
      if (emitter.emitAll) expect(recordReads([ir], (i) => emitter.emitAll!(i as Ir)).value, emitter.name).toEqual(emitter.emitAll(ir));
    }
  }, 300_000);

  it("when a changed IR agrees with every recorded read, the emitter writes the same files", async () => {
    const ir = await realIr();
    // The smallest service keeps this quick; every emitter, several changed leaves each.
    const index = ir.services.reduce((best, s, i) => (s.operations.length < ir.services[best]!.operations.length ? i : best), 0);
    let agreed = 0;
    let disagreed = 0;
    for (const emitter of EMITTERS.filter((e) => e.emitService)) {
      const copy = structuredClone(ir);
      const service = copy.services[index]!;
      const { value, reads } = recordReads([service, copy], (s, i) => emitter.emitService!(s as Service, i as Ir));
      const all = leaves(copy);
      // Spread over the whole IR (other services and the protocols too), the same leaves every run.
      for (let k = 0; k < 12; k++) {
        const leaf = all[Math.floor(((k + 0.5) * all.length) / 12)]!;
        const before = leaf.holder[leaf.key];
        leaf.holder[leaf.key] = changed(before);
        if (sameReads(reads, [service, copy])) {
          agreed++;
          expect(emitter.emitService!(service, copy), `${emitter.name}: ${leaf.key}`).toEqual(value);
        } else disagreed++;
        leaf.holder[leaf.key] = before;
      }
      expect(sameReads(reads, [service, copy])).toBe(true);
    }
    expect(agreed).toBeGreaterThan(0);
    expect(disagreed).toBeGreaterThan(0);
  }, 300_000);
});
