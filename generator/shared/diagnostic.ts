// A problem found in a spec, and how it is printed: `file:line:col severity rule-id message`.

export type Severity = "error" | "warning";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: Severity;
  rule: string;
  message: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.severity} ${d.rule} ${d.message}`;
}

/** The diagnostic line followed by the offending source line and a caret under the column. */
export function formatWithSource(d: Diagnostic, sourceText: string | undefined): string {
  const head = formatDiagnostic(d);
  const line = sourceText?.split(/\r?\n/)[d.line - 1];
  if (line === undefined) return head;
  const gutter = String(d.line).padStart(5);
  return `${head}\n${gutter} | ${line}\n${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.col - 1))}^`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
