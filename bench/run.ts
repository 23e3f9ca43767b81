// `npm run bench [-- <bench>... [options]]`: runs the named benches, or all of them.
// Benches print numbers and ratios against their targets; none fails on wall-clock time.
// Adding a bench: write bench/<name>.ts exporting a Bench and list it in BENCHES.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Bench } from "./bench.js";
import { clientBench } from "./client.js";
import { generationBench } from "./generation.js";
import { hostileBench } from "./hostile.js";
import { importCorpusBench } from "./import-corpus.js";
import { jsonBench } from "./json.js";
import { mockBench } from "./mock.js";
import { packagesBench } from "./packages.js";
import { sizeBench } from "./size.js";
import { validatorsBench } from "./validators.js";
import { runtimesBench } from "./runtimes.js";

export const BENCHES: readonly Bench[] = [
  generationBench,
  importCorpusBench,
  validatorsBench,
  jsonBench,
  clientBench,
  mockBench,
  packagesBench,
  sizeBench,
  hostileBench,
  runtimesBench,
];

/** `all`: the suites measured against a peer with a target (issue 18), each with the same `--rounds N`. */
export const ALL = ["generation", "validators", "client", "mock"] as const;

function usage(): string {
  return [
    "Usage: npm run bench [-- [bench...] [options]]",
    "",
    "Runs the named benches (default: every bench). Options after the names go to each selected bench.",
    "",
    `  ${"all".padEnd(12)} ${ALL.join(", ")}: every suite that measures against its peers, with the options given (e.g. --rounds 3)`,
    "",
    "Benches:",
    ...BENCHES.flatMap((b) => [`  ${b.name.padEnd(12)} ${b.description}`, ...(b.options?.split("\n").map((l) => `    ${l.trim()}`) ?? [])]),
  ].join("\n");
}

export async function main(argv: string[], out = process.stdout, progress = process.stderr): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out.write(`${usage()}\n`);
    return 0;
  }
  const firstOption = argv.findIndex((a) => a.startsWith("-"));
  const named = firstOption < 0 ? argv : argv.slice(0, firstOption);
  const names = named.flatMap((n) => (n === "all" ? [...ALL] : [n]));
  const args = firstOption < 0 ? [] : argv.slice(firstOption);
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    progress.write(`unknown bench ${unknown.map((n) => `"${n}"`).join(", ")}\n\n${usage()}\n`);
    return 64;
  }
  const selected = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const targets: string[] = [];
  for (const bench of selected) {
    out.write(`== ${bench.name}\n`);
    await bench.run({ args, out, progress, targets });
  }
  if (targets.length)
    out.write(
      `\n== targets (median of per-round ratios, range over rounds; met/missed only when the whole range agrees)\n${targets.map((t) => `${t}\n`).join("")}`,
    );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
