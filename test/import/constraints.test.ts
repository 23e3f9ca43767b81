// Issue 14 item 2: enums, ranges, lengths and list sizes read from the field texts of both
// editions, written as constraints with the source sentence in a note; and the js: heuristic of
// 64-bit fields.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { actionToSpec } from "../../generator/import/import-api-json.js";
import { constraintsFromText } from "../../generator/import/constraints.js";
import { jsChoice } from "../../generator/import/int64.js";
import { plainText } from "../../generator/import/text.js";
import { metadata } from "./support.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely
type Note = { topic: string; text: string };

const without = ({ sentences: _s, ...rest }: ReturnType<typeof constraintsFromText>) => rest;

describe("constraintsFromText", () => {
  it.each([
    [
      "<p>录制方式。</p><p>枚举值：</p><ul><li>0： 开启自动录制（默认）</li><li>1： 禁止录制</li></ul>",
      "integer",
      {
        enum: [
          { value: 0, description: "开启自动录制（默认）" },
          { value: 1, description: "禁止录制" },
        ],
        default: 0,
      },
    ],
    [
      "Whether to disable auto recording. Valid values: `0` (default): No; `1`: Yes.",
      "integer",
      {
        enum: [
          { value: 0, description: "No" },
          { value: 1, description: "Yes" },
        ],
        default: 0,
      },
    ],
    [
      "课堂子类型，可以有以下取值：<br>videodoc 文档+视频<br>video 纯视频",
      "string",
      {
        enum: [
          { value: "videodoc", description: "文档+视频" },
          { value: "video", description: "纯视频" },
        ],
      },
    ],
    [
      "跑马灯类型：1为固定值，2为用户昵称，3为固定值+用户昵称",
      "integer",
      {
        enum: [
          { value: 1, description: "固定值" },
          { value: 2, description: "用户昵称" },
          { value: 3, description: "固定值+用户昵称" },
        ],
      },
    ],
    ["输出流音频采样率。取值为[48000, 44100, 32000]，单位是Hz。", "integer", { enum: [{ value: 48000 }, { value: 44100 }, { value: 32000 }] }],
    ["<p>每页获取的记录条数。</p><p>取值范围：[1, 200]</p><p>默认值：20</p>", "integer", { minimum: 1, maximum: 200, default: 20 }],
    ["每页个数，默认为6，\n范围：[1，100]", "integer", { minimum: 1, maximum: 100, default: 6 }],
    ["The maximum number of mic-on users (excluding the teacher). Value range: 0–16.", "integer", { minimum: 0, maximum: 16 }],
    [
      "The maximum number of records per page. The value of this parameter cannot exceed 1000 and is 20 by default.",
      "integer",
      { maximum: 1000, default: 20 },
    ],
    ["每页数据量，maximum 1000", "integer", { maximum: 1000 }],
    ["The custom data, up to 48 bytes.", "string", { maxLength: 48 }],
    ["<p>课堂名称。<br>字符数不超过256</p>", "string", { maxLength: 256 }],
    ["播放倍速，默认1.0，可取[0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]", "float", { minimum: 0.5, maximum: 2, default: 1 }],
    // A special value beside a range is no enum; the range stays.
    ["拖堂时间：单位分钟，0为不限制(默认值), -1为不能拖堂，大于0为拖堂的时间，最大值120分钟", "integer", { maximum: 120, default: 0 }],
    // Not bounds of this field: a size in MB, a span between two fields, one word of a list.
    ["图片内容经base64编码后的string格式,最大长度为2M", "string", {}],
    ["查询结束时间，本地unix时间戳，单位为秒（如：1590065877）注意：与StartTime间隔时间不超过1小时。", "integer", {}],
    ["单个热词不超过30个字符（最多10个汉字）", "string", {}],
  ] as const)("%s", (text, kind, expected) => {
    expect(without(constraintsFromText(plainText(text), kind))).toEqual(expected);
  });

  it("reads list sizes for lists", () => {
    expect(without(constraintsFromText("成员列表，最大值200", "string", true))).toEqual({ maxItems: 200 });
    expect(without(constraintsFromText("要移出的用户列表，最多10个。", "string", true))).toEqual({ maxItems: 10 });
  });

  it("keeps the sentence each constraint came from", () => {
    expect(constraintsFromText(plainText("<p>每页获取的记录条数。</p><p>取值范围：[1, 200]</p><p>默认值：20</p>"), "integer").sentences).toEqual({
      minimum: "取值范围：[1, 200]",
      maximum: "取值范围：[1, 200]",
      default: "默认值：20",
    });
  });
});

describe("imported constraints", () => {
  it("writes the enums and ranges of both editions with the sentences in a note; the old 'no constraints or enums' note is gone", async () => {
    const { api, intl, examples } = await metadata("lcic-2022-08-17");
    const s = parse(
      actionToSpec(api, "DescribePlayRecords", { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", examples }).yaml,
    ) as Spec;
    expect(s.request.fields.PageSize).toMatchObject({ minimum: 1, maximum: 200, default: 20 });
    const note = (s.request.fields.PageSize.notes as Note[]).find((n) => n.topic === "Constraints (imported)")!;
    expect(note.text).toContain('"取值范围：[1, 200]" (metadata-cn)');
    const room = parse(
      actionToSpec(api, "CreateRoom", { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", examples }).yaml,
    ) as Spec;
    expect(room.request.fields.RoomType.enum.map((e: { value: number }) => e.value)).toEqual([0, 1, 2, 3, 4]);
    expect(room.request.fields.Name.maxLength).toBe(256);
    for (const spec of [s, room]) expect(JSON.stringify(spec)).not.toMatch(/has no rate limit, regions, time windows, constraints or enums/);
  });

  it("gives an enum to every field whose text has an explicit 枚举值 list, in both services, or says why not", async () => {
    let checked = 0;
    for (const file of ["lcic-2022-08-17", "trtc-2019-07-22"] as const) {
      const { api, intl, examples } = await metadata(file);
      const options = { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", examples };
      // Fields of request and response envelopes, whose spec file is the action's own.
      for (const [action, a] of Object.entries(api.actions))
        for (const [side, object] of [
          ["request", a.input],
          ["response", a.output],
        ] as const)
          for (const m of api.objects[object]!.members) {
            if (!/<p>枚举值：<\/p><ul><li>/.test(m.document ?? "") || m.type === "bool") continue;
            const f = (parse(actionToSpec(api, action, options).yaml) as Spec)[side].fields[m.name];
            const notApplied = (f.notes as Note[] | undefined)?.some((n) => n.topic === "Constraint not applied (imported)");
            expect(f.enum !== undefined || notApplied, `${action} ${side}.${m.name}`).toBe(true);
            checked++;
          }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("leaves out a constraint the field's own example breaks, and says so", async () => {
    const { api, intl } = await metadata("lcic-2022-08-17");
    const action = Object.keys(api.actions).find((a) =>
      api.objects[api.actions[a]!.output]!.members.some((m) => m.type === "list" && m.member === "EditVersions"),
    );
    const s = parse(actionToSpec(api, action!, { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl" }).yaml) as Spec;
    // "取值范围：[0, 10000000]" with the example 1781180043000 (a millisecond timestamp).
    const f = s.types.EditVersions.fields.CreatedAtMs;
    expect(f.maximum).toBeUndefined();
    expect(f.example).toBe(1781180043000);
    expect((f.notes as Note[]).map((n) => n.topic)).toContain("Constraint not applied (imported)");
  });
});

describe("64-bit fields", () => {
  it("chooses js: by what the field holds, with the reason", () => {
    expect(jsChoice("TaskId", ["任务的唯一ID"]).js).toBe("string");
    expect(jsChoice("RoomId", ["房间号"], undefined, 876789).js).toBe("number");
    expect(jsChoice("Total", ["总数"]).js).toBe("number");
    expect(jsChoice("StartTime", ["开始时间，unix时间戳"]).js).toBe("number");
    expect(jsChoice("Status", ["状态"], 3).reason).toMatch(/enum or range/);
    expect(jsChoice("UserSig", ["32位整型"]).reason).toMatch(/32-bit/);
  });

  it("writes the choice with a note that carries no TODO", async () => {
    const { api, intl } = await metadata("trtc-2019-07-22");
    const s = parse(actionToSpec(api, "DescribeUserEvent", { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl" }).yaml) as Spec;
    const f = s.request.fields.SdkAppId;
    expect(f.js).toBe("number");
    expect(f.notes).toContainEqual({ topic: "64-bit (imported)", text: expect.stringMatching(/^uint64 in the metadata; `js: number`: /) });
    expect(JSON.stringify(f.notes)).not.toContain("TODO");
  });
});
