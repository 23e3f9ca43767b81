// Incremental generation: what one emitter writes for one service (a "unit") depends only on that
// service's IR and the generator itself, so it is cached, formatted, under a key made of both. After
// one spec is edited only its service's units are emitted and formatted again; the files that span
// services (emitAll: the index README, the root package, the runtime) are always emitted. The key
// holds the whole service IR, so a hit is byte-identical to emitting again (test/write/generation-cache.test.ts).
// Kept in memory (watch) and on disk in node_modules/.cache/rtc-apigen/units (git-ignored).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { fileURLToPath } from "node:url";
import type { Emitter, GeneratedFile } from "../emit/generated-file.js";
import type { Ir } from "../ir/types.js";
import type { SpecDocument } from "../load/spec-document.js";
import { formatFiles } from "./format.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "rtc-apigen", "units");
/** Bump when the key or the entry format changes. */
const VERSION = "2";
/** Entries and bytes kept on disk; past either, the least recently used go, down to half. */
const MAX_ENTRIES = 4000;
const MAX_BYTES = 512 * 1024 * 1024;

/** What can change the output besides the IR: the generator, its templates, the locked dependencies. */
const FINGERPRINT_SOURCES = ["generator", "templates", "specs/schema", "package-lock.json"];

function hashTree(hash: ReturnType<typeof createHash>, abs: string, rel: string): void {
  const s = statSync(abs, { throwIfNoEntry: false });
  if (!s) return;
  if (s.isFile()) {
    hash.update(`${rel}\0${s.size}\0`).update(readFileSync(abs));
    return;
  }
  if (!s.isDirectory()) return;
  for (const name of readdirSync(abs).sort()) if (name !== "node_modules") hashTree(hash, path.join(abs, name), `${rel}/${name}`);
}

let fingerprint: string | undefined;
/**
 * Taken once per process, from the files as they were when it first needed it: a long `watch` whose
 * generator files change on disk keeps the fingerprint of the code it runs, so its entries never
 * pass for the new code's.
 */
export function generatorFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash("sha256").update(`${VERSION}\0${process.version}\0`);
  for (const rel of FINGERPRINT_SOURCES) hashTree(hash, path.join(ROOT, rel), rel);
  return (fingerprint = hash.digest("hex"));
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

/** Entry on disk: a JSON line of `[path, preformatted, length]` per file, then the contents back to back. */
function encode(files: readonly GeneratedFile[]): string {
  return JSON.stringify(files.map((f) => [f.path, Boolean(f.preformatted), f.content.length])) + "\n" + files.map((f) => f.content).join("");
}

function decode(text: string): GeneratedFile[] | undefined {
  const nl = text.indexOf("\n");
  if (nl < 0) return undefined;
  let at = nl + 1;
  const files: GeneratedFile[] = [];
  for (const [p, preformatted, length] of JSON.parse(text.slice(0, nl)) as Array<[string, boolean, number]>) {
    files.push({ path: p, content: text.slice(at, at + length), ...(preformatted ? { preformatted } : {}) });
    at += length;
  }
  return at === text.length ? files : undefined;
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
  stats: GenerationCacheStats = { hits: 0, misses: 0 };
  /** Checked spec groups (a service folder, or protocols/) taken from the cache, and checked again. */
  specStats: GenerationCacheStats = { hits: 0, misses: 0 };
  /** Runs whose whole output was one seen before (no emitter loaded). */
  wholeHits = 0;

  /** `dir`: where entries persist between runs; undefined keeps them in memory only. */
  constructor(readonly dir: string | undefined = DEFAULT_CACHE_DIR) {}

  async get(key: string): Promise<GeneratedFile[] | undefined> {
    this.used.add(key);
    const inMemory = this.memory.get(key);
    if (inMemory || !this.dir) return inMemory;
    const file = path.join(this.dir, key);
    try {
      const files = decode(await readFile(file, "utf8"));
      if (files) {
        this.memory.set(key, files);
        const now = new Date();
        await utimes(file, now, now).catch(() => {});
      }
      return files;
    } catch {
      return undefined;
    }
  }

  async set(key: string, files: GeneratedFile[]): Promise<void> {
    this.used.add(key);
    this.memory.set(key, files);
    if (!this.dir) return;
    // A lone surrogate would not survive UTF-8: such a unit is simply emitted every time.
    if (!files.every((f) => (f.content as string & { isWellFormed(): boolean }).isWellFormed())) return void this.memory.delete(key);
    await this.put(key, encode(files));
  }

  /**
   * A structured value (v8 serialization) by key, or undefined when absent, unreadable, or not
   * what was written (the checksum fails): a damaged entry is a miss, never trusted.
   */
  async getValue(key: string): Promise<unknown> {
    this.used.add(key);
    if (this.blobs.has(key)) return this.blobs.get(key);
    if (!this.dir) return undefined;
    const file = path.join(this.dir, key);
    try {
      const payload = unseal(await readFile(file));
      if (!payload) return undefined;
      const value = deserialize(payload) as unknown;
      this.blobs.set(key, value);
      const now = new Date();
      await utimes(file, now, now).catch(() => {});
      return value;
    } catch {
      return undefined;
    }
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
    const file = path.join(this.dir!, key);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(this.dir!, { recursive: true });
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      this.wrote = true;
    } catch {
      await rm(tmp, { force: true }).catch(() => {});
    }
  }

  /** After a run: memory keeps only this run's entries; the disk, after a run that added any, the most recently used. */
  async endRun(): Promise<void> {
    for (const key of this.memory.keys()) if (!this.used.has(key)) this.memory.delete(key);
    for (const key of this.blobs.keys()) if (!this.used.has(key)) this.blobs.delete(key);
    this.used.clear();
    if (!this.dir || !this.wrote) return;
    this.wrote = false;
    try {
      const names = (await readdir(this.dir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
      const entries = await Promise.all(names.map(async (n) => ({ n, s: await stat(path.join(this.dir!, n)).catch(() => undefined) })));
      let bytes = entries.reduce((sum, e) => sum + (e.s?.size ?? 0), 0);
      if (entries.length <= MAX_ENTRIES && bytes <= MAX_BYTES) return;
      entries.sort((a, b) => (a.s?.mtimeMs ?? 0) - (b.s?.mtimeMs ?? 0));
      let count = entries.length;
      for (const e of entries) {
        if (count <= MAX_ENTRIES / 2 && bytes <= MAX_BYTES / 2) break;
        await rm(path.join(this.dir, e.n), { force: true });
        count--;
        bytes -= e.s?.size ?? 0;
      }
    } catch {
      // The cache is an optimisation: a failure to tidy it never fails a run.
    }
  }
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
 * `formatFiles(emitAll(ir))`, with each service's units taken from the cache when its IR is one the
 * cache has seen. Same files, same order, same "writes a path twice" error. `digests`: irDigest of
 * each service of `ir.services` when the caller knows them (checked-cache keeps them with the IR).
 * When every unit of the run is one seen before, the emitters are not even loaded.
 */
export async function emitFormatted(
  ir: Ir,
  cache: GenerationCache | undefined,
  emitters?: readonly Emitter[],
  digests?: ReadonlyArray<string | undefined>,
): Promise<GeneratedFile[]> {
  if (!cache) {
    const emit = await import("../emit/index.js");
    return formatFiles(emit.emitAll(ir, emitters ?? emit.EMITTERS));
  }
  const protocols = safeKeyText(ir.protocols);
  const { services: _services, protocols: _protocols, ...rest } = ir;
  const restText = safeKeyText(rest);
  const base = protocols === undefined || restText === undefined ? undefined : sha(generatorFingerprint(), protocols, restText);
  // One digest of each service's IR, then one key per emitter from it.
  const serviceKeys = ir.services.map((service, i) => {
    const digest = base === undefined ? undefined : (digests?.[i] ?? irDigest(service));
    return digest === undefined ? undefined : sha(base!, digest);
  });
  // The whole output, when every service is keyed: a run over specs seen before loads no emitter.
  const wholeKey =
    !emitters && base !== undefined && serviceKeys.every((k) => k !== undefined) ? sha(base, "all", ...(serviceKeys as string[])) : undefined;
  if (wholeKey) {
    const whole = await cache.get(wholeKey);
    if (whole) {
      cache.wholeHits++;
      await cache.endRun();
      return whole;
    }
  }
  const list = emitters ?? (await import("../emit/index.js")).EMITTERS;
  const units: Array<Promise<GeneratedFile[]>> = [];
  for (const emitter of list) {
    ir.services.forEach((service, i) => {
      if (!emitter.emitService) return;
      const key = serviceKeys[i] === undefined ? undefined : sha(serviceKeys[i]!, emitter.name);
      units.push(emitUnit(cache, key, () => emitter.emitService!(service, ir)));
    });
    if (emitter.emitAll) units.push(formatFiles(emitter.emitAll(ir)));
  }
  const files = new Map<string, GeneratedFile>();
  const all = await Promise.all(units);
  // Emitters in order, as emitAll adds them, so the duplicate reported is the same one.
  let u = 0;
  for (const emitter of list) {
    const count = (emitter.emitService ? ir.services.length : 0) + (emitter.emitAll ? 1 : 0);
    for (const f of all.slice(u, u + count).flat()) {
      if (files.has(f.path)) throw new Error(`emitter ${emitter.name} writes ${f.path} twice`);
      files.set(f.path, f);
    }
    u += count;
  }
  const result = sortByPath([...files.values()]);
  if (wholeKey) await cache.set(wholeKey, result);
  await cache.endRun();
  return result;
}
function safeKeyText(value: unknown): string | undefined {
  try {
    return keyText(value);
  } catch (e) {
    if (e instanceof Uncacheable) return undefined;
    throw e;
  }
}

async function emitUnit(cache: GenerationCache, key: string | undefined, emit: () => GeneratedFile[]): Promise<GeneratedFile[]> {
  if (key) {
    const hit = await cache.get(key);
    if (hit) {
      cache.stats.hits++;
      return hit;
    }
    cache.stats.misses++;
  }
  const files = await formatFiles(emit());
  if (key) await cache.set(key, files);
  return files;
}
