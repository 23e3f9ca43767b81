import { buildPackages } from "./generator/build/build-packages.js";
for (const d of ["/tmp/c/gen-old", "/tmp/c/gen-new"]) { const r = await buildPackages(d); console.log(d, r.diagnostics.length ? r.diagnostics.slice(0, 3) : "ok"); }
