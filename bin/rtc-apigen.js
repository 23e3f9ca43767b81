#!/usr/bin/env node
// The `rtc-apigen` command: the generator is TypeScript, run through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../generator/cli/main.ts");
await run(process.argv.slice(2));
