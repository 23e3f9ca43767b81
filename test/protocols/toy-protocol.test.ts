// A third wire protocol from test fixtures alone (test/fixtures/toy-protocol/): a bearer-token JSON
// protocol with its generator plugin (named by its specs/protocols/toy.yaml), its runtime half
// (client and mock gateway, copied into the runtime package) and its schema entry (in the plugin).
// No generator or runtime file names it. Generated into a temp folder, type-checked under the
// generated strict tsconfig, and called through the generated client against the generated mock
// on 127.0.0.1 (in a child process: the generated packages resolve their runtime by tsconfig paths).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { BUILTIN_GATEWAYS } from "../../templates/runtime/src/mock/server.js";
import { ROOT } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test", "fixtures", "toy-protocol");
const dir = mkdtempSync(path.join(os.tmpdir(), "toy-protocol-"));
const outDir = path.join(dir, "generated");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let diagnostics: string[] = [];
let wrote = false;

beforeAll(async () => {
  const result = await generate({ specsDir: path.join(FIXTURE, "specs"), outDir, displayBase: ROOT });
  diagnostics = result.diagnostics.map(formatDiagnostic);
  wrote = result.wrote;
});

it("generates the toy service without a diagnostic, its runtime half in the runtime package", () => {
  expect(diagnostics).toEqual([]);
  expect(wrote).toBe(true);
  for (const file of ["toy.ts", "toy-mock.ts", "protocols/toy/client.ts", "protocols/toy/gateway.ts"])
    expect(existsSync(path.join(outDir, "runtime", "src", file))).toBe(true);
  const operations = readFileSync(path.join(outDir, "toys", "src", "operations.ts"), "utf8");
  expect(operations).toContain(`import { type ToyClientOptions as ProtocolClientOptions, toyProtocolFactory } from "@rtc-apigen/runtime/toy";`);
  expect(readFileSync(path.join(outDir, "toys", "src", "metadata.ts"), "utf8")).toContain(`"path":"echo"`);
  const openapi = JSON.parse(readFileSync(path.join(outDir, "toys", "openapi.json"), "utf8")) as { paths: Record<string, unknown> };
  expect(Object.keys(openapi.paths)).toEqual(["/v1/echo"]);
});

it("type-checks under the generated strict tsconfig", () => {
  const configPath = path.join(outDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, outDir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(outDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(parsed.fileNames.some((f) => f.endsWith("toys/src/operations.ts"))).toBe(true);
  expect(problems).toEqual([]);
}, 180_000);

const CALL = `
import { ApiError, ToysClient } from "@rtc-apigen/toys";
import { mockDefinition } from "@rtc-apigen/toys/mock";
import { createMock } from "@rtc-apigen/runtime/mock";

const mock = createMock(mockDefinition, { seed: 1, rateLimit: false });
const listening = await mock.listen({ host: "127.0.0.1" });
const client = (token: string) => new ToysClient({ endpoint: listening.url, token, env: {}, retry: false, rateLimit: false });
try {
  const ok = await client("toy-token").echo({ Message: "hi" });
  let refused: Record<string, unknown> = {};
  try {
    await client("not-the-token").echo({ Message: "hi" });
  } catch (e) {
    refused = e instanceof ApiError ? { apiError: true, code: e.code, message: e.message, requestId: e.requestId } : { other: String(e) };
  }
  console.log(JSON.stringify({ url: listening.url, ok, refused }));
} finally {
  await listening.close();
}
`;

it("a call through the generated client reaches the generated mock on 127.0.0.1; a bad token gets the toy protocol's own error", async () => {
  const script = path.join(outDir, "call.mts");
  writeFileSync(script, CALL);
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), script], {
    cwd: outDir,
    timeout: 120_000,
  });
  const got = JSON.parse(stdout.trim().split("\n").at(-1)!) as { url: string; ok: unknown; refused: Record<string, unknown> };
  expect(got.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(got.ok).toEqual({ Message: "hi" });
  expect(got.refused).toMatchObject({ apiError: true, code: "Toy.Unauthorized", requestId: expect.stringMatching(/^toy-/) });
  // The refused token is never shown.
  expect(String(got.refused["message"])).not.toContain("not-the-token");
}, 180_000);

const MOCK_CLI = [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "generator", "cli", "mock-server.ts")];

/** Runs `rtc-apigen mock` over the generated folder (in it, so its tsconfig resolves the runtime); resolves once the banner is out. */
function startMockCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [...MOCK_CLI, "--generated", outDir, ...args], {
    cwd: outDir,
    env: { PATH: process.env["PATH"] ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url && out.includes("Ctrl+C")) resolve({ child, url, output: () => out });
    });
    child.on("exit", (code) => reject(new Error(`the mock CLI exited with ${code}:\n${out}${err}`)));
  });
}

it("the mock command takes the toy protocol's credential option from its gateway, beside the built-in ones", async () => {
  const { stdout: help } = await promisify(execFile)(process.execPath, [...MOCK_CLI, "--generated", outDir, "--help"], {
    cwd: outDir,
    timeout: 120_000,
  });
  expect(help).toMatch(/--toy-token T +accepted toy bearer token/);
  for (const g of BUILTIN_GATEWAYS) for (const f of g.credentials.cli?.flags ?? []) expect(help).toContain(`--${f.name} ${f.value}`);

  const { child, url, output } = await startMockCli(["--port", "0", "--toy-token", "from-the-cli"]);
  try {
    expect(output()).toContain("toys:");
    expect(output()).not.toContain("from-the-cli");
    const echo = (token: string) =>
      fetch(`${url}/v1/echo`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: '{"Message":"hi"}',
      }).then((r) => r.json());
    expect(await echo("from-the-cli")).toMatchObject({ data: { Message: "hi" } });
    expect(await echo("toy-token")).toMatchObject({ error: { code: "Toy.Unauthorized" } });
  } finally {
    child.kill("SIGTERM");
  }
}, 180_000);

it("a protocol file naming a plugin that cannot be loaded gets a located diagnostic, and nothing is written", async () => {
  const specs = path.join(dir, "bad-specs");
  cpSync(path.join(FIXTURE, "specs"), specs, { recursive: true });
  const file = path.join(specs, "protocols", "toy.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("plugin: ../../toy.plugin.ts", "plugin: ./missing.plugin.ts"));
  const out = path.join(dir, "bad-out");
  const result = await generate({ specsDir: specs, outDir: out, displayBase: dir });
  expect(result.wrote).toBe(false);
  expect(existsSync(out)).toBe(false);
  expect(result.diagnostics.map(formatDiagnostic)).toContainEqual(
    expect.stringMatching(/^bad-specs\/protocols\/toy\.yaml:2:9 error protocol-plugin cannot load the protocol plugin \.\/missing\.plugin\.ts/),
  );
});
