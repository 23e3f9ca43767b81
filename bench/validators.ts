// Validators bench: the emitted validators against Ajv compiled from the same emitted JSON Schemas
// (allErrors, so both collect every problem), on valid and on invalid payloads of every operation,
// in the same run.
//
// Target (issue): ≥ 2× Ajv's operations per second on valid payloads, ≥ 1× on invalid ones.
// Payloads are deterministic (fast-check with a fixed seed), so runs compare like with like. This
// process makes them; bench/validators-measure.ts times both contenders in a process of its own.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import fc from "fast-check";
import type { Operation, Service } from "../generator/ir/types.js";
import { build } from "../generator/pipeline.js";
import { mutations, ValueArbitraries } from "../test/validators/arbitraries.js";
import { installBuiltPackages, table, type Bench, type BenchContext } from "./bench.js";
import { REAL_SPECS_DIR } from "./make-corpus.js";
import type { MeasureCase, Measured } from "./validators-measure.js";

export const TARGET_VALID = 2;
export const TARGET_INVALID = 1;
/** Each round's least duration per contender. Short rounds, many of them: a pair is taken close together. */
const MIN_MS = 15;

const GENERATED = path.resolve(path.dirname(REAL_SPECS_DIR), "generated");
const MEASURE = fileURLToPath(new URL("./validators-measure.ts", import.meta.url));
const SEED = 20261123;
const PAYLOADS = 64;

function cases(services: Service[]): MeasureCase[] {
  const out: MeasureCase[] = [];
  for (const service of services) {
    const arbs = new ValueArbitraries(service);
    for (const op of service.operations) {
      for (const side of ["request", "response"] as const) {
        const shape = side === "request" ? op.request : op.response;
        const sample = side === "request" ? requests(arbs, op) : fc.sample(arbs.shape(shape.name), { seed: SEED, numRuns: PAYLOADS }).map((value) => ({ value, now: 0 }));
        const valid = sample.map((s) => s.value);
        const invalid = valid.flatMap((v, i) => {
          const all = mutations(service, shape, v, side === "request");
          return all.length ? [all[(i * 7) % all.length]!.value] : [];
        });
        out.push({
          name: `${service.id} ${op.name} ${side}`,
          service: service.id,
          package: service.packageName,
          shape: shape.name,
          method: op.method,
          side,
          // Request time windows are checked against a clock inside them (Ajv cannot check them at all).
          now: side === "request" ? Math.max(...sample.map((s) => s.now)) : undefined,
          valid,
          invalid,
        });
      }
    }
  }
  return out;
}

function requests(arbs: ValueArbitraries, op: Operation) {
  return fc.sample(arbs.request(op, Date.UTC(2026, 0, 1)), { seed: SEED, numRuns: PAYLOADS });
}

/** Runs bench/validators-measure.ts over `file` and returns its results, one per case. */
function measure(file: string, packagesDir: string, rounds: number, progress: NodeJS.WritableStream): Promise<Measured[]> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", MEASURE, file, packagesDir, GENERATED, String(rounds), String(MIN_MS)], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    progress.write(d);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the measuring process failed (exit ${code}):\n${stderr}`));
      resolve(stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Measured));
    });
  });
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
    const only = typeof values.case === "string" ? values.case : undefined;
    const chosen = cases(built.ir.services).filter((c) => only === undefined || c.name.includes(only));
    if (chosen.length === 0) throw new Error(`no case's name contains "${only}"`);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-validators-bench-"));
    let results: Measured[];
    try {
      // The packages as users import them: `npm run build`'s bundles, installed under node_modules.
      progress.write("  building the generated packages as `npm run build` does…\n");
      await installBuiltPackages(GENERATED, dir);
      const file = path.join(dir, "cases.bin");
      writeFileSync(file, v8.serialize(chosen));
      results = await measure(file, dir, rounds, progress);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rows = results.map((r) => [r.name, fmt(r.valid.ours), fmt(r.valid.ajv), `${r.valid.ratio.toFixed(2)}×`, fmt(r.invalid.ours), fmt(r.invalid.ajv), `${r.invalid.ratio.toFixed(2)}×`]);
    const ratios = { valid: results.map((r) => r.valid.ratio), invalid: results.map((r) => r.invalid.ratio) };
    out.write(table(["case", "ours valid/s", "ajv valid/s", "ratio", "ours invalid/s", "ajv invalid/s", "ratio"], rows));
    const v = Math.min(...ratios.valid);
    const i = Math.min(...ratios.invalid);
    out.write(`\nvalid:   worst ${v.toFixed(2)}×, geometric mean ${geomean(ratios.valid).toFixed(2)}× Ajv (target ≥ ${TARGET_VALID}×: ${v >= TARGET_VALID ? "met" : "NOT met"})\n`);
    out.write(`invalid: worst ${i.toFixed(2)}×, geometric mean ${geomean(ratios.invalid).toFixed(2)}× Ajv (target ≥ ${TARGET_INVALID}×: ${i >= TARGET_INVALID ? "met" : "NOT met"})\n`);
  },
};
