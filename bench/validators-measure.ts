// The measuring half of the validators bench: ONE contender per process (ours, typia, Ajv with
// allErrors, Ajv in its default fail-fast mode), loading only that contender and the payloads, read
// from a file the bench wrote; it times every valid payload before it runs any invalid one. A
// process shared by contenders biased them unevenly (in the process that had drawn the payloads with
// fast-check, Ajv went 120 → 164 ns and ours 82 → 119 ns on the TRTC request); the bench pairs
// processes of the same round instead, alternating their order.
//
//   node --expose-gc bench/validators-measure.ts <cases.bin> <packages dir> <generated dir> <typia dir> <contender> <min ms>
//
// Prints one JSON line per case on stdout (validations per second on its valid and on its invalid
// payloads); progress goes to stderr.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { Ajv } from "ajv";
import { median } from "./stats.js";
import { nodeEntry } from "./node-entry.js";

export const CONTENDERS = ["ours", "typia", "ajv-all-errors", "ajv-default"] as const;
export type ContenderName = (typeof CONTENDERS)[number];

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
  /** Mutated payloads that both ours and Ajv refuse (Ajv cannot check every rule ours do). */
  invalid: unknown[];
}

/** One contender's throughput on one case, in validations per second. */
export interface Measured {
  name: string;
  valid: number;
  invalid: number;
}

type Check = (v: unknown, options: unknown) => boolean;
type Loop = (fn: Check, payloads: unknown[], reps: number, options: unknown) => number;

let loops = 0;

/**
 * A timing loop of its own per case and side, compiled from source each time, so its call site
 * sees one function only and V8 can inline it, as a program calling one validator would. (A shared
 * loop calls through a megamorphic site; that cost, the same few nanoseconds for every contender,
 * pushes every ratio towards 1.) Each source is made unique by a comment: V8 caches what `new
 * Function` compiles by its source, and closures of one cached function share their call-site
 * feedback, so identical sources made one megamorphic loop again (a one-field request's `is*`
 * measured 44 ns there against 8.5 ns in a loop of its own; typia's 6.6 against 3.5).
 */
export function timingLoop(): Loop {
  return new Function(
    "fn",
    "payloads",
    "reps",
    "options",
    `"use strict"; /* loop ${loops++} */ let sink = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < payloads.length; i++) if (fn(payloads[i], options)) sink++; return sink;`,
  ) as Loop;
}

const gc = (globalThis as { gc?: () => void }).gc;

interface Timed {
  fn: Check;
  payloads: unknown[];
  options: unknown;
  loop: Loop;
  reps: number;
}

/** Finds how many repetitions take at least `minMs` (this is also the warm-up). */
function calibrate(fn: Check, payloads: unknown[], options: unknown, minMs: number): Timed {
  const t: Timed = { fn, payloads, options, loop: timingLoop(), reps: 1 };
  if (!payloads.length) return t;
  for (;;) {
    const start = process.hrtime.bigint();
    t.loop(fn, payloads, t.reps, options);
    if (Number(process.hrtime.bigint() - start) / 1e6 >= minMs) return t;
    t.reps *= 2;
  }
}

/** Validations per second, the heap collected first so no case pays for another's garbage. */
function run(t: Timed): number {
  if (!t.payloads.length) return NaN;
  gc?.(); // main() insists on it; tests run without
  const start = process.hrtime.bigint();
  const sink = t.loop(t.fn, t.payloads, t.reps, t.options);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (sink < 0) throw new Error("unreachable");
  return (t.reps * t.payloads.length) / (ms / 1000);
}

type Validator = (v: unknown, o?: unknown) => { ok: boolean };
type Module = { validators: Record<string, { request: Validator; response: Validator }> } & Record<string, unknown>;

/** The contender's two checks for a case: on valid payloads, and on invalid ones. */
export type Checks = { valid: Check; invalid: Check; options: unknown };

async function checksOf(
  contender: ContenderName,
  cases: MeasureCase[],
  packagesDir: string,
  generatedDir: string,
  typiaDir: string,
): Promise<Map<MeasureCase, Checks>> {
  const out = new Map<MeasureCase, Checks>();
  const cache = new Map<string, unknown>();
  const once = async <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, await make());
    return cache.get(key) as T;
  };
  for (const c of cases) {
    const options = c.now === undefined ? undefined : { now: () => c.now };
    if (contender === "ours") {
      const mod = await once(c.package, async () => (await import(pathToFileURL(nodeEntry(packagesDir, `${c.package}/validators`)).href)) as Module);
      const validate = mod.validators[c.method]![c.side];
      const is = mod[`is${c.shape}`] as Check;
      // Valid payloads: the fail-fast `is*`; invalid ones: `validate*`, which collects every issue.
      out.set(c, { valid: is, invalid: (v, o) => validate(v, o).ok, options });
    } else if (contender === "typia") {
      const mod = await once(
        `typia ${c.service}`,
        async () => (await import(pathToFileURL(path.join(typiaDir, `${c.service}.mjs`)).href)) as { is: Record<string, Check> },
      );
      const is = mod.is[c.shape];
      if (!is) throw new Error(`typia: no check for ${c.shape}`);
      out.set(c, { valid: is, invalid: is, options: undefined });
    } else {
      const ajv = await once(`${contender} ${c.service}`, async () => {
        // The same format checks as ours, so both sides do the same work (Ajv knows none by itself).
        const formats = (await import(
          pathToFileURL(path.join(packagesDir, "node_modules", "@rtc-apigen", "runtime", "dist", "esm", "validation-core.js")).href
        )) as { FORMATS: Record<string, (v: string) => boolean> };
        const ajv = new Ajv({ allErrors: contender === "ajv-all-errors", strict: false });
        for (const [name, check] of Object.entries(formats.FORMATS)) ajv.addFormat(name, check);
        const dir = path.join(generatedDir, c.service, "schemas");
        for (const f of readdirSync(dir).sort()) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as object);
        return ajv;
      });
      const schema = ajv.getSchema(`${c.shape}.json`) as unknown as Check;
      out.set(c, { valid: schema, invalid: schema, options: undefined });
    }
  }
  return out;
}

/**
 * Every contender accepts every valid payload; ours and Ajv refuse every invalid one (typia checks
 * less, so it may accept some). Run just before the payloads of that kind are timed, never earlier.
 */
function verify(contender: ContenderName, kind: "valid" | "invalid", cases: MeasureCase[], checks: Map<MeasureCase, Checks>): void {
  for (const c of cases) {
    const k = checks.get(c)!;
    if (kind === "valid") {
      for (const v of c.valid)
        if (!k.valid(v, k.options))
          throw new Error(
            `${contender}: ${c.name}: a valid payload is refused: ${JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))}`,
          );
    } else if (contender !== "typia") {
      for (const v of c.invalid) if (k.invalid(v, k.options)) throw new Error(`${contender}: ${c.name}: a mutated payload passes`);
    }
  }
}

async function main(
  file: string,
  packagesDir: string,
  generatedDir: string,
  typiaDir: string,
  contender: ContenderName,
  minMs: number,
): Promise<void> {
  if (!gc) throw new Error("run with --expose-gc");
  if (!CONTENDERS.includes(contender)) throw new Error(`unknown contender ${contender}`);
  const cases = v8.deserialize(readFileSync(file)) as MeasureCase[];
  const checks = await checksOf(contender, cases, packagesDir, generatedDir, typiaDir);
  for (const m of measureCases(contender, cases, checks, minMs)) process.stdout.write(JSON.stringify(m) + "\n");
}

/**
 * Times every case on its valid payloads, then on its invalid ones. Every valid payload is timed
 * before the process has seen any invalid one, as a service sees mostly valid traffic: V8's feedback
 * from invalid payloads (other object shapes, the issue-collecting paths) slowed the valid ones, by
 * an amount that differed per contender (a fail-fast check leaves at the first wrong field;
 * `validate*` collects every issue).
 */
export function measureCases(contender: ContenderName, cases: MeasureCase[], checks: Map<MeasureCase, Checks>, minMs: number): Measured[] {
  const rates = new Map<MeasureCase, Measured>(cases.map((c) => [c, { name: c.name, valid: NaN, invalid: NaN }]));
  for (const kind of ["valid", "invalid"] as const) {
    verify(contender, kind, cases, checks);
    // Calibrating every case first is the warm-up: without one, the first case measured paid for
    // the process's own warming (its ratio came out 15–25% below the same code measured later).
    const timed = cases.map((c) => {
      const k = checks.get(c)!;
      return { c, t: calibrate(k[kind], c[kind], k.options, minMs), rates: [] as number[] };
    });
    // Three passes over every case, each case's median kept: a load spike during one pass moves one of three.
    for (let pass = 0; pass < 3; pass++) for (const t of timed) t.rates.push(run(t.t));
    for (const t of timed) rates.get(t.c)![kind] = median(t.rates);
  }
  return [...rates.values()];
}

const [file, packagesDir, generatedDir, typiaDir, contender, minMs] = process.argv.slice(2);
if (process.argv[1]?.endsWith("validators-measure.ts")) {
  if (!file || !packagesDir || !generatedDir || !typiaDir || !contender)
    throw new Error("usage: validators-measure.ts <cases.bin> <packages dir> <generated dir> <typia dir> <contender> <min ms>");
  await main(file, packagesDir, generatedDir, typiaDir, contender as ContenderName, Number(minMs) || 10);
}
