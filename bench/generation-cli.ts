// Generation as a maintainer runs it: `rtc-apigen generate` in a fresh process each time, timed
// from spawn to exit, against peers that turn the same operations (exported as OpenAPI by our own
// generate) into TypeScript, each in a fresh process of its own (bench/generation-peer.mjs).
//
// Targets (issue 18): cold generate of 10 operations ≤ 0.6 s; 1,000 operations ≤ 1.5×
// openapi-typescript; regenerating after editing one spec of a 200-operation tree ≤ 10% of a cold
// run of that tree. Rounds alternate the contenders; each target's verdict comes from the range of
// its per-round values (bench/stats.ts).
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { table } from "./bench.js";
import { makeCorpus } from "./make-corpus.js";
import { describeTarget, median, pairedRatio, roundOrder, verdict } from "./stats.js";

export const TARGET_COLD_10_S = 0.6;
export const TARGET_VS_OPENAPI_TYPESCRIPT = 1.5;
export const TARGET_REGENERATE = 0.1;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin", "rtc-apigen.js");
const PEER = path.join(ROOT, "bench", "generation-peer.mjs");

/** Seconds from spawn to exit of `node args...`; throws on a non-zero exit. `cacheDir`: the generator's spec and unit cache. */
function wall(args: string[], cacheDir?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const env = cacheDir ? { ...process.env, RTC_APIGEN_CACHE_DIR: cacheDir } : process.env;
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const s = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve(s);
      else reject(new Error(`node ${args.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

const generate = (specs: string, out: string, cacheDir?: string) => wall([BIN, "generate", "--specs", specs, "--out", out], cacheDir);

/**
 * A copy of a corpus whose every service and protocol file differs from any run before (a service's
 * title, a protocol's trailing comment carry `tag`). Cold runs also get an empty cache folder of
 * their own (RTC_APIGEN_CACHE_DIR), so the generator's caches of checked specs and emitted units hold
 * nothing for them (units are reused by what they read, which a retitled copy mostly leaves alone):
 * a cold run, as a maintainer's first `generate` of a tree is. (What depends on the generator alone,
 * the precompiled bundle, the V8 code cache and the compiled schema validators, stays cached, as it
 * does for a maintainer.)
 */
function freshTree(corpus: string, to: string, tag: string): string {
  cpSync(corpus, to, { recursive: true });
  for (const file of readdirSync(path.join(to, "protocols"))) appendFileSync(path.join(to, "protocols", file), `\n# ${tag}\n`);
  for (const service of readdirSync(to).filter((d) => d !== "protocols")) {
    const file = path.join(to, service, "service.yaml");
    const doc = parseDocument(readFileSync(file, "utf8"));
    doc.set("title", `${String(doc.get("title") ?? service)} (${tag})`);
    writeFileSync(file, doc.toString());
  }
  return to;
}

/** Edits one operation's description, as a maintainer fixing a doc string would. */
function editOneSpec(specs: string, round: number): string {
  const service = readdirSync(specs)
    .filter((d) => d !== "protocols")
    .sort()[0]!;
  const file = path.join(
    specs,
    service,
    readdirSync(path.join(specs, service))
      .filter((f) => f !== "service.yaml" && f.endsWith(".yaml"))
      .sort()[0]!,
  );
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.set("description", `${String(doc.get("description") ?? "")} Edited in round ${round}.`);
  writeFileSync(file, doc.toString());
  return path.relative(specs, file);
}

function openapiDocuments(out: string): string[] {
  return readdirSync(out)
    .sort()
    .map((d) => path.join(out, d, "openapi.json"))
    .filter((f) => {
      try {
        return readFileSync(f).length > 0;
      } catch {
        return false;
      }
    });
}

export async function measureGenerationCli(
  tmp: string,
  rounds: number,
  out: NodeJS.WritableStream,
  progress: NodeJS.WritableStream,
  targets: string[] | undefined,
): Promise<void> {
  const corpora: Record<number, string> = {};
  for (const n of [10, 200, 1000]) {
    corpora[n] = path.join(tmp, `cli-corpus-${n}`);
    await makeCorpus({ operations: n, outDir: corpora[n] });
  }
  let fresh = 0;
  const freshDir = () => path.join(tmp, `out-${++fresh}`);
  const clean = (dir: string) => rmSync(dir, { recursive: true, force: true });
  const nonce = `${process.pid}-${Date.now()}`;
  /** `generate` of a fresh copy of `corpus` into a fresh folder, both removed afterwards. */
  const cold = async (corpus: string) => {
    const specs = freshTree(corpus, freshDir(), `bench ${nonce} ${fresh}`);
    const dir = freshDir();
    const cache = freshDir();
    const s = await generate(specs, dir, cache);
    clean(dir);
    clean(specs);
    clean(cache);
    return s;
  };

  // The 1,000 operations as OpenAPI: our own export (one document per service), the peers' input.
  progress.write("  exporting the 1,000-operation corpus as OpenAPI (also the warm-up of the file cache)…\n");
  const reference = freshDir();
  await generate(corpora[10]!, freshDir());
  await generate(corpora[1000]!, reference);
  const documents = openapiDocuments(reference);
  const peer = (tool: string) => async () => {
    const dir = freshDir();
    const s = await wall([PEER, tool, dir, ...documents]);
    clean(dir);
    return s;
  };
  await peer("openapi-typescript")();
  await peer("hey-api")();

  const cold10: number[] = [];
  const big = { ours: [] as number[], "openapi-typescript": [] as number[], "hey-api": [] as number[] };
  const regen = { cold: [] as number[], edited: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    progress.write(`  generation round ${r + 1}/${rounds}: 10 operations cold…\n`);
    cold10.push(await cold(corpora[10]!));
    const contenders = [
      ["ours", () => cold(corpora[1000]!)],
      ["openapi-typescript", peer("openapi-typescript")],
      ["hey-api", peer("hey-api")],
    ] as const;
    for (const [name, run] of roundOrder(contenders, r)) {
      progress.write(`  generation round ${r + 1}/${rounds}: 1,000 operations, ${name}…\n`);
      big[name].push(await run());
    }
    // A tree of its own each round: its cold run finds nothing cached, its second run what the first left.
    progress.write(`  generation round ${r + 1}/${rounds}: 200 operations cold, then one spec edited…\n`);
    const specs = freshTree(corpora[200]!, freshDir(), `bench ${nonce} ${fresh}`);
    const dir = freshDir();
    const cache = freshDir();
    regen.cold.push(await generate(specs, dir, cache));
    editOneSpec(specs, r);
    regen.edited.push(await generate(specs, dir, cache));
    clean(dir);
    clean(specs);
    clean(cache);
  }

  const s = (x: number) => x.toFixed(2);
  const range = (xs: number[]) => `${s(Math.min(...xs))}–${s(Math.max(...xs))}`;
  out.write(
    `\nGeneration through the CLI (fresh process each, wall seconds; ${rounds} rounds, contenders alternating; peers read our OpenAPI export of the same operations, ${documents.length} documents)\n\n`,
  );
  out.write(
    table(
      ["run", "median s", "range s"],
      [
        ["ours: generate, 10 operations, cold", s(median(cold10)), range(cold10)],
        ["ours: generate, 1,000 operations, cold (every artifact)", s(median(big.ours)), range(big.ours)],
        ["openapi-typescript, 1,000 operations (types)", s(median(big["openapi-typescript"])), range(big["openapi-typescript"])],
        ["@hey-api/openapi-ts, 1,000 operations (types + SDK)", s(median(big["hey-api"])), range(big["hey-api"])],
        ["ours: generate, 200 operations, cold", s(median(regen.cold)), range(regen.cold)],
        ["ours: generate again after editing one spec", s(median(regen.edited)), range(regen.edited)],
      ],
    ),
  );
  const lines = [
    `generation: cold generate of 10 operations: ${s(median(cold10))} s (rounds ${range(cold10)}), target ≤ ${TARGET_COLD_10_S} s: ${verdictOfValues(cold10, TARGET_COLD_10_S)}`,
    `generation: 1,000 operations vs openapi-typescript: ${describeTarget(pairedRatio(big.ours, big["openapi-typescript"]), TARGET_VS_OPENAPI_TYPESCRIPT, "atMost")}`,
    `generation: regenerate after one edit / cold, 200 operations: ${describeTarget(pairedRatio(regen.edited, regen.cold), TARGET_REGENERATE, "atMost")}`,
  ];
  const hey = pairedRatio(big.ours, big["hey-api"]);
  out.write(`\n${lines.join("\n")}\n(1,000 operations vs @hey-api/openapi-ts: ${s(hey.median)}× (rounds ${s(hey.min)}–${s(hey.max)}), no target)\n`);
  targets?.push(...lines);
}

/** An absolute target (seconds), judged by the same rule as a ratio: every round must agree. */
function verdictOfValues(values: number[], target: number): string {
  return verdict({ min: Math.min(...values), max: Math.max(...values) }, target, "atMost");
}

/** `--only edit`: the 200-operation tree cold, then after editing one spec, alone (issue 18's third target). */
export async function measureRegenerateCli(
  tmp: string,
  rounds: number,
  out: NodeJS.WritableStream,
  progress: NodeJS.WritableStream,
  targets: string[] | undefined,
): Promise<void> {
  const corpus = path.join(tmp, "cli-corpus-200");
  await makeCorpus({ operations: 200, outDir: corpus });
  const nonce = `${process.pid}-${Date.now()}`;
  const regen = { cold: [] as number[], edited: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    progress.write(`  generation round ${r + 1}/${rounds}: 200 operations cold, then one spec edited…\n`);
    const [specs, dir, cache] = ["specs", "out", "cache"].map((d) => path.join(tmp, `regen-${r}-${d}`)) as [string, string, string];
    freshTree(corpus, specs, `bench ${nonce} ${r}`);
    regen.cold.push(await generate(specs, dir, cache));
    editOneSpec(specs, r);
    regen.edited.push(await generate(specs, dir, cache));
    for (const d of [specs, dir, cache]) rmSync(d, { recursive: true, force: true });
  }
  const s = (x: number) => x.toFixed(2);
  const range = (xs: number[]) => `${s(Math.min(...xs))}–${s(Math.max(...xs))}`;
  out.write(`\nGeneration through the CLI (fresh process each, wall seconds; ${rounds} rounds)\n\n`);
  out.write(
    table(
      ["run", "median s", "range s"],
      [
        ["ours: generate, 200 operations, cold", s(median(regen.cold)), range(regen.cold)],
        ["ours: generate again after editing one spec", s(median(regen.edited)), range(regen.edited)],
      ],
    ),
  );
  const line = `generation: regenerate after one edit / cold, 200 operations: ${describeTarget(pairedRatio(regen.edited, regen.cold), TARGET_REGENERATE, "atMost")}`;
  out.write(`\n${line}\n`);
  targets?.push(line);
}
