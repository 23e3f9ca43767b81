// The README's rule table and CLI reference stay in step with the code.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { RULES } from "../generator/check/rules/index.js";
import { ROOT } from "./helpers.js";

it("the README documents every lint rule with its severity", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  for (const rule of RULES) expect(readme, rule.id).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
});
