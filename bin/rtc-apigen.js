#!/usr/bin/env node
// The `rtc-apigen` command. The generator is TypeScript: the commands that only read specs and write
// files run precompiled (bin/precompiled.js); the others, and any run where that is not available,
// through tsx's loader (`mock` imports the generated TypeScript packages).
const argv = process.argv.slice(2);
const PRECOMPILED = new Set([undefined, "generate", "check", "lint", "watch", "help", "--help", "-h"]);
const first = argv[0];
const run = PRECOMPILED.has(first) || first?.startsWith("-") ? await (await import("./precompiled.js")).precompiledRun() : undefined;
if (run) await run(argv);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await (await import("../generator/cli/main.ts")).run(argv);
}
