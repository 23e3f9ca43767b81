// Check: the format's JSON Schema on every document, then (when that passes) the lint rules on the IR.
import type { LoadedSpecs } from "../load/load-specs.js";
import type { SpecDocument, PathSegment } from "../load/spec-document.js";
import { buildIr } from "../ir/build-ir.js";
import type { Ir } from "../ir/types.js";
import { compareDiagnostics, hasErrors, type Diagnostic } from "../shared/diagnostic.js";
import { checkAgainstSchema, suggestion } from "./schema-check.js";
import { RULES } from "./rules/index.js";
import type { Rule } from "./rule.js";

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Present when no error stopped the check. */
  ir?: Ir;
  /** Problems that `suppress:` silenced, with the reason given. */
  suppressed: Array<Diagnostic & { reason: string }>;
}

function* suppressNodes(value: unknown, path: PathSegment[] = []): Generator<{ path: PathSegment[]; map: Record<string, unknown> }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* suppressNodes(value[i], [...path, i]);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "suppress" && v && typeof v === "object") yield { path: [...path, k], map: v as Record<string, unknown> };
      else yield* suppressNodes(v, [...path, k]);
    }
  }
}

export function unknownRuleIds(docs: readonly SpecDocument[], rules: readonly Rule[]): Diagnostic[] {
  const ids = new Set(rules.map((r) => r.id));
  const out: Diagnostic[] = [];
  for (const doc of docs)
    for (const { path, map } of suppressNodes(doc.value))
      for (const id of Object.keys(map))
        if (!ids.has(id)) {
          const at = doc.locate([...path, id], true);
          out.push({ ...at, severity: "warning", rule: "unknown-rule", message: `suppress names unknown rule "${id}"${suggestion(id, [...ids])}` });
        }
  return out;
}

/**
 * Run the lint rules. A problem is suppressed by the `suppress:` map of every node that contains its
 * position (a suppression covers its node and everything inside it) and, in an operation file, by
 * the top-level one of its service.yaml.
 */
export function runRules(ir: Ir, docs: readonly SpecDocument[], rules: readonly Rule[] = RULES): Pick<CheckResult, "diagnostics" | "suppressed"> {
  const diagnostics: Diagnostic[] = [];
  const suppressed: CheckResult["suppressed"] = [];
  const byFile = new Map(docs.map((d) => [d.file, d]));
  const serviceSuppress = new Map(
    docs.filter((d) => d.kind === "service").map((d) => [d.serviceDir, (d.value as { suppress?: Record<string, string> }).suppress ?? {}]),
  );
  for (const rule of rules)
    rule.check(
      ir,
      (loc, message) => {
        const d: Diagnostic = { ...loc, severity: rule.severity, rule: rule.id, message };
        const doc = byFile.get(loc.file);
        const maps = [...(doc?.suppressionsAt(loc.line, loc.col) ?? []), ...(doc?.kind === "operation" ? [serviceSuppress.get(doc.serviceDir)] : [])];
        const reason = maps.map((s) => s?.[rule.id]).find((r) => r !== undefined);
        if (reason !== undefined) suppressed.push({ ...d, reason });
        else diagnostics.push(d);
      },
      docs,
    );
  return { diagnostics, suppressed };
}

export function checkSpecs(specs: LoadedSpecs): CheckResult {
  const docs = [...specs.protocols, ...specs.services, ...specs.operations];
  const diagnostics = [...specs.diagnostics, ...docs.flatMap(checkAgainstSchema)];
  if (hasErrors(diagnostics)) return { diagnostics: diagnostics.sort(compareDiagnostics), suppressed: [] };
  const ir = buildIr(specs);
  const linted = runRules(ir, docs);
  const all = [...diagnostics, ...unknownRuleIds(docs, RULES), ...linted.diagnostics].sort(compareDiagnostics);
  return { diagnostics: all, suppressed: linted.suppressed.sort(compareDiagnostics), ...(hasErrors(all) ? {} : { ir }) };
}
