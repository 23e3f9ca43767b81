// `watch`: regenerate whenever a spec changes, printing the diagnostics each time.
import { watch } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type Output } from "../output.js";
import { runGenerate } from "./generate.js";

export const WATCH_USAGE = `Usage: rtc-apigen watch [--specs DIR] [--out DIR]

Generates once, then again whenever a file under the specs folder changes (changes within 100 ms
are taken together). Stops on Ctrl-C.

Exit codes: 0 stopped, 64 bad command line, 70 internal error.`;

export async function runWatch(argv: string[], out: Output, err: Output, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      specs: { type: "string", default: "specs" },
      out: { type: "string", default: "generated" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(WATCH_USAGE + "\n");
    return EXIT.ok;
  }
  const args = ["--specs", values.specs, "--out", values.out];
  let running = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const once = () => {
    running = running.then(async () => {
      out.write(`\n[${new Date().toLocaleTimeString()}] generating…\n`);
      await runGenerate(args, out, err);
    });
  };
  once();
  const stop = new AbortController();
  signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const watcher = watch(path.resolve(values.specs), { recursive: true, signal: stop.signal }, () => {
    clearTimeout(timer);
    timer = setTimeout(once, 100);
  });
  out.write(`watching ${values.specs}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));
  clearTimeout(timer);
  watcher.close();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await running;
  return EXIT.ok;
}
