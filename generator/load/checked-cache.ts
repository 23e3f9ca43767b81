// Checked specs, cached by content. The specs fall into groups: protocols/, and each service folder
// (service.yaml with its operations). What checking a group yields (its YAML and schema diagnostics,
// its lint diagnostics, its IR) depends only on the bytes and display paths of its files (for a
// service, also those of protocols/), the spec format's schemas and the generator itself
// (generatorFingerprint), so it is kept under a key made of those. After one spec is edited only its
// group is parsed, checked and built again; the rest come from the cache without loading the YAML
// parser, Ajv or the rules. This holds because the lint rules are per service: what a rule reports
// about one service does not depend on another (test/load/checked-cache.test.ts checks every
// broken-spec case both ways). A protocol naming a plugin (code outside the fingerprint) turns the
// cache off for the run. Entries are checksummed (generation-cache.ts): a damaged one is a miss.
// A service's IR is an entry of its own, read only when a unit looks into it (lazy-object.ts): after
// one spec is edited, the units of the other services come from the cache by their digest, and
// their IR (most of the bytes) is never deserialised.
import { registryRevision } from "../protocols/index.js";
import type { Ir, Protocol, Service } from "../ir/types.js";
import { compareDiagnostics, hasErrors, type Diagnostic } from "../shared/diagnostic.js";
import { CacheEntryGone, generatorFingerprint, sha, type GenerationCache } from "../write/generation-cache.js";
import { lazyObject } from "../write/lazy-object.js";
import type { DocumentAnswers, SpecDocument } from "./spec-document.js";
import { scanSpecs, type ScannedSpecs, type SpecFile } from "./scan-specs.js";
import { checkOnWorker, shareOut, type GroupJob, type WorkerJob } from "./check-worker.js";

/** Bump when the entry format or what goes into the key changes. */
const VERSION = "checked-3";

export interface GroupEntry {
  version: typeof VERSION;
  /** YAML, encoding and schema diagnostics of the group's files. */
  found: Diagnostic[];
  /** Lint diagnostics (rules, unknown rule ids): present when the group and protocols/ passed the schema. */
  lint?: Diagnostic[];
  /** The protocols' IR (with `lint`); a service's when it was just built (stored apart, under irKey). */
  ir?: Service | Protocol[];
  /** Stands for a service's IR in the keys of its emitted units (derived from the group's key); present when it was built. */
  digest?: string;
  /** The service's id (its place in `ir.services`), with `digest`. */
  id?: string;
}

/** Where a service group's IR is stored (apart from its diagnostics, which every run reads). */
function irKey(groupKey: string): string {
  return sha(groupKey, "ir-value");
}

function isService(v: unknown): v is Service {
  const s = v as Service | undefined;
  return typeof s === "object" && s !== null && typeof s.id === "string" && Array.isArray(s.operations);
}

export interface CheckedSpecs {
  diagnostics: Diagnostic[];
  texts: Map<string, string>;
  ir?: Ir;
  /** What stands for each of `ir.services` in the keys of its emitted units. */
  digests?: Array<string | undefined>;
  /** The service folders a second thread checked (check-worker.ts). */
  checkedByWorker?: string[];
}

function isEntry(v: unknown): v is GroupEntry {
  const e = v as GroupEntry | undefined;
  return typeof e === "object" && e !== null && e.version === VERSION && Array.isArray(e.found) && (e.lint === undefined || Array.isArray(e.lint));
}

function filesKey(files: readonly SpecFile[]): string[] {
  return files.flatMap((f) => [f.kind, f.serviceDir ?? "", f.file, f.text]);
}

/** A protocol that names a plugin (`plugin:`) runs code the key does not cover; any doubt counts. */
const NAMES_PLUGIN = /(^|[\s{,"'])plugin["']?\s*:/m;

/** Loaded only when some group is not in the cache: the YAML parser, Ajv, the IR builder and the rules. */
async function loadChecker() {
  const [{ parseSpec }, { checkAgainstSchema }, { buildIr }, { runRules, unknownRuleIds }, { RULES }] = await Promise.all([
    import("./load-specs.js"),
    import("../check/schema-check.js"),
    import("../ir/build-ir.js"),
    import("../check/check-specs.js"),
    import("../check/rules/index.js"),
  ]);
  return { parseSpec, checkAgainstSchema, buildIr, runRules, unknownRuleIds, RULES };
}

/**
 * What `checkSpecs(loadSpecs(...))` yields (the same diagnostics, in the same order, and the same
 * IR), taken group by group from `cache`. Undefined when the cache cannot be used for these specs
 * (a protocol plugin): then check them the ordinary way.
 */
export async function checkSpecsCached(
  specsDir: string,
  displayBase: string | undefined,
  cache: GenerationCache,
  scanned?: ScannedSpecs,
): Promise<CheckedSpecs | undefined> {
  const scan = scanned ?? (await scanSpecs(specsDir, displayBase));
  // A plugin protocol (named now, or registered earlier in this process, e.g. by `watch`) changes the schema: no key covers it.
  if (scan.protocols.some((p) => NAMES_PLUGIN.test(p.text)) || registryRevision() !== 0) return undefined;
  const base = sha(VERSION, generatorFingerprint());
  const protocolsKey = sha(base, "protocols", ...filesKey(scan.protocols));
  const serviceKeys = scan.services.map((g) => sha(protocolsKey, "service", g.dir, ...filesKey([g.service, ...g.operations])));

  const read = async (key: string, service?: boolean) => {
    const v = await cache.getValue(key);
    // A built service's IR must still be there to be read when a unit needs it.
    if (isEntry(v) && (!service || v.digest === undefined || (typeof v.id === "string" && (v.ir !== undefined || cache.has(irKey(key)))))) {
      cache.specStats.hits++;
      return v;
    }
    cache.specStats.misses++;
    return undefined;
  };
  let protocolsEntry = await read(protocolsKey);
  const serviceEntries = await Promise.all(serviceKeys.map((k) => read(k, true)));

  let checkedByWorker: string[] = [];
  if (!protocolsEntry || serviceEntries.some((e) => !e)) {
    const checker = await loadChecker();
    // Each file's answers (spec-document.ts) by its text, path and kind: in the group of an edited
    // file, the files not edited are parsed only if asked something new.
    const made: Made[] = [];
    // The protocols' IR is in their entry when it was found: their files are not parsed again.
    const protocolsCached = protocolsEntry;
    const protocolDocs = protocolsCached ? [] : await parseFiles(checker, cache, base, scan.protocols, made);
    const protocols: ProtocolsContext = {
      docs: protocolDocs,
      found: protocolsCached ? protocolsCached.found : foundIn(checker, protocolDocs),
      ...(protocolsCached ? { cachedIr: protocolsCached.ir as Protocol[] } : {}),
    };
    if (!protocolsEntry) {
      protocolsEntry = { version: VERSION, found: protocols.found };
      if (!hasErrors(protocols.found)) {
        const ir = checker.buildIr({ protocols: protocolDocs, services: [], operations: [], texts: new Map(), diagnostics: [] }).protocols;
        const lint = [
          ...checker.unknownRuleIds(protocolDocs, checker.RULES),
          ...checker.runRules({ services: [], protocols: ir }, protocolDocs).diagnostics,
        ];
        protocolsEntry = { ...protocolsEntry, lint, ir };
      }
      await cache.setValue(protocolsKey, protocolsEntry);
    }
    const missing = scan.services.flatMap((g, i) =>
      serviceEntries[i] ? [] : [{ index: i, key: serviceKeys[i]!, files: [g.service, ...g.operations] }],
    );
    // A large cold tree: a second thread checks part of the groups meanwhile (check-worker.ts).
    const { own, other } = shareOut(missing, cache.dir);
    const helped = other.length
      ? checkOnWorker<GroupEntry>({
          cacheDir: cache.dir!,
          base,
          protocols: scan.protocols,
          protocolsFound: protocols.found,
          protocolsIr: protocols.cachedIr,
          groups: other,
        })
      : undefined;
    for (const g of own) serviceEntries[g.index] = await checkServiceGroup(checker, cache, base, protocols, g, made);
    for (const { key, doc } of made) {
      const answers = doc.answers();
      if (answers) await cache.setValue(key, answers);
    }
    if (helped) {
      const done = await helped;
      for (const { index, entry } of done ?? []) serviceEntries[index] = entry;
      if (done) checkedByWorker = other.map((g) => scan.services[g.index]!.dir);
      // The worker failed: those groups are checked here after all.
      if (!done) {
        const late: Made[] = [];
        for (const g of other) serviceEntries[g.index] = await checkServiceGroup(checker, cache, base, protocols, g, late);
        for (const { key, doc } of late) {
          const answers = doc.answers();
          if (answers) await cache.setValue(key, answers);
        }
      }
    }
  }

  const groups = [protocolsEntry, ...(serviceEntries as GroupEntry[])];
  const found = [...scan.diagnostics, ...groups.flatMap((g) => g.found)];
  const worker = checkedByWorker.length ? { checkedByWorker } : {};
  if (hasErrors(found)) return { diagnostics: copy(found).sort(compareDiagnostics), texts: scan.texts, ...worker };
  const all = copy([...found, ...groups.flatMap((g) => g.lint ?? [])]).sort(compareDiagnostics);
  if (hasErrors(all)) return { diagnostics: all, texts: scan.texts, ...worker };
  // Services in the order buildIr puts them; each value is the entry's own (never changed after), read when first looked into.
  const services = (serviceEntries as GroupEntry[])
    .map((e, i) => ({ id: e.id!, service: (e.ir as Service | undefined) ?? lazyObject(() => loadService(cache, serviceKeys[i]!)), digest: e.digest }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    diagnostics: all,
    texts: scan.texts,
    ir: { services: services.map((s) => s.service), protocols: protocolsEntry.ir as Protocol[] },
    digests: services.map((s) => s.digest),
    ...worker,
  };
}

/** A cached service's IR, on first use. Gone or damaged, it is dropped: the run started again checks its group again. */
function loadService(cache: GenerationCache, groupKey: string): Service {
  const key = irKey(groupKey);
  const v = cache.valueNow(key);
  if (!isService(v)) {
    cache.forget(key);
    throw new CacheEntryGone(`the generation cache lost an entry during the run (${key})`);
  }
  cache.serviceLoads++;
  return v;
}

type Checker = Awaited<ReturnType<typeof loadChecker>>;
type Made = { key: string; doc: SpecDocument };

/** What checking a service group needs of protocols/: its documents (none when its entry was cached), their diagnostics, and their IR when cached. */
export interface ProtocolsContext {
  docs: SpecDocument[];
  found: Diagnostic[];
  cachedIr?: Protocol[];
}

async function parseFiles(checker: Checker, cache: GenerationCache, base: string, files: readonly SpecFile[], made: Made[]): Promise<SpecDocument[]> {
  return Promise.all(
    files.map(async (f) => {
      const key = sha(base, "document", f.kind, f.serviceDir ?? "", f.file, f.text);
      const doc = checker.parseSpec(f, cache.documents, asAnswers(await cache.getValue(key)));
      made.push({ key, doc });
      return doc;
    }),
  );
}

/** YAML and schema diagnostics; a file not edited since it was checked keeps its schema answer (an edit run validates only the edited files). */
function foundIn(checker: Checker, docs: readonly SpecDocument[]): Diagnostic[] {
  return [...docs.flatMap((d) => d.diagnostics), ...docs.flatMap((d) => d.remember("schema", () => checker.checkAgainstSchema(d)))];
}

/** Parse, schema-check, build and lint one service group; its entry is stored under its key. */
export async function checkServiceGroup(
  checker: Checker,
  cache: GenerationCache,
  base: string,
  protocols: ProtocolsContext,
  group: GroupJob,
  made: Made[],
): Promise<GroupEntry> {
  const docs = await parseFiles(checker, cache, base, group.files, made);
  const [serviceDoc, ...operationDocs] = docs;
  let entry: GroupEntry = { version: VERSION, found: foundIn(checker, docs) };
  if (!hasErrors(entry.found) && !hasErrors(protocols.found)) {
    // A copy for each build: a service built beside cached ones holds no object that the protocols' IR holds, as they do not.
    const ir = checker.buildIr(
      { protocols: protocols.docs, services: [serviceDoc!], operations: operationDocs, texts: new Map(), diagnostics: [] },
      protocols.cachedIr ? structuredClone(protocols.cachedIr) : undefined,
    );
    const service = ir.services[0]!;
    // The protocols are linted once, in their own group.
    const lint = [...checker.unknownRuleIds(docs, checker.RULES), ...checker.runRules({ services: [service], protocols: [] }, docs).diagnostics];
    // The group's key stands for the IR's digest: the same files give the same IR, and hashing the key is free
    // where hashing the IR's text took a few percent of a cold run.
    entry = { ...entry, lint, digest: sha(group.key, "ir"), id: service.id };
    await cache.setValue(irKey(group.key), service);
    await cache.setValue(group.key, entry);
    entry = { ...entry, ir: service };
  } else await cache.setValue(group.key, entry);
  for (const doc of docs) doc.releaseParse();
  return entry;
}

/** Runs in the worker (check-worker.ts): the entries of `job.groups`, their documents' answers stored too. */
export async function checkGroupsOf(job: WorkerJob, cache: GenerationCache): Promise<Array<{ index: number; entry: GroupEntry }>> {
  const checker = await loadChecker();
  // The protocols' documents are parsed again only to build the services' IR beside them; their answers are the main thread's to store.
  const protocolDocs = job.protocolsIr ? [] : await parseFiles(checker, cache, job.base, job.protocols, []);
  const protocols: ProtocolsContext = { docs: protocolDocs, found: job.protocolsFound, ...(job.protocolsIr ? { cachedIr: job.protocolsIr } : {}) };
  const made: Made[] = [];
  const out: Array<{ index: number; entry: GroupEntry }> = [];
  for (const g of job.groups) out.push({ index: g.index, entry: await checkServiceGroup(checker, cache, job.base, protocols, g, made) });
  for (const { key, doc } of made) {
    const answers = doc.answers();
    if (answers) await cache.setValue(key, answers);
  }
  return out;
}

function asAnswers(v: unknown): DocumentAnswers | undefined {
  const a = v as DocumentAnswers | undefined;
  return typeof a === "object" && a !== null && Array.isArray(a.diagnostics) && a.asked instanceof Map ? a : undefined;
}

/** Diagnostics handed out are copies: a caller may change them, the cached ones stay as they were. */
function copy(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d }));
}
