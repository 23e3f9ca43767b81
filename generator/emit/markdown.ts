// Small Markdown builders: tables with escaped cells, fenced code.

export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>").trim() || " ";
}

export function table(headers: string[], rows: string[][]): string {
  const head = `| ${headers.join(" | ")} |`;
  const rule = `| ${headers.map(() => "---").join(" | ")} |`;
  return [head, rule, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

export function fence(lang: string, text: string): string {
  const ticks = /```/.test(text) ? "````" : "```";
  return `${ticks}${lang}\n${text.replace(/\s+$/, "")}\n${ticks}`;
}

export function code(text: string | number): string {
  return `\`${String(text).replace(/`/g, "'")}\``;
}
