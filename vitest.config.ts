import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The generated packages import their runtime by package name; in the repo it is generated/runtime.
    alias: { "@rtc-apigen/runtime": fileURLToPath(new URL("./generated/runtime/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
