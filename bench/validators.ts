// Validators bench: the emitted validators against Ajv compiled from the same emitted JSON Schemas
// (allErrors, so both collect every problem), on valid and on invalid payloads of every operation,
// in the same run.
//
// Target (issue): ≥ 2× Ajv's operations per second on valid payloads, ≥ 1× on invalid ones.
// Payloads are deterministic (fast-check with a fixed seed), so runs compare like with like.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import type { ValidationResult } from "../generated/runtime/src/validation.js";
import type { Operation, Service } from "../generator/ir/types.js";
import { build } from "../generator/pipeline.js";
import { mutations, ValueArbitraries } from "../test/validators/arbitraries.js";
import { collectGarbage, installBuiltPackages, median, table, type Bench, type BenchContext } from "./bench.js";
import { REAL_SPECS_DIR } from "./make-corpus.js";

export const TARGET_VALID = 2;
export const TARGET_INVALID = 1;
/** Each round's least duration per contender. Short rounds, many of them: a pair is taken close together. */
const MIN_MS = 15;

type Validator = (v: unknown, o?: object) => ValidationResult<unknown>;
type Module = { validators: Record<string, { request: Validator; response: Validator }> } & Record<string, unknown>;
const GENERATED = path.resolve(path.dirname(REAL_SPECS_DIR), "generated");
const SEED = 20261123;
const PAYLOADS = 64;

interface Case {
  name: string;
  /** validate*: every problem collected, what an invalid payload costs. Called as `validate(v, options).ok`. */
  validate: Validator;
  /** is*: the type guard, a yes or no as Ajv's compiled function answers (its errors only when invalid). */
  is: (v: unknown, o?: object) => boolean;
  /** The request's clock (time windows), or nothing. */
  options: object | undefined;
  ajv: ValidateFunction;
  valid: unknown[];
  invalid: unknown[];
}

function ajvFor(service: Service): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const dir = path.join(GENERATED, service.id, "schemas");
  for (const f of readdirSync(dir).sort()) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as object);
  return ajv;
}

/**
 * The generated packages as users import them: `npm run build`'s bundles, installed under
 * node_modules. (The sources, a module per file, ran invalid values 25–30% slower than the
 * bundles, where the validators and their issue helpers share one module.)
 */
async function builtModules(dir: string): Promise<Record<string, Module>> {
  const installed = await installBuiltPackages(GENERATED, dir);
  const out: Record<string, Module> = {};
  for (const [name, folder] of installed) {
    const id = name.split("/")[1]!;
    if (id === "runtime") continue;
    out[id] = (await import(pathToFileURL(path.join(folder, "dist", "esm", "index.js")).href)) as Module;
  }
  return out;
}

function cases(services: Service[], modules: Record<string, Module>): Case[] {
  const out: Case[] = [];
  for (const service of services) {
    const ajv = ajvFor(service);
    const arbs = new ValueArbitraries(service);
    const table = modules[service.id]!.validators;
    for (const op of service.operations) {
      for (const side of ["request", "response"] as const) {
        const shape = side === "request" ? op.request : op.response;
        const schema = ajv.getSchema(`${shape.name}.json`) as ValidateFunction;
        const validate = table[op.method]![side];
        const sample = side === "request" ? requests(arbs, op) : fc.sample(arbs.shape(shape.name), { seed: SEED, numRuns: PAYLOADS }).map((value) => ({ value, now: 0 }));
        // Request time windows are checked against a clock inside them (Ajv cannot check them at all).
        const now = Math.max(...sample.map((s) => s.now));
        const options = side === "request" ? { now: () => now } : {};
        const is = modules[service.id]![`is${shape.name}`] as Case["is"];
        const valid = sample.map((s) => s.value);
        const invalid = valid.flatMap((v, i) => {
          const all = mutations(service, shape, v, side === "request");
          return all.length ? [all[(i * 7) % all.length]!.value] : [];
        });
        out.push({ name: `${service.id} ${op.name} ${side}`, validate, is, options: side === "request" ? options : undefined, ajv: schema, valid, invalid });
      }
    }
  }
  return out;
}

function requests(arbs: ValueArbitraries, op: Operation) {
  return fc.sample(arbs.request(op, Date.UTC(2026, 0, 1)), { seed: SEED, numRuns: PAYLOADS });
}

type Loop = (fn: unknown, payloads: unknown[], reps: number, options: unknown) => number;

/**
 * A timing loop of its own for one contender: compiled from source each time, so its call site
 * sees one function only and V8 can inline it, as a program calling one validator would. (A loop
 * shared by every case calls through a megamorphic site; that cost, the same few nanoseconds on
 * both sides, pushes every ratio towards 1.)
 */
function loopFor(result: "boolean" | "ok"): Loop {
  const test = result === "ok" ? "fn(payloads[i], options).ok" : "fn(payloads[i], options)";
  return new Function("fn", "payloads", "reps", "options", `"use strict"; let sink = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < payloads.length; i++) if (${test}) sink++; return sink;`) as Loop;
}

interface Contender {
  fn: unknown;
  result: "boolean" | "ok";
  options: unknown;
}

/**
 * Validations per second of two contenders over the same payloads, each the median of `rounds`
 * rounds of at least `minMs`, and their ratio: the median of the rounds' own ratios. The two
 * alternate (swapping order) so each round pairs measurements taken moments apart; load that comes
 * and goes on a shared machine then shifts both sides of a pair alike, where a ratio of two
 * medians would pair rounds far apart.
 */
function compare(a: Contender, b: Contender, payloads: unknown[], rounds: number, minMs: number): { a: number; b: number; ratio: number } {
  const runs = [a, b].map((c) => {
    const loop = loopFor(c.result);
    let reps = 1;
    for (;;) {
      const start = process.hrtime.bigint();
      loop(c.fn, payloads, reps, c.options);
      if (Number(process.hrtime.bigint() - start) / 1e6 >= minMs) break;
      reps *= 2;
    }
    return { c, loop, reps, results: [] as number[] };
  });
  let sink = 0;
  for (let i = 0; i < rounds; i++) {
    for (const run of i % 2 ? [...runs].reverse() : runs) {
      collectGarbage();
      const start = process.hrtime.bigint();
      sink += run.loop(run.c.fn, payloads, run.reps, run.c.options);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      run.results.push((run.reps * payloads.length) / (ms / 1000));
    }
  }
  if (sink < 0) throw new Error("unreachable");
  const [ra, rb] = [runs[0]!.results, runs[1]!.results];
  return { a: median(ra), b: median(rb), ratio: median(ra.map((x, i) => x / rb[i]!)) };
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);

export const validatorsBench: Bench = {
  name: "validators",
  description: "emitted validators vs Ajv (allErrors) on valid and invalid payloads of every operation",
  options: "--rounds N   measured rounds per case, each contender once (default 15)\n--case TEXT  only the cases whose name contains TEXT",
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({ args, options: { rounds: { type: "string", default: "15" }, case: { type: "string" } }, strict: false });
    const rounds = Number(values.rounds) || 15;
    const built = await build(REAL_SPECS_DIR, path.dirname(REAL_SPECS_DIR));
    if (!built.ir) throw new Error("the specs do not build");
    const rows: string[][] = [];
    const ratios = { valid: [] as number[], invalid: [] as number[] };
    const only = typeof values.case === "string" ? values.case : undefined;
    const packagesDir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-validators-bench-"));
    progress.write("  building the generated packages as `npm run build` does…\n");
    let modules: Record<string, Module>;
    try {
      modules = await builtModules(packagesDir);
    } finally {
      // Loaded modules stay in memory; the files are no longer needed.
      rmSync(packagesDir, { recursive: true, force: true });
    }
    const chosen = cases(built.ir.services, modules).filter((c) => only === undefined || c.name.includes(only));
    if (chosen.length === 0) throw new Error(`no case's name contains "${only}"`);
    // A warm-up pass over every case first: without it the first case measured paid for the
    // process's own warming (its ratio came out 15–25% below the same code measured later).
    for (const c of chosen) {
      const ajv: Contender = { fn: c.ajv, result: "boolean", options: undefined };
      compare({ fn: c.is, result: "boolean", options: c.options }, ajv, c.valid, 1, MIN_MS);
      compare({ fn: c.validate, result: "ok", options: c.options }, ajv, c.invalid.filter((v) => !c.ajv(v)), 1, MIN_MS);
    }
    for (const c of chosen) {
      // Both sides must agree on which payloads are valid, or the comparison means nothing.
      const ours = (v: unknown) => c.validate(v, c.options).ok;
      for (const v of c.valid) if (!ours(v) || !c.is(v, c.options) || !c.ajv(v)) throw new Error(`${c.name}: a valid payload is refused (ours ${ours(v)}, ajv ${c.ajv(v)})`);
      const invalid = c.invalid.filter((v) => !c.ajv(v));
      for (const v of c.invalid) if (ours(v) || c.is(v, c.options)) throw new Error(`${c.name}: a mutated payload passes our validator`);
      progress.write(`  ${c.name}…\n`);
      const ajv: Contender = { fn: c.ajv, result: "boolean", options: undefined };
      const onValid = compare({ fn: c.is, result: "boolean", options: c.options }, ajv, c.valid, rounds, MIN_MS);
      const onInvalid = compare({ fn: c.validate, result: "ok", options: c.options }, ajv, invalid, rounds, MIN_MS);
      ratios.valid.push(onValid.ratio);
      ratios.invalid.push(onInvalid.ratio);
      rows.push([c.name, fmt(onValid.a), fmt(onValid.b), `${onValid.ratio.toFixed(2)}×`, fmt(onInvalid.a), fmt(onInvalid.b), `${onInvalid.ratio.toFixed(2)}×`]);
    }
    out.write(table(["case", "ours valid/s", "ajv valid/s", "ratio", "ours invalid/s", "ajv invalid/s", "ratio"], rows));
    const v = Math.min(...ratios.valid);
    const i = Math.min(...ratios.invalid);
    out.write(`\nvalid:   worst ${v.toFixed(2)}×, geometric mean ${geomean(ratios.valid).toFixed(2)}× Ajv (target ≥ ${TARGET_VALID}×: ${v >= TARGET_VALID ? "met" : "NOT met"})\n`);
    out.write(`invalid: worst ${i.toFixed(2)}×, geometric mean ${geomean(ratios.invalid).toFixed(2)}× Ajv (target ≥ ${TARGET_INVALID}×: ${i >= TARGET_INVALID ? "met" : "NOT met"})\n`);
  },
};
