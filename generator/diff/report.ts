// The report as a person reads it (breaking first, then safe) or as JSON for tools.
import type { Change } from "./change.js";

function line(c: Change): string {
  const where = [c.service, c.operation, c.path].filter(Boolean).join(" ");
  return `  ${where}: ${c.message} [${c.kind}]`;
}

export function formatReport(changes: readonly Change[], base: string): string {
  const breaking = changes.filter((c) => c.severity === "breaking");
  const safe = changes.filter((c) => c.severity === "safe");
  if (!changes.length) return `No spec changes since ${base}.\n`;
  const parts: string[] = [];
  if (breaking.length) parts.push(`Breaking (${breaking.length}):\n${breaking.map(line).join("\n")}`);
  if (safe.length) parts.push(`Safe (${safe.length}):\n${safe.map(line).join("\n")}`);
  parts.push(`${breaking.length} breaking, ${safe.length} safe change${changes.length === 1 ? "" : "s"} since ${base}.`);
  return parts.join("\n\n") + "\n";
}

export function jsonReport(changes: readonly Change[], base: string): string {
  const breaking = changes.filter((c) => c.severity === "breaking").length;
  return JSON.stringify({ base, breaking, safe: changes.length - breaking, changes }, null, 2) + "\n";
}
