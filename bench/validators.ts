// Validators bench: the emitted validators against Ajv compiled from the same emitted JSON Schemas
// (allErrors, so both collect every problem), on valid and on invalid payloads of every operation,
// in the same run.
//
// Target (issue): ≥ 2× Ajv's operations per second on valid payloads, ≥ 1× on invalid ones.
// Payloads are deterministic (fast-check with a fixed seed), so runs compare like with like.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import * as chat from "../generated/chat/src/validators.js";
import * as lcic from "../generated/lcic/src/validators.js";
import * as trtc from "../generated/trtc/src/validators.js";
import type { ValidationResult } from "../generated/runtime/src/validation.js";
import type { Operation, Service } from "../generator/ir/types.js";
import { build } from "../generator/pipeline.js";
import { mutations, ValueArbitraries } from "../test/validators/arbitraries.js";
import { collectGarbage, median, table, type Bench, type BenchContext } from "./bench.js";
import { REAL_SPECS_DIR } from "./make-corpus.js";

export const TARGET_VALID = 2;
export const TARGET_INVALID = 1;

type Validator = (v: unknown, o?: object) => ValidationResult<unknown>;
type Module = { validators: Record<string, { request: Validator; response: Validator }> } & Record<string, unknown>;
const MODULES: Record<string, Module> = { chat, lcic, trtc } as never;
const GENERATED = path.resolve(path.dirname(REAL_SPECS_DIR), "generated");
const SEED = 20261123;
const PAYLOADS = 64;

interface Case {
  name: string;
  /** Every problem collected: what an invalid payload costs. */
  ours: (v: unknown) => boolean;
  /** The type guard: a yes or no, as Ajv's compiled function answers (its errors only when invalid). */
  oursIs: (v: unknown) => boolean;
  ajv: (v: unknown) => boolean;
  valid: unknown[];
  invalid: unknown[];
}

function ajvFor(service: Service): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const dir = path.join(GENERATED, service.id, "schemas");
  for (const f of readdirSync(dir).sort()) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as object);
  return ajv;
}

function cases(services: Service[]): Case[] {
  const out: Case[] = [];
  for (const service of services) {
    const ajv = ajvFor(service);
    const arbs = new ValueArbitraries(service);
    const table = MODULES[service.id]!.validators;
    for (const op of service.operations) {
      for (const side of ["request", "response"] as const) {
        const shape = side === "request" ? op.request : op.response;
        const schema = ajv.getSchema(`${shape.name}.json`) as ValidateFunction;
        const validate = table[op.method]![side];
        const sample = side === "request" ? requests(arbs, op) : fc.sample(arbs.shape(shape.name), { seed: SEED, numRuns: PAYLOADS }).map((value) => ({ value, now: 0 }));
        // Request time windows are checked against a clock inside them (Ajv cannot check them at all).
        const now = Math.max(...sample.map((s) => s.now));
        const options = side === "request" ? { now: () => now } : {};
        const ours = (v: unknown) => validate(v, options).ok;
        const is = MODULES[service.id]![`is${shape.name}`] as (v: unknown, o: object) => boolean;
        const oursIs = (v: unknown) => is(v, options);
        const valid = sample.map((s) => s.value);
        const invalid = valid.flatMap((v, i) => {
          const all = mutations(service, shape, v, side === "request");
          return all.length ? [all[(i * 7) % all.length]!.value] : [];
        });
        out.push({ name: `${service.id} ${op.name} ${side}`, ours, oursIs, ajv: (v) => schema(v) as boolean, valid, invalid });
      }
    }
  }
  return out;
}

function requests(arbs: ValueArbitraries, op: Operation) {
  return fc.sample(arbs.request(op, Date.UTC(2026, 0, 1)), { seed: SEED, numRuns: PAYLOADS });
}

/** Validations per second of `fn` over `payloads`, the median of `rounds` rounds of at least `minMs` each. */
function opsPerSecond(fn: (v: unknown) => boolean, payloads: unknown[], rounds: number, minMs: number): number {
  let sink = 0;
  const pass = () => {
    for (const p of payloads) if (fn(p)) sink++;
  };
  let reps = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) pass();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms >= minMs) break;
    reps *= 2;
  }
  const results: number[] = [];
  for (let i = 0; i < rounds; i++) {
    collectGarbage();
    const start = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) pass();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    results.push((reps * payloads.length) / (ms / 1000));
  }
  if (sink < 0) throw new Error("unreachable");
  return median(results);
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);

export const validatorsBench: Bench = {
  name: "validators",
  description: "emitted validators vs Ajv (allErrors) on valid and invalid payloads of every operation",
  options: "--rounds N   measured rounds per case (default 5)",
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({ args, options: { rounds: { type: "string", default: "5" } }, strict: false });
    const rounds = Number(values.rounds) || 5;
    const built = await build(REAL_SPECS_DIR, path.dirname(REAL_SPECS_DIR));
    if (!built.ir) throw new Error("the specs do not build");
    const rows: string[][] = [];
    const ratios = { valid: [] as number[], invalid: [] as number[] };
    for (const c of cases(built.ir.services)) {
      // Both sides must agree on which payloads are valid, or the comparison means nothing.
      for (const v of c.valid) if (!c.ours(v) || !c.oursIs(v) || !c.ajv(v)) throw new Error(`${c.name}: a valid payload is refused (ours ${c.ours(v)}, ajv ${c.ajv(v)})`);
      const invalid = c.invalid.filter((v) => !c.ajv(v));
      for (const v of c.invalid) if (c.ours(v) || c.oursIs(v)) throw new Error(`${c.name}: a mutated payload passes our validator`);
      progress.write(`  ${c.name}…\n`);
      const r = {
        oursValid: opsPerSecond(c.oursIs, c.valid, rounds, 30),
        ajvValid: opsPerSecond(c.ajv, c.valid, rounds, 30),
        oursInvalid: opsPerSecond(c.ours, invalid, rounds, 30),
        ajvInvalid: opsPerSecond(c.ajv, invalid, rounds, 30),
      };
      ratios.valid.push(r.oursValid / r.ajvValid);
      ratios.invalid.push(r.oursInvalid / r.ajvInvalid);
      rows.push([c.name, fmt(r.oursValid), fmt(r.ajvValid), `${(r.oursValid / r.ajvValid).toFixed(2)}×`, fmt(r.oursInvalid), fmt(r.ajvInvalid), `${(r.oursInvalid / r.ajvInvalid).toFixed(2)}×`]);
    }
    out.write(table(["case", "ours valid/s", "ajv valid/s", "ratio", "ours invalid/s", "ajv invalid/s", "ratio"], rows));
    const v = Math.min(...ratios.valid);
    const i = Math.min(...ratios.invalid);
    out.write(`\nvalid:   worst ${v.toFixed(2)}×, geometric mean ${geomean(ratios.valid).toFixed(2)}× Ajv (target ≥ ${TARGET_VALID}×: ${v >= TARGET_VALID ? "met" : "NOT met"})\n`);
    out.write(`invalid: worst ${i.toFixed(2)}×, geometric mean ${geomean(ratios.invalid).toFixed(2)}× Ajv (target ≥ ${TARGET_INVALID}×: ${i >= TARGET_INVALID ? "met" : "NOT met"})\n`);
  },
};
