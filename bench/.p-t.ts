const t0 = Date.now();
const { readdirSync } = await import("node:fs");
const path = await import("node:path");
const { pathToFileURL } = await import("node:url");
const scope = "/tmp/p-work/pk/node_modules/@rtc-apigen";
const entry = (name: string) => pathToFileURL(path.join(scope, name, "dist", "esm", "mock.js")).href;
const defs: any[] = [];
for (const name of ["chat", "lcic", "trtc"]) { defs.push((await import(entry(name))).mockDefinition); console.log(name, Date.now() - t0); }
const rt = await import(entry("runtime"));
console.log("rt", Date.now() - t0);
const m = rt.createMock(defs, { seed: 20261123, rateLimit: false });
console.log("mock", Date.now() - t0);
const src = await import("/work/main/templates/runtime/src/mock/server.js");
console.log("src import", Date.now() - t0);
src.createMock(defs, { seed: 20261123, rateLimit: false });
console.log("src mock", Date.now() - t0);
