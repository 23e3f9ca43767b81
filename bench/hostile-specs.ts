// Hostile specs through `rtc-apigen generate`: every broken-spec fixture and specs drawn with
// hostile twists (bad and ReDoS patterns, reserved names, alias bombs, invalid UTF-8, Markdown,
// HTML and code injection in text, huge numbers), each generated with --force into a folder that
// holds someone's .git/HEAD, src/important.ts and NOTES.txt. Counted: exit codes, rule ids, stack
// traces, planted files lost, refused runs that changed the folder, and for the runs that
// generated, type errors (all outputs in one TypeScript program), failed imports, injected code
// that ran and injected text that renders as HTML or a javascript: link in the Markdown docs.
// HOSTILE_KEEP=1 keeps the temporary folders (their path is in the progress output's tmpdir).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import MarkdownIt from "markdown-it";
import ts from "typescript";
import { stringify } from "yaml";
import { main } from "../generator/cli/main.js";
import { listCases, materialise } from "../test/broken-spec-cases.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What someone keeps in the folder they point --out at: must survive every run. */
export const PLANTED: Readonly<Record<string, string>> = {
  ".git/HEAD": "ref: refs/heads/main\n",
  "src/important.ts": "export const important = 42;\n",
  "NOTES.txt": "do not lose me\n",
};

const IMPORT_TIMEOUT_MS = 5000;
/** Set by injected code if any generated file runs it on import. */
const PWNED = "__hostileSpecPwned";

// ── Drawing ──────────────────────────────────────────────────────────────────────────────────

type Raw = Record<string, unknown>;

interface DrawnSpec {
  protocol: "tc3" | "chat-rest";
  service: Raw;
  operations: Raw[];
  /** Applied to the YAML text of the first operation file (alias bombs, invalid UTF-8). */
  textTwists: Array<(yaml: Buffer) => Buffer>;
  twists: string[];
}

const SCALARS = ["string", "boolean", "integer", "int32", "uint32", "int64", "uint64", "float"] as const;
const FIELD_NAMES = ["Name", "Id", "Value", "RoomId", "x", "a_b", "delete", "class", "default", "await", "then", "length"];
const OP_NAMES = ["GetThing", "DescribeRoom", "ListEvents", "CreateItem"];

export const TWISTS = ["bad-pattern", "redos-pattern", "reserved-name", "alias-bomb", "invalid-utf8", "injection", "huge-number"] as const;
type Twist = (typeof TWISTS)[number];

const BAD_PATTERNS = ["[a-(", "(", "a{2,1}", "\\", "[z-a]", "(?<n>a)(?<n>b)", "*a", "\\u{110000}"];
const REDOS_PATTERNS = ["^(a+)+$", "(a|a)*b", "^([a-c]+)+$", "(x+x+)+y", "^(\\w+\\s?)*$", "^(a|aa)+$", "(.*a){12}"];
const RESERVED_FIELDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];
const RESERVED_TYPES = ["ApiError", "ValidationError", "CallOptions", "Issue", "ApiClient", "Object", "Promise"];
const RESERVED_OPS = [
  { name: "Constructor" },
  { name: "GetThing", method: "constructor" },
  { name: "GetThing", method: "__proto__" },
  { name: "Then", method: "then" },
  { name: "Prototype" },
];
const INJECTIONS = [
  "<script>alert(1)</script>",
  "[click](javascript:alert(1))",
  "</code></pre><img src=x onerror=alert(1)>",
  `*/ globalThis.${PWNED} = 1; /*`,
  `"; globalThis.${PWNED} = 1; //`,
  `\`; globalThis.${PWNED} = 1; \``,
  `\${globalThis.${PWNED} = 1}`,
  "line\u2028separator\u2029paragraph",
  "<!-- unclosed comment",
  "| a | b |\n|---|---|\n| x | y |",
  "# Heading\n\n---\n```js\nalert(1)\n```",
  "\u0000nul and \u001b[31mansi\u001b[0m",
];
/** What the injected text must not become in rendered Markdown (HTML on, every link allowed, as a lax renderer does). */
const markdown = new MarkdownIt({ html: true, linkify: true });
markdown.validateLink = () => true;
const RENDERED_ATTACKS: Array<[string, RegExp]> = [
  ["<script> element", /<script>alert/],
  ["<img onerror> element", /<img src=x onerror/],
  ["javascript: link", /href="javascript:/],
];
/** Number literals as written in the YAML (JavaScript would round them before they got there). */
const HUGE_NUMBERS: Array<[string, string]> = [
  ["minimum", "1e309"],
  ["maximum", "123456789012345678901234567890"],
  ["minimum", "-1e400"],
  ["maximum", "0xFFFFFFFFFFFFFFFFFFFFFFFF"],
  ["maxLength", "100000000000000000000"],
  ["minLength", "1e3000"],
  ["maxItems", "9007199254740993"],
  ["default", "99999999999999999999999"],
  ["example", "1e999"],
  ["enum", "[18446744073709551616, 1e300, -0]"],
];
const INVALID_UTF8 = [[0xe9], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]];

/** Stands for a number literal written out verbatim in the YAML text. */
const literal = (text: string) => `__NUMBER(${text})__`;
const yaml = (v: unknown) => stringify(v, { lineWidth: 0 }).replace(/['"]?__NUMBER\((.+?)\)__['"]?/g, "$1");

const fieldArb: fc.Arbitrary<Raw> = fc.record({ type: fc.constantFrom(...SCALARS), array: fc.boolean(), required: fc.boolean() }).map((d) => {
  const f: Raw = { type: d.array ? `${d.type}[]` : d.type, description: "A field." };
  if (d.required) f.required = true;
  if (d.type === "int64" || d.type === "uint64") f.js = "string";
  return f;
});
const fieldsArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...FIELD_NAMES), fieldArb), { minLength: 1, maxLength: 4, selector: ([n]) => n })
  .map((l) => Object.fromEntries(l) as Raw);

/** A plain service (the shape the property test draws, smaller), then one to three twists. */
const specArb: fc.Arbitrary<DrawnSpec> = fc
  .record({
    protocol: fc.constantFrom("tc3" as const, "chat-rest" as const),
    ops: fc.uniqueArray(fc.record({ name: fc.constantFrom(...OP_NAMES), request: fieldsArb, response: fieldsArb }), {
      minLength: 1,
      maxLength: 3,
      selector: (o) => o.name,
    }),
    hasType: fc.boolean(),
    typeFields: fieldsArb,
    twists: fc.uniqueArray(fc.constantFrom(...TWISTS), { minLength: 1, maxLength: 3 }),
    picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  })
  .map((d) => {
    const tc3 = d.protocol === "tc3";
    const service: Raw = {
      title: "Drawn service",
      description: "A drawn service.",
      protocol: tc3 ? { name: "tc3", service: "svc", version: "2020-01-01" } : { name: "chat-rest", version: "v4" },
      endpoints: [{ id: "default", host: "svc.example.com", default: true, description: "The endpoint." }],
      regions: { required: false },
      ...(d.hasType ? { types: { Info: { description: "The info.", fields: d.typeFields } } } : {}),
      ...(tc3 ? {} : { validationErrors: { missing: 100002, type: 100002, value: 100002, unknown: 100002 } }),
      sources: [{ id: "src", title: "Drawn" }],
    };
    const operations = d.ops.map((o, i) => ({
      name: o.name,
      ...(tc3 ? { action: o.name } : { command: `svc/cmd_${i}` }),
      summary: "Does a thing.",
      description: "Does a thing.",
      source: "src",
      request: { fields: { ...o.request } },
      response: { fields: { ...o.response, ...(tc3 ? { RequestId: { type: "string", description: "Request id.", required: true } } : {}) } },
      errors: tc3 ? [] : [{ code: 100002, description: "Invalid parameter.", retryable: false }],
      examples: [],
    })) as Raw[];
    const spec: DrawnSpec = { protocol: d.protocol, service, operations, textTwists: [], twists: [...d.twists].sort() };
    for (const [i, twist] of d.twists.entries()) applyTwist(spec, twist, d.picks[i]!);
    return spec;
  });

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const requestFields = (op: Raw) => (op.request as { fields: Raw }).fields;

function applyTwist(spec: DrawnSpec, twist: Twist, n: number): void {
  const op = spec.operations[n % spec.operations.length]!;
  switch (twist) {
    case "bad-pattern":
    case "redos-pattern":
      requestFields(op)["Pattern"] = {
        type: "string",
        description: "Patterned.",
        pattern: pick(twist === "bad-pattern" ? BAD_PATTERNS : REDOS_PATTERNS, n),
        example: "aaaa",
      };
      return;
    case "reserved-name": {
      const kind = n % 3;
      if (kind === 0) requestFields(op)[pick(RESERVED_FIELDS, n >> 2)] = { type: "string", description: "Reserved." };
      else if (kind === 1)
        spec.service.types = {
          ...(spec.service.types as Raw | undefined),
          [pick(RESERVED_TYPES, n >> 2)]: { description: "Reserved.", fields: { X: { type: "string", description: "x" } } },
        };
      else {
        const reserved = pick(RESERVED_OPS, n >> 2);
        Object.assign(op, reserved, spec.protocol === "tc3" ? { action: reserved.name } : {});
        if (!("method" in reserved)) delete op.method;
      }
      return;
    }
    case "alias-bomb": {
      const levels = 4 + (n % 6);
      spec.textTwists.push((text) => Buffer.concat([text, Buffer.from(aliasBomb(levels))]));
      return;
    }
    case "invalid-utf8": {
      const bytes = Buffer.from(pick(INVALID_UTF8, n));
      spec.textTwists.push((text) => {
        const at = text.indexOf("Does a thing.");
        return at < 0 ? Buffer.concat([text, bytes]) : Buffer.concat([text.subarray(0, at + 5), bytes, text.subarray(at + 5)]);
      });
      return;
    }
    case "injection": {
      const text = pick(INJECTIONS, n);
      const where = n % 4;
      if (where === 0) op.summary = text;
      else if (where === 1) op.description = `Does ${text} a thing.`;
      else if (where === 2) requestFields(op)["Injected"] = { type: "string", description: text, example: text, enum: [text, "plain"] };
      else spec.service.title = text;
      return;
    }
    case "huge-number": {
      const [key, value] = pick(HUGE_NUMBERS, n);
      const type = key.endsWith("Length") ? "string" : key === "maxItems" ? "uint32[]" : "uint64";
      requestFields(op)["Huge"] = { type, description: "Huge.", ...(type === "uint64" ? { js: "string" } : {}), [key]: literal(value) };
      return;
    }
  }
}

/** `notes:` holding `levels` anchors each a list of nine of the previous (9^levels expansions). */
function aliasBomb(levels: number): string {
  const lines = ["notes:", "  - text: &a0 lol"];
  for (let i = 1; i < levels; i++)
    lines.push(
      `  - text: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]`,
    );
  lines.push(
    `  - text: [${Array(9)
      .fill(`*a${levels - 1}`)
      .join(", ")}]`,
  );
  return `${lines.join("\n")}\n`;
}

/** A specs tree with the real protocol files and the drawn service as `id`. */
function writeDrawn(specsDir: string, id: string, spec: DrawnSpec): void {
  cpSync(path.join(ROOT, "specs", "protocols"), path.join(specsDir, "protocols"), { recursive: true });
  const dir = path.join(specsDir, id);
  mkdirSync(dir, { recursive: true });
  const protocol = spec.service.protocol as Raw;
  const service = {
    service: id,
    ...spec.service,
    package: { name: `@drawn/${id}` },
    protocol: protocol.name === "tc3" ? { ...protocol, service: id.replace(/-/g, "") } : protocol,
  };
  writeFileSync(path.join(dir, "service.yaml"), yaml(service));
  for (const [i, op] of spec.operations.entries()) {
    let text: Buffer = Buffer.from(yaml(op));
    if (i === 0) for (const twist of spec.textTwists) text = twist(text);
    writeFileSync(path.join(dir, `${String(op.name)}.yaml`), text);
  }
}

// ── Running ──────────────────────────────────────────────────────────────────────────────────

export interface SpecOutcome {
  name: string;
  kind: "fixture" | "drawn";
  twists: string[];
  exitCode: number;
  /** Rule ids of the located diagnostics printed. */
  rules: string[];
  stackTrace: boolean;
  /** Exit 2 with no located diagnostic. */
  unlocated: boolean;
  lostPlanted: string[];
  /** A refused run (non-zero exit) that left files besides the planted ones. */
  changedOnRefusal: boolean;
  out: string;
}

const DIAGNOSTIC = /^\S.*?:\d+:\d+ (error|warning) ([a-z0-9-]+) /gm;
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

function tree(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
  return out.sort();
}

async function runGenerate(name: string, kind: SpecOutcome["kind"], twists: string[], specs: string, out: string): Promise<SpecOutcome> {
  for (const [p, text] of Object.entries(PLANTED)) {
    mkdirSync(path.dirname(path.join(out, p)), { recursive: true });
    writeFileSync(path.join(out, p), text);
  }
  let text = "";
  const sink = { write: (s: string) => void (text += s) };
  let exitCode: number;
  let threw = false;
  try {
    exitCode = await main(["generate", "--specs", specs, "--out", out, "--force"], sink, sink);
  } catch (e) {
    // What bin/rtc-apigen.js would print: "internal error" and the stack, exit 70.
    threw = true;
    exitCode = 70;
    text += `internal error: ${(e as Error).stack ?? String(e)}\n`;
  }
  const rules = [...text.matchAll(DIAGNOSTIC)].map((m) => m[2]!);
  const lostPlanted = Object.entries(PLANTED)
    .filter(([p, content]) => !existsSync(path.join(out, p)) || readFileSync(path.join(out, p), "utf8") !== content)
    .map(([p]) => p);
  const changedOnRefusal = exitCode !== 0 && tree(out).join("\n") !== Object.keys(PLANTED).sort().join("\n");
  return {
    name,
    kind,
    twists,
    exitCode,
    rules,
    stackTrace: threw || STACK.test(text),
    unlocated: exitCode === 2 && rules.length === 0,
    lostPlanted,
    changedOnRefusal,
    out,
  };
}

// ── The outputs that generated: one program, imports, injection, docs ───────────────────────────

export interface CleanCheck {
  outputs: number;
  packages: number;
  typeErrors: Array<{ name: string; message: string }>;
  importFailures: Array<{ name: string; message: string }>;
  /** Outputs whose import ran code injected through spec text. */
  injectedCodeRan: string[];
  /** Injected text that rendered as HTML or a javascript: link. */
  rawHtmlInDocs: Array<{ name: string; file: string; html: string }>;
}

/**
 * Every output in one TypeScript program: each package resolves `@rtc-apigen/runtime` through its
 * own output's tsconfig paths, redirected to the first output's runtime (the same copied files),
 * so the runtime is checked once.
 */
function typeCheck(outs: Array<{ name: string; out: string }>): CleanCheck["typeErrors"] {
  if (!outs.length) return [];
  const configs = outs.map(({ out }) =>
    ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(out, "tsconfig.json"), ts.sys.readFile).config, ts.sys, out),
  );
  const runtimeOf = (out: string) => path.join(out, "runtime") + path.sep;
  const sharedRuntime = runtimeOf(outs[0]!.out);
  const options: ts.CompilerOptions = {
    ...configs[0]!.options,
    skipLibCheck: true,
    noEmit: true,
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
  };
  const rootNames = configs.flatMap((c, i) => c.fileNames.filter((f) => i === 0 || !f.startsWith(runtimeOf(outs[i]!.out))));
  const host = ts.createCompilerHost(options);
  const ownerOf = (file: string) => outs.findIndex(({ out }) => file.startsWith(out + path.sep));
  host.resolveModuleNameLiterals = (literals, containingFile) => {
    const i = ownerOf(containingFile);
    const own = i >= 0 ? { ...configs[i]!.options, typeRoots: options.typeRoots } : options;
    return literals.map((literal) => {
      const resolved = ts.resolveModuleName(literal.text, containingFile, own, host).resolvedModule;
      if (resolved && i > 0 && resolved.resolvedFileName.startsWith(runtimeOf(outs[i]!.out))) {
        return { resolvedModule: { ...resolved, resolvedFileName: sharedRuntime + resolved.resolvedFileName.slice(runtimeOf(outs[i]!.out).length) } };
      }
      return { resolvedModule: resolved };
    });
  };
  const program = ts.createProgram(rootNames, options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const i = d.file ? ownerOf(d.file.fileName) : -1;
    const file = d.file ? path.relative(i >= 0 ? outs[i]!.out : ROOT, d.file.fileName) : "?";
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      name: i >= 0 ? outs[i]!.name : "?",
      message: `${file}${at ? `:${at.line + 1}:${at.character + 1}` : ""} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    };
  });
}

async function checkClean(outs: Array<{ name: string; out: string }>): Promise<CleanCheck> {
  const packagesOf = (out: string) =>
    readdirSync(out, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "runtime" && existsSync(path.join(out, d.name, "src", "index.ts")))
      .map((d) => d.name);
  const importFailures: CleanCheck["importFailures"] = [];
  const rawHtmlInDocs: CleanCheck["rawHtmlInDocs"] = [];
  const injectedCodeRan: string[] = [];
  let packages = 0;
  const global = globalThis as Record<string, unknown>;
  // A module that exports `then` is a thenable: importing it calls that function, which may
  // reject unhandled or never settle. Both are import failures, not the bench's end.
  let importing = "";
  const onUnhandled = (e: unknown) =>
    importFailures.push({ name: importing, message: `unhandled rejection while importing: ${String((e as Error)?.message ?? e).split("\n")[0]}` });
  process.on("unhandledRejection", onUnhandled);
  for (const { name, out } of outs) {
    delete global[PWNED];
    for (const pkg of packagesOf(out)) {
      packages++;
      for (const entry of ["index.ts", "index-node.ts", "validators.ts", "mock.ts"].filter((f) => existsSync(path.join(out, pkg, "src", f)))) {
        importing = name;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            import(path.join(out, pkg, "src", entry)),
            new Promise(
              (_, reject) =>
                (timer = setTimeout(() => reject(new Error(`the import did not settle within ${IMPORT_TIMEOUT_MS / 1000} s`)), IMPORT_TIMEOUT_MS)),
            ),
          ]);
        } catch (e) {
          importFailures.push({ name, message: `${pkg}/src/${entry}: ${(e as Error).message.split("\n").slice(0, 2).join(" ")}` });
        } finally {
          clearTimeout(timer);
        }
      }
    }
    if (global[PWNED] !== undefined) injectedCodeRan.push(name);
    for (const file of tree(out).filter((f) => f.endsWith(".md"))) {
      const html = markdown.render(readFileSync(path.join(out, file), "utf8"));
      for (const [what, pattern] of RENDERED_ATTACKS) if (pattern.test(html)) rawHtmlInDocs.push({ name, file, html: what });
    }
  }
  process.off("unhandledRejection", onUnhandled);
  return { outputs: outs.length, packages, typeErrors: typeCheck(outs), importFailures, injectedCodeRan, rawHtmlInDocs };
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────

export interface HostileSpecsResult {
  outcomes: SpecOutcome[];
  clean: CleanCheck;
}

export async function runHostileSpecs(drawn: number, seed: number, progress: NodeJS.WritableStream): Promise<HostileSpecsResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-hostile-specs-"));
  try {
    const outcomes: SpecOutcome[] = [];
    const fixtures = listCases();
    progress.write(`  specs: ${fixtures.length} broken-spec fixtures…\n`);
    for (const name of fixtures) {
      const specs = materialise(name, path.join(root, `fixture-${name}-specs`));
      outcomes.push(await runGenerate(name, "fixture", [], specs, path.join(root, `fixture-${name}`)));
    }
    progress.write(`  specs: ${drawn} drawn hostile specs (seed ${seed})…\n`);
    const specs = drawn > 0 ? fc.sample(specArb, { seed, numRuns: drawn }) : [];
    for (const [i, spec] of specs.entries()) {
      const id = `s${i}`;
      const specsDir = path.join(root, `drawn-${id}-specs`);
      writeDrawn(specsDir, id, spec);
      outcomes.push(await runGenerate(id, "drawn", spec.twists, specsDir, path.join(root, `drawn-${id}`)));
    }
    const clean = outcomes.filter((o) => o.exitCode === 0).map((o) => ({ name: o.name, out: o.out }));
    progress.write(`  specs: type-checking and importing the ${clean.length} outputs that generated…\n`);
    return { outcomes, clean: await checkClean(clean) };
  } finally {
    if (!process.env.HOSTILE_KEEP) rmSync(root, { recursive: true, force: true });
  }
}
