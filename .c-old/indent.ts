// Indentation for emitted TypeScript whose lines the emitter chose: prettier would take most of a
// large run on the validators alone. Depth follows brackets outside strings, templates and comments;
// every bracket inside a literal on one of our lines is balanced on that line.

function codeOnly(line: string): string {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "/" && line[i + 1] === "/") break;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < line.length && line[i] !== c; i++) if (line[i] === "\\") i++;
      out += c + c;
      continue;
    }
    out += c;
  }
  return out;
}

export function indentCode(text: string, unit = "  "): string {
  let depth = 0;
  let inDoc = false;
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) {
      if (out.length && out[out.length - 1] !== "") out.push("");
      continue;
    }
    if (inDoc || line.startsWith("/*")) {
      inDoc = !line.endsWith("*/");
      out.push(unit.repeat(depth) + (line.startsWith("*") ? " " : "") + line);
      continue;
    }
    const code = codeOnly(line);
    const leading = /^[}\])]*/.exec(code)![0].length;
    out.push(unit.repeat(Math.max(0, depth - leading)) + line);
    for (const c of code) {
      if (c === "{" || c === "(" || c === "[") depth++;
      else if (c === "}" || c === ")" || c === "]") depth--;
    }
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}
