// Node, Bun and Deno: `<runtime> cli.mjs '<json options>'` prints one JSON line: runConsumer's
// result and the time the packages took to import.
import vectors from "./vectors.json" with { type: "json" };

const args = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const options = JSON.parse(args[0] ?? "{}");
const began = performance.now();
const { runConsumer } = await import("./consumer.mjs");
const importMs = performance.now() - began;
const result = await runConsumer({ ...options, vectors });
console.log(JSON.stringify({ ...result, importMs }));
