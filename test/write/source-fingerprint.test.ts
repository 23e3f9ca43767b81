// The generator's fingerprint is not read from its sources again when their stats are those recorded
// (with the generator's bundle, or the next place that can be written), unless a file changed within a clock tick of the recording (racily clean): an
// edit then would leave its stat as recorded.
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprintStats, RACY_MARGIN_NS, sourceFingerprint } from "../../generator/write/source-fingerprint.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function sources(): Promise<{ root: string; record: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "apigen-fingerprint-"));
  dirs.push(root);
  mkdirSync(path.join(root, "src", "node_modules"), { recursive: true });
  writeFileSync(path.join(root, "src", "a.ts"), "export const a = 1;\n");
  writeFileSync(path.join(root, "src", "node_modules", "x.js"), "left out\n");
  writeFileSync(path.join(root, "lock.json"), "{}\n");
  return { root, record: path.join(root, "cache", "fingerprint.json") };
}

/** The record as if it had been written a while after the files last changed. */
function settle(record: string): void {
  const r = JSON.parse(readFileSync(record, "utf8")) as { at: string };
  r.at = String(BigInt(r.at) + 2n * RACY_MARGIN_NS);
  writeFileSync(record, JSON.stringify(r));
}

const SOURCES = ["src", "lock.json"];

describe("the fingerprint of the generator's sources", () => {
  it("is taken from the record while every stat is the recorded one, and settled", async () => {
    const { root, record } = await sources();
    const first = sourceFingerprint(root, SOURCES, "salt", record);
    expect(sourceFingerprint(root, SOURCES, "salt")).toBe(first);
    const hashed = fingerprintStats.hashed;
    // Just written: racily clean, so read again.
    expect(sourceFingerprint(root, SOURCES, "salt", record)).toBe(first);
    expect(fingerprintStats.hashed).toBe(hashed + 1);
    settle(record);
    expect(sourceFingerprint(root, SOURCES, "salt", record)).toBe(first);
    expect(fingerprintStats.hashed, "not read").toBe(hashed + 1);
    expect(sourceFingerprint(root, SOURCES, "other salt", record)).not.toBe(first);
  });

  it("reads again files changed 1.5 s before the record was written: FAT and exFAT keep times to 2 s", async () => {
    const { root, record } = await sources();
    const first = sourceFingerprint(root, SOURCES, "salt", record);
    const latest = ["src/a.ts", "lock.json"].map((f) => statSync(path.join(root, f), { bigint: true }).ctimeNs).reduce((a, b) => (a > b ? a : b));
    const r = JSON.parse(readFileSync(record, "utf8")) as { at: string };
    r.at = String(latest + 1_500_000_000n);
    writeFileSync(record, JSON.stringify(r));
    const hashed = fingerprintStats.hashed;
    expect(sourceFingerprint(root, SOURCES, "salt", record)).toBe(first);
    expect(fingerprintStats.hashed).toBe(hashed + 1);
  });

  it("sees an edit that keeps the size and puts the modification time back, and a file added", async () => {
    const { root, record } = await sources();
    const first = sourceFingerprint(root, SOURCES, "salt", record);
    settle(record);
    const file = path.join(root, "src", "a.ts");
    const { atime, mtime } = statSync(file);
    writeFileSync(file, "export const a = 7;\n");
    utimesSync(file, atime, mtime);
    const edited = sourceFingerprint(root, SOURCES, "salt", record);
    expect(edited).not.toBe(first);
    expect(edited).toBe(sourceFingerprint(root, SOURCES, "salt"));
    settle(record);
    writeFileSync(path.join(root, "src", "b.ts"), "");
    expect(sourceFingerprint(root, SOURCES, "salt", record)).not.toBe(edited);
    // node_modules is not a source.
    settle(record);
    const withB = sourceFingerprint(root, SOURCES, "salt", record);
    writeFileSync(path.join(root, "src", "node_modules", "x.js"), "changed\n");
    expect(sourceFingerprint(root, SOURCES, "salt")).toBe(withB);
  });
});

describe("the fingerprint record's places", () => {
  it("goes to the next place when the first cannot be written, and is taken from any place whose record holds", async () => {
    const { root, record } = await sources();
    // A file stands where the first place's folder would be: it cannot be written.
    const unwritable = path.join(root, "lock.json", "fingerprint.json");
    const first = sourceFingerprint(root, SOURCES, "salt", [unwritable, record]);
    expect(JSON.parse(readFileSync(record, "utf8"))).toMatchObject({ hash: first });
    settle(record);
    const hashed = fingerprintStats.hashed;
    expect(sourceFingerprint(root, SOURCES, "salt", [unwritable, record])).toBe(first);
    expect(fingerprintStats.hashed, "taken from the second place").toBe(hashed);
    // A stale record in the first place does not hide a good one in the next.
    const stale = path.join(root, "stale", "fingerprint.json");
    mkdirSync(path.dirname(stale));
    writeFileSync(stale, JSON.stringify({ ...JSON.parse(readFileSync(record, "utf8")), files: [], hash: "0".repeat(64) }));
    expect(sourceFingerprint(root, SOURCES, "salt", [stale, record])).toBe(first);
    expect(fingerprintStats.hashed, "still not read").toBe(hashed);
  });
});
