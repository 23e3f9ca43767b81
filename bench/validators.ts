// Validators bench: the emitted validators against typia (AOT, on the generated types) on valid
// payloads and against Ajv in its default fail-fast mode on invalid ones, with Ajv collecting every
// problem (allErrors) beside them, on every operation's request and response, in the same run.
//
// Targets (issue 18), per case: valid ≥ 1× typia (ours with every check we make; typia checks the
// TypeScript types only), invalid ≥ 1× Ajv's default mode (ours collect every issue in validate*).
// Payloads are deterministic (fast-check with a fixed seed), so runs compare like with like. This
// process makes them; bench/validators-measure.ts times ONE contender per process, the four
// processes of a round alternating in order; each case's ratio is the median of its rounds' own
// ratios, and its verdict comes from their range (bench/stats.ts).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { Ajv } from "ajv";
import fc from "fast-check";
import type { Operation, Service } from "../generator/ir/types.js";
import { build } from "../generator/pipeline.js";
import { mutations, ValueArbitraries } from "../test/validators/arbitraries.js";
import { installBuiltPackages, table, type Bench, type BenchContext } from "./bench.js";
import { REAL_SPECS_DIR } from "./make-corpus.js";
import { combineVerdicts, describeTarget, pairedRatio, roundOrder, verdict, type PairedRatio } from "./stats.js";
import { CONTENDERS, type ContenderName, type MeasureCase, type Measured } from "./validators-measure.js";
import { prepareTypia } from "./validators-typia.js";

/** Ours on valid payloads ÷ typia's time, as throughput: ours/typia ≥ 1. */
export const TARGET_VALID = 1;
/** Ours on invalid payloads ÷ Ajv's default (fail-fast) mode, as throughput. */
export const TARGET_INVALID = 1;
/** The least duration of one measurement (per case, side and contender; three per process, the median kept). */
const MIN_MS = 5;

/** The generated tree to build and time (`VALIDATORS_BENCH_GENERATED`: another one, for an A/B run of two emitters). */
const GENERATED = process.env.VALIDATORS_BENCH_GENERATED
  ? path.resolve(process.env.VALIDATORS_BENCH_GENERATED)
  : path.resolve(path.dirname(REAL_SPECS_DIR), "generated");
const MEASURE = fileURLToPath(new URL("./validators-measure.ts", import.meta.url));
const SEED = 20261123;
const PAYLOADS = 64;

export function cases(services: Service[]): MeasureCase[] {
  const out: MeasureCase[] = [];
  for (const service of services) {
    const arbs = new ValueArbitraries(service);
    for (const op of service.operations) {
      for (const side of ["request", "response"] as const) {
        const shape = side === "request" ? op.request : op.response;
        const sample =
          side === "request"
            ? requests(arbs, op)
            : fc.sample(arbs.shape(shape.name), { seed: SEED, numRuns: PAYLOADS }).map((value) => ({ value, now: 0 }));
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

/** Runs bench/validators-measure.ts for one contender over `file`; returns its results by case name. */
function measure(
  file: string,
  packagesDir: string,
  typiaDir: string,
  contender: ContenderName,
  progress: NodeJS.WritableStream,
): Promise<Map<string, Measured>> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", MEASURE, file, packagesDir, GENERATED, typiaDir, contender, String(MIN_MS)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
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
      if (code !== 0) return reject(new Error(`the measuring process (${contender}) failed (exit ${code}):\n${stderr}`));
      const results = stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Measured);
      resolve(new Map(results.map((r) => [r.name, r])));
    });
  });
}

/** Keeps the mutated payloads Ajv refuses too (it cannot check time windows or relations), so every contender times the same invalid payloads. */
export async function keepWhatAjvRefuses(chosen: MeasureCase[], packagesDir: string): Promise<void> {
  const formats = (await import(
    pathToFileURL(path.join(packagesDir, "node_modules", "@rtc-apigen", "runtime", "dist", "esm", "validation-core.js")).href
  )) as { FORMATS: Record<string, (v: string) => boolean> };
  const ajvs = new Map<string, Ajv>();
  for (const c of chosen) {
    let ajv = ajvs.get(c.service);
    if (!ajv) {
      ajv = new Ajv({ strict: false });
      for (const [name, check] of Object.entries(formats.FORMATS)) ajv.addFormat(name, check);
      const dir = path.join(GENERATED, c.service, "schemas");
      for (const f of readdirSync(dir).sort()) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as object);
      ajvs.set(c.service, ajv);
    }
    const schema = ajv.getSchema(`${c.shape}.json`)!;
    c.invalid = c.invalid.filter((v) => !schema(v));
  }
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);

const ratio = (r: PairedRatio) => `${r.median.toFixed(2)}× ${r.min.toFixed(2)}–${r.max.toFixed(2)}`;

export const validatorsBench: Bench = {
  name: "validators",
  description: "emitted validators vs typia (AOT) on valid and Ajv (default and allErrors) on invalid payloads of every operation",
  options:
    "--rounds N   rounds, each contender once per round in a process of its own (default 5)\n--case TEXT  only the cases whose name contains TEXT",
  async run({ args, out, progress, targets }: BenchContext) {
    const { values } = parseArgs({ args, options: { rounds: { type: "string", default: "5" }, case: { type: "string" } }, strict: false });
    const rounds = Number(values.rounds) || 5;
    const built = await build(REAL_SPECS_DIR, path.dirname(REAL_SPECS_DIR));
    if (!built.ir) throw new Error("the specs do not build");
    const only = typeof values.case === "string" ? values.case : undefined;
    const chosen = cases(built.ir.services).filter((c) => only === undefined || c.name.includes(only));
    if (chosen.length === 0) throw new Error(`no case's name contains "${only}"`);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-validators-bench-"));
    const runs = new Map<ContenderName, Map<string, Measured>[]>(CONTENDERS.map((c) => [c, []]));
    try {
      // The packages as users import them: `npm run build`'s bundles, installed under node_modules.
      progress.write("  building the generated packages as `npm run build` does…\n");
      await installBuiltPackages(GENERATED, dir);
      progress.write("  typia generate on the generated types…\n");
      const typiaDir = await prepareTypia(GENERATED, chosen, path.join(dir, "typia"));
      await keepWhatAjvRefuses(chosen, dir);
      const file = path.join(dir, "cases.bin");
      writeFileSync(file, v8.serialize(chosen));
      for (let r = 0; r < rounds; r++) {
        for (const contender of roundOrder(CONTENDERS, r)) {
          progress.write(`  validators round ${r + 1}/${rounds}: ${contender} (${chosen.length} cases)…\n`);
          runs.get(contender)!.push(await measure(file, dir, typiaDir, contender, progress));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const series = (contender: ContenderName, name: string, side: "valid" | "invalid") => runs.get(contender)!.map((m) => m.get(name)![side]);
    const rows = [];
    const valid: Array<PairedRatio & { name: string }> = [];
    const invalid: Array<PairedRatio & { name: string }> = [];
    const vsAllErrors: number[] = [];
    for (const c of chosen) {
      const v = pairedRatio(series("ours", c.name, "valid"), series("typia", c.name, "valid"));
      const hasInvalid = c.invalid.length > 0;
      const i = hasInvalid ? pairedRatio(series("ours", c.name, "invalid"), series("ajv-default", c.name, "invalid")) : undefined;
      const all = pairedRatio(series("ours", c.name, "valid"), series("ajv-all-errors", c.name, "valid"));
      valid.push({ ...v, name: c.name });
      if (i) invalid.push({ ...i, name: c.name });
      vsAllErrors.push(all.median);
      rows.push([
        c.name,
        fmt(v.a),
        fmt(v.b),
        ratio(v),
        verdict(v, TARGET_VALID, "atLeast"),
        i ? fmt(i.a) : "-",
        i ? fmt(i.b) : "-",
        i ? ratio(i) : "-",
        i ? verdict(i, TARGET_INVALID, "atLeast") : "-",
        `${all.median.toFixed(2)}×`,
      ]);
    }
    out.write(
      table(
        [
          "case",
          "ours valid/s",
          "typia valid/s",
          "ours/typia (range)",
          "verdict",
          "ours invalid/s",
          "ajv-default invalid/s",
          "ours/ajv (range)",
          "verdict",
          "ours/ajv-allErrors valid",
        ],
        rows,
      ),
    );
    const summary = (name: string, rs: Array<PairedRatio & { name: string }>, target: number) => {
      const verdicts = rs.map((r) => verdict(r, target, "atLeast"));
      const count = (x: string) => verdicts.filter((v) => v === x).length;
      const worst = rs.reduce((a, r) => (r.median < a.median ? r : a));
      return `validators ${name}, per case: ${combineVerdicts(verdicts)} (${count("met")} met, ${count("missed")} missed, ${count("inconclusive")} inconclusive of ${rs.length}; geometric mean ${geomean(rs.map((r) => r.median)).toFixed(2)}×; worst ${worst.name}: ${describeTarget(worst, target, "atLeast")})`;
    };
    const lines = [
      summary(`valid vs typia (target ≥ ${TARGET_VALID}×)`, valid, TARGET_VALID),
      summary(`invalid vs Ajv default mode (target ≥ ${TARGET_INVALID}×)`, invalid, TARGET_INVALID),
    ];
    out.write(`\n${lines.join("\n")}\n(valid vs Ajv allErrors: geometric mean ${geomean(vsAllErrors).toFixed(2)}×, no target)\n`);
    targets?.push(...lines);
  },
};
