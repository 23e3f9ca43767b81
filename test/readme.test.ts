// The README's rule table, CLI reference and service list stay in step with the code and the specs;
// the generated index lists every operation with a coverage line per service.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { coverageLine, apiIndex } from "../generator/emit/docs-emitter.js";
import { RULES } from "../generator/check/rules/index.js";
import { ROOT, SPECS, realIr } from "./helpers.js";

it("the README documents every lint rule with its severity", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  for (const rule of RULES) expect(readme, rule.id).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
});

/** The package of every service.yaml under specs/, read directly (no build needed). */
async function specPackages(): Promise<string[]> {
  const dirs = await readdir(SPECS, { withFileTypes: true });
  const out: string[] = [];
  for (const d of dirs) {
    if (!d.isDirectory()) continue;
    const text = await readFile(path.join(SPECS, d.name, "service.yaml"), "utf8").catch(() => undefined);
    if (text !== undefined) out.push((parse(text) as { package: { name: string } }).package.name);
  }
  return out.sort();
}

it("the README's list of services is the specs' and links to the generated operations table", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const intro = readme.slice(0, readme.indexOf("\n## "));
  const listed = [...intro.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort();
  expect(listed).toEqual(await specPackages());
  expect(intro).toContain("[generated/README.md](generated/README.md)");
});

it("the generated index lists every operation, and a coverage line per service", async () => {
  const ir = structuredClone(await realIr());
  for (const s of ir.services) for (const source of s.sources) delete source.operations;
  const [service, other] = ir.services;
  service!.sources[0]!.operations = 999;
  const index = apiIndex(ir);
  for (const s of ir.services) {
    expect(index).toContain(coverageLine(s));
    expect(coverageLine(s)).toContain(`${s.operations.length} operation`);
    for (const op of s.operations) {
      const row = index.split("\n").find((line) => line.includes(`](${s.id}/docs/${op.name}.md)`));
      expect(row, `${s.id} ${op.name}`).toBeDefined();
      expect(row).toContain(`\`${op.method}\``);
      expect(row).toContain(`\`${op.wire?.key}\``);
      expect(row).toContain(`\`${s.protocol.name}\``);
    }
  }
  expect(coverageLine(service!)).toContain(`${service!.operations.length} of the 999 operations documented in \`${service!.sources[0]!.id}\``);
  expect(coverageLine(other!)).not.toContain(" of the ");
  // More operations than the document lists (taken from two editions): no "N of M" that cannot be.
  other!.sources[0]!.operations = other!.operations.length - 1;
  expect(coverageLine(other!)).toContain(`\`${other!.sources[0]!.id}\` documents ${other!.operations.length - 1}`);
  expect(coverageLine(other!)).not.toContain(" of the ");
});
