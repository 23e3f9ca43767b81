// One parsed spec file with the positions of its nodes.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { SourceLoc } from "../ir/types.js";
import type { Diagnostic } from "../check/diagnostic.js";

export type SpecKind = "service" | "operation" | "protocol";
export type PathSegment = string | number;

export class SpecDocument {
  readonly value: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    /** Display path, e.g. `specs/lcic/GetRoomEvent.yaml`. */
    readonly file: string,
    readonly kind: SpecKind,
    readonly text: string,
    /** The service folder name for service and operation files. */
    readonly serviceDir?: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of this.doc.errors) {
      // Name the repeated key: yaml only says "Map keys must be unique".
      const key = e.code === "DUPLICATE_KEY" ? /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*?)(?=\s*:)/.exec(text.slice(e.pos[0]))?.[0] : undefined;
      const message = key ? `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}: map keys must be unique` : e.message;
      this.diagnostics.push(this.yamlProblem(message, e.pos[0], "error"));
    }
    for (const w of this.doc.warnings) this.diagnostics.push(this.yamlProblem(w.message, w.pos[0], "warning"));
    this.value = this.doc.errors.length ? undefined : this.doc.toJS({ maxAliasCount: 100 });
  }

  private yamlProblem(message: string, offset: number, severity: "error" | "warning"): Diagnostic {
    // Indentation errors start at the line's first space; point at the misplaced token instead.
    const rest = this.text.slice(offset).match(/^ +(?=[^\s])/);
    if (rest && (offset === 0 || this.text[offset - 1] === "\n")) offset += rest[0].length;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, severity, rule: "yaml-syntax", message: message.split(/ at line \d+, column \d+/)[0]!.trim() };
  }

  /**
   * The `suppress:` maps of every mapping that contains the position (a key counts as inside the
   * value it names), innermost first: a suppression covers its node and everything inside it.
   */
  suppressionsAt(line: number, col: number): Array<Record<string, string>> {
    const start = this.lines.lineStarts[line - 1];
    if (start === undefined) return [];
    const offset = start + col - 1;
    const found: Array<Record<string, string>> = [];
    const inside = (from: number | undefined, to: number | undefined) => from !== undefined && to !== undefined && from <= offset && offset < to;
    let node: unknown = this.doc.contents;
    while (node) {
      let next: unknown;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = pair.key as Node | null;
          const value = pair.value as Node | null;
          if (isScalar(key) && key.value === "suppress" && isMap(value)) found.unshift(value.toJSON() as Record<string, string>);
          if (!next && inside(key?.range?.[0] ?? value?.range?.[0], (value ?? key)?.range?.[1])) next = value;
        }
      } else if (isSeq(node)) {
        next = node.items.find((item) => inside((item as Node | null)?.range?.[0], (item as Node | null)?.range?.[1]));
      }
      node = next;
    }
    return found;
  }

  /** Where the node at `path` starts; with `key`, where its key starts. Falls back to the nearest existing ancestor. */
  locate(path: readonly PathSegment[], key = false): SourceLoc {
    let node: unknown = this.doc.contents;
    let best: { range?: [number, number, number] | null } | undefined = node as Node;
    let keyNode: Node | undefined;
    for (const seg of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
      } else break;
      if (node && (node as Node).range) best = node as Node;
      else if (keyNode) best = keyNode;
    }
    const target = key && keyNode ? keyNode : best;
    const offset = target?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}
