import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The generated packages import their runtime by package name; in the repo it is generated/runtime.
    alias: [
      { find: /^@rtc-apigen\/runtime$/, replacement: fileURLToPath(new URL("./generated/runtime/src/index.ts", import.meta.url)) },
      { find: /^@rtc-apigen\/runtime\/mock$/, replacement: fileURLToPath(new URL("./generated/runtime/src/mock.ts", import.meta.url)) },
      {
        find: /^@rtc-apigen\/runtime\/validation-core$/,
        replacement: fileURLToPath(new URL("./generated/runtime/src/validation-core.ts", import.meta.url)),
      },
      // Every other entry of the runtime (`/tc3`, `/chat-rest`, `/service-client`): a module at the top of its src/.
      { find: /^@rtc-apigen\/runtime\/([a-z0-9-]+)$/, replacement: fileURLToPath(new URL("./generated/runtime/src/", import.meta.url)) + "$1.ts" },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
