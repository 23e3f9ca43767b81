// The conversions one by one, on a small made-up api.json that has what the real files rarely do:
// offset pagination, a shape used both ways with conflicting flags, error codes, dates, a
// disabled member, an example that contradicts its types, a GET query-string example.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import type { ApiJson, ExamplesJson } from "../../generator/import/api-json.js";
import { objectDirections, reachableObjects } from "../../generator/import/api-json.js";
import { memberType } from "../../generator/import/fields.js";
import { timeWindowPhrases } from "../../generator/import/hints.js";
import { chooseRateLimit } from "../../generator/import/rate-limit.js";
import { actionToSpec, importActions, serviceToSpec, sharedObjects } from "../../generator/import/import-api-json.js";
import { oneLine, plainText } from "../../generator/import/text.js";
import { build } from "../../generator/pipeline.js";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { buildSettled, removeTemps, settled, tempSpecs } from "./support.js";

const m = (name: string, type: string, member: string, flags: Record<string, unknown> = {}) => ({
  name,
  type,
  member,
  document: `The ${name}.`,
  ...flags,
});
const requestId = { name: "RequestId", type: "string", member: "string", document: "唯一请求 ID。" };

const API: ApiJson = {
  version: "1.0",
  metadata: { apiVersion: "2024-01-02", serviceShortName: "demo", serviceNameCN: "演示" },
  actions: {
    ListThings: {
      document: "<p>Lists things.</p><p>默认请求频率限制：20次/秒。</p>",
      input: "ListThingsRequest",
      output: "ListThingsResponse",
      name: "列出",
      status: "online",
    },
    PutThing: {
      document: "Stores a thing; only data of the last 7 days.",
      input: "PutThingRequest",
      output: "PutThingResponse",
      name: "存储",
      status: "deprecated",
    },
  },
  objects: {
    ListThingsRequest: {
      type: "object",
      document: "",
      members: [
        m("Offset", "int", "uint64", { required: false }),
        m("Limit", "int", "uint64", { required: false, example: "20" }),
        m("Day", "string", "date", { required: true, example: "2024-01-02" }),
      ],
    },
    ListThingsResponse: {
      type: "object",
      document: "",
      members: [
        m("Things", "list", "Thing", { output_required: true, value_allowed_null: false }),
        m("Total", "int", "int64", { output_required: true, example: "无" }),
        requestId,
      ],
    },
    PutThingRequest: {
      type: "object",
      document: "",
      members: [m("Thing", "object", "Thing", { required: true }), m("Tags", "list", "string", { required: false, example: '["a","b"]' })],
    },
    PutThingResponse: {
      type: "object",
      document: "",
      members: [
        m("Ok", "bool", "bool", { output_required: true }),
        m("Score", "float", "float", { output_required: false, value_allowed_null: true }),
        requestId,
      ],
    },
    Thing: {
      usage: "both",
      document: "<b>A</b> thing, see [the page](\nhttps://example.com/x).",
      members: [
        m("Id", "string", "string", { required: true, output_required: true }),
        m("Size", "int", "uint64", { required: true, output_required: false, example: "1400xxxxxx" }),
        m("Old", "string", "string", { required: false, output_required: false, disabled: true }),
      ],
    },
  },
};

const EXAMPLES: ExamplesJson = {
  actions: {
    ListThings: [
      {
        title: "List",
        input: 'POST / HTTP/1.1\nHost: demo.tencentcloudapi.com\nX-TC-Action: ListThings\n<公共请求参数>\n\n{"Day": "2024-01-02", "Limit": 1}',
        output: '{"Response": {"Things": [{"Id": "a", "Size": "big"}], "Total": 1, "RequestId": "r"}}',
      },
      {
        title: "List",
        input: "https://demo.tencentcloudapi.com/?Action=ListThings\n&Day=2024-01-02\n&<公共请求参数>",
        output: '{"Response": {"Things": [], "Total": 0, "RequestId": "r"}}',
      },
    ],
  },
};

afterAll(removeTemps);

describe("text", () => {
  it("strips HTML and markdown, keeps list lines and placeholders", () => {
    expect(plainText("<p>角色</p><p>枚举值：</p><ul><li>0： 学生</li><li>1： 老师</li></ul>")).toBe("角色\n枚举值：\n- 0： 学生\n- 1： 老师");
    expect(plainText("IM[管理员账户](\nhttps://cloud.tencent.com/a#b)，如果填")).toBe("IM管理员账户 (https://cloud.tencent.com/a#b)，如果填");
    expect(plainText("a &lt; b<br/>c  &amp;  <公共请求参数>")).toBe("a < b\nc & <公共请求参数>");
    expect(plainText(undefined)).toBe("");
    expect(oneLine("<p>x</p><p>y</p>")).toBe("x y");
  });
});

describe("types and flags", () => {
  it("maps every member type of the format", () => {
    const t = (type: string, member: string) => memberType(API, { name: "X", type, member });
    expect(t("int", "uint64")).toEqual({ type: "uint64", js: "number" });
    expect(t("int", "int64")).toEqual({ type: "int64", js: "number" });
    expect(t("float", "float")).toEqual({ type: "float" });
    expect(t("bool", "bool")).toEqual({ type: "boolean" });
    expect(t("string", "string")).toEqual({ type: "string" });
    expect(t("string", "date")).toEqual({ type: "string", format: "date" });
    expect(t("object", "Thing")).toEqual({ type: "Thing" });
    expect(t("list", "Thing")).toEqual({ type: "Thing[]" });
    expect(t("list", "uint64")).toEqual({ type: "uint64[]", js: "number" });
    expect(t("list", "string")).toEqual({ type: "string[]" });
    expect(t("object", "Nope").type).toBe("any");
  });

  it("finds which objects travel which way and which actions share them", () => {
    expect(objectDirections(API).get("Thing")).toBe("both");
    expect(reachableObjects(API, "ListThings")).toEqual(["Thing"]);
    expect(sharedObjects(API, ["ListThings", "PutThing"])).toEqual(["Thing"]);
    expect(sharedObjects(API, ["PutThing"])).toEqual([]);
  });

  it("reads rate limits and time windows from the texts", () => {
    expect(chooseRateLimit({ zh: ["默认请求频率限制：20次/秒。"] })).toMatchObject({ requests: 20, per: "second" });
    expect(chooseRateLimit({ en: ["A maximum of 50 requests can be initiated per second for this API."] })).toMatchObject({
      requests: 50,
      per: "second",
    });
    expect(chooseRateLimit({ en: ["none"] })).toBeUndefined();
    expect(timeWindowPhrases(["仅在课堂结束1小时内有效", "data in the last 14 days"])).toEqual(["1小时内", "last 14 days"]);
  });
});

describe("actionToSpec", () => {
  const list = actionToSpec(API, "ListThings", { sourceId: "metadata-cn", examples: EXAMPLES });
  const put = actionToSpec(API, "PutThing", {
    sourceId: "metadata-cn",
    facts: {
      PutThing: {
        errors: [
          { code: "InternalError.Db", description: "<p>db</p>" },
          { code: "FailedOperation.Busy" },
          { code: "RequestLimitExceeded" },
          { code: "ResourceNotFound.Thing" },
          { code: "bad code" },
        ],
        rateLimitText: {},
      },
    },
  });
  const spec = (yaml: string) => parse(yaml) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely

  it("writes the schema comment first, TODO comments, and the fields with their flags", () => {
    expect(list.file).toBe("ListThings.yaml");
    expect(list.yaml.split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/operation.schema.json");
    const s = spec(list.yaml);
    expect(Object.keys(s)).toEqual([
      "name",
      "action",
      "summary",
      "description",
      "source",
      "rateLimit",
      "request",
      "response",
      "types",
      "errors",
      "examples",
      "notes",
    ]);
    expect(s.request.fields.Day).toMatchObject({ type: "string", required: true, format: "date", example: "2024-01-02" });
    expect(s.request.fields.Limit).toMatchObject({ type: "uint64", js: "number", example: 20 });
    expect(s.request.fields.Limit.notes.map((n: { topic: string }) => n.topic)).toEqual(["64-bit (imported)"]);
    expect(s.response.fields.Total).toMatchObject({ type: "int64", js: "number", required: true });
    expect(s.response.fields.Total.example).toBeUndefined(); // "无" is no example
    expect(s.response.fields.RequestId).toMatchObject({ type: "string", required: true });
    // Used both ways: required only where both flags agree.
    expect(s.types.Thing.fields.Id.required).toBe(true);
    expect(s.types.Thing.fields.Size.required).toBeUndefined();
    expect(s.types.Thing.fields.Size.notes.map((n: { topic: string }) => n.topic)).toContain("Required flag (imported)");
    expect(s.types.Thing.fields.Size.example).toBeUndefined(); // "1400xxxxxx" is not a uint64
    expect(s.types.Thing.fields.Old.deprecated).toMatch(/disabled/);
    expect(s.types.Thing.description).toBe("A thing, see the page (https://example.com/x).");
    expect(s.rateLimit).toMatchObject({ requests: 20, per: "second", source: "metadata-cn ListThings" });
    // Offset paging, but Limit has neither a maximum nor a default: proposed, commented out.
    expect(list.yaml).toContain("# pagination:\n#   style: offset\n#   offset: Offset\n#   size: Limit\n#   items: Things\n#   total: Total\n");
    expect(list.yaml).toContain("# TODO(import): no error codes for this action");
  });

  it("marks examples the lint's check rejects at exactly its paths", () => {
    const [json, query] = spec(list.yaml).examples;
    expect(json.response).toBe(EXAMPLES.actions.ListThings![0]!.output);
    expect(json.contradicts.paths).toEqual(["response.Things[0].Size"]);
    expect(query.title).toBe("List (2)");
    expect(query.request).toBe("https://demo.tencentcloudapi.com/?Action=ListThings\n&Day=2024-01-02\n&<公共请求参数>");
    expect(query.contradicts.paths).toEqual(["request"]);
  });

  it("maps error codes: retryable by the importer's rule, sorted, malformed ones left out", () => {
    const s = spec(put.yaml);
    expect(s.deprecated).toMatch(/deprecated/);
    expect(s.errors.map((e: { code: string; retryable: boolean }) => [e.code, e.retryable])).toEqual([
      ["FailedOperation.Busy", true],
      ["InternalError.Db", true],
      ["RequestLimitExceeded", true],
      ["ResourceNotFound.Thing", false],
    ]);
    expect(s.errors[1].description).toBe("db");
    expect(s.request.fields.Tags).toMatchObject({ type: "string[]", example: ["a", "b"] });
    expect(s.response.fields.Score).toMatchObject({ type: "float", nullable: true });
    expect(put.yaml).toMatch(/time window\?/);
    expect(put.yaml).toContain("# TODO(import): the metadata has no example for this action");
  });

  it("is deterministic", () => {
    expect(actionToSpec(API, "ListThings", { sourceId: "metadata-cn", examples: EXAMPLES })).toEqual(list);
  });

  it("gives specs that generate with no diagnostics, beside service.yaml with the shared types", async () => {
    const specs = await tempSpecs();
    const dir = path.join(specs, "demo");
    await mkdir(dir);
    const service = serviceToSpec(API, { service: { id: "demo" }, sourceId: "metadata-cn", sharedTypes: ["Thing"], sourceFile: "demo.api.json" });
    const s = spec(service.yaml);
    expect(s.protocol).toEqual({ name: "tc3", service: "demo", version: "2024-01-02" });
    expect(service.yaml).toContain('version: "2024-01-02"');
    expect(s.endpoints.map((e: { host: string }) => e.host)).toEqual(["demo.tencentcloudapi.com", "demo.intl.tencentcloudapi.com"]);
    expect(Object.keys(s.types)).toEqual(["Thing"]);
    expect(s.client).toBe("DemoClient");
    expect(s.package.name).toBe("@rtc-apigen/demo");
    await writeFile(path.join(dir, service.file), settled(service.yaml));
    const elsewhere = new Set(["Thing"]);
    for (const f of [
      actionToSpec(API, "ListThings", { sourceId: "metadata-cn", examples: EXAMPLES, definedElsewhere: elsewhere }),
      actionToSpec(API, "PutThing", { sourceId: "metadata-cn", definedElsewhere: elsewhere }),
    ]) {
      expect(spec(f.yaml).types).toBeUndefined();
      await writeFile(path.join(dir, f.file), settled(f.yaml));
    }
    const result = await build(specs, path.dirname(specs));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});

describe("importActions", () => {
  it("leaves existing files alone, references their types, and puts new shared types in the first action", async () => {
    const specs = await tempSpecs();
    const apiJson = path.join(path.dirname(specs), "demo.api.json");
    await writeFile(apiJson, JSON.stringify(API));
    const dir = path.join(specs, "demo");
    const first = await importActions({ apiJson, serviceDir: dir, actions: ["PutThing"] });
    expect(first.written.map((f) => path.basename(f))).toEqual(["service.yaml", "PutThing.yaml"]);
    expect(first.skipped).toEqual([]);
    // Imported alone, PutThing keeps Thing as its own type.
    expect(Object.keys(parse(await readFile(path.join(dir, "PutThing.yaml"), "utf8")).types)).toEqual(["Thing"]);

    const second = await importActions({ apiJson, serviceDir: dir });
    expect(second.actions).toEqual(["ListThings", "PutThing"]);
    expect(second.written.map((f) => path.basename(f))).toEqual(["ListThings.yaml"]);
    expect(second.skipped.map((s) => s.file)).toEqual(["PutThing.yaml", "service.yaml"]);
    expect(parse(await readFile(path.join(dir, "ListThings.yaml"), "utf8")).types).toBeUndefined();
    expect((await buildSettled(specs)).diagnostics.map(formatDiagnostic)).toEqual([]);

    const forced = await importActions({ apiJson, serviceDir: dir, overwrite: true });
    expect(forced.skipped).toEqual([]);
    expect(parse(await readFile(path.join(dir, "service.yaml"), "utf8")).types.Thing).toBeDefined();
    expect((await buildSettled(specs)).diagnostics.map(formatDiagnostic)).toEqual([]);

    await expect(importActions({ apiJson, serviceDir: dir, actions: ["listthings"] })).rejects.toThrow(
      /no action "listthings"; did you mean "ListThings"\?/,
    );
  });

  it("with an existing service.yaml that lacks a shared type, defines it once in the first action and says so", async () => {
    const specs = await tempSpecs();
    const apiJson = path.join(path.dirname(specs), "demo.api.json");
    await writeFile(apiJson, JSON.stringify(API));
    const dir = path.join(specs, "demo");
    await mkdir(dir);
    await writeFile(path.join(dir, "service.yaml"), serviceToSpec(API, { service: { id: "demo" }, sourceId: "metadata-cn" }).yaml);
    const result = await importActions({ apiJson, serviceDir: dir });
    expect(result.skipped.map((s) => s.file)).toEqual(["service.yaml"]);
    expect(result.warnings).toEqual([
      "Thing is used by several imported actions; it is defined in ListThings.yaml, but belongs in service.yaml types",
    ]);
    expect(Object.keys(parse(await readFile(path.join(dir, "ListThings.yaml"), "utf8")).types)).toEqual(["Thing"]);
    expect(parse(await readFile(path.join(dir, "PutThing.yaml"), "utf8")).types).toBeUndefined();
    expect((await buildSettled(specs)).diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});
