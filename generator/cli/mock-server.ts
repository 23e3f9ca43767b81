#!/usr/bin/env node
// `npm run mock -- [--port N] [--host H] [--fixtures FILE] [--seed N] [credentials]`: one HTTP
// server mocking every generated service package (each generated/<id>/src/mock.ts that exports
// `mockDefinition`), found by listing the folder. Stops on SIGINT or SIGTERM.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import {
  createMock,
  mockCredentialsFromEnv,
  parseMockFixtures,
  type MockCredentials,
  type MockFixtures,
  type MockOptions,
} from "../../templates/runtime/src/mock/server.js";
import type { Output } from "../shared/output.js";
import { findProtocol } from "../protocols/index.js";
import type { MockBannerMetadata } from "../protocols/types.js";

/** For a protocol whose plugin says nothing: the service and its operations. */
const defaultBanner = (m: MockBannerMetadata, url: string) => [`${m.id}: ${String(m.protocol.name)} at ${url}: ${Object.keys(m.operations).join(", ")}`];

export const EXIT = { ok: 0, failed: 1, usage: 64, internal: 70 } as const;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const USAGE = `Usage: npm run mock -- [options]

Serves the mock of every generated service package (generated/*/src/mock.ts) on one HTTP server:
TC3 services at POST /, Chat REST services at POST /v4/<servicename>/<command>.

Options:
  --port N              port to listen on (default 8080; 0 picks a free one)
  --host HOST           address to listen on (default 127.0.0.1)
  --fixtures FILE       JSON fixtures: resources, queued responses, injected errors per service
  --seed N              seed of the generated data (default 1)
  --secret-id ID        accepted TC3 SecretId      (default $TENCENTCLOUD_SECRET_ID)
  --secret-key KEY      its SecretKey              (default $TENCENTCLOUD_SECRET_KEY)
  --session-token T     required X-TC-Token        (default $TENCENTCLOUD_SESSION_TOKEN)
  --sdkappid N          accepted Chat SDKAppID     (default $TENCENT_CHAT_SDKAPPID)
  --identifier ID       its administrator account  (default $TENCENT_CHAT_IDENTIFIER)
  --chat-key KEY        its secret key             (default $TENCENT_CHAT_SECRET_KEY)
  --rate-limit-scale X  multiply the documented rate limits (default 1)
  --no-rate-limit       do not enforce rate limits
  --generated DIR       where the service packages are (default: generated)
  -h, --help            show this help

Without flags or variables, the credentials are the public example keys of the reference
(SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE; SDKAppID 1400000000, identifier admin).

Exit codes: 0 stopped by a signal, 1 nothing to serve or unusable fixtures, 64 bad command line,
70 internal error.`;

export interface MockCliContext {
  out: Output;
  err: Output;
  env: Readonly<Record<string, string | undefined>>;
  /** Stops the server when aborted (the entry point wires SIGINT and SIGTERM to it). */
  signal: AbortSignal;
}

/** Every `mockDefinition` under `dir`, one per package folder, sorted by folder name. */
export async function loadDefinitions(dir: string): Promise<MockServiceDefinition[]> {
  const out: MockServiceDefinition[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = path.join(dir, name, "src", "mock.ts");
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { mockDefinition?: MockServiceDefinition };
    if (module.mockDefinition) out.push(module.mockDefinition);
  }
  return out;
}

class UsageError extends Error {}

function credentialsOf(values: Record<string, string | boolean | undefined>, env: MockCliContext["env"]): MockCredentials {
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  let { tc3, chat } = mockCredentialsFromEnv(env);
  const [secretId, secretKey, token] = [str("secret-id"), str("secret-key"), str("session-token")];
  if (secretId || secretKey) {
    if (!secretId || !secretKey) throw new UsageError("--secret-id and --secret-key go together");
    tc3 = [token ? { secretId, secretKey, token } : { secretId, secretKey }];
  } else if (token) {
    tc3 = tc3.map((c) => ({ ...c, token }));
  }
  const [sdkAppIdText, identifier, key] = [str("sdkappid"), str("identifier"), str("chat-key")];
  if (sdkAppIdText || identifier || key) {
    const sdkAppId = Number(sdkAppIdText);
    if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) throw new UsageError("--sdkappid must be a positive integer");
    if (!identifier || !key) throw new UsageError("--sdkappid, --identifier and --chat-key go together");
    chat = [{ sdkAppId, identifier, key }];
  }
  return { tc3, chat };
}

function integer(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

export async function main(argv: string[], ctx: MockCliContext): Promise<number> {
  const { out, err } = ctx;
  let values;
  let options: MockOptions;
  let port: number;
  let fixturesFile: string | undefined;
  try {
    values = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        fixtures: { type: "string" },
        seed: { type: "string" },
        "secret-id": { type: "string" },
        "secret-key": { type: "string" },
        "session-token": { type: "string" },
        sdkappid: { type: "string" },
        identifier: { type: "string" },
        "chat-key": { type: "string" },
        "rate-limit-scale": { type: "string" },
        "no-rate-limit": { type: "boolean", default: false },
        generated: { type: "string", default: path.join(ROOT, "generated") },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
    if (values.help) {
      out.write(USAGE + "\n");
      return EXIT.ok;
    }
    port = integer(values.port, "--port", 0, 65535) ?? 8080;
    const scale = values["rate-limit-scale"] === undefined ? 1 : Number(values["rate-limit-scale"]);
    if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError("--rate-limit-scale must be a positive number");
    options = {
      seed: integer(values.seed, "--seed", 0, 2 ** 32 - 1) ?? 1,
      credentials: credentialsOf(values, ctx.env),
      rateLimit: values["no-rate-limit"] ? false : { scale },
    };
    fixturesFile = values.fixtures;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`${(e as Error).message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (e instanceof TypeError) {
      // An unusable credential variable.
      err.write(`${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }

  const definitions = await loadDefinitions(path.resolve(values.generated));
  if (definitions.length === 0) {
    err.write(`no service package with src/mock.ts under ${values.generated}: run \`npm run generate\` first.\n`);
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
  // Identities only: keys never reach the output.
  const { tc3, chat } = options.credentials as MockCredentials;
  out.write(`  accepts TC3 SecretId ${tc3.map((c) => c.secretId).join(", ")}; Chat SDKAppID ${chat.map((c) => `${c.sdkAppId} (administrator ${c.identifier})`).join(", ")}\n`);
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
