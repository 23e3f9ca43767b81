// `rtc-apigen import`: actions of an official api.json → spec skeletons under <out>/<service>/.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EXIT, plural, type Output } from "../shared/output.js";
import { importActions } from "./import-api-json.js";
import { apiJsonProtocol } from "../protocols/index.js";

export const IMPORT_USAGE = `Usage: rtc-apigen import --from API_JSON --service ID --out SPECS_DIR [options]

Turns actions of an official API metadata file (tencentcloud-cli api.json, PROTOCOLS.md §A.1) into
spec skeletons: <out>/<service>/service.yaml and one <Action>.yaml per action. They carry what
the metadata says (types, flags, examples), what its texts state (enums, ranges, lengths, defaults,
pagination, each with the sentence in a note) and, with --errors, each action's error codes and
rate limit. \`TODO(import)\` comments and notes mark what a maintainer must still decide; the lint
rule import-todo fails until none is left. Complete them by hand.

Options:
  --from FILE        the api.json to import from (required)
  --action NAME      an action to import; repeat for more (default: every action)
  --service ID       the service id: folder under --out and generated package folder (required)
  --out DIR          the specs folder that holds the service folders, e.g. specs (required;
                     not the service folder itself)
  --also FILE        another edition of the same API version (the .intl. api.json): its English
                     text is written where it has the action or field (the Chinese stays as the
                     fallback, noted), a field either edition lets be null is nullable, and
                     differences become notes
  --examples FILE    the examples.json (default: <name>.examples.json beside --from, if present)
  --no-examples      import no examples
  --errors FILE      error codes and rate-limit sentences per action: the reference's
                     action-errors.json, or {"<Action>": [{"code", "description"}]}
  --package NAME     the npm package name (default: @rtc-apigen/<service>)
  --client NAME      the client class (default: PascalCase(service) + Client)
  --force            overwrite existing files (service.yaml included)
  -h, --help         show this help

Existing files are left alone without --force; types they define are referenced, not repeated.

Exit codes: 0 written, 1 failed or a file exists (without --force), 64 bad command line.`;

function usageError(err: Output, message: string): number {
  err.write(`${message}\n\nRun \`rtc-apigen import --help\` for the options.\n`);
  return EXIT.usage;
}

/** Why `--out` is a service folder rather than the specs folder above it, if it is. */
function nestedOut(out: string, service: string): string | undefined {
  const dir = path.resolve(out);
  const hint = `give the specs folder that holds the service folders (e.g. --out ${path.dirname(out) === "." ? "specs" : path.dirname(out)}); the import writes <out>/${service}/`;
  if (path.basename(dir) === service) return `--out ${out} is the service folder itself: it would write ${path.join(out, service)}/; ${hint}`;
  if (existsSync(path.join(dir, "service.yaml"))) return `--out ${out} is a service folder (it has service.yaml); ${hint}`;
  return undefined;
}

export async function runImport(argv: string[], out: Output, err: Output): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        from: { type: "string" },
        action: { type: "string", multiple: true },
        service: { type: "string" },
        out: { type: "string" },
        also: { type: "string" },
        examples: { type: "string" },
        "no-examples": { type: "boolean", default: false },
        errors: { type: "string" },
        package: { type: "string" },
        client: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    return usageError(err, (e as Error).message);
  }
  if (values.help) {
    out.write(IMPORT_USAGE + "\n");
    return EXIT.ok;
  }
  const missing = (["from", "service", "out"] as const).filter((k) => !values[k]);
  if (missing.length) return usageError(err, `missing ${missing.map((k) => `--${k}`).join(", ")}`);
  if (!/^[a-z][a-z0-9-]*$/.test(values.service!))
    return usageError(err, `--service must be lower-case letters, digits and dashes, got ${JSON.stringify(values.service)}`);
  if (values.client !== undefined && !/^[A-Z][A-Za-z0-9]*Client$/.test(values.client))
    return usageError(err, `--client must be PascalCase ending in Client, got ${JSON.stringify(values.client)}`);
  if (values.examples && values["no-examples"]) return usageError(err, "--examples and --no-examples exclude each other");

  const outProblem = nestedOut(values.out!, values.service!);
  if (outProblem) return usageError(err, outProblem);

  const serviceDir = path.join(values.out!, values.service!);
  let result;
  try {
    result = await importActions({
      apiJson: values.from!,
      ...(values.action ? { actions: values.action } : {}),
      serviceDir,
      service: {
        id: values.service!,
        ...(values.package ? { packageName: values.package } : {}),
        ...(values.client ? { client: values.client } : {}),
      },
      ...(values.also ? { also: values.also } : {}),
      ...(values["no-examples"] ? { examplesJson: false as const } : values.examples ? { examplesJson: values.examples } : {}),
      ...(values.errors ? { errorCodes: values.errors } : {}),
      overwrite: values.force,
    });
  } catch (e) {
    err.write(`import failed: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
  const show = (f: string) => path.relative(process.cwd(), f) || f;
  out.write(
    `Imported ${plural(result.actions.length - result.skipped.filter((s) => s.action).length, "action")} into ${show(serviceDir)}: wrote ${plural(result.written.length, "file")}.\n`,
  );
  for (const s of result.skipped) err.write(`skipped ${show(path.join(serviceDir, s.file))}: ${s.reason}\n`);
  for (const w of result.warnings) err.write(`warning: ${w}\n`);
  const protocolFile = `${apiJsonProtocol().name}.yaml`;
  if (!existsSync(path.join(values.out!, "protocols", protocolFile)))
    err.write(`warning: ${show(values.out!)} has no protocols/${protocolFile}; copy specs/protocols and specs/schema beside the service folder\n`);
  if (result.written.length) out.write("Fill in the TODO(import) comments and notes, then run `npm run generate`.\n");
  return result.skipped.length ? EXIT.failed : EXIT.ok;
}
