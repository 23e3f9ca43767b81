#!/usr/bin/env node
// `npm run mock -- [--port N] [--host H] [--fixtures FILE] [--seed N] [credentials]`: one HTTP
// server mocking every generated service package (each generated/<id>/src/mock.ts that exports
// `mockDefinition`), found by listing the folder. Stops on SIGINT or SIGTERM.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { MockGateway } from "../../templates/runtime/src/mock/gateway.js";
import {
  BUILTIN_GATEWAYS,
  createMock,
  parseMockFixtures,
  type MockCredentials,
  type MockFixtures,
  type MockOptions,
  type MockServiceInput,
} from "../../templates/runtime/src/mock/server.js";
import type { Output } from "../shared/output.js";
import { findProtocol } from "../protocols/index.js";
import type { MockBannerMetadata } from "../protocols/types.js";

/** For a protocol whose plugin says nothing: the service and its operations. */
const defaultBanner = (m: MockBannerMetadata, url: string) => [
  `${m.id}: ${String(m.protocol.name)} at ${url}: ${Object.keys(m.operations).join(", ")}`,
];

export const EXIT = { ok: 0, failed: 1, usage: 64, internal: 70 } as const;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The options of the command itself; each protocol adds those setting its credentials (its gateway's `credentials.cli`). */
const OPTIONS = {
  port: { type: "string" },
  host: { type: "string", default: "127.0.0.1" },
  fixtures: { type: "string" },
  seed: { type: "string" },
  "rate-limit-scale": { type: "string" },
  "no-rate-limit": { type: "boolean", default: false },
  generated: { type: "string", default: path.join(ROOT, "generated") },
  help: { type: "boolean", short: "h", default: false },
} as const;

const option = (flag: string, help: string) => `  ${flag.padEnd(20)}  ${help}`;

function usage(gateways: readonly MockGateway[]): string {
  const credentials = gateways.flatMap((g) =>
    (g.credentials.cli?.flags ?? []).map((f) => option(`--${f.name} ${f.value}`, f.env ? `${f.help.padEnd(26)} (default $${f.env})` : f.help)),
  );
  const defaults = gateways.flatMap((g) => (g.credentials.cli ? [g.credentials.cli.describe(g.credentials.defaults)] : []));
  return `Usage: npm run mock -- [options]

Serves the mock of every generated service package (generated/*/src/mock.ts) on one HTTP server,
each service at its protocol's paths (listed when it starts).

Options:
${option("--port N", "port to listen on (default 8080; 0 picks a free one)")}
${option("--host HOST", "address to listen on (default 127.0.0.1)")}
${option("--fixtures FILE", "JSON fixtures: resources, queued responses, injected errors per service")}
${option("--seed N", "seed of the generated data (default 1)")}
${option("--rate-limit-scale X", "multiply the documented rate limits (default 1)")}
${option("--no-rate-limit", "do not enforce rate limits")}
${option("--generated DIR", "where the service packages are (default: generated)")}
${option("-h, --help", "show this help")}

Credentials, per protocol (${gateways.map((g) => g.name).join(", ")}):
${credentials.join("\n")}

Without flags or variables, each protocol accepts its defaults (for the built-in ones, the
public example keys of the reference):
${defaults.map((d) => `  ${d}`).join("\n")}

Exit codes: 0 stopped by a signal, 1 nothing to serve or unusable fixtures, 64 bad command line,
70 internal error.`;
}

export interface MockCliContext {
  out: Output;
  err: Output;
  env: Readonly<Record<string, string | undefined>>;
  /** Stops the server when aborted (the entry point wires SIGINT and SIGTERM to it). */
  signal: AbortSignal;
}

/** Every `mockDefinition` under `dir`, one per package folder, sorted by folder name (none when `dir` does not exist). */
export async function loadDefinitions(dir: string): Promise<MockServiceInput[]> {
  const out: MockServiceInput[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const file = path.join(dir, name, "src", "mock.ts");
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { mockDefinition?: MockServiceInput };
    if (module.mockDefinition) out.push(module.mockDefinition);
  }
  return out;
}

class UsageError extends Error {}

/** The built-in gateways and those the definitions carry (a protocol the runtime does not ship), by name. */
function gatewaysOf(definitions: readonly MockServiceInput[]): MockGateway[] {
  const byName = new Map<string, MockGateway>();
  const carried = definitions.flatMap((d) => (d.gateway ? [d.gateway] : []));
  for (const g of [...BUILTIN_GATEWAYS, ...carried]) if (!byName.has(g.name)) byName.set(g.name, g as MockGateway);
  return [...byName.values()];
}

/** The protocols' credential options, for parseArgs; a name two of them (or the command) use is refused. */
function credentialOptions(gateways: readonly MockGateway[]): Record<string, { type: "string" }> {
  const owner = new Map<string, string>(Object.keys(OPTIONS).map((name) => [name, "the command"]));
  for (const g of gateways) {
    for (const { name } of g.credentials.cli?.flags ?? []) {
      const taken = owner.get(name);
      if (taken) throw new Error(`the ${g.name} protocol's option --${name} is ${taken}'s too`);
      owner.set(name, `the ${g.name} protocol`);
    }
  }
  return Object.fromEntries([...owner].filter(([, by]) => by !== "the command").map(([name]) => [name, { type: "string" as const }]));
}

/** Per protocol: its options' credentials, else its environment variables', else its defaults. Throws a TypeError on an unusable value. */
function credentialsOf(values: Readonly<Record<string, unknown>>, env: MockCliContext["env"], gateways: readonly MockGateway[]): MockCredentials {
  const found: Record<string, readonly unknown[]> = {};
  for (const { credentials: c } of gateways) {
    const base = c.fromEnv(env) ?? c.defaults;
    const given = Object.fromEntries((c.cli?.flags ?? []).flatMap(({ name }) => (typeof values[name] === "string" ? [[name, values[name]]] : [])));
    found[c.key] = c.cli?.fromFlags(given, base) ?? base;
  }
  return found as MockCredentials;
}

function integer(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

export async function main(argv: string[], ctx: MockCliContext): Promise<number> {
  const { out, err } = ctx;
  // The packages come first: the protocols they use add their credential options.
  const first = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true }).values;
  const generated = typeof first.generated === "string" ? first.generated : OPTIONS.generated.default;
  const definitions = await loadDefinitions(path.resolve(generated));
  const gateways = gatewaysOf(definitions);
  let credentialFlags;
  try {
    credentialFlags = credentialOptions(gateways);
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return EXIT.failed;
  }
  let values;
  let options: MockOptions;
  let port: number;
  let fixturesFile: string | undefined;
  try {
    values = parseArgs({ args: argv, options: { ...OPTIONS, ...credentialFlags } }).values;
    if (values.help) {
      out.write(usage(gateways) + "\n");
      return EXIT.ok;
    }
    port = integer(values.port, "--port", 0, 65535) ?? 8080;
    const scale = values["rate-limit-scale"] === undefined ? 1 : Number(values["rate-limit-scale"]);
    if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError("--rate-limit-scale must be a positive number");
    options = {
      seed: integer(values.seed, "--seed", 0, 2 ** 32 - 1) ?? 1,
      credentials: credentialsOf(values, ctx.env, gateways),
      rateLimit: values["no-rate-limit"] ? false : { scale },
    };
    fixturesFile = values.fixtures;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`${(e as Error).message}\n\n${usage(gateways)}\n`);
      return EXIT.usage;
    }
    if (e instanceof TypeError) {
      // An unusable credential option or variable.
      err.write(`${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }

  if (definitions.length === 0) {
    err.write(`no service package with src/mock.ts under ${generated}: run \`npm run generate\` first.\n`);
    return EXIT.failed;
  }
  let fixtures: MockFixtures | undefined;
  if (fixturesFile !== undefined) {
    try {
      fixtures = parseMockFixtures(readFileSync(fixturesFile, "utf8"));
    } catch (e) {
      err.write(`${fixturesFile}: ${(e as Error).message}\n`);
      return EXIT.failed;
    }
  }
  let mock;
  try {
    mock = createMock(definitions, fixtures ? { ...options, fixtures } : options);
  } catch (e) {
    err.write(`${fixturesFile ?? "mock"}: ${(e as Error).message}\n`);
    return EXIT.failed;
  }

  let server;
  try {
    server = await mock.listen({ port, host: values.host });
  } catch (e) {
    err.write(`cannot listen on ${values.host}:${port}: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
  out.write(`Mock server listening on ${server.url} (${mock.services.join(", ")}; seed ${mock.seed})\n`);
  for (const d of definitions) {
    const m = d.metadata;
    const banner = findProtocol(m.protocol.name)?.mockBanner ?? defaultBanner;
    for (const line of banner(m as unknown as MockBannerMetadata, server.url)) out.write(`  ${line}\n`);
  }
  // Identities only, as each protocol names them: keys never reach the output.
  const served = new Set(definitions.map((d) => d.metadata.protocol.name));
  const accepted = gateways.flatMap(({ name, credentials: c }) =>
    served.has(name) && c.cli ? [c.cli.describe(options.credentials?.[c.key] ?? c.defaults)] : [],
  );
  if (accepted.length) out.write(`  accepts ${accepted.join("; ")}\n`);
  if (fixturesFile) out.write(`  fixtures from ${fixturesFile}\n`);
  out.write("Press Ctrl+C to stop.\n");

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await server.close();
  out.write("Mock server stopped.\n");
  return EXIT.ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, signal: stop.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
