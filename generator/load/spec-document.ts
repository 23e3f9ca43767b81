// One parsed spec file with the positions of its nodes.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";
import type { SourceLoc } from "../ir/types.js";
import type { Diagnostic } from "../shared/diagnostic.js";

/** yaml's limit on alias expansions; the specs need few aliases, if any. */
const MAX_ALIAS_COUNT = 100;

export type SpecKind = "service" | "operation" | "protocol";
export type PathSegment = string | number;

/** A key as the plain value has it: yaml turns a null key into "". */
function keyString(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

/**
 * What a document gave: its value, its YAML diagnostics, and the answer to every question asked of
 * it (where a path is, which suppressions hold at a place...), by question. All are functions of the
 * file's text, path and kind alone, so they are kept with the checked specs (load/checked-cache.ts):
 * a document made from them parses its text only when asked something new.
 */
export interface DocumentAnswers {
  value: unknown;
  diagnostics: Diagnostic[];
  asked: Map<string, unknown>;
}

/** A copy of an answer, so that a caller changing what it got cannot change the next caller's. */
const copyOf = <T>(v: T): T => (typeof v === "object" && v !== null ? structuredClone(v) : v);

export class SpecDocument {
  readonly value: unknown;
  private parsed?: { doc: Document.Parsed; lines: LineCounter };
  readonly diagnostics: Diagnostic[] = [];
  private readonly asked: Map<string, unknown>;
  /** Whether `asked` holds answers not in the answers the document was made from. */
  private learned = false;

  constructor(
    /** Display path, e.g. `specs/lcic/GetRoomEvent.yaml`. */
    readonly file: string,
    readonly kind: SpecKind,
    readonly text: string,
    /** The service folder name for service and operation files. */
    readonly serviceDir?: string,
    /** From an earlier parse of this very text, path and kind: not parsed now. */
    answers?: DocumentAnswers,
  ) {
    if (answers) {
      this.value = answers.value;
      this.diagnostics = answers.diagnostics.map((d) => ({ ...d }));
      this.asked = new Map(answers.asked);
      return;
    }
    this.asked = new Map();
    this.learned = true;
    const { doc } = this.yaml;
    for (const e of doc.errors) {
      // Name the repeated key: yaml only says "Map keys must be unique".
      const key = e.code === "DUPLICATE_KEY" ? /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*?)(?=\s*:)/.exec(text.slice(e.pos[0]))?.[0] : undefined;
      const message = key ? `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}: map keys must be unique` : e.message;
      this.diagnostics.push(this.yamlProblem(message, e.pos[0], "error"));
    }
    for (const w of doc.warnings) this.diagnostics.push(this.yamlProblem(w.message, w.pos[0], "warning"));
    this.value = doc.errors.length ? undefined : this.toJS();
  }

  /** The parsed YAML, parsed on first need. */
  private get yaml(): { doc: Document.Parsed; lines: LineCounter } {
    if (this.parsed) return this.parsed;
    const lines = new LineCounter();
    const doc = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    this.parseCount++;
    return (this.parsed = { doc, lines });
  }

  private get doc(): Document.Parsed {
    return this.yaml.doc;
  }

  private get lines(): LineCounter {
    return this.yaml.lines;
  }

  /** The answer to `question`, computed once (then kept in answers()); `copy: false` when the caller copies it. */
  private answer<T>(question: string, compute: () => T, copy = true): T {
    if (this.asked.has(question)) {
      const known = this.asked.get(question) as T;
      return copy ? copyOf(known) : known;
    }
    const value = compute();
    this.asked.set(question, copy ? copyOf(value) : value);
    this.learned = true;
    return value;
  }

  /**
   * Lets go of the parsed YAML, keeping the value, the diagnostics and every answer: asked something
   * new, the document parses its text again. A cold run of a large tree checks its groups one by one,
   * and every group's syntax trees kept to the end made each later garbage collection slower.
   */
  releaseParse(): void {
    this.parsed = undefined;
    this.scalarEndsByStart = undefined;
  }

  private parseCount = 0;
  /** How many times the text was parsed (again after releaseParse() only when asked something new). */
  get parses(): number {
    return this.parseCount;
  }

  /** Whether the text was ever parsed: a document made from answers is parsed only when asked something new. */
  get isParsed(): boolean {
    return this.parseCount > 0;
  }

  /** What this document gave, to make it again without parsing; undefined when nothing new was asked of one made so. */
  answers(): DocumentAnswers | undefined {
    return this.learned ? { value: this.value, diagnostics: this.diagnostics, asked: this.asked } : undefined;
  }

  /** The plain value; undefined, with a diagnostic, when aliases expand too far (an alias bomb). */
  private toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      const worst = this.largestAlias();
      const at = this.lines.linePos(worst?.range?.[0] ?? 0);
      const name = worst ? ` *${worst.source}` : "";
      this.diagnostics.push({
        file: this.file,
        ...at,
        severity: "error",
        rule: "yaml-syntax",
        message: `aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions), the largest being${name}: an alias bomb? Write the value out`,
      });
      return undefined;
    }
  }

  /** The alias whose expansion holds the most aliases (itself included), first in the file on a tie. */
  private largestAlias(): Alias | undefined {
    const aliases: Alias[] = [];
    visit(this.doc, { Alias: (_, node) => void aliases.push(node) });
    const memo = new Map<unknown, number>();
    const within = (node: unknown): number => {
      if (memo.has(node)) return memo.get(node)!;
      memo.set(node, 0); // a cycle counts once
      let n = 0;
      if (isAlias(node)) n = 1 + within(node.resolve(this.doc));
      else if (isMap(node)) for (const p of node.items) n += within(p.key) + within(p.value);
      else if (isSeq(node)) for (const item of node.items) n += within(item);
      memo.set(node, n);
      return n;
    };
    let best: [Alias | undefined, number] = [undefined, 0];
    for (const a of aliases) {
      const n = within(a);
      if (n > best[1]) best = [a, n];
    }
    return best[0];
  }

  private yamlProblem(message: string, offset: number, severity: "error" | "warning"): Diagnostic {
    // Indentation errors start at the line's first space; point at the misplaced token instead.
    const rest = this.text.slice(offset).match(/^ +(?=[^\s])/);
    if (rest && (offset === 0 || this.text[offset - 1] === "\n")) offset += rest[0].length;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, severity, rule: "yaml-syntax", message: message.split(/ at line \d+, column \d+/)[0]!.trim() };
  }

  /**
   * An answer about the document that a caller computes from its value alone (the schema check's
   * diagnostics), kept with the document's answers: a document made from them is not checked again.
   * `question` must name everything the answer depends on besides the text, path and kind (those
   * key the answers, with the generator fingerprint, which covers the schemas).
   */
  remember<T>(question: string, compute: () => T): T {
    return this.answer(`x${question}`, compute);
  }

  /**
   * The `suppress:` maps of every mapping that contains the position (a key counts as inside the
   * value it names), innermost first: a suppression covers its node and everything inside it.
   */
  suppressionsAt(line: number, col: number): Array<Record<string, string>> {
    return this.answer(`s${line}:${col}`, () => this.findSuppressions(line, col));
  }

  private findSuppressions(line: number, col: number): Array<Record<string, string>> {
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

  /**
   * How the key `name` of the mapping at `path` is written, when YAML reads it as something other
   * than text (`null`, `~`, `true`, `12`): undefined for a plain text key or when not found.
   */
  nonTextKey(path: readonly PathSegment[], name: string): { source: string; value: unknown } | undefined {
    return this.answer(`k${JSON.stringify([path, name])}`, () => this.findNonTextKey(path, name));
  }

  /** The node at `path` (keys of mappings, indexes of sequences), or undefined where the path leaves the document. */
  private nodeAt(path: readonly PathSegment[]): unknown {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) node = this.pairOf(node, String(seg))?.value;
      else if (isSeq(node) && typeof seg === "number") node = node.items[seg];
      else return undefined;
    }
    return node;
  }

  private findNonTextKey(path: readonly PathSegment[], name: string): { source: string; value: unknown } | undefined {
    const node = this.nodeAt(path);
    if (!isMap(node)) return undefined;
    const key = this.pairOf(node, name)?.key;
    if (!isScalar(key) || typeof key.value === "string") return undefined;
    return { source: key.source ?? String(key.value), value: key.value };
  }

  /** Every text scalar of the document (aliases not followed) with its path and its source range
   * `[start, end)`, for the rules about the text itself; with `matching`, only those whose value it matches. */
  *texts(matching?: RegExp): Generator<{ path: PathSegment[]; value: string; start: number; end: number }> {
    const question = matching ? `t/${matching.source}/${matching.flags}` : "t";
    const keep = matching && ((t: { value: string }) => ((matching.lastIndex = 0), matching.test(t.value)));
    // Kept as found and copied item by item: the whole list cloned at once cost more than the walk.
    const found = this.answer(question, () => [...this.findTexts()].filter((t) => !keep || keep(t)), false);
    for (const t of found) yield { ...t, path: [...t.path] };
  }

  private *findTexts(): Generator<{ path: PathSegment[]; value: string; start: number; end: number }> {
    const walk = function* (node: unknown, path: PathSegment[]): Generator<{ path: PathSegment[]; value: string; start: number; end: number }> {
      if (isMap(node)) {
        for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) yield* walk(pair.value, [...path, keyString(pair.key.value)]);
      } else if (isSeq(node)) {
        for (let i = 0; i < node.items.length; i++) yield* walk(node.items[i], [...path, i]);
      } else if (isScalar(node) && typeof node.value === "string" && node.range) {
        yield { path, value: node.value, start: node.range[0], end: node.range[1] };
      }
    };
    yield* walk(this.doc.contents, []);
  }

  /** The source text of the scalar that starts at `loc` (e.g. `1e309`, `0xFF`), for the rules that
   * need a number as written rather than as JavaScript rounded it; undefined when none starts there. */
  scalarSource(loc: SourceLoc): string | undefined {
    return this.answer(`c${loc.line}:${loc.col}`, () => this.findScalarSource(loc));
  }

  private findScalarSource(loc: SourceLoc): string | undefined {
    const start = this.lines.lineStarts[loc.line - 1];
    if (start === undefined) return undefined;
    const offset = start + loc.col - 1;
    const end = this.scalarEnds().get(offset);
    return end === undefined ? undefined : this.text.slice(offset, end);
  }

  /** Where each scalar ends, by where it starts (the first in document order): one walk, not one per question. */
  private scalarEndsByStart?: Map<number, number>;
  private scalarEnds(): Map<number, number> {
    if (this.scalarEndsByStart) return this.scalarEndsByStart;
    const ends = new Map<number, number>();
    // By hand rather than yaml's visit(), which costs several times more on large documents.
    const walk = (node: unknown): void => {
      if (isScalar(node)) {
        if (node.range && !ends.has(node.range[0])) ends.set(node.range[0], node.range[1]);
      } else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) walk(item);
      } else if (isPair(node)) {
        walk(node.key);
        walk(node.value);
      }
    };
    walk(this.doc.contents);
    return (this.scalarEndsByStart = ends);
  }

  /** The line and column of a source offset. */
  position(offset: number): SourceLoc {
    const { line, col } = this.answer(`p${offset}`, () => this.lines.linePos(offset), false);
    return { file: this.file, line, col };
  }

  /** Where the node at `path` starts; with `key`, where its key starts. Falls back to the nearest existing ancestor. */
  locate(path: readonly PathSegment[], key = false): SourceLoc {
    const { line, col } = this.answer(`${key ? "K" : "l"}${JSON.stringify(path)}`, () => this.findLocation(path, key), false);
    return { file: this.file, line, col };
  }

  /**
   * Where the value of each key of the mapping at `path` starts (its key, when the value has no
   * position), as `locate([...path, key])` says, answered as one question: the IR notes where every
   * key of a field, a limit or a page is, and one answer per key cost more than finding them.
   */
  locateKeys(path: readonly PathSegment[], keys: readonly string[]): Partial<Record<string, SourceLoc>> {
    const found = this.answer(`a${JSON.stringify(path)}`, () => this.findKeyLocations(path), false);
    const out: Partial<Record<string, SourceLoc>> = {};
    for (const k of keys) {
      const at = found?.get(k);
      out[k] = at ? { file: this.file, line: at[0], col: at[1] } : this.locate([...path, k]);
    }
    return out;
  }

  private findKeyLocations(path: readonly PathSegment[]): Map<string, [number, number]> | undefined {
    const node = this.nodeAt(path);
    if (!isMap(node)) return undefined;
    const out = new Map<string, [number, number]>();
    for (const [k, pair] of this.pairsByKey(node)) {
      const value = pair.value as Node | null;
      const { line, col } = this.lines.linePos((value?.range ? value : (pair.key as Node)).range?.[0] ?? 0);
      out.set(k, [line, col]);
    }
    return out;
  }

  /** Each mapping's pairs by key as the plain value spells it (the first of a repeated key), indexed once per mapping. */
  private readonly pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  private pairsByKey(map: YAMLMap): Map<string, Pair> {
    let index = this.pairIndex.get(map);
    if (index) return index;
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const k = keyString(p.key.value);
      if (!index.has(k)) index.set(k, p);
    }
    this.pairIndex.set(map, index);
    return index;
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    return this.pairsByKey(map).get(key);
  }

  private findLocation(path: readonly PathSegment[], key: boolean): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let best: { range?: [number, number, number] | null } | undefined = node as Node;
    let keyNode: Node | undefined;
    for (const seg of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = this.pairOf(node, String(seg));
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
    return { line, col };
  }
}
