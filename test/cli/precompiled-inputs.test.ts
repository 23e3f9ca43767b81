// bin/precompiled.js uses its bundle only while every input is the bytes it was built from. An input
// whose stat is the recorded one is not read again; any other is read and hashed, so an edit that
// keeps the size and puts the modification time back is still seen (its ctime moved). A stat recorded
// within a clock tick of the file's last change does not vouch for it (racily clean).
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript (the bin), no declarations
import { hashOf, inputsUnchanged, RACY_MARGIN_NS, statOf } from "../../bin/precompiled.js";

type Manifest = { inputs: string[]; hash: string; stats?: Record<string, string>; statsAt?: string };
const unchanged = inputsUnchanged as (m: Manifest, root: string) => { same: boolean; stats?: Record<string, string>; statsAt?: string };

/** When stats recorded now would be settled: more than a clock tick after the files last changed (as if recorded later). */
const settledAt = () => String(BigInt(Date.now()) * 1_000_000n + 2n * (RACY_MARGIN_NS as bigint));

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function inputs(): Promise<{ root: string; manifest: Manifest }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "apigen-precompiled-inputs-"));
  dirs.push(root);
  const files = { "a.ts": "export const a = 1;\n", "b.ts": "export const b = 2;\n" };
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(root, rel), text);
  const rels = Object.keys(files).sort();
  const stats = Object.fromEntries(rels.map((rel) => [rel, (statOf as (f: string) => string)(path.join(root, rel))]));
  const hash = (hashOf as (m: Map<string, Buffer>) => string)(new Map(rels.map((rel) => [rel, readFileSync(path.join(root, rel))])));
  return { root, manifest: { inputs: rels, hash, stats, statsAt: settledAt() } };
}

describe("precompiled bundle inputs", () => {
  it("takes inputs whose stat is the recorded one as unchanged without reading them", async () => {
    const { root, manifest } = await inputs();
    expect(unchanged(manifest, root)).toEqual({ same: true });
    // The recorded hash is not even consulted: the stats stand for the bytes.
    expect(unchanged({ ...manifest, hash: "not-read" }, root)).toEqual({ same: true });
  });

  it("reads inputs whose stats were recorded within a clock tick of their last change (an edit then would not show)", async () => {
    const { root, manifest } = await inputs();
    const racy = { ...manifest, statsAt: String(BigInt(Date.now()) * 1_000_000n) };
    expect(unchanged({ ...racy, hash: "not-read" }, root).same).toBe(false);
    const result = unchanged(racy, root);
    expect(result.same).toBe(true);
    expect(result.statsAt, "recorded again, with when").toMatch(/^\d+$/);
    // A manifest of stats without the time they were taken (an older one) is checked by the bytes.
    expect(unchanged({ ...manifest, statsAt: undefined, hash: "not-read" }, root).same).toBe(false);
  });

  it("reads inputs changed 1.5 s before their stats were recorded: FAT and exFAT keep times to 2 s", async () => {
    const { root, manifest } = await inputs();
    const ctimes = manifest.inputs.map((rel) => statSync(path.join(root, rel), { bigint: true }).ctimeNs);
    const latest = ctimes.reduce((a, b) => (a > b ? a : b));
    const racy = { ...manifest, statsAt: String(latest + 1_500_000_000n), hash: "not-read" };
    expect(unchanged(racy, root).same).toBe(false);
  });

  it("reads and hashes an input whose stat changed: a touch keeps the bundle, with the new stats to record", async () => {
    const { root, manifest } = await inputs();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, "a.ts"), later, later);
    const result = unchanged(manifest, root);
    expect(result.same).toBe(true);
    expect(result.stats?.["a.ts"]).not.toBe(manifest.stats!["a.ts"]);
    expect(unchanged({ ...manifest, stats: result.stats, statsAt: settledAt() }, root)).toEqual({ same: true });
  });

  it("sees an edit that keeps the size and puts the modification time back", async () => {
    const { root, manifest } = await inputs();
    const file = path.join(root, "a.ts");
    const { atime, mtime } = statSync(file);
    writeFileSync(file, "export const a = 7;\n");
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(readFileSync(file).length);
    expect(unchanged(manifest, root).same).toBe(false);
    // A manifest without stats (an older one) is checked by the bytes.
    expect(unchanged({ inputs: manifest.inputs, hash: manifest.hash }, root).same).toBe(false);
  });
});
