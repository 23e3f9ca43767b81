import { build } from "./generator/pipeline.js";
for (let r = 0; r < 4; r++) { const c0 = process.cpuUsage(); const t0 = performance.now(); await build("specs"); const c = process.cpuUsage(c0); console.log("build cpu ms", ((c.user + c.system) / 1000).toFixed(0), "wall", (performance.now() - t0).toFixed(0)); }
