#!/usr/bin/env node
// The command line, one entry for every job: `rtc-apigen <command> [options]` (bin/rtc-apigen.js,
// or the npm scripts). Commands load lazily so that `--help` and `lint` start fast.
import path from "node:path";
import { EXIT, UsageError, type Output } from "../shared/output.js";

export { EXIT } from "../shared/output.js";

type Command = { summary: string; run: (argv: string[], out: Output, err: Output) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  generate: {
    summary: "generate the packages from the specs (--check: report drift only)",
    run: async (a, o, e) => (await import("./commands/generate.js")).runGenerate(a, o, e),
  },
  check: {
    summary: "exit 1 when generated/ is out of date with the specs",
    run: async (a, o, e) => (await import("./commands/generate.js")).runGenerate(a, o, e, true),
  },
  lint: { summary: "print the specs' diagnostics, write nothing", run: async (a, o, e) => (await import("./commands/generate.js")).runLint(a, o, e) },
  new: {
    summary: "scaffold an operation spec for a service, ready to fill in",
    run: async (a, o, e) => (await import("./commands/new-operation.js")).runNew(a, o, e),
  },
  watch: { summary: "regenerate whenever a spec changes", run: async (a, o, e) => (await import("./commands/watch.js")).runWatch(a, o, e) },
  build: {
    summary: "compile the generated packages to dist/ (ES modules)",
    run: async (a, o, e) => (await import("./commands/build.js")).runBuild(a, o, e),
  },
  mock: {
    summary: "serve the mock of every generated service on 127.0.0.1",
    run: async (a, o, e) => {
      const { main } = await import("./mock-server.js");
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        return await main(a, { out: o, err: e, env: process.env, signal: stop.signal });
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    },
  },
  import: {
    summary: "turn actions of an official api.json into spec skeletons",
    run: async (a, o, e) => (await import("../import/cli.js")).runImport(a, o, e),
  },
  diff: {
    summary: "list the spec changes since a git ref that would break consumers",
    run: async (a, o, e) => (await import("../diff/cli.js")).runDiff(a, o, e),
  },
};

export const USAGE = `Usage: rtc-apigen <command> [options]    (npm run apigen -- <command> [options])

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

\`rtc-apigen <command> --help\` describes each command's options.

Exit codes: 0 success, 1 the command's check failed (drift, breaking changes, a file exists),
2 the specs have errors, 64 bad command line, 70 internal error.`;

export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    (first === undefined ? err : out).write(USAGE + "\n");
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  // `generate` is the default when the first word is an option (`npm run generate -- --check`).
  const [name, args] = first.startsWith("-") ? ["generate", argv] : [first, rest];
  const command = COMMANDS[name];
  if (!command) {
    err.write(`unknown command: ${name}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, out, err);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`${(e as Error).message}\n\nRun \`rtc-apigen ${name} --help\` for the options.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT.internal;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntry) void run(process.argv.slice(2));

/** The second thread of a large cold check (load/check-worker.ts), as the precompiled generator's worker starts it. */
export async function checkWorkerMain(): Promise<void> {
  await (await import("../load/check-worker-main.js")).checkWorkerMain();
}
