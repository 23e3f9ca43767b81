// Packages bench: packed and installed size of the generated packages (built, then `npm pack`)
// against tencentcloud-sdk-nodejs, packed the same way from its installed folder, in the same run.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildPackages, packagesOf } from "../generator/build/build-packages.js";
import { table, type Bench, type BenchContext } from "./bench.js";
import { REAL_SPECS_DIR } from "./make-corpus.js";

const run = promisify(execFile);
const ROOT = path.dirname(path.resolve(REAL_SPECS_DIR));

interface Packed {
  name: string;
  packedBytes: number;
  files: number;
  unpackedBytes: number;
}

async function pack(dir: string, into: string): Promise<Packed> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", into, "--loglevel=error"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as Array<{ name: string; size: number; unpackedSize: number; entryCount: number }>;
  return { name: info!.name, packedBytes: info!.size, files: info!.entryCount, unpackedBytes: info!.unpackedSize };
}

function folderSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
    files++;
  }
  return { bytes, files };
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

export const packagesBench: Bench = {
  name: "packages",
  description: "packed and installed size of the generated packages against tencentcloud-sdk-nodejs",
  async run({ out, progress }: BenchContext) {
    const generated = path.join(ROOT, "generated");
    progress.write("  building the generated packages…\n");
    const built = await buildPackages(generated);
    if (built.diagnostics.length) throw new Error(built.diagnostics.join("\n"));
    const into = mkdtempSync(path.join(os.tmpdir(), "apigen-pack-"));
    try {
      const ours: Packed[] = [];
      for (const p of packagesOf(generated)) ours.push(await pack(p.dir, into));
      progress.write("  packing tencentcloud-sdk-nodejs from node_modules…\n");
      const sdkDir = path.join(ROOT, "node_modules", "tencentcloud-sdk-nodejs");
      const sdk = await pack(sdkDir, into);
      const sdkInstalled = folderSize(sdkDir);
      const total = ours.reduce(
        (a, p) => ({ packedBytes: a.packedBytes + p.packedBytes, files: a.files + p.files, unpackedBytes: a.unpackedBytes + p.unpackedBytes }),
        { packedBytes: 0, files: 0, unpackedBytes: 0 },
      );
      const lcic = ours.filter((p) => p.name === "@rtc-apigen/lcic" || p.name === "@rtc-apigen/runtime");
      const lcicPacked = lcic.reduce((a, p) => a + p.packedBytes, 0);
      out.write(
        table(
          ["package", "packed", "files", "installed"],
          [
            ...ours.map((p) => [p.name, kb(p.packedBytes), String(p.files), kb(p.unpackedBytes)]),
            ["all four", kb(total.packedBytes), String(total.files), kb(total.unpackedBytes)],
            [`tencentcloud-sdk-nodejs`, mb(sdk.packedBytes), String(sdk.files), mb(sdkInstalled.bytes)],
          ],
        ),
      );
      out.write(
        `\nall four packages: ${(total.packedBytes / sdk.packedBytes).toFixed(4)}× the SDK's packed size, ${(total.files / sdk.files).toFixed(4)}× its files; ` +
          `LCIC alone (with the runtime): ${(lcicPacked / sdk.packedBytes).toFixed(4)}× packed.\n` +
          `(The issue quotes the SDK at 7.4 MB packed and 3,507 files; measured here from the installed copy.)\n`,
      );
    } finally {
      rmSync(into, { recursive: true, force: true });
    }
  },
};
