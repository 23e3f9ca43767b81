// `new`: scaffold an operation spec for a protocol, valid as written, with TODOs to fill in.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { camelCase } from "../../ir/names.js";
import { EXIT, UsageError, type Output } from "../../shared/output.js";
import { findProtocol, protocolPlugins } from "../../protocols/index.js";
import type { ProtocolPlugin } from "../../protocols/types.js";

/** The help line of the option naming a protocol's wire key, e.g. `--action NAME`. */
function optionHelp(p: ProtocolPlugin): string {
  const { value, help } = p.scaffold.option;
  return `  ${`--${p.wireField} ${value}`.padEnd(19)}${p.name}: ${help}${p.scaffold.required ? ` (required for ${p.name})` : ""}`;
}

export const NEW_USAGE = `Usage: rtc-apigen new --service ID --name OperationName [options]

Writes specs/<service>/<OperationName>.yaml, a spec that already passes the checks, with TODO
comments where the vendor's page must be read: fields, errors, limits, examples.

Options:
  --service ID       an existing specs/<service>/ (its service.yaml gives the protocol)
  --name NAME        the operation name, PascalCase (e.g. DescribeRoomInfo)
${protocolPlugins().map(optionHelp).join("\n")}
  --method NAME      the client method (default: camelCase of the name)
  --source ID        the source id the operation comes from (default: the service's first)
  --specs DIR        the specs folder (default: specs)
  --force            overwrite an existing file
  -h, --help         show this help

Exit codes: 0 written, 1 the file exists (without --force), 64 bad command line, 70 internal error.`;

interface ServiceYaml {
  protocol?: { name?: string };
  sources?: Array<{ id?: string }>;
  errors?: Array<{ code?: string | number }>;
  validationErrors?: Record<string, unknown>;
}

/** `wire`: the operation's wire key (default: the name), under the key its protocol's plugin names. */
export function scaffoldOperation(options: {
  protocol: ProtocolPlugin;
  name: string;
  wire?: string;
  method?: string;
  source: string;
  errors?: Array<string | number>;
}): string {
  const { protocol, name, source } = options;
  const wire = `${protocol.wireField}: ${options.wire ?? name}`;
  const requestId = protocol.scaffold.responseFields;
  return `# yaml-language-server: $schema=../schema/operation.schema.json
name: ${name}
${options.method ? `method: ${options.method}\n` : ""}${wire}
summary: "TODO: one line from the vendor's page."
description: >-
  TODO: what the operation does, from the vendor's page.
source: ${source}
# TODO: rateLimit: {requests: 20, per: second}, regions, timeWindows, pagination, mock (see README).
request:
  fields:
    # TODO: every parameter with its wire type, required, nullable, constraints and unit, e.g.
    # RoomId:
    #   type: uint64
    #   js: number
    #   required: true
    #   description: The room ID.
    {}
response:
  fields:
${requestId || "    {}\n"}${errorList(options.errors ?? [])}
examples: []
# TODO: the page's examples verbatim (request and response JSON text).
`;
}

function errorList(codes: Array<string | number>): string {
  const head = "# TODO: every documented error code with retryable: true|false.\n";
  if (!codes.length) return `errors: []\n${head}`;
  // Codes the service answers for invalid requests must be documented by each operation.
  return `errors:\n${head}${codes.map((c) => `  - code: ${JSON.stringify(c)}\n    description: "TODO: the page's description of ${c}."\n    retryable: false\n`).join("")}`;
}

/** Codes named by the service's \`validationErrors\` that neither the service nor the protocol declares. */
function undeclaredValidationCodes(service: ServiceYaml, specsDir: string, protocol: string): Array<string | number> {
  const declared = new Set((service.errors ?? []).map((e) => String(e.code)));
  const protocolFile = path.join(specsDir, "protocols", `${protocol}.yaml`);
  if (existsSync(protocolFile)) for (const e of (parse(readFileSync(protocolFile, "utf8")) as ServiceYaml).errors ?? []) declared.add(String(e.code));
  const codes = Object.entries(service.validationErrors ?? {}).filter(
    ([k, v]) => k !== "fieldSpecific" && k !== "source" && (typeof v === "string" || typeof v === "number"),
  );
  return [...new Map(codes.map(([, v]) => [String(v), v as string | number])).values()].filter((c) => !declared.has(String(c)));
}

export async function runNew(argv: string[], out: Output, err: Output): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      service: { type: "string" },
      name: { type: "string" },
      ...Object.fromEntries(protocolPlugins().map((p) => [p.wireField, { type: "string" as const }])),
      method: { type: "string" },
      source: { type: "string" },
      specs: { type: "string", default: "specs" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(NEW_USAGE + "\n");
    return EXIT.ok;
  }
  if (!values.service || !values.name) throw new UsageError("--service and --name are required");
  if (!/^[A-Z][A-Za-z0-9]*$/.test(values.name)) throw new UsageError(`--name must be PascalCase, got ${JSON.stringify(values.name)}`);
  const serviceFile = path.resolve(values.specs, values.service, "service.yaml");
  if (!existsSync(serviceFile))
    throw new UsageError(`no ${path.relative(process.cwd(), serviceFile)}: create the service first (see README, "How to add an API")`);
  const service = parse(readFileSync(serviceFile, "utf8")) as ServiceYaml;
  const protocolName = service.protocol?.name ?? "";
  const protocol = findProtocol(protocolName);
  if (!protocol) throw new UsageError(`the service's protocol ${JSON.stringify(protocolName)} has no plugin`);
  const wireValues = values as Record<string, unknown>;
  const wire = wireValues[protocol.wireField] as string | undefined;
  if (protocol.scaffold.required && !wire)
    throw new UsageError(`a ${protocol.name} operation needs --${protocol.wireField} ${protocol.scaffold.option.placeholder}`);
  for (const other of protocolPlugins())
    if (other.wireField !== protocol.wireField && wireValues[other.wireField] !== undefined)
      throw new UsageError(`--${other.wireField} is for ${other.name} services; ${protocol.name} takes --${protocol.wireField}`);
  const source = values.source ?? service.sources?.[0]?.id;
  if (!source) throw new UsageError("the service has no sources; pass --source");
  const file = path.resolve(values.specs, values.service, `${values.name}.yaml`);
  if (existsSync(file) && !values.force) {
    err.write(`${path.relative(process.cwd(), file)} exists; pass --force to overwrite it.\n`);
    return EXIT.failed;
  }
  writeFileSync(
    file,
    scaffoldOperation({
      protocol,
      name: values.name,
      source,
      errors: undeclaredValidationCodes(service, path.resolve(values.specs), protocol.name),
      ...(wire ? { wire } : {}),
      ...(values.method && values.method !== camelCase(values.name) ? { method: values.method } : {}),
    }),
  );
  out.write(`Wrote ${path.relative(process.cwd(), file)}. Fill in the TODOs, then run \`npm run generate\`.\n`);
  return EXIT.ok;
}
