// Issue 14 item 4: pagination for every paging style the metadata uses (page/size with first page
// 0 or 1, offset/limit), including a page size with a default and no documented maximum.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { FieldModel, ShapeModel } from "../../generator/import/fields.js";
import { actionToSpec } from "../../generator/import/import-api-json.js";
import { firstPage, paginationOf } from "../../generator/import/pagination.js";
import { metadata } from "./support.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely

const shape = (fields: Array<Partial<FieldModel> & { name: string; type: string }>): ShapeModel => ({
  name: "S",
  description: "S",
  notes: [],
  fields: fields.map((f) => ({ description: f.name, required: false, nullable: false, notes: [], ...f })),
});
const response = shape([
  { name: "Rooms", type: "Room[]" },
  { name: "Total", type: "uint64" },
  { name: "RequestId", type: "string" },
]);

describe("paginationOf", () => {
  it("writes page-number pagination, counting from the page the texts give", () => {
    const request = shape([
      { name: "PageNumber", type: "uint64" },
      { name: "PageSize", type: "uint64", maximum: 100, default: 10 },
    ]);
    expect(paginationOf(request, response, () => ["当前页数，默认为0，"])).toEqual({
      value: { style: "page-number", page: "PageNumber", firstPage: 0, size: "PageSize", items: "Rooms", total: "Total" },
      comments: [],
      notes: [{ topic: "First page (imported)", text: "PageNumber defaults to 0 (its text); taken as the first page." }],
    });
    expect(paginationOf(request, response, () => ["The page to return records from. Pagination starts from 1."]).value).toMatchObject({
      firstPage: 1,
    });
    expect(paginationOf(request, response, () => ["1"]).comments).toEqual([expect.stringMatching(/^TODO\(import\): pagination.firstPage/)]);
  });

  it("writes offset pagination", () => {
    const request = shape([
      { name: "Offset", type: "uint64" },
      { name: "Limit", type: "uint64", maximum: 100 },
    ]);
    expect(paginationOf(request, response, () => []).value).toEqual({
      style: "offset",
      offset: "Offset",
      size: "Limit",
      items: "Rooms",
      total: "Total",
    });
  });

  it("accepts a page size with a default and no maximum; proposes the block in a comment when there is neither", () => {
    const defaulted = shape([
      { name: "Page", type: "int64" },
      { name: "Limit", type: "int64", default: 20 },
    ]);
    expect(paginationOf(defaulted, response, () => ["分页，默认值为1"]).value).toMatchObject({ style: "page-number", size: "Limit" });
    const neither = paginationOf(
      shape([
        { name: "Page", type: "int64" },
        { name: "Limit", type: "int64" },
      ]),
      response,
      () => ["从1开始"],
    );
    expect(neither.value).toBeUndefined();
    expect(neither.comments.slice(1)).toEqual([
      "pagination:",
      "  style: page-number",
      "  page: Page",
      "  firstPage: 1",
      "  size: Limit",
      "  items: Rooms",
      "  total: Total",
    ]);
  });

  it("reads the first page from either language", () => {
    expect(firstPage(["页码，从1开始递增。"])).toEqual({ value: 1, how: "stated" });
    expect(firstPage(["The page number. The default is 0."])).toEqual({ value: 0, how: "default" });
    expect(firstPage(["起始页"])).toEqual({ value: 1, how: "unknown" });
  });
});

describe("imported pagination", () => {
  it("pages every action of both services that has a page field, a page size and a list, with the size's maximum or default", async () => {
    let paged = 0;
    for (const file of ["lcic-2022-08-17", "trtc-2019-07-22"] as const) {
      const { api, intl, examples } = await metadata(file);
      for (const [action, a] of Object.entries(api.actions)) {
        const names = api.objects[a.input]!.members.map((m) => m.name);
        const pages =
          names.some((n) => ["Page", "PageNumber", "PageNo", "PageIndex", "Offset"].includes(n)) &&
          names.some((n) => ["Limit", "PageSize"].includes(n));
        if (!pages || !api.objects[a.output]!.members.some((m) => m.type === "list")) continue;
        const yaml = actionToSpec(api, action, { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", examples }).yaml;
        const s = parse(yaml) as Spec;
        if (s.pagination) {
          const size = s.request.fields[s.pagination.size];
          expect(size.maximum !== undefined || size.default !== undefined, action).toBe(true);
          paged++;
        } else expect(yaml, action).toMatch(/# TODO\(import\): pagination\. \w+ states neither a maximum nor a default/);
      }
    }
    expect(paged).toBeGreaterThan(0);
  });

  it("counts TRTC's PageNumber from 0 and LCIC's Page from 1; a size with only a default pages too", async () => {
    const trtc = await metadata("trtc-2019-07-22");
    const room = parse(
      actionToSpec(trtc.api, "DescribeRoomInfo", { sourceId: "metadata-cn", secondary: trtc.intl, secondaryId: "metadata-intl" }).yaml,
    ) as Spec;
    expect(room.pagination).toEqual({ style: "page-number", page: "PageNumber", firstPage: 0, size: "PageSize", items: "RoomList", total: "Total" });
    const lcic = await metadata("lcic-2022-08-17");
    const users = parse(
      actionToSpec(lcic.api, "DescribeSdkAppIdUsers", { sourceId: "metadata-cn", secondary: lcic.intl, secondaryId: "metadata-intl" }).yaml,
    ) as Spec;
    expect(users.pagination).toMatchObject({ style: "page-number", page: "Page", firstPage: 1, size: "Limit" });
    expect(users.request.fields.Limit).toMatchObject({ default: 20 });
    expect(users.request.fields.Limit.maximum).toBeUndefined();
  });
});
