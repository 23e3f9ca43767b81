// Spec text reaches the Markdown docs escaped for its context: parsed with a real Markdown parser
// (markdown-it, HTML on), hostile spec strings add no raw HTML, no link but http(s), no heading, list,
// quote, table or code block, and show exactly as written.
import MarkdownIt, { type Token } from "markdown-it";
import { describe, expect, it } from "vitest";
import { apiIndex, operationPage, packageReadme } from "../../generator/emit/docs-emitter.js";
import { code, fence, heading, inline, paragraph } from "../../generator/emit/markdown.js";
import type { Ir } from "../../generator/ir/types.js";
import { reachableShapes } from "../../generator/ir/usage.js";
import { realIr } from "../helpers.js";

const md = new MarkdownIt({ html: true, linkify: true });

/** One line of attacks: each must show as the text it is. */
const HOSTILE_LINE = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[click](javascript:alert(1))",
  "![pic](javascript:alert(1))",
  "<javascript:alert(1)>",
  "[ref] [ref][] <!-- c -->",
  "&lt;b&gt; &amp; R&D",
  "back\\slash \\<b> \\[x]",
  "`<u>code</u>` | x | y |",
  "[ok](https://example.com/a_b)",
].join(" ");
/** Block syntax that a newline in the spec text would open. */
const HOSTILE_BLOCKS =
  "\n# Injected heading\n\n## Another\n- list item\n> quote\n1. ordered\n---\n===\n```\n~~~\n[ref]: javascript:alert(2)\n| a | b |\n|---|---|\n<div>block</div>\n\n    indented code\n";
const HOSTILE = `${HOSTILE_LINE}${HOSTILE_BLOCKS}`;
const ENUM_VALUE = "a`b``c <i>x</i>";
const PATTERN = "^`[a-z]+`$|<b>";
const ERROR_CODE = "Bad`Code<img src=x onerror=alert(1)>";
const BAD_URL = "javascript:alert(1)";

/** The spec strings the docs print as text, each with the attacks appended. */
const TEXT_KEYS = new Set(["summary", "description", "text", "topic", "ref", "title", "reason", "deprecated", "event", "source", "updated"]);

function poisonText(value: unknown): void {
  if (Array.isArray(value)) value.forEach(poisonText);
  else if (value && typeof value === "object") {
    const node = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(node)) {
      if (key === "loc" || key === "at" || key === "request" || key === "response" || key === "responsePayload") continue;
      if (typeof v === "string" && TEXT_KEYS.has(key)) node[key] = `${v} ${HOSTILE}`;
      else poisonText(v);
    }
  }
}

/**
 * A few operations per service carry every context the docs have (tables, enums, patterns, errors,
 * examples, notes): the richest ones by those counts. The escapers are per context, not per
 * operation, so the hostile run stays the same size as the catalogue grows.
 */
function sampled(real: Ir, perService = 3): Ir {
  const weight = (op: Ir["services"][number]["operations"][number]) => {
    const fields = [op.request, op.response].flatMap((x) => x.fields);
    return (
      fields.filter((f) => f.enum?.length).length * 4 +
      fields.filter((f) => f.constraints.pattern).length * 4 +
      op.examples.length * 2 +
      op.notes.length +
      fields.length
    );
  };
  return {
    ...real,
    services: real.services.map((s) => ({
      ...s,
      operations: [...s.operations].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name)).slice(0, perService),
    })),
  };
}

function hostileIr(real: Ir): Ir {
  const ir = structuredClone(sampled(real));
  for (const service of ir.services) {
    poisonText(service);
    for (const s of service.sources) s.url = BAD_URL;
    for (const op of service.operations) {
      const fields = [op.request, op.response, ...service.shapes].flatMap((s) => s.fields);
      for (const f of fields) if (f.enum?.length) f.enum[0]!.value = ENUM_VALUE;
      for (const f of fields) if (f.type.kind === "scalar" && f.type.name === "string") f.constraints.pattern = PATTERN;
      const own = op.errors.find((e) => e.scope !== "protocol");
      if (own) own.code = ERROR_CODE;
    }
  }
  return ir;
}

function pages(ir: Ir): Array<{ name: string; text: string }> {
  return [
    { name: "README.md", text: apiIndex(ir) },
    ...ir.services.flatMap((s) => [
      { name: `${s.id}/README.md`, text: packageReadme(s) },
      ...s.operations.map((op) => ({ name: `${s.id}/docs/${op.name}.md`, text: operationPage(s, op) })),
    ]),
  ];
}

function flat(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...flat(t.children ?? [])]);
}

/** What a reader sees of an inline token, written back as Markdown: code spans with their
 * backticks, links as `[text](href)`, nothing else but text. */
function shown(t: Token): string {
  let href = "";
  return (t.children ?? [])
    .map((c) => {
      if (c.type === "text") return c.content;
      if (c.type === "code_inline") return `${c.markup}${c.content}${c.markup}`;
      if (c.type === "softbreak" || c.type === "hardbreak") return " ";
      if (c.type === "link_open") return ((href = String(c.attrGet("href") ?? "")), "[");
      if (c.type === "link_close") return `](${href})`;
      return "";
    })
    .join("");
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** The block structure a reader sees, without paragraphs (spec text may hold several). */
function structure(tokens: Token[]): string[] {
  const kinds =
    /^(heading_open|blockquote_open|bullet_list_open|ordered_list_open|list_item_open|fence|code_block|table_open|tr_open|th_open|td_open|hr|html_block)$/;
  return tokens.filter((t) => kinds.test(t.type)).map((t) => `${t.type}:${t.tag}`);
}

/** Raw HTML the generator writes itself; anything else came from a spec. */
function ownHtml(t: Token): boolean {
  if (t.type === "html_inline") return t.content === "<br>";
  const block = t.content.trim();
  return /^<!-- Generated by [^<>]*? -->$/.test(block) || /^<details><summary>[^<>]*<\/summary>$/.test(block) || block === "</details>";
}

/** Only http(s) links, or links within the generated tree. */
function safeHref(href: string): boolean {
  return ["http:", "https:"].includes(new URL(href, "https://generated.invalid/dir/").protocol);
}

function checkSafe(name: string, text: string): Token[] {
  const tokens = md.parse(text, {});
  const all = flat(tokens);
  expect(
    all.filter((t) => (t.type === "html_block" || t.type === "html_inline") && !ownHtml(t)).map((t) => t.content),
    `${name}: raw HTML`,
  ).toEqual([]);
  expect(
    all.filter((t) => t.type === "link_open" && !safeHref(String(t.attrGet("href") ?? ""))).map((t) => t.attrGet("href")),
    `${name}: links`,
  ).toEqual([]);
  expect(all.filter((t) => t.type === "image").length, `${name}: images`).toBe(0);
  return all;
}

describe("Markdown escapers", () => {
  it.each(["x", "a`b", "``", "`lead", "trail`", " spaced ", "a ``` b", "line\nbreak"])("code(%j) is a code span of exactly the value", (value) => {
    const spans = flat(md.parse(code(value), {})).filter((t) => t.type === "code_inline");
    expect(spans.map((t) => t.content)).toEqual([value.replace(/\n/g, " ")]);
  });

  it("fence() is not closed by a backtick run in its text", () => {
    const text = "a\n````\n```\nb";
    const fences = md.parse(fence("json", text), {}).filter((t) => t.type === "fence");
    expect(fences.map((t) => t.content)).toEqual([`${text}\n`]);
  });

  it("inline(), paragraph() and heading() show hostile text as written, with no structure", () => {
    for (const [build, blocks] of [
      [inline, ["paragraph_open"]],
      [paragraph, ["paragraph_open", "paragraph_open", "paragraph_open"]],
      [(s: string) => heading(3, s), ["heading_open"]],
    ] as const) {
      const src = build(HOSTILE);
      const all = checkSafe("escaper", src);
      expect(all.filter((t) => t.block && t.nesting === 1).map((t) => t.type)).toEqual(blocks);
      expect(
        all
          .filter((t) => t.type === "inline")
          .map(shown)
          .join(" "),
      ).toBe(collapse(HOSTILE));
      expect(all.filter((t) => t.type === "link_open").map((t) => t.attrGet("href"))).toEqual(["https://example.com/a_b"]);
    }
  });
});

describe("generated Markdown with hostile spec strings", async () => {
  const real = await realIr();
  const ir = hostileIr(real);
  const clean = new Map(pages(sampled(real)).map((p) => [p.name, p.text]));
  const hostile = pages(ir);

  it.each(hostile.map((p) => [p.name, p.text]))("%s: no raw HTML, no link but http(s), no new block", (name, text) => {
    const all = checkSafe(name, text);
    expect(structure(md.parse(text, {})), `${name}: blocks`).toEqual(structure(md.parse(clean.get(name)!, {})));
    // Every attack shows whole, as text.
    const seen = all
      .filter((t) => t.type === "inline")
      .map(shown)
      .join("\n");
    expect(seen).toContain(collapse(HOSTILE));
    const count = (needle: string) => seen.split(needle).length - 1;
    expect(count("onerror")).toBe(count(HOSTILE_LINE) + count(ERROR_CODE));
  });

  it("shows headings, summaries, descriptions, enum values, patterns, error codes and URLs exactly", () => {
    for (const service of ir.services) {
      for (const op of service.operations) {
        const all = flat(md.parse(operationPage(service, op), {}));
        const inlines = all.filter((t) => t.type === "inline").map(shown);
        const codes = all.filter((t) => t.type === "code_inline").map((t) => t.content);
        const headings = all.flatMap((t, i) => (t.type === "heading_open" ? [shown(all[i + 1]!)] : []));
        for (const ex of op.examples) expect(headings).toContain(collapse(ex.title));
        expect(inlines).toContain(collapse(op.summary));
        expect(inlines.join(" ")).toContain(collapse(op.description));
        // The shapes this page shows: the operation's own and those its fields reach.
        const fields = reachableShapes(service, [op.request, op.response]).flatMap((s) => s.fields);
        if (fields.some((f) => f.enum?.length)) expect(codes).toContain(JSON.stringify(ENUM_VALUE));
        if (fields.some((f) => f.constraints.pattern === PATTERN)) expect(codes).toContain(PATTERN);
        if (op.errors.some((e) => e.code === ERROR_CODE)) expect(codes).toContain(ERROR_CODE);
      }
      const readme = flat(md.parse(packageReadme(service), {}));
      expect(readme.filter((t) => t.type === "code_inline").map((t) => t.content)).toContain(BAD_URL);
    }
  });

  it("leaves the real specs' links and code spans as links and code spans", () => {
    for (const { name, text } of pages(real)) checkSafe(name, text);
    const urls = real.services.flatMap((s) => s.sources.flatMap((x) => (x.url ? [x.url] : [])));
    const hrefs = pages(real).flatMap((p) =>
      flat(md.parse(p.text, {}))
        .filter((t) => t.type === "link_open")
        .map((t) => t.attrGet("href")),
    );
    for (const u of urls) expect(hrefs).toContain(u);
  });
});
