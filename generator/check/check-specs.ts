// Check: the format's JSON Schema on every document, then (when that passes) the lint rules on the IR.
import type { LoadedSpecs } from "../load/load-specs.js";
import type { SpecDocument, PathSegment } from "../load/spec-document.js";
import { buildIr } from "../ir/build-ir.js";
import type { Ir } from "../ir/types.js";
import { compareDiagnostics, hasErrors, type Diagnostic } from "./diagnostic.js";
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

function unknownRuleIds(docs: SpecDocument[], rules: readonly Rule[]): Diagnostic[] {
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
 * Run the lint rules. A problem is suppressed by the `suppress:` maps its rule names (the node and
 * its owners in the IR) and, given the documents, by those of every node that contains its
 * position, so a `suppress:` on any node (an endpoint, pagination, a time window, ...) works.
 */
export function runRules(ir: Ir, rules: readonly Rule[] = RULES, docs: readonly SpecDocument[] = []): Pick<CheckResult, "diagnostics" | "suppressed"> {
  const diagnostics: Diagnostic[] = [];
  const suppressed: CheckResult["suppressed"] = [];
  const byFile = new Map(docs.map((d) => [d.file, d]));
  for (const rule of rules)
    rule.check(ir, (loc, message, scopes) => {
      const d: Diagnostic = { ...loc, severity: rule.severity, rule: rule.id, message };
      const enclosing = byFile.get(loc.file)?.suppressionsAt(loc.line, loc.col) ?? [];
      const reason = [...scopes, ...enclosing].map((s) => s?.[rule.id]).find((r) => r !== undefined);
      if (reason !== undefined) suppressed.push({ ...d, reason });
      else diagnostics.push(d);
    });
  return { diagnostics, suppressed };
}

export function checkSpecs(specs: LoadedSpecs): CheckResult {
  const docs = [...specs.protocols, ...specs.services, ...specs.operations];
  const diagnostics = [...specs.diagnostics, ...docs.flatMap(checkAgainstSchema)];
  if (hasErrors(diagnostics)) return { diagnostics: diagnostics.sort(compareDiagnostics), suppressed: [] };
  const ir = buildIr(specs);
  const linted = runRules(ir, RULES, docs);
  const all = [...diagnostics, ...unknownRuleIds(docs, RULES), ...linted.diagnostics].sort(compareDiagnostics);
  return { diagnostics: all, suppressed: linted.suppressed.sort(compareDiagnostics), ...(hasErrors(all) ? {} : { ir }) };
}
