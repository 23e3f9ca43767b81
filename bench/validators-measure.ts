// The measuring half of the validators bench, in a process of its own that loads only the two
// contenders (the installed packages' validators and Ajv) and the payloads, read from a file the
// bench wrote. In the process that had drawn the payloads with fast-check, everything ran slower
// afterwards, by amounts that differed per contender: on the TRTC request, Ajv 120 → 164 ns,
// ours 82 → 119 ns, and a bare RegExp test 50 → 73 ns.
//
//   node --expose-gc --import tsx bench/validators-measure.ts <cases.bin> <packages dir> <generated dir> <rounds> <min ms>
//
// Prints one JSON line per case on stdout; progress goes to stderr.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { Ajv, type ValidateFunction } from "ajv";
import { median } from "./stats.js";

/** What the bench hands over per case. v8.serialize keeps bigints; objects arrive with Object.prototype, as JSON.parse gives them (fast-check also draws null-prototype ones). */
export interface MeasureCase {
  name: string;
  service: string;
  package: string;
  shape: string;
  method: string;
  side: "request" | "response";
  /** The request's clock (time windows); undefined for responses. */
  now: number | undefined;
  valid: unknown[];
  invalid: unknown[];
}

export interface Measured {
  name: string;
  valid: { ours: number; ajv: number; ratio: number };
  invalid: { ours: number; ajv: number; ratio: number };
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

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Validations per second of two contenders over the same payloads, each the median of `rounds`
 * rounds of at least `minMs`, and their ratio: the median of the rounds' own ratios. The two
 * alternate (swapping order) so each round pairs measurements taken moments apart; load that comes
 * and goes on a shared machine then shifts both sides of a pair alike, where a ratio of two
 * medians would pair rounds far apart. The heap is collected before each measurement, so neither
 * side pays for the other's garbage.
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
      gc!();
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

type Validator = (v: unknown, o?: object) => { ok: boolean };
type Module = { validators: Record<string, { request: Validator; response: Validator }> } & Record<string, unknown>;

let formats: Record<string, (v: string) => boolean> | undefined;
async function runtimeFormats(packagesDir: string): Promise<Record<string, (v: string) => boolean>> {
  const file = path.join(packagesDir, "node_modules", "@rtc-apigen", "runtime", "dist", "esm", "validation-core.js");
  formats ??= ((await import(pathToFileURL(file).href)) as { FORMATS: Record<string, (v: string) => boolean> }).FORMATS;
  return formats;
}

async function main(file: string, packagesDir: string, generatedDir: string, rounds: number, minMs: number): Promise<void> {
  if (!gc) throw new Error("run with --expose-gc");
  const cases = v8.deserialize(readFileSync(file)) as MeasureCase[];
  const modules = new Map<string, Module>();
  const ajvs = new Map<string, Ajv>();
  const prepared = [];
  for (const c of cases) {
    if (!modules.has(c.package)) modules.set(c.package, (await import(pathToFileURL(path.join(packagesDir, "node_modules", ...c.package.split("/"), "dist", "esm", "index.js")).href)) as Module);
    if (!ajvs.has(c.service)) {
      // allErrors, so Ajv collects every problem as ours do.
      const ajv = new Ajv({ allErrors: true, strict: false });
      // The same format checks as ours, so both sides do the same work (Ajv knows none by itself).
      for (const [name, check] of Object.entries(await runtimeFormats(packagesDir))) ajv.addFormat(name, check);
      const dir = path.join(generatedDir, c.service, "schemas");
      for (const f of readdirSync(dir).sort()) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as object);
      ajvs.set(c.service, ajv);
    }
    const mod = modules.get(c.package)!;
    const schema = ajvs.get(c.service)!.getSchema(`${c.shape}.json`) as ValidateFunction;
    const validate = mod.validators[c.method]![c.side];
    const is = mod[`is${c.shape}`] as (v: unknown, o?: object) => boolean;
    const options = c.now === undefined ? undefined : { now: () => c.now };
    // Both sides must agree on which payloads are valid, or the comparison means nothing.
    for (const v of c.valid) if (!validate(v, options).ok || !is(v, options) || !schema(v)) throw new Error(`${c.name}: a valid payload is refused (ours ${validate(v, options).ok}, ajv ${schema(v)})`);
    for (const v of c.invalid) if (validate(v, options).ok || is(v, options)) throw new Error(`${c.name}: a mutated payload passes our validator`);
    const ajv: Contender = { fn: schema, result: "boolean", options: undefined };
    prepared.push({ c, ajv, is: { fn: is, result: "boolean", options } as Contender, validate: { fn: validate, result: "ok", options } as Contender, invalid: c.invalid.filter((v) => !schema(v)) });
  }
  // A warm-up pass over every case first: without it the first case measured paid for the
  // process's own warming (its ratio came out 15–25% below the same code measured later).
  for (const p of prepared) {
    compare(p.is, p.ajv, p.c.valid, 1, minMs);
    compare(p.validate, p.ajv, p.invalid, 1, minMs);
  }
  for (const p of prepared) {
    process.stderr.write(`  ${p.c.name}…\n`);
    const valid = compare(p.is, p.ajv, p.c.valid, rounds, minMs);
    const invalid = compare(p.validate, p.ajv, p.invalid, rounds, minMs);
    const measured: Measured = { name: p.c.name, valid: { ours: valid.a, ajv: valid.b, ratio: valid.ratio }, invalid: { ours: invalid.a, ajv: invalid.b, ratio: invalid.ratio } };
    process.stdout.write(JSON.stringify(measured) + "\n");
  }
}

const [file, packagesDir, generatedDir, rounds, minMs] = process.argv.slice(2);
if (!file || !packagesDir || !generatedDir) throw new Error("usage: validators-measure.ts <cases.bin> <packages dir> <generated dir> <rounds> <min ms>");
await main(file, packagesDir, generatedDir, Number(rounds) || 15, Number(minMs) || 15);
