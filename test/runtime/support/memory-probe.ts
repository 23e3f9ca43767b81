// Run in a child process (`node --expose-gc --import tsx memory-probe.ts <origin> <node|fetch|undici>`):
// two calls to warm the client up, then one call against whatever the server answers next,
// sampling RSS meanwhile. Prints `{"code": ..., "growthMb": ...}`: the call's error code (or
// "ok") and the peak RSS over the baseline taken after the warm-up. Own process, so nothing else
// (another test, the vitest worker's heap) moves the numbers. RUNTIME_DIR may point the probe at
// another copy of the runtime sources (to check the test against older code).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SECRET_ID, SECRET_KEY, tc3Metadata, tc3Validators } from "./fixture.js";

const [origin, transport] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const runtime = process.env["RUNTIME_DIR"] ?? path.resolve(here, "../../../templates/runtime/src");
const core = (await import(
  pathToFileURL(path.join(runtime, "client", "service-client.ts")).href
)) as typeof import("../../../templates/runtime/src/client/service-client.js");

const client = new core.ServiceClient(tc3Metadata, tc3Validators, {
  endpoint: origin,
  credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
  rateLimit: false,
  retry: false,
  timeoutMs: 60_000,
  env: {},
  ...(transport === "fetch" ? { fetch: globalThis.fetch } : {}),
  ...(transport === "undici" ? { transport: await undiciTransport() } : {}),
});

async function undiciTransport() {
  const own = (await import(
    pathToFileURL(path.join(runtime, "client", "undici-transport.ts")).href
  )) as typeof import("../../../templates/runtime/src/client/undici-transport.js");
  return own.createUndiciTransport(await import("undici"));
}

const codeOf = (error: unknown) => String((error as { code?: unknown }).code ?? (error as Error).message);
// Two warm-up calls (the server answers the second with a large valid body just under the limit), so
// the baseline already holds what any large answer costs: heap, allocator arenas, undici's buffers.
await client.call("listThings", { Owner: "warm-up" });
await client.call("listThings", { Owner: "warm-up" });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2);
let code = "ok";
try {
  await client.call("listThings", { Owner: "me" });
} catch (error) {
  code = codeOf(error);
}
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(`${JSON.stringify({ code, growthMb: Math.round((peak - baseline) / 1024 / 1024) })}\n`);
process.exit(0);
