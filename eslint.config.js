// Lint for the repository's own code (`npm run lint:code`). generated/ is not linted here: it is
// checked by its own type-check and tests; test/fixtures/ holds deliberately broken inputs.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import globals from "globals";
import tseslint from "typescript-eslint";

const SOURCES = ["generator/**/*.ts", "templates/runtime/src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"];
const SCRIPTS = ["bin/**/*.js", "test/**/*.{js,mjs}", "bench/**/*.{js,mjs}", "scripts/**/*.{js,mjs}"];

export default defineConfig(
  { ignores: ["generated/**", "test/fixtures/**", "node_modules/**", "**/out/**", "**/.tmp/**"] },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: [...SOURCES, ...SCRIPTS],
    extends: [js.configs.recommended, comments.recommended],
    rules: {
      // A disable comment says why: `// eslint-disable-next-line rule -- reason`.
      "@eslint-community/eslint-comments/require-description": ["error", { ignore: ["eslint-enable"] }],
      "@eslint-community/eslint-comments/disable-enable-pair": ["error", { allowWholeFile: true }],
    },
  },
  {
    files: SOURCES,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware rules that are cheap and catch real bugs (lost promises, non-exhaustive switches).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["templates/runtime/src/**/*.ts"],
    rules: {
      // The runtime drops a failure's cause on purpose where it may carry credentials (README: errors hold no secret).
      "preserve-caught-error": "off",
    },
  },
  {
    files: SCRIPTS,
    languageOptions: { globals: { ...globals.node } },
  },
);
