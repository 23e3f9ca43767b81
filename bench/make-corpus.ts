// Synthetic spec corpora for the benches: N operations cloned from the real specs.
//
//   tsx bench/make-corpus.ts --operations 1000 --out /tmp/corpus-1000
//
// Deterministic: the same real specs and N always give the same files. The layout is the real one
// (protocols/, <service>/service.yaml, <service>/<Operation>.yaml). Services are clones of the real
// services in rotation (chat, lcic, trtc → `chat-001`, `lcic-002`, `trtc-003`, ...), each with up to
// OPERATIONS_PER_SERVICE operations cloned from that service's real operations, renamed so that names,
// methods, actions, commands and the <Op>Request/<Op>Response shapes are unique in the service. The
// service-level types are per service, so clones of them never collide.
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isMap, isScalar, isSeq, parseDocument, visit, type Document } from "yaml";

export const REAL_SPECS_DIR = fileURLToPath(new URL("../specs/", import.meta.url));
export const OPERATIONS_PER_SERVICE = 10;

const PROTOCOLS_DIR = "protocols";
const SCHEMA_DIR = "schema";
const SERVICE_FILE = "service.yaml";

export interface CorpusOptions {
  /** How many operations in all (≥ 1). */
  operations: number;
  /** Where to write the specs tree; must not exist or be empty. */
  outDir: string;
  /** The real specs to clone (default: the repository's specs/). */
  sourceDir?: string;
  /** Operations per service (default OPERATIONS_PER_SERVICE). */
  perService?: number;
}

export interface CorpusSummary {
  outDir: string;
  services: number;
  operations: number;
  files: number;
}

interface RealService {
  dir: string;
  serviceText: string;
  /** Operation file texts, sorted by file name. */
  operations: Array<{ file: string; text: string }>;
}

/** Close to how the real specs are written, so clones read like them (folded text at ~100 columns). */
const STRINGIFY = { lineWidth: 100, minContentWidth: 0, flowCollectionPadding: false } as const;

const isYaml = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

async function readRealServices(sourceDir: string): Promise<RealService[]> {
  const entries = (await readdir(sourceDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name !== PROTOCOLS_DIR && e.name !== SCHEMA_DIR)
    .map((e) => e.name)
    .sort();
  const services: RealService[] = [];
  for (const dir of entries) {
    const files = (await readdir(path.join(sourceDir, dir))).filter(isYaml).sort();
    if (!files.includes(SERVICE_FILE)) continue;
    const operations = [];
    for (const file of files.filter((f) => f !== SERVICE_FILE))
      operations.push({ file, text: await readFile(path.join(sourceDir, dir, file), "utf8") });
    if (!operations.length) continue;
    services.push({ dir, serviceText: await readFile(path.join(sourceDir, dir, SERVICE_FILE), "utf8"), operations });
  }
  if (!services.length) throw new Error(`no service with operations in ${sourceDir}`);
  return services;
}

function parse(text: string, what: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new Error(`${what}: ${doc.errors[0]!.message}`);
  return doc;
}

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** `@rtc-apigen/lcic` → `@rtc-apigen/lcic-007`. */
function clonePackageName(name: string, suffix: string): string {
  return `${name}-${suffix}`;
}

function cloneService(real: RealService, id: string, suffix: string): string {
  const doc = parse(real.serviceText, `${real.dir}/${SERVICE_FILE}`);
  doc.set("service", id);
  doc.set("client", `${pascal(id)}Client`);
  const pkg = doc.get("package") as { get(k: string): unknown } | undefined;
  const name = String(pkg?.get("name") ?? `@rtc-apigen/${real.dir}`);
  doc.setIn(["package", "name"], clonePackageName(name, suffix));
  const title = doc.get("title");
  if (typeof title === "string") doc.set("title", `${title} (bench clone ${suffix})`);
  return doc.toString(STRINGIFY);
}

function cloneOperation(text: string, what: string, n: string): { name: string; text: string } {
  const doc = parse(text, what);
  const realName = String(doc.get("name"));
  const name = `${realName}${n}`;
  doc.set("name", name);
  if (doc.has("method")) doc.set("method", camel(name));
  if (doc.has("action")) doc.set("action", name);
  const command = doc.get("command");
  if (typeof command === "string") doc.set("command", `${command}_${n}`);
  renameLocalTypes(doc, n);
  return { name, text: doc.toString(STRINGIFY) };
}

/**
 * Operation-local `types:` would be defined once per clone in the same service (duplicate-type), so each
 * gets the clone's suffix, and every `type:` expression in the operation that names it follows.
 */
function renameLocalTypes(doc: Document, n: string): void {
  const types = doc.get("types");
  if (!isMap(types) || !types.items.length) return;
  const renamed = new Map<string, string>();
  for (const pair of types.items)
    if (isScalar(pair.key) && typeof pair.key.value === "string") {
      renamed.set(pair.key.value, `${pair.key.value}${n}`);
      pair.key.value = `${pair.key.value}${n}`;
    }
  const rename = (expr: string) => {
    const m = /^([A-Za-z][A-Za-z0-9_]*)((?:\[\])*)$/.exec(expr);
    const to = m ? renamed.get(m[1]!) : undefined;
    return to ? to + m![2] : expr;
  };
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "type") return;
      if (isScalar(pair.value) && typeof pair.value.value === "string") pair.value.value = rename(pair.value.value);
      else if (isSeq(pair.value))
        for (const item of pair.value.items) if (isScalar(item) && typeof item.value === "string") item.value = rename(item.value);
    },
  });
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Write a specs tree of `operations` operations to `outDir`. */
export async function makeCorpus(options: CorpusOptions): Promise<CorpusSummary> {
  const { operations, outDir } = options;
  const perService = options.perService ?? OPERATIONS_PER_SERVICE;
  const sourceDir = options.sourceDir ?? REAL_SPECS_DIR;
  if (!Number.isInteger(operations) || operations < 1) throw new Error(`--operations must be a positive integer, got ${operations}`);
  if (!Number.isInteger(perService) || perService < 1) throw new Error(`perService must be a positive integer, got ${perService}`);

  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length) throw new Error(`${outDir} is not empty`);

  let files = 0;
  await mkdir(path.join(outDir, PROTOCOLS_DIR));
  for (const f of (await readdir(path.join(sourceDir, PROTOCOLS_DIR))).filter(isYaml).sort()) {
    await copyFile(path.join(sourceDir, PROTOCOLS_DIR, f), path.join(outDir, PROTOCOLS_DIR, f));
    files++;
  }

  const real = await readRealServices(sourceDir);
  const serviceCount = Math.ceil(operations / perService);
  const serviceWidth = Math.max(3, String(serviceCount).length);
  const opWidth = Math.max(2, String(perService).length);
  for (let s = 0; s < serviceCount; s++) {
    const base = real[s % real.length]!;
    const suffix = pad(s + 1, serviceWidth);
    const id = `${base.dir}-${suffix}`;
    const dir = path.join(outDir, id);
    await mkdir(dir);
    await writeFile(path.join(dir, SERVICE_FILE), cloneService(base, id, suffix));
    files++;
    const count = Math.min(perService, operations - s * perService);
    for (let o = 0; o < count; o++) {
      const source = base.operations[o % base.operations.length]!;
      const op = cloneOperation(source.text, `${base.dir}/${source.file}`, pad(o + 1, opWidth));
      await writeFile(path.join(dir, `${op.name}.yaml`), op.text);
      files++;
    }
  }
  return { outDir, services: serviceCount, operations, files };
}

const USAGE = `Usage: tsx bench/make-corpus.ts --operations N --out DIR [--per-service K] [--specs DIR]

Writes a specs tree of N operations cloned from the real specs (DIR must not exist or be empty).`;

async function cli(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        operations: { type: "string" },
        out: { type: "string" },
        "per-service": { type: "string" },
        specs: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 64;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.operations || !values.out) {
    process.stderr.write(`--operations and --out are required\n\n${USAGE}\n`);
    return 64;
  }
  const summary = await makeCorpus({
    operations: Number(values.operations),
    outDir: path.resolve(values.out),
    ...(values["per-service"] ? { perService: Number(values["per-service"]) } : {}),
    ...(values.specs ? { sourceDir: path.resolve(values.specs) } : {}),
  });
  process.stdout.write(`${summary.outDir}: ${summary.operations} operations in ${summary.services} services (${summary.files} files)\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
