// `watch`: regenerate whenever a spec changes, printing the diagnostics each time.
import { watch } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type Output } from "../../shared/output.js";
import { GenerationCache } from "../../write/generation-cache.js";
import { runGenerate } from "./generate.js";

export const WATCH_USAGE = `Usage: rtc-apigen watch [--specs DIR] [--out DIR] [--force]

Generates once, then again whenever a file under the specs folder changes (changes within 100 ms
are taken together). Only the services whose specs changed are parsed, checked, emitted and
formatted again; the others come from the cache it keeps between runs (the output is the same as a
full \`generate\`).
Stops on Ctrl-C. Writes like \`generate\`: only the generator's own files, and
an --out that generate refuses (see \`generate --help\`) stops it at once unless --force.

Exit codes: 0 stopped, 64 bad command line (or a refused --out), 70 internal error.`;

export async function runWatch(argv: string[], out: Output, err: Output, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      specs: { type: "string", default: "specs" },
      out: { type: "string", default: "generated" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(WATCH_USAGE + "\n");
    return EXIT.ok;
  }
  const args = ["--specs", values.specs, "--out", values.out, ...(values.force ? ["--force"] : [])];
  const cache = new GenerationCache();
  const generateOnce = async () => {
    out.write(`\n[${new Date().toLocaleTimeString()}] generating…\n`);
    return runGenerate(args, out, err, false, cache);
  };
  // A refused --out will not become acceptable by editing specs: stop rather than refuse on every change.
  if ((await generateOnce()) === EXIT.usage) return EXIT.usage;
  let running = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const once = () => {
    running = running.then(generateOnce).then(
      () => {},
      (e: unknown) => void err.write(`internal error: ${(e as Error).stack ?? String(e)}\n`),
    );
  };
  const stop = new AbortController();
  if (signal?.aborted) stop.abort();
  signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const watcher = watch(path.resolve(values.specs), { recursive: true, signal: stop.signal }, () => {
    clearTimeout(timer);
    timer = setTimeout(once, 100);
  });
  out.write(`watching ${values.specs}/ (Ctrl-C to stop)\n`);
  if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));
  clearTimeout(timer);
  watcher.close();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await running;
  return EXIT.ok;
}
