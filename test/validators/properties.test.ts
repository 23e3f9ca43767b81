// Property tests over the emitted validators, per shape: valid values pass, and one mutation fails
// with exactly the mutated path. The arbitraries come from the IR, never from the emitted code.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type Issue } from "../../generated/runtime/src/validation/validation.js";
import { ValueChecker } from "../../generator/ir/check-value.js";
import type { Ir, JsonValue, Service, Shape } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";
import { shapeApi as api, VALIDATOR_MODULES as MODULES } from "./support/emitted-validators.js";
import { mutations, ValueArbitraries } from "./arbitraries.js";

const RUNS = 60;
/** Each run checks every mutation of one value. */
const MUTATION_RUNS = 25;

let ir: Ir;
beforeAll(async () => {
  ir = await realIr();
});

/** The message an issue must carry, from its other fields: what `report` writes, whichever way the validator built it. */
const messageOf = (i: Issue) => {
  const subject = i.path === "" ? "value" : i.path;
  if (i.code === "required") return `${subject}: is required`;
  if (i.code === "null") return `${subject}: must not be null`;
  if (i.code === "unknown") return `${subject}: is not a field of this type`;
  return `${subject}: must be ${i.expected}, got ${i.received}`;
};

const paths = (issues: ReadonlyArray<{ path: string }>) => [...new Set(issues.map((i) => i.path))];
/** Whether a shape holds a 64-bit field kept as a string or bigint, where the typed form differs from the wire form. */
const typedDiffers = (service: Service, shape: Shape, seen = new Set<string>()): boolean =>
  shape.fields.some(
    (f) =>
      f.js === "string" ||
      f.js === "bigint" ||
      JSON.stringify(f.type)
        .match(/"shape","name":"(\w+)"/g)
        ?.some((m) => {
          const n = m.split('"')[5]!;
          const s = service.shapes.find((x) => x.name === n);
          return !!s && !seen.has(n) && typedDiffers(service, s, new Set([...seen, n]));
        }),
  );

describe("emitted validators, per shape", () => {
  it("exports validate, is and assert for every shape and both sides of every operation", () => {
    for (const service of ir.services)
      for (const shape of [...service.shapes, ...service.operations.flatMap((o) => [o.request, o.response])]) {
        const a = api(service, shape);
        expect(typeof a.validate, `${service.id} ${shape.name}`).toBe("function");
        expect(typeof a.is, `${service.id} ${shape.name}`).toBe("function");
        expect(typeof a.assert, `${service.id} ${shape.name}`).toBe("function");
      }
  });

  it("accept generated valid values, strict or not, and agree with the IR value checker", () => {
    for (const service of ir.services) {
      const arbs = new ValueArbitraries(service);
      const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
      for (const shape of [...service.shapes, ...service.operations.map((o) => o.response)]) {
        const { validate, is } = api(service, shape);
        fc.assert(
          fc.property(arbs.shape(shape.name), (value) => {
            const r = validate(value, { strict: true });
            expect(r.ok ? [] : r.issues.map((i) => i.message), `${service.id} ${shape.name}`).toEqual([]);
            expect(is(value)).toBe(true);
            if (!typedDiffers(service, shape)) expect(checker.checkShape(shape, value as JsonValue, "")).toEqual([]);
          }),
          { numRuns: RUNS },
        );
      }
    }
  });

  it("accept generated valid requests (with a clock inside their time windows)", () => {
    for (const service of ir.services) {
      const arbs = new ValueArbitraries(service);
      for (const op of service.operations) {
        const { validate } = api(service, op.request);
        fc.assert(
          fc.property(arbs.request(op), ({ value, now }) => {
            const r = validate(value, { now: () => now });
            expect(r.ok ? [] : r.issues.map((i) => i.message), op.name).toEqual([]);
          }),
          { numRuns: RUNS },
        );
      }
    }
  });

  // One test per service (the surface grows); the timeout is a hang guard sized for a loaded CI machine, not a speed check.
  it.each(Object.keys(MODULES))(
    "refuse each single mutation of a valid value, at exactly the mutated path (%s)",
    (id) => {
      let checked = 0;
      for (const service of ir.services.filter((s) => s.id === id)) {
        const arbs = new ValueArbitraries(service);
        const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
        const cases: Array<{ shape: Shape; arb: fc.Arbitrary<{ value: Record<string, unknown>; now: number }>; request: boolean }> = [
          ...service.operations.map((op) => ({ shape: op.request, arb: arbs.request(op), request: true })),
          ...[...service.shapes, ...service.operations.map((o) => o.response)].map((shape) => ({
            shape,
            arb: arbs.shape(shape.name).map((value) => ({ value, now: 0 })),
            request: false,
          })),
        ];
        for (const { shape, arb, request } of cases) {
          const { validate, is, assert } = api(service, shape);
          const options = (now: number) => (request ? { now: () => now } : { strict: true });
          fc.assert(
            fc.property(arb, ({ value, now }) => {
              for (const m of mutations(service, shape, value, true)) {
                const r = validate(m.value, options(now));
                const where = `${service.id} ${shape.name}: ${m.describe} at ${m.path}`;
                expect(r.ok, where).toBe(false);
                if (r.ok) return;
                expect(paths(r.issues), where).toEqual([m.path]);
                expect(
                  r.issues.some((i) => m.codes.includes(i.code)),
                  `${where}: got ${r.issues.map((i) => i.code)}`,
                ).toBe(true);
                for (const i of r.issues) expect(i.message, where).toBe(messageOf(i));
                expect(is(m.value, options(now)), where).toBe(false);
                expect(() => assert(m.value, options(now)), where).toThrow(ValidationError);
                // The spec-side checker (wire form) finds the same place.
                if (!typedDiffers(service, shape) && m.codes[0] !== "precision")
                  expect(paths(checker.checkShape(shape, m.value as JsonValue, "")), where).toEqual([m.path]);
                checked++;
              }
            }),
            { numRuns: MUTATION_RUNS },
          );
        }
      }
      expect(checked).toBeGreaterThan(1000);
    },
    300_000,
  );

  it("covers every service of the specs", () => {
    expect(Object.keys(MODULES).sort()).toEqual(ir.services.map((s) => s.id).sort());
  });
});
