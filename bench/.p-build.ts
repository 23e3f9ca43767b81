import { installBuiltPackages } from "./bench.js";
const t = Date.now();
await installBuiltPackages("/work/main/generated", process.argv[2]!);
console.log("built in", Date.now() - t, "ms");
