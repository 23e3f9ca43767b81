// What an app that calls one operation bundles (esbuild --bundle --minify --platform=node, as
// `npm run bench -- size` measures it): the core client and that operation, not the code of features
// it does not use. Proxy support is an opt-in import (`proxy: httpProxy()`), and paging is the
// runtime's functions, which only `*Pages` / `*Items` reach. Each is checked both ways: absent from
// the one-method app, present once the app uses it (so the check can see it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { serviceMetadata, splitOperationMetadata } from "../../generator/emit/metadata-emitter.js";
import { coreClientName } from "../../generator/ir/names.js";
import { protocolOf } from "../../generator/protocols/index.js";
import { commonErrors, operationErrors, reachableShapes } from "../../generator/ir/usage.js";
import { STRING_FORMAT_EXPORTS } from "../../templates/runtime/src/validation/validation-core.js";
import { GENERATED, realIr } from "../helpers.js";
import { runtimeAliases } from "./support/runtime-aliases.js";

const ir = await realIr();
const RUNTIME_SRC = path.join(GENERATED, "runtime", "src");
const work = mkdtempSync(path.join(os.tmpdir(), "apigen-bundle-contents-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The runtime modules (relative to its src/) that a bundle of `source` holds code of, and the bundle. */
async function bundled(
  name: string,
  source: string,
  options: { keepNames?: boolean; platform?: "node" | "browser" } = {},
): Promise<{ modules: string[]; code: string }> {
  const entry = path.join(work, `${name}.mjs`);
  writeFileSync(entry, source);
  const platform = options.platform ?? "node";
  const aliases = Object.fromEntries(
    ir.services
      .flatMap((s) => [
        [s.packageName, path.join(GENERATED, s.id, "src", "index.ts")] as const,
        [`${s.packageName}/validators`, path.join(GENERATED, s.id, "src", "validators.ts")] as const,
      ])
      .concat(Object.entries(runtimeAliases(platform === "node" ? "node" : "default"))),
  );
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    // Names kept (`keepNames`): the same tree-shaking, with the functions findable by name.
    ...(options.keepNames ? { minifySyntax: true, minifyWhitespace: true } : { minify: true }),
    platform,
    format: "esm",
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
    alias: aliases,
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const modules = Object.entries(output.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([file]) => path.relative(RUNTIME_SRC, path.resolve(file)).split(path.sep).join("/"));
  return { modules, code: result.outputFiles[0]!.text };
}
const bundledModules = async (name: string, source: string) => (await bundled(name, source)).modules;

/** Per service, an operation that pages (paging must be left out even for it), else the first. */
const apps = ir.services.map((s) => {
  const op = s.operations.find((o) => o.pagination) ?? s.operations[0]!;
  const core = coreClientName(s.clientName);
  return { service: s, op, core };
});

describe.each(apps.map((a) => [a.service.id, a] as const))("%s: an app calling one operation, bundled", (_id, { service, op, core }) => {
  const options = "{ endpoint: process.env.APP_ENDPOINT }";
  const call = `import { ${op.method}, ${core} } from "${service.packageName}";\n${op.method}(new ${core}(${options}), {}).then(console.log, console.error);\n`;

  it("holds the client core and the transport, but no proxy support, no paging and no hand-written JSON parser", async () => {
    const { modules, code } = await bundled(`${service.id}-one`, call);
    expect(modules).toContain("client/client-core.ts");
    expect(modules).toContain("client/http1.ts");
    expect(modules).toContain("shared/json.ts");
    expect(modules).not.toContain("client/proxy.ts");
    expect(modules).not.toContain("client/pagination.ts");
    // The client parses answers with JSON.parse (long integers marked first); the parser that
    // reports positions is parseJson's, for other callers.
    expect(code).not.toContain("Unexpected end of JSON input");
  });

  it("holds the operation's metadata the client reads, not what only the mock reads, and the common errors as lists of codes", async () => {
    const { code } = await bundled(`${service.id}-one`, call);
    const { client, mockOnly } = splitOperationMetadata(serviceMetadata(service).operations[op.method]!);
    expect(code).toContain(JSON.stringify(client.name));
    for (const key of Object.keys(mockOnly)) expect(code, key).not.toContain(`"${key}":`);
    // A common code the operation does not document itself: named once, not as an object of its own.
    const own = new Set(operationErrors(op).map((e) => String(e.code)));
    const common = commonErrors(service).find((e) => !own.has(String(e.code)));
    if (common) {
      expect(code).toContain(JSON.stringify(String(common.code)));
      expect(code).not.toContain(`${JSON.stringify(String(common.code))}:{"retryable":`);
    }
  });

  it("holds the hand-written JSON parser when the app calls parseJson", async () => {
    const source = `import { parseJson } from "@rtc-apigen/runtime";\n${call}console.log(parseJson(process.argv[2] ?? "1"));\n`;
    expect((await bundled(`${service.id}-json`, source)).code).toContain("Unexpected end of JSON input");
  });

  it("holds proxy support when the app passes proxy: httpProxy()", async () => {
    const source = `import { httpProxy } from "@rtc-apigen/runtime/proxy";\nimport { ${op.method}, ${core} } from "${service.packageName}";\n${op.method}(new ${core}({ proxy: httpProxy() }), {}).then(console.log, console.error);\n`;
    expect(await bundledModules(`${service.id}-proxy`, source)).toContain("client/proxy.ts");
  });

  // The response validator is the package's `validate<Response>`; a bundle names it unless minified.
  const responseValidator = `validate${op.response.name}`;
  const holdsFunction = (code: string, name: string) => new RegExp(`\\b(function|const|let|var) ${name}\\d*\\b`).test(code);

  it("holds the request validator but not the response validator (validateResponses is off by default)", async () => {
    const { code } = await bundled(`${service.id}-names`, call, { keepNames: true });
    expect(holdsFunction(code, `validate${op.request.name}`)).toBe(true);
    expect(holdsFunction(code, responseValidator)).toBe(false);
  });

  // The string formats (`format: date` ...) any field the request can hold names, as the IR has them.
  const formatsOf = (o: typeof op) =>
    new Set([...JSON.stringify(reachableShapes(service, [o.request])).matchAll(/"format":"([a-z-]+)"/g)].map((m) => m[1]!));
  const requestFormats = formatsOf(op);
  it("holds the check of each string format its request validator names, and no table of every format", async () => {
    const { code } = await bundled(`${service.id}-names`, call, { keepNames: true });
    // FORMATS (every format's check, for the mock) would bring them all: the validators name each format's own constant.
    expect(holdsFunction(code, "FORMATS")).toBe(false);
    for (const [format, name] of Object.entries(STRING_FORMAT_EXPORTS))
      expect([format, holdsFunction(code, name)]).toEqual([format, requestFormats.has(format)]);
  });

  // An operation whose request names a string format, to see the check come with it.
  const formatOp = service.operations.find((o) => [...formatsOf(o)].some((f) => Object.hasOwn(STRING_FORMAT_EXPORTS, f)));
  it.runIf(formatOp)("holds a string format's check when the operation's request validator names it", async () => {
    const { method } = formatOp!;
    const source = `import { ${method}, ${core} } from "${service.packageName}";\n${method}(new ${core}(${options}), {}).then(console.log, console.error);\n`;
    const { code } = await bundled(`${service.id}-format`, source, { keepNames: true });
    for (const [format, name] of Object.entries(STRING_FORMAT_EXPORTS))
      expect([format, holdsFunction(code, name)]).toEqual([format, formatsOf(formatOp!).has(format)]);
  });

  it("reads node:http answers (proxies, agents, interceptors) with the fetch transport's code: one body reader per kind of connection", async () => {
    // `declares N bytes` is the Content-Length check of a reader: the HTTP/1.1 client's and the fetch transport's.
    expect((await bundled(`${service.id}-one`, call)).code.match(/declares \$\{/g)).toHaveLength(2);
  });

  it("builds the configuration errors of options through one constructor (configurationError), not an ApiError literal each", async () => {
    const { code } = await bundled(`${service.id}-one`, call);
    // An error object of that code with a message only (the operation functions' own adds the operation).
    expect(code.match(/code:"ClientError\.Configuration",message:[^,{}]*\}/g)).toHaveLength(1);
  });

  it("holds the response validator when the app passes it for validateResponses", async () => {
    const options = `{ endpoint: process.env.APP_ENDPOINT, validateResponses: "strict", responseValidators: { ${op.method}: ${responseValidator} } }`;
    const source = `import { ${op.method}, ${core} } from "${service.packageName}";\nimport { ${responseValidator} } from "${service.packageName}/validators";\n${op.method}(new ${core}(${options}), {}).then(console.log, console.error);\n`;
    expect(holdsFunction((await bundled(`${service.id}-responses`, source, { keepNames: true })).code, responseValidator)).toBe(true);
  });

  // A protocol entry with a Node build (`tc3-node`): a Node app's bundle signs with node:crypto only.
  const nodeBuild = existsSync(path.join(RUNTIME_SRC, `${protocolOf(service).client.module}-node.ts`));
  it.runIf(nodeBuild)("for Node (the node condition) holds no Web Crypto signing; for a worker (browser conditions) it does", async () => {
    expect((await bundled(`${service.id}-one`, call)).code).not.toContain(".subtle");
    expect((await bundled(`${service.id}-worker`, call, { platform: "browser" })).code).toContain(".subtle");
  });

  // A protocol whose providers bring their own cache (`protocols/<module>/provided.ts`, with its `<module>Provider(fn)`):
  // fixed credentials bundle no provider machinery; a provider does.
  const providerModule = protocolOf(service).client.module ?? "";
  const providers = providerModule !== "" && existsSync(path.join(RUNTIME_SRC, "protocols", providerModule, "provided.ts"));
  it.runIf(providers)("holds no credentials cache with fixed credentials; with a provider it does", async () => {
    expect(await bundledModules(`${service.id}-one`, call)).not.toContain("client/credential-cache.ts");
    const provider = `${providerModule}Provider`;
    const source = `import { ${provider} } from "@rtc-apigen/runtime/${providerModule}";\nimport { ${op.method}, ${core} } from "${service.packageName}";\n${op.method}(new ${core}({ credentials: ${provider}(async () => JSON.parse(process.argv[2])) }), {}).then(console.log, console.error);\n`;
    expect(await bundledModules(`${service.id}-provider`, source)).toContain("client/credential-cache.ts");
  });

  it("holds no middleware runner unless the app passes middlewareChain(...)", async () => {
    expect(await bundledModules(`${service.id}-one`, call)).not.toContain("client/middleware-runner.ts");
    const source = `import { middlewareChain } from "@rtc-apigen/runtime";\nimport { ${op.method}, ${core} } from "${service.packageName}";\n${op.method}(new ${core}({ middleware: middlewareChain((c, next) => next()) }), {}).then(console.log, console.error);\n`;
    expect(await bundledModules(`${service.id}-middleware`, source)).toContain("client/middleware-runner.ts");
  });

  it.runIf(op.pagination)("holds paging when the app iterates the pages", async () => {
    const source = `import { ${op.method}Pages, ${core} } from "${service.packageName}";\nfor await (const page of ${op.method}Pages(new ${core}(${options}), {})) console.log(page);\n`;
    expect(await bundledModules(`${service.id}-pages`, source)).toContain("client/pagination.ts");
  });
});
