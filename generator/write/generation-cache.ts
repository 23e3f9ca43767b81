// Incremental generation: what one emitter writes for one service (a "unit") depends only on that
// service's IR, the protocols and the generator itself, so it is cached, formatted, under a key made
// of them. A unit is also kept with what its emitter read (read-set.ts), and reused when a changed
// IR holds the same values wherever it read: after one spec is edited only the units that read what
// changed are emitted and formatted again, and the files that span services (emitAll: the index
// README, the root package, the runtime) likewise. A hit is byte-identical to emitting again
// (test/write/generation-cache.test.ts, test/write/read-set.test.ts).
// Kept in memory (watch) and on disk in node_modules/.cache/rtc-apigen/units (git-ignored).
import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, utimesSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { fileURLToPath } from "node:url";
import type { Emitter, GeneratedFile } from "../emit/generated-file.js";
import { EMITTER_LOADERS } from "../emit/emitter-loaders.js";
import type { Ir } from "../ir/types.js";
import { registryRevision } from "../protocols/index.js";
import type { SpecDocument } from "../load/spec-document.js";
import { setContentId, setEncodedContent } from "./content-id.js";
import { writeFileAtomically } from "./atomic-write.js";
import { formatFiles } from "./format.js";
import { recordReads, sameReads, type ReadSet } from "./read-set.js";
import { scopeReads, type ServiceDigests } from "./scoped-reads.js";
import { sourceFingerprint } from "./source-fingerprint.js";
import { shareEmission } from "./emit-worker.js";
import { GENERATOR_CACHE_DIR } from "../shared/cache-dir.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** RTC_APIGEN_CACHE_DIR moves it (the generation bench gives each cold run an empty one). */
export const DEFAULT_CACHE_DIR = process.env.RTC_APIGEN_CACHE_DIR
  ? path.resolve(process.env.RTC_APIGEN_CACHE_DIR)
  : path.join(GENERATOR_CACHE_DIR, "units");
/** Bump when the key or the entry format changes. */
const VERSION = "3";
/** Entries and bytes kept on disk; past either, the least recently used go, down to half. (A spec file's answers are an entry too.) */
export const MAX_ENTRIES = 8000;
const MAX_BYTES = 512 * 1024 * 1024;

/** What can change the output besides the IR: the generator, its templates, the locked dependencies. */
const FINGERPRINT_SOURCES = ["generator", "templates", "specs/schema", "package-lock.json"];

/**
 * With the generator's bundle, not with the entries: it describes the generator's files, whichever
 * cache folder a run uses (a run with an empty one, as the bench's cold runs are, hashed them all
 * again). Beside the entries when that folder cannot be written: a read-only node_modules, with
 * RTC_APIGEN_CACHE_DIR pointing elsewhere (by default the entries are in node_modules too).
 */
const FINGERPRINT_RECORDS = [path.join(GENERATOR_CACHE_DIR, "fingerprint.json"), path.join(DEFAULT_CACHE_DIR, "fingerprint.json")];

let fingerprint: string | undefined;
/**
 * Taken once per process, from the files as they were when it first needed it: a long `watch` whose
 * generator files change on disk keeps the fingerprint of the code it runs, so its entries never
 * pass for the new code's. The files are read only when their stats differ from those recorded
 * in FINGERPRINT_RECORDS (source-fingerprint.ts).
 */
export function generatorFingerprint(): string {
  return (fingerprint ??= sourceFingerprint(ROOT, FINGERPRINT_SOURCES, `${VERSION}\0${process.version}`, FINGERPRINT_RECORDS));
}

class Uncacheable extends Error {}

/** Marks the values JSON has no text for; a real object with this key makes the value uncacheable. */
const TAG = "\u0000";

/**
 * The IR value as text, exactly: key order, `undefined` members, bigint, -0, NaN, Map and Set are
 * kept apart. Anything else (a class instance, a function) makes the unit uncacheable: emitted every run.
 */
export function keyText(value: unknown): string {
  // The replacer sees every value once, before it is written; the tag objects it returns are not seen again.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // A value with toJSON (a Date) arrives already converted: its text could pass for a plain string's.
    if (this[key] !== v && typeof this[key] === "object") throw new Uncacheable();
    switch (typeof v) {
      case "undefined":
        return { [TAG]: "u" };
      case "bigint":
        return { [TAG]: `b${v}` };
      case "number":
        return Number.isFinite(v) && !Object.is(v, -0) ? v : { [TAG]: `n${Object.is(v, -0) ? "-0" : v}` };
      case "function":
      case "symbol":
        throw new Uncacheable();
      case "object": {
        if (v === null || Array.isArray(v)) return v;
        if (v instanceof Map) return { [TAG]: "M", entries: [...v] };
        if (v instanceof Set) return { [TAG]: "S", values: [...v] };
        const proto = Object.getPrototypeOf(v) as unknown;
        if ((proto !== Object.prototype && proto !== null) || TAG in v) throw new Uncacheable();
        return v;
      }
      default:
        return v;
    }
  });
}

export function sha(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p).update("\0");
  return hash.digest("hex");
}

/** Entry on disk: a JSON line of `[path, preformatted, UTF-8 length]` per file, then the contents back to back. */
function encode(files: readonly GeneratedFile[]): Buffer {
  const contents = files.map((f) => Buffer.from(f.content, "utf8"));
  const head = JSON.stringify(files.map((f, i) => [f.path, Boolean(f.preformatted), contents[i]!.length])) + "\n";
  return Buffer.concat([Buffer.from(head, "utf8"), ...contents]);
}

/** An entry read at the start of the run was gone when it was needed (another process pruned the cache): the run starts again. */
export class CacheEntryGone extends Error {}

/**
 * The files of an entry, each named by `key` and its place (content-id.ts). `bytes`: the entry's
 * first bytes (its head, or all of it), `size` its length. A file's content is decoded, and read from
 * `file` when beyond `bytes`, when first asked for: a run whose output folder already holds a unit's
 * files never reads them. (An entry's bytes never change: its key names them.) `gone`: called when
 * the entry is found gone by then.
 */
function decode(bytes: Buffer, key: string, size = bytes.length, file?: string, gone?: () => void): GeneratedFile[] | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  let at = nl + 1;
  const files: GeneratedFile[] = [];
  let head: unknown;
  try {
    head = JSON.parse(bytes.toString("utf8", 0, nl));
  } catch {
    return undefined;
  }
  if (!Array.isArray(head)) return undefined;
  // The rest of the entry, read once when a file's content beyond `bytes` is first asked for.
  let whole: Buffer | undefined;
  for (const [i, entry] of (head as unknown[]).entries()) {
    const [p, preformatted, length] = entry as [unknown, unknown, unknown];
    if (typeof p !== "string" || typeof preformatted !== "boolean" || !Number.isSafeInteger(length) || (length as number) < 0) return undefined;
    const start = at;
    const end = (at += length as number);
    let content: string | undefined;
    const read = (): string => {
      if (end <= bytes.length) return bytes.toString("utf8", start, end);
      whole ??= file ? readRange(file, bytes, size) : undefined;
      if (whole) return whole.toString("utf8", start, end);
      gone?.();
      throw new CacheEntryGone(`the generation cache lost an entry during the run (${key})`);
    };
    const generated = { path: p, ...(preformatted ? { preformatted } : {}) } as GeneratedFile;
    Object.defineProperty(generated, "content", { enumerable: true, get: () => (content ??= read()) });
    setContentId(generated, `${key}:${i}`);
    setEncodedContent(generated, () => (end <= bytes.length ? bytes.subarray(start, end) : whole?.subarray(start, end)));
    files.push(generated);
  }
  return at === size ? files : undefined;
}

export interface GenerationCacheStats {
  hits: number;
  misses: number;
}

/** Binary entry on disk: the SHA-256 of the payload (hex), a newline, the payload. A mismatch is a miss. */
function seal(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(createHash("sha256").update(payload).digest("hex") + "\n"), payload]);
}

function unseal(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 65 || bytes[64] !== 0x0a) return undefined;
  const payload = bytes.subarray(65);
  return createHash("sha256").update(payload).digest("hex") === bytes.subarray(0, 64).toString("latin1") ? payload : undefined;
}

/**
 * What a run may take from earlier ones: formatted units by key (in memory for the life of the object,
 * and on disk when given a folder), checked spec groups (load/checked-cache.ts) and parsed spec
 * documents (in memory: `watch`).
 */
export class GenerationCache {
  /** For loadSpecs: unchanged spec files are not parsed again. */
  readonly documents = new Map<string, SpecDocument>();
  private memory = new Map<string, GeneratedFile[]>();
  private blobs = new Map<string, unknown>();
  private used = new Set<string>();
  private wrote = false;
  /** Bytes and entries this process wrote since its last endRun (an overwrite counts as new: a tally over, never under). */
  private added = { bytes: 0, entries: 0 };
  private madeDir = false;
  stats: GenerationCacheStats = { hits: 0, misses: 0 };
  /** Checked spec groups (a service folder, or protocols/) taken from the cache, and checked again. */
  specStats: GenerationCacheStats = { hits: 0, misses: 0 };
  /** Runs whose whole output was one seen before (no emitter loaded). */
  wholeHits = 0;
  /** Units (per service or spanning services) taken from the cache because the emitter would read the same values. */
  readSetHits = 0;
  /** Services' IR read from the cache of checked specs: only those a unit looks into (load/checked-cache.ts). */
  serviceLoads = 0;
  /** Files spanning services taken from the cache because every service's part of them is unchanged (Emitter.emitAllParts). */
  partHits = 0;

  /** `dir`: where entries persist between runs; undefined keeps them in memory only. */
  constructor(readonly dir: string | undefined = DEFAULT_CACHE_DIR) {}

  async get(key: string): Promise<GeneratedFile[] | undefined> {
    this.used.add(key);
    const inMemory = this.memory.get(key);
    if (inMemory || !this.dir) return inMemory;
    const file = path.join(this.dir, key);
    const first = readEntry(file, HEAD_BYTES);
    const files = first && decode(first.bytes, key, first.size, file, () => this.forget(key));
    if (files) this.memory.set(key, files);
    return files;
  }

  /** Files known to be what the entry `key` holds: kept in memory under it and named by it, not written again. */
  remember(key: string, files: GeneratedFile[]): void {
    this.used.add(key);
    this.memory.set(key, files);
    files.forEach((f, i) => setContentId(f, `${key}:${i}`));
  }

  async set(key: string, files: GeneratedFile[]): Promise<void> {
    this.used.add(key);
    this.memory.set(key, files);
    files.forEach((f, i) => setContentId(f, `${key}:${i}`));
    if (!this.dir) return;
    // A lone surrogate would not survive UTF-8: such a unit is simply emitted every time.
    if (!files.every((f) => (f.content as string & { isWellFormed(): boolean }).isWellFormed())) return void this.memory.delete(key);
    const bytes = encode(files);
    if (this.keepEncoded) this.encoded.set(key, bytes);
    await this.put(key, bytes);
  }

  /** An emit worker's: each entry's bytes as written are kept, for takeEncoded. */
  keepEncoded = false;
  private encoded = new Map<string, Buffer>();

  /** The bytes of the entry `key` as this object wrote it (with keepEncoded), handed over once. */
  takeEncoded(key: string): Buffer | undefined {
    const bytes = this.encoded.get(key);
    this.encoded.delete(key);
    return bytes;
  }

  /** Files another thread wrote as the entry `key` (its bytes, takeEncoded's): kept as if read here, each content decoded when first asked for. */
  adopt(key: string, bytes: Uint8Array): GeneratedFile[] | undefined {
    const files = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), key);
    if (files) this.remember(key, files);
    return files;
  }

  /**
   * A structured value (v8 serialization) by key, or undefined when absent, unreadable, or not
   * what was written (the checksum fails): a damaged entry is a miss, never trusted.
   */
  async getValue(key: string): Promise<unknown> {
    return this.valueNow(key);
  }

  /** getValue, synchronously: for a value read on first use (lazy-object.ts). */
  valueNow(key: string): unknown {
    this.used.add(key);
    if (this.blobs.has(key)) return this.blobs.get(key);
    if (!this.dir) return undefined;
    const bytes = readEntry(path.join(this.dir, key))?.bytes;
    const payload = bytes && unseal(bytes);
    if (!payload) return undefined;
    try {
      const value = deserialize(payload) as unknown;
      this.blobs.set(key, value);
      return value;
    } catch {
      return undefined;
    }
  }

  /**
   * Drops the entry `key`, in memory and on disk: one found damaged or gone when read on first use,
   * so that the run started again (CacheEntryGone) makes it anew rather than trusting it again.
   */
  forget(key: string): void {
    this.memory.delete(key);
    this.blobs.delete(key);
    if (this.dir) rmSync(path.join(this.dir, key), { force: true });
  }

  /**
   * Whether the entry `key` is there to be read later in the run, without reading it: kept in memory
   * past endRun like a read one, and on disk marked as used (its mtime) when it was not within the hour.
   */
  has(key: string): boolean {
    this.used.add(key);
    if (this.blobs.has(key) || this.memory.has(key)) return true;
    if (!this.dir) return false;
    const file = path.join(this.dir, key);
    const s = statSync(file, { throwIfNoEntry: false });
    if (!s?.isFile()) return false;
    if (Date.now() - s.mtimeMs > TOUCH_AFTER_MS) {
      const now = new Date();
      try {
        utimesSync(file, now, now);
      } catch {
        // Only the pruning order.
      }
    }
    return true;
  }

  async setValue(key: string, value: unknown): Promise<void> {
    this.used.add(key);
    this.blobs.set(key, value);
    if (!this.dir) return;
    let bytes: Buffer;
    try {
      bytes = seal(serialize(value));
    } catch {
      return; // not serialisable: kept in memory only
    }
    await this.put(key, bytes);
  }

  private async put(key: string, bytes: string | Buffer): Promise<void> {
    // Synchronous, and the folder made once a run: a cold run writes an entry per unit.
    try {
      if (!this.madeDir) mkdirSync(this.dir!, { recursive: true });
      this.madeDir = true;
      writeFileAtomically(path.join(this.dir!, key), bytes);
      this.wrote = true;
      this.added.bytes += bytes.length;
      this.added.entries++;
    } catch {
      this.madeDir = false; // the folder may be gone: made again on the next write
    }
  }

  /** What this object wrote into the folder since its last endRun (an emit worker's, handed to the thread that ends the run). */
  addedSinceEndRun(): { bytes: number; entries: number } {
    return { ...this.added };
  }

  /** Entries another thread wrote into the folder in this run: tallied (and the folder pruned if need be) at endRun, with this one's. */
  countAdded(added: { bytes: number; entries: number }): void {
    if (!(Number.isSafeInteger(added?.bytes) && Number.isSafeInteger(added?.entries) && added.entries > 0)) return;
    this.added.bytes += added.bytes;
    this.added.entries += added.entries;
    this.wrote = true;
  }

  /**
   * After a run: memory keeps only this run's entries; the disk, after a run that added any, the most
   * recently used. The folder is measured (a stat per entry) only when the tally of what runs added
   * since the last measure could pass a limit, or after TALLY_RUNS runs: an edit adds a few entries
   * to thousands.
   */
  async endRun(): Promise<void> {
    for (const key of this.memory.keys()) if (!this.used.has(key)) this.memory.delete(key);
    for (const key of this.blobs.keys()) if (!this.used.has(key)) this.blobs.delete(key);
    this.used.clear();
    if (!this.dir || !this.wrote) return;
    this.wrote = false;
    const added = this.added;
    this.added = { bytes: 0, entries: 0 };
    const tallyFile = path.join(this.dir, TALLY_FILE);
    const tally = readTally(tallyFile);
    if (tally) {
      const next = { entries: tally.entries + added.entries, bytes: tally.bytes + added.bytes, runs: tally.runs + 1 };
      if (next.entries <= MAX_ENTRIES && next.bytes <= MAX_BYTES && next.runs < TALLY_RUNS) return writeTally(tallyFile, next);
    }
    try {
      const names = (await readdir(this.dir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
      const entries = await Promise.all(names.map(async (n) => ({ n, s: await stat(path.join(this.dir!, n)).catch(() => undefined) })));
      let bytes = entries.reduce((sum, e) => sum + (e.s?.size ?? 0), 0);
      let count = entries.length;
      if (count > MAX_ENTRIES || bytes > MAX_BYTES) {
        // An entry held in memory was used by the last run, though a long `watch` reads it there and never marks it on disk: it counts as the newest.
        const usedAt = (e: (typeof entries)[number]) => (this.memory.has(e.n) || this.blobs.has(e.n) ? Infinity : (e.s?.mtimeMs ?? 0));
        entries.sort((a, b) => (usedAt(a) === usedAt(b) ? 0 : usedAt(a) < usedAt(b) ? -1 : 1));
        for (const e of entries) {
          if (count <= MAX_ENTRIES / 2 && bytes <= MAX_BYTES / 2) break;
          await rm(path.join(this.dir, e.n), { force: true });
          count--;
          bytes -= e.s?.size ?? 0;
        }
      }
      writeTally(tallyFile, { entries: count, bytes, runs: 0 });
    } catch {
      // The cache is an optimisation: a failure to tidy it never fails a run.
    }
  }
}

/** The tally of the folder's entries and bytes (not itself an entry: its name is not a key). */
const TALLY_FILE = "tally.json";
/** Runs after which the folder is measured again whatever the tally says (runs racing may each miss the other's). */
const TALLY_RUNS = 100;

interface Tally {
  entries: number;
  bytes: number;
  runs: number;
}

function readTally(file: string): Tally | undefined {
  try {
    const t = JSON.parse(readFileSync(file, "utf8")) as Partial<Tally>;
    const ok = [t.entries, t.bytes, t.runs].every((n) => Number.isSafeInteger(n) && n! >= 0);
    return ok ? (t as Tally) : undefined;
  } catch {
    return undefined;
  }
}

function writeTally(file: string, tally: Tally): void {
  try {
    writeFileAtomically(file, JSON.stringify(tally));
  } catch {
    // Only a count: the folder is measured again when it is missing.
  }
}

/** An entry used less than this long ago is not touched again (its mtime orders the pruning). */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

/** Read of an entry of files at first: the head line with the paths, and the whole of most small entries (an edit run's output is mostly files it does not read). */
const HEAD_BYTES = 16 * 1024;

/**
 * An entry's bytes (with `upTo`, its first bytes, as far as its first newline at least), and its
 * size; undefined when absent or unreadable. Synchronous: a run reads a few hundred small entries,
 * and each promise-based read is four trips through the thread pool. A hit marks the entry as used
 * (its mtime) unless it was marked within the hour: one syscall fewer per hit.
 */
function readEntry(file: string, upTo = Infinity): { bytes: Buffer; size: number } | undefined {
  return withFile(file, (fd) => {
    const { size, mtimeMs } = fstatSync(fd);
    let bytes = Buffer.allocUnsafe(Math.min(size, upTo));
    let at = 0;
    for (;;) {
      if (!fill(fd, bytes, at)) return undefined;
      // The head line is longer than the first read: read on.
      if (bytes.length === size || bytes.indexOf(0x0a) >= 0) break;
      at = bytes.length;
      const more = Buffer.allocUnsafe(Math.min(size, at * 4));
      bytes.copy(more);
      bytes = more;
    }
    if (Date.now() - mtimeMs > TOUCH_AFTER_MS) {
      const now = new Date();
      try {
        utimesSync(file, now, now);
      } catch {
        // Only the pruning order.
      }
    }
    return { bytes, size };
  });
}

/** The whole of an entry of `size` bytes whose first ones are `first` (read again), or undefined when it is gone or another length. */
function readRange(file: string, first: Buffer, size: number): Buffer | undefined {
  return withFile(file, (fd) => {
    if (fstatSync(fd).size !== size) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    first.copy(bytes);
    return fill(fd, bytes, first.length) ? bytes : undefined;
  });
}

/** `read` of the file opened, or undefined when it cannot be opened or read; closed either way. */
function withFile<T>(file: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    return read(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Fills `bytes` from `at` to its end with the file's bytes at the same offsets; false when the file ends first. */
function fill(fd: number, bytes: Buffer, at: number): boolean {
  while (at < bytes.length) {
    const n = readSync(fd, bytes, at, bytes.length - at, at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

function sortByPath(files: GeneratedFile[]): GeneratedFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The digest a service's units are keyed by: of its IR value exactly, or undefined when uncacheable. */
export function irDigest(value: unknown): string | undefined {
  const text = safeKeyText(value);
  return text === undefined ? undefined : sha(text);
}

/**
 * `formatFiles(emitAll(ir))`, with each unit (one emitter over one service, or over the whole IR)
 * taken from the cache when it can be: by the digest of its service's IR (an unchanged service), or
 * else when the emitter would read exactly what it read in a recent run (read-set.ts: an edit to one
 * operation re-emits only the units that read what changed). Same files, same order, same "writes a
 * path twice" error. `digests`: what stands for each service of `ir.services` in the unit keys when
 * the caller knows it (checked-cache derives it from the spec group's key); else irDigest. When every unit comes from the cache, the emitters (and
 * ts-morph, TypeScript and prettier under them) are not loaded.
 */
export async function emitFormatted(
  ir: Ir,
  cache: GenerationCache | undefined,
  emitters?: readonly Emitter[],
  digests?: ReadonlyArray<string | undefined>,
): Promise<GeneratedFile[]> {
  // A protocol plugin from the specs is code outside the fingerprint that emitters call: no unit is reused.
  if (!cache || registryRevision() !== 0) {
    const emit = await import("../emit/index.js");
    return formatFiles(emit.emitAll(ir, emitters ?? emit.EMITTERS));
  }
  const protocols = safeKeyText(ir.protocols);
  const { services: _services, protocols: _protocols, ...rest } = ir;
  const restText = safeKeyText(rest);
  const base = protocols === undefined || restText === undefined ? undefined : sha(generatorFingerprint(), protocols, restText);
  // One digest of each service's IR, then one key per emitter from it.
  const serviceDigests = ir.services.map((service, i) => (base === undefined ? undefined : (digests?.[i] ?? irDigest(service))));
  const serviceKeys = serviceDigests.map((digest) => (digest === undefined ? undefined : sha(base!, digest)));
  // The whole output, when every service is keyed: a run over specs seen before loads no emitter.
  // Kept as the keys of its units' entries (a 200-operation tree's output is 16 MB: written whole,
  // every run after an edit wrote it again).
  const wholeKey =
    !emitters && base !== undefined && serviceKeys.every((k) => k !== undefined) ? sha(base, WHOLE_VERSION, ...(serviceKeys as string[])) : undefined;
  if (wholeKey) {
    const whole = await wholeFromUnits(cache, wholeKey);
    if (whole) {
      cache.wholeHits++;
      await cache.endRun();
      return whole;
    }
  }
  // The emitters are loaded on the first unit that must be emitted; their names and roles are cached.
  let loaded: Promise<readonly Emitter[]> | undefined = emitters ? Promise.resolve(emitters) : undefined;
  const load = () => (loaded ??= import("../emit/index.js").then((m) => m.EMITTERS));
  const infoKey = sha(generatorFingerprint(), "emitters");
  let infos = emitters ? describeEmitters(emitters) : asEmitterInfos(await cache.getValue(infoKey));
  if (!infos) await cache.setValue(infoKey, (infos = describeEmitters(await load())));
  // One emitter loaded alone when the run has not loaded them all: an edit re-emits a few units.
  const named = async (name: string) =>
    (!emitters && !loaded && Object.hasOwn(EMITTER_LOADERS, name) ? await EMITTER_LOADERS[name]!() : (await load()).find((e) => e.name === name))!;
  // Units by read set only for the generator's own emitters: a test's emitter may share a name with one.
  const slot = (...parts: string[]) => (emitters ? undefined : sha(generatorFingerprint(), SLOT_VERSION, ...parts));
  const unitKey = (i: number, name: string) => (serviceKeys[i] === undefined ? undefined : sha(serviceKeys[i]!, name));
  const serviceSlot = (i: number, name: string) => slot("service", ir.services[i]!.id, name);
  // A large cold run: a worker emits part of the services' units meanwhile (emit-worker.ts).
  const perServiceNames = infos.filter(([, perService]) => perService).map(([name]) => name);
  const shared = emitters ? undefined : shareEmission(cache, ir, serviceDigests, perServiceNames, unitKey, serviceSlot);
  const units: Array<Promise<Unit>> = [];
  for (const [name, perService, whole, parts] of infos) {
    ir.services.forEach((service, i) => {
      if (!perService) return;
      // The slot only on a miss: its service's id is read from the service, which a hit never loads.
      const local = () =>
        emitUnit(
          cache,
          unitKey(i, name),
          () => serviceSlot(i, name),
          [service, ir],
          serviceDigests,
          async () => {
            const emitter = await named(name);
            return (s, whole) => emitter.emitService!(s as typeof service, whole as Ir);
          },
        );
      units.push(shared?.unit(i, name, local) ?? local());
    });
    if (whole && parts && base !== undefined) units.push(emitFromParts(cache, base, name, ir, serviceKeys, () => named(name)));
    else if (whole)
      units.push(
        emitUnit(
          cache,
          undefined,
          () => slot("all", name),
          [ir],
          serviceDigests,
          async () => {
            const emitter = await named(name);
            return (whole) => emitter.emitAll!(whole as Ir);
          },
        ),
      );
  }
  const files = new Map<string, GeneratedFile>();
  let done: Unit[];
  try {
    done = await Promise.all(units);
  } finally {
    // Stopped whether the run succeeded or failed (see SharedEmission.close).
    await shared?.close();
  }
  const all = done.map((u) => u.files);
  // Emitters in order, as emitAll adds them, so the duplicate reported is the same one.
  let u = 0;
  for (const [name, perService, whole] of infos) {
    const count = (perService ? ir.services.length : 0) + (whole ? 1 : 0);
    for (const f of all.slice(u, u + count).flat()) {
      if (files.has(f.path)) throw new Error(`emitter ${name} writes ${f.path} twice`);
      files.set(f.path, f);
    }
    u += count;
  }
  const result = sortByPath([...files.values()]);
  if (wholeKey) await storeWhole(cache, wholeKey, done);
  await cache.endRun();
  return result;
}

/** Bump when the whole-output entry changes. */
const WHOLE_VERSION = "all-2";

/** A unit's files, and the key of the entry holding them (undefined when not stored: no folder, or not storable). */
interface Unit {
  files: GeneratedFile[];
  key?: string;
}

/** The whole output as the keys of its units' entries (a unit spanning services is stored by the digest of its files). */
async function storeWhole(cache: GenerationCache, wholeKey: string, units: readonly Unit[]): Promise<void> {
  if (units.some((u) => !u.key)) return;
  await cache.setValue(wholeKey, { version: WHOLE_VERSION, keys: units.map((u) => u.key!) });
}

/** Stores a unit spanning services under the digest of its files (written only when no entry has them yet). */
async function storeByContent(cache: GenerationCache, files: GeneratedFile[]): Promise<string> {
  const key = createHash("sha256").update(`${WHOLE_VERSION}\0`).update(encode(files)).digest("hex");
  if (await cache.get(key)) cache.remember(key, files);
  else await cache.set(key, files);
  return key;
}

async function wholeFromUnits(cache: GenerationCache, wholeKey: string): Promise<GeneratedFile[] | undefined> {
  const entry = (await cache.getValue(wholeKey)) as { version?: unknown; keys?: unknown } | undefined;
  if (entry?.version !== WHOLE_VERSION || !Array.isArray(entry.keys) || !entry.keys.every((k) => typeof k === "string")) return undefined;
  const files: GeneratedFile[] = [];
  for (const key of entry.keys as string[]) {
    const unit = await cache.get(key);
    if (!unit) return undefined;
    files.push(...unit);
  }
  return sortByPath(files);
}

/** An emitter's name, whether it writes per service, whether it writes files that span services, whether it makes those of parts per service. */
type EmitterInfo = [name: string, perService: boolean, whole: boolean, parts: boolean];

function describeEmitters(emitters: readonly Emitter[]): EmitterInfo[] {
  return emitters.map((e) => [e.name, Boolean(e.emitService), Boolean(e.emitAll), Boolean(e.emitAll && e.emitAllParts)]);
}

function asEmitterInfos(v: unknown): EmitterInfo[] | undefined {
  const ok =
    Array.isArray(v) &&
    v.every((e) => Array.isArray(e) && e.length === 4 && typeof e[0] === "string" && e.slice(1).every((b) => typeof b === "boolean"));
  return ok ? (v as EmitterInfo[]) : undefined;
}

/** Bump when a part's entry, or how the files made of parts are keyed, changes. */
const PART_VERSION = "part-1";

/**
 * The files an emitter makes of a part per service (Emitter.emitAllParts): each part from the cache
 * by its service's key (made again for a changed service only, so the others' IR is not read), the
 * files by the text of all the parts (made and formatted again only when some part changed).
 */
async function emitFromParts(
  cache: GenerationCache,
  base: string,
  name: string,
  ir: Ir,
  serviceKeys: ReadonlyArray<string | undefined>,
  emitter: () => Promise<Emitter>,
): Promise<Unit> {
  const parts = await Promise.all(
    ir.services.map(async (service, i) => {
      const key = serviceKeys[i] === undefined ? undefined : sha(serviceKeys[i]!, name, PART_VERSION);
      const entry = key ? ((await cache.getValue(key)) as { version?: unknown; part?: unknown } | undefined) : undefined;
      if (entry?.version === PART_VERSION && "part" in entry) return entry.part;
      const part = (await emitter()).emitAllParts!.part(service, ir);
      if (key) await cache.setValue(key, { version: PART_VERSION, part });
      return part;
    }),
  );
  const text = safeKeyText(parts);
  const key = text === undefined ? undefined : sha(base, name, PART_VERSION, text);
  const hit = key ? await cache.get(key) : undefined;
  if (hit) {
    cache.partHits++;
    return { files: hit, key: key! };
  }
  const files = await formatFiles((await emitter()).emitAllParts!.combine(parts, ir));
  if (!key) return { files, key: await storeByContent(cache, files) };
  await cache.set(key, files);
  return { files, key };
}

/** Bump when the read-set entry format changes. */
const SLOT_VERSION = "slot-2";
/** Read sets kept per unit: a few recent versions of a service (an edit, and the edit undone). */
const SLOT_VARIANTS = 3;

interface SlotEntry {
  version: typeof SLOT_VERSION;
  /** The files, or the key of the unit entry that holds them (not stored twice); the digests of `ir.services` then (scoped-reads.ts). */
  variants: Array<{ reads: ReadSet; files?: GeneratedFile[]; key?: string; digests?: ServiceDigests }>;
}

function isSlotEntry(v: unknown): v is SlotEntry {
  const e = v as SlotEntry | undefined;
  return typeof e === "object" && e !== null && e.version === SLOT_VERSION && Array.isArray(e.variants);
}

function safeKeyText(value: unknown): string | undefined {
  try {
    return keyText(value);
  } catch (e) {
    if (e instanceof Uncacheable) return undefined;
    throw e;
  }
}

type UnitEmit = (...roots: object[]) => GeneratedFile[];

/**
 * One unit: from the cache by `key` (its service's IR digest), else by `slot` when the emitter would
 * read the same values from `roots` as in a cached run, else emitted (recording what it reads) and
 * formatted. Counted in `stats` when it is per service (`key` given or roots of a service). The IR is
 * the last of `roots`; `digests`: its services' now. A cached run's reads are checked only in the
 * services whose digest changed since (scoped-reads.ts): the others are not read from the cache.
 */
export async function emitUnit(
  cache: GenerationCache,
  key: string | undefined,
  slotOf: () => string | undefined,
  roots: readonly object[],
  digests: ServiceDigests,
  load: () => Promise<UnitEmit>,
): Promise<Unit> {
  const perService = roots.length > 1;
  if (key) {
    const hit = await cache.get(key);
    if (hit) {
      cache.stats.hits++;
      return { files: hit, key };
    }
  }
  // A unit spanning services has no key of its own: it is stored under the digest of its files.
  const stored = async (files: GeneratedFile[]): Promise<Unit> => {
    if (key) {
      await cache.set(key, files);
      return { files, key };
    }
    return { files, key: await storeByContent(cache, files) };
  };
  const slot = slotOf();
  const entry = slot ? await cache.getValue(slot) : undefined;
  const variants = isSlotEntry(entry) ? entry.variants : [];
  for (const v of variants) {
    const scoped = Array.isArray(v.digests) ? scopeReads(v.reads, roots.length - 1, v.digests, digests) : undefined;
    if (!sameReads(scoped ?? v.reads, roots)) continue;
    const files = v.files ?? (v.key ? await cache.get(v.key) : undefined);
    if (!files) continue;
    if (perService) cache.stats.hits++;
    cache.readSetHits++;
    // Not stored again under this IR's key: the entry it came from stands for it (an edit writes only what it emitted).
    return v.key ? { files, key: v.key } : await stored(files);
  }
  if (perService) cache.stats.misses++;
  const emit = await load();
  let recorded: { value: GeneratedFile[]; reads: ReadSet } | undefined;
  if (slot) {
    try {
      recorded = recordReads(roots, emit);
    } catch {
      // Not plain data, a write, or anything a proxy changes: emitted the ordinary way (an emitter's
      // own error is thrown again from there).
    }
  }
  const unit = await stored(await formatFiles(recorded?.value ?? emit(...roots)));
  if (slot && recorded) {
    // The files by the key of the entry holding them: a unit is stored once.
    const variant = { reads: recorded.reads, key: unit.key, digests: [...digests] };
    await cache.setValue(slot, { version: SLOT_VERSION, variants: [variant, ...variants].slice(0, SLOT_VARIANTS) } satisfies SlotEntry);
  }
  return unit;
}
