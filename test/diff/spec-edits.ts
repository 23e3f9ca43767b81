// Copies of the real specs with small text edits, and their IR, for the diff tests.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import type { Change } from "../../generator/diff/diff-ir.js";
import type { Ir } from "../../generator/ir/types.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { SPECS } from "../helpers.js";

/** Paths are relative to the specs folder. A string `replace` must occur exactly once. */
export type Edit =
  | { file: string; replace: string | RegExp; with: string }
  | { file: string; remove: true }
  | { file: string; append: string }
  | { file: string; copyOf: string };

export async function applyEdits(specsDir: string, edits: readonly Edit[]): Promise<void> {
  for (const edit of edits) {
    const file = path.join(specsDir, edit.file);
    if ("remove" in edit) await rm(file, { recursive: true });
    else if ("copyOf" in edit) await cp(path.join(specsDir, edit.copyOf), file);
    else if ("append" in edit) await writeFile(file, (await readFile(file, "utf8")) + edit.append);
    else {
      const text = await readFile(file, "utf8");
      const count = typeof edit.replace === "string" ? text.split(edit.replace).length - 1 : (text.match(new RegExp(edit.replace, "g")) ?? []).length;
      if (count !== 1) throw new Error(`${edit.file}: ${String(edit.replace)} occurs ${count} times, not once`);
      await writeFile(
        file,
        text.replace(edit.replace, () => edit.with),
      );
    }
  }
}

/** A temporary copy of the real specs with `edits` applied. */
export async function editedSpecs(edits: readonly Edit[], into?: string): Promise<string> {
  const dir = into ?? path.join(await mkdtemp(path.join(os.tmpdir(), "apigen-diff-test-")), "specs");
  await cp(SPECS, dir, { recursive: true });
  await applyEdits(dir, edits);
  return dir;
}

/** The IR of the real specs with `edits` applied; throws with the diagnostics when they do not build. */
export async function irWith(edits: readonly Edit[]): Promise<Ir> {
  const dir = await editedSpecs(edits);
  try {
    const specs = await loadSpecs(dir, path.dirname(dir));
    const checked = checkSpecs(specs);
    if (!checked.ir) throw new Error(`the edited specs do not build:\n${checked.diagnostics.map(formatDiagnostic).join("\n")}`);
    return checked.ir;
  } finally {
    await rm(path.dirname(dir), { recursive: true, force: true });
  }
}

/** `severity kind service/operation path`, `-` for what is absent: one line per change, easy to compare. */
export function summary(changes: readonly Change[]): string[] {
  return changes.map((c) => `${c.severity} ${c.kind} ${c.service}/${c.operation ?? "-"} ${c.path || "-"}`);
}
