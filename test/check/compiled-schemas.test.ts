// The schema validators kept as Ajv standalone code (generator/check/compiled-schemas.ts): the code
// loaded from the cache validates, and reports, as the freshly compiled validators do, and a file
// whose checksum fails is compiled again rather than run.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { compileValidators } from "../../generator/check/compiled-schemas.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const shared = [
  { $id: "https://example.test/common.json", $defs: { name: { type: "string", pattern: "^[a-z]+$", description: "a lower-case name" } } },
];
const schemas = {
  thing: {
    $id: "https://example.test/thing.json",
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { $ref: "common.json#/$defs/name" }, size: { type: "integer", minimum: 1 } },
  },
};
const inputs: unknown[] = [{ name: "ok" }, { name: "Bad", size: 0, extra: true }, {}, [], { name: 3 }];

/** What a validator says about each input: the verdict and the errors as the checks read them. */
function verdicts(validate: ReturnType<typeof compileValidators<"thing">>["thing"]) {
  return inputs.map((v) => {
    const ok = validate(v);
    return { ok, errors: (validate.errors ?? []).map((e) => ({ ...e })) };
  });
}

it("loads the compiled code from the cache, with the same verdicts and error details, and recompiles a damaged file", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "apigen-ajv-"));
  dirs.push(dir);
  const fresh = verdicts(compileValidators(shared, schemas, undefined).thing);
  expect(fresh.map((v) => v.ok)).toEqual([true, false, false, false, false]);

  compileValidators(shared, schemas, dir);
  const [file] = await readdir(dir);
  expect(file).toMatch(/^[0-9a-f]{64}\.cjs$/);
  const cached = verdicts(compileValidators(shared, schemas, dir).thing);
  expect(cached).toEqual(fresh);

  // Code that would accept everything, under the old checksum: never run.
  const abs = path.join(dir, file!);
  const text = await readFile(abs, "utf8");
  const nl = text.indexOf("\n");
  await writeFile(abs, `${text.slice(0, nl)}\nexports.thing = function () { return true; };\n`);
  expect(verdicts(compileValidators(shared, schemas, dir).thing)).toEqual(fresh);
  // And it was written again, whole.
  expect(await readFile(abs, "utf8")).toBe(text);
});
