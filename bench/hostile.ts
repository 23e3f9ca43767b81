// Hostile input, re-run (issue 13: nothing lost, nothing leaked, nothing hangs). Prints counts and
// outcomes, no thresholds; the lines marked "must be 0" are what the fixes promise.
//   1. specs: every broken-spec fixture and drawn hostile specs through `generate --force` into a
//      folder holding someone's files (bench/hostile-specs.ts);
//   2. mock: hostile requests against the mock server of every generated service (bench/hostile-mock.ts);
//   3. clients: the client core against a hostile loopback server, per transport (bench/hostile-clients.ts).
import { parseArgs } from "node:util";
import { table, type Bench, type BenchContext } from "./bench.js";
import { runHostileClients } from "./hostile-clients.js";
import { runHostileMock, type HostileMockResult } from "./hostile-mock.js";
import { PLANTED, runHostileSpecs, TWISTS, type HostileSpecsResult } from "./hostile-specs.js";

const PARTS = ["specs", "mock", "clients"] as const;

const tally = <T>(items: readonly T[], key: (t: T) => string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
};
const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
const list = (m: Map<string, number>, max = Infinity) => {
  const sorted = byCount(m);
  const shown = sorted.slice(0, max).map(([k, n]) => `${k} ×${n}`);
  return (sorted.length > max ? [...shown, `${sorted.length - max} more`] : shown).join(", ") || "none";
};
/** A figure the fixes promise to keep at zero, flagged when it is not. */
const mustBeZero = (n: number) => `${n} (must be 0)${n ? "  <-- NOT 0" : ""}`;

function printSpecs(r: HostileSpecsResult, seed: number, out: NodeJS.WritableStream): void {
  const { outcomes, clean } = r;
  const fixtures = outcomes.filter((o) => o.kind === "fixture");
  const drawn = outcomes.filter((o) => o.kind === "drawn");
  out.write(`\n1. Hostile specs: \`generate --force\` into a folder holding ${Object.keys(PLANTED).join(", ")}\n`);
  out.write(
    `   ${fixtures.length} broken-spec fixtures and ${drawn.length} drawn specs (seed ${seed}), each drawn with 1-3 of: ${TWISTS.join(", ")}\n\n`,
  );
  const codes = [...new Set(outcomes.map((o) => o.exitCode))].sort((a, b) => a - b);
  const row = (name: string, os: typeof outcomes) => [
    name,
    String(os.length),
    ...codes.map((c) => String(os.filter((o) => o.exitCode === c).length)),
  ];
  out.write(table(["specs", "runs", ...codes.map((c) => `exit ${c}`)], [row("fixtures", fixtures), row("drawn", drawn), row("all", outcomes)]));
  out.write("\n");
  out.write(
    table(
      ["drawn with twist", "specs", "exit 0", "exit 2", "rule ids reported (specs)"],
      TWISTS.map((t) => {
        const os = drawn.filter((o) => o.twists.includes(t));
        return [
          t,
          String(os.length),
          String(os.filter((o) => o.exitCode === 0).length),
          String(os.filter((o) => o.exitCode === 2).length),
          list(
            tally(
              os.flatMap((o) => [...new Set(o.rules)]),
              (x) => x,
            ),
          ),
        ];
      }),
    ),
  );
  const diagnostics = outcomes.flatMap((o) => o.rules);
  out.write(
    `\nrule ids of the diagnostics (${diagnostics.length} in all; specs reporting each): ${list(
      tally(
        outcomes.flatMap((o) => [...new Set(o.rules)]),
        (x) => x,
      ),
    )}\n`,
  );
  const stack = outcomes.filter((o) => o.stackTrace);
  const lost = outcomes.filter((o) => o.lostPlanted.length);
  const changed = outcomes.filter((o) => o.changedOnRefusal);
  const unlocated = outcomes.filter((o) => o.unlocated);
  const names = (os: typeof outcomes) => (os.length ? `: ${os.map((o) => o.name).join(", ")}` : "");
  out.write(`stack traces seen: ${mustBeZero(stack.length)}${names(stack)}\n`);
  out.write(`planted files lost: ${mustBeZero(lost.reduce((a, o) => a + o.lostPlanted.length, 0))}${names(lost)}\n`);
  out.write(`refused runs that changed the folder: ${mustBeZero(changed.length)}${names(changed)}\n`);
  out.write(`exit 2 without a located diagnostic: ${mustBeZero(unlocated.length)}${names(unlocated)}\n`);
  out.write(`\nthe ${clean.outputs} runs that generated (${clean.packages} packages), type-checked in one program and imported:\n`);
  const typeSpecs = tally(clean.typeErrors, (e) => e.name);
  out.write(`  lint-clean specs whose output failed to type-check: ${mustBeZero(typeSpecs.size)} (${clean.typeErrors.length} type errors)\n`);
  for (const e of clean.typeErrors.slice(0, 8)) out.write(`    ${e.name}: ${e.message}\n`);
  if (clean.typeErrors.length > 8) out.write(`    … ${clean.typeErrors.length - 8} more\n`);
  out.write(`  lint-clean specs whose output failed to import: ${mustBeZero(new Set(clean.importFailures.map((f) => f.name)).size)}\n`);
  for (const f of clean.importFailures.slice(0, 8)) out.write(`    ${f.name}: ${f.message}\n`);
  out.write(
    `  outputs whose import ran code injected through spec text: ${mustBeZero(clean.injectedCodeRan.length)}${clean.injectedCodeRan.length ? `: ${clean.injectedCodeRan.join(", ")}` : ""}\n`,
  );
  out.write(`  injected text rendering as HTML or a javascript: link in the generated Markdown: ${mustBeZero(clean.rawHtmlInDocs.length)}\n`);
  for (const h of clean.rawHtmlInDocs.slice(0, 8)) out.write(`    ${h.name}: ${h.file}: ${h.html}\n`);
}

function printMock(r: HostileMockResult, out: NodeJS.WritableStream): void {
  out.write(
    `\n2. The mock server (${r.services} services, ${r.operations} operations) on 127.0.0.1: ${r.requests} hostile requests over ${r.connections} keep-alive connections in ${r.seconds.toFixed(1)} s\n`,
  );
  out.write(`   (${r.reconnects} reconnections after the server closed a connection, as it does after a request its HTTP parser refuses)\n\n`);
  const cats = [...r.categories].sort((a, b) => a[0].localeCompare(b[0]));
  const answered = (c: (typeof cats)[number][1]) => [...c.answers.values()].reduce((a, n) => a + n, 0);
  const unanswered = (c: (typeof cats)[number][1]) => [...c.unanswered.values()].reduce((a, n) => a + n, 0);
  out.write(
    table(
      ["category", "sent", "answered", "outside envelope", "unanswered"],
      [
        ...cats.map(([name, c]) => [name, String(c.sent), String(answered(c)), String(c.outsideEnvelope), String(unanswered(c))]),
        [
          "all",
          String(r.requests),
          String(cats.reduce((a, [, c]) => a + answered(c), 0)),
          String(cats.reduce((a, [, c]) => a + c.outsideEnvelope, 0)),
          String(cats.reduce((a, [, c]) => a + unanswered(c), 0)),
        ],
      ],
    ),
  );
  out.write("\nanswers by category and variant (HTTP status, then the protocol's error code or success):\n");
  for (const [name, c] of cats) {
    out.write(`  ${name}: ${list(c.answers, 6)}\n`);
    for (const [variant, answers] of [...c.byVariant].sort((a, b) => a[0].localeCompare(b[0]))) out.write(`    - ${variant}: ${list(answers, 5)}\n`);
  }
  const all = <K extends "outsideEnvelope">(k: K) => cats.reduce((a, [, c]) => a + c[k], 0);
  const none = cats.reduce((a, [, c]) => a + unanswered(c), 0);
  out.write(`\nanswers outside the protocol envelope (isEnvelope of test/mock/support/requests.ts): ${mustBeZero(all("outsideEnvelope"))}\n`);
  for (const [shape, n] of byCount(r.outsideShapes)) out.write(`    ${n} × ${shape}\n`);
  out.write(`requests without an answer (closed, or none within 20 s): ${mustBeZero(none)}\n`);
  out.write(
    `server crashes: ${mustBeZero(r.crashes.length)}${r.crashes.map((c) => `\n    exit ${c.code ?? c.signal}: ${c.stderr.trim().split("\n").slice(-3).join(" / ")}`).join("")}\n`,
  );
  out.write(
    `keys Object.prototype gained in the server: ${mustBeZero(r.pollution.length)}${r.pollution.length ? `: ${r.pollution.join(", ")}` : ""}\n`,
  );
  const s = r.slowloris;
  out.write(
    `slowloris beside the flood: ${list(s.trickled)} for requests trickled in 25 pieces over 2 s; after ${s.stallMs / 1000} s stalled: ${list(s.stalled)}\n`,
  );
  out.write(
    `server RSS: ${r.before.rssMb} MB before, ${r.after.rssMb} MB after, ${r.afterGc.rssMb} MB after a full GC; peak ${Math.max(r.afterGc.peakMb, r.afterGc.maxRssMb)} MB (sampled every 10 ms: ${r.afterGc.peakMb} MB; kernel high-water mark: ${r.afterGc.maxRssMb} MB); V8 heap in use ${r.before.heapMb} MB before, ${r.afterGc.heapMb} MB after the GC\n`,
  );
}

export const hostileBench: Bench = {
  name: "hostile",
  description: "issue 13 re-run: hostile specs through generate, hostile requests to the mock, a hostile server against the clients",
  options: [
    "--specs N        drawn hostile specs besides the broken-spec fixtures (default 150)",
    "--requests N     hostile requests to the mock server (default 20000)",
    "--connections N  keep-alive connections carrying them (default 4)",
    "--slowloris N    trickling and stalling sockets beside them, N of each (default 8)",
    "--seed N         the drawing seed (default 13)",
    "--only PART      specs, mock or clients (repeatable; default all three)",
  ].join("\n"),
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: {
        specs: { type: "string", default: "150" },
        requests: { type: "string", default: "20000" },
        connections: { type: "string", default: "4" },
        slowloris: { type: "string", default: "8" },
        seed: { type: "string", default: "13" },
        only: { type: "string", multiple: true },
      },
      strict: false,
    });
    const number = (v: unknown, fallback: number) => (Number.isSafeInteger(Number(v)) && Number(v) >= 0 ? Number(v) : fallback);
    const seed = number(values.seed, 13);
    const only = (values.only as string[] | undefined)?.filter((p): p is (typeof PARTS)[number] => (PARTS as readonly string[]).includes(p));
    const parts = new Set(only?.length ? only : PARTS);
    const start = process.hrtime.bigint();
    if (parts.has("specs")) printSpecs(await runHostileSpecs(number(values.specs, 150), seed, progress), seed, out);
    if (parts.has("mock")) {
      const connections = Math.max(1, number(values.connections, 4));
      const result = await runHostileMock(
        { requests: number(values.requests, 20_000), connections, seed, slowloris: number(values.slowloris, 8), stallMs: 3000 },
        progress,
      );
      printMock(result, out);
    }
    if (parts.has("clients")) {
      const { probes, retryAfter } = await runHostileClients(progress);
      out.write(
        "\n3. The client core against a hostile server on 127.0.0.1, per transport (each case in a child process: error code, peak RSS growth over the warmed-up baseline)\n\n",
      );
      out.write(
        table(
          ["case", "transport", "error code", "peak RSS growth MB", "requests reaching the 2nd host"],
          probes.map((p) => [
            p.case,
            p.transport === "node" ? "node:http" : "fetch",
            p.code,
            String(p.growthMb),
            p.reachedOtherHost === undefined ? "" : String(p.reachedOtherHost),
          ]),
        ),
      );
      out.write("\nRetry-After abuse on every answer (429), retries on (3 attempts, 15 s budget), an instant clock recording the waits:\n\n");
      out.write(
        table(
          ["Retry-After", "transport", "error code", "attempts", "waited ms"],
          retryAfter.map((r) => [r.retryAfter, r.transport === "node" ? "node:http" : "fetch", r.code, String(r.attempts), String(r.sleptMs)]),
        ),
      );
    }
    out.write(`\nhostile bench: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(0)} s\n`);
  },
};
