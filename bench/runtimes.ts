// Runtimes bench (issue 16 item 5): the same consumer (test/runtimes/consumer.mjs) on the built
// packages in Node, Bun, Deno and a Cloudflare worker (workerd through miniflare), against the mock
// on 127.0.0.1. Per runtime: what the consumer imports (bytes, minified and gzipped: the worker's
// bundle for workerd), the packages' import time (workerd: until the worker is ready, workerd's own
// start included), and the time per call: the loop's total over its calls (a worker's clock moves
// only across I/O, in whole milliseconds) and, but in the worker, the median call. Each runtime also
// checks its signatures against the reference vectors.
//
//   npm run bench -- runtimes [--calls 300] [--rounds 3]
import { gzipSync } from "node:zlib";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { prepareConsumerApp, RUNTIMES, runConsumerIn, startConsumerMock, unavailable, type ConsumerApp } from "../test/runtimes/harness.js";
import { formatMs, median, table, type Bench, type BenchContext } from "./bench.js";

const GENERATED = path.resolve(import.meta.dirname, "../generated");
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Bytes of what the consumer imports, minified, and gzipped: the worker's own bundle for workerd. */
async function importSize(app: ConsumerApp, worker: boolean): Promise<{ min: number; gzip: number }> {
  const result = await build({
    entryPoints: [path.join(app.dir, worker ? "worker.mjs" : "consumer.mjs")],
    bundle: true,
    format: "esm",
    platform: worker ? "browser" : "node",
    minify: true,
    write: false,
    logLevel: "silent",
    absWorkingDir: app.dir,
  });
  const bytes = result.outputFiles[0]!.contents;
  return { min: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
}

async function run({ args, out, progress }: BenchContext): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { calls: { type: "string", default: "300" }, rounds: { type: "string", default: "3" } },
    strict: false,
  });
  const calls = Number(values.calls);
  const rounds = Number(values.rounds);
  progress.write("building the packages\n");
  const app = await prepareConsumerApp(GENERATED);
  const mock = await startConsumerMock();
  const rows: string[][] = [];
  try {
    for (const runtime of RUNTIMES) {
      const why = await unavailable(runtime);
      if (why !== undefined) {
        rows.push([runtime, "-", "-", "-", "-", `not run: ${why}`]);
        continue;
      }
      const worker = runtime.startsWith("workerd");
      const size = await importSize(app, worker);
      const starts: number[] = [];
      const perCall: number[] = [];
      const medians: number[] = [];
      let checked = "ok";
      for (let round = 0; round < rounds; round++) {
        progress.write(`${runtime}: round ${round + 1}/${rounds}, ${calls} calls\n`);
        const result = await runConsumerIn(runtime, app, { mockUrl: mock.url, ids: mock.ids, calls });
        starts.push(result.importMs ?? result.readyMs ?? NaN);
        perCall.push(result.totalMs / calls);
        medians.push(median(result.callMs));
        if (!result.tc3.matches || !result.chat.decodedMatches) checked = "SIGNATURES DIFFER";
      }
      // A worker's clock counts whole milliseconds: its per-call median says nothing.
      const medianCall = worker ? "-" : formatMs(median(medians));
      rows.push([runtime, `${kib(size.min)} / ${kib(size.gzip)}`, formatMs(median(starts)), formatMs(median(perCall)), medianCall, checked]);
    }
  } finally {
    await mock.close();
    app.close();
  }
  out.write(`median of ${rounds} rounds; ${calls} DescribeRoomStatistics calls per round over keep-alive to the mock on 127.0.0.1\n`);
  out.write(
    table(
      ["runtime", "import size (min / gzip)", "import ms (workerd: worker ready)", "ms per call (mean)", "ms per call (median)", "vectors"],
      rows,
    ),
  );
}

export const runtimesBench: Bench = {
  name: "runtimes",
  description: "the consumer in Node, Bun, Deno and workerd: import size and time, time per call, signatures checked",
  options: "--calls N   calls per round (default 300)\n--rounds N  rounds per runtime (default 3)",
  run,
};
