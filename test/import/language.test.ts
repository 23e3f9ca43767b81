// Issue 14 item 1: with --also, the international edition's English is written where it has the
// action or field; the Chinese stays only as the fallback, marked with its language.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { actionToSpec } from "../../generator/import/import-api-json.js";
import { languageOf, oneLine, plainText } from "../../generator/import/text.js";
import { metadata } from "./support.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely
type Note = { topic: string; text: string };

const { api, intl, examples } = await metadata("lcic-2022-08-17");
const withIntl = { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", examples };
const specOf = (action: string): Spec => parse(actionToSpec(api, action, withIntl).yaml) as Spec;
const languageNotes = (node: { notes?: Note[] }) => (node.notes ?? []).filter((n) => n.topic === "Language");

describe("English from the international edition", () => {
  it("writes the intl summary, description and field descriptions of an action both editions have", () => {
    const s = specOf("GetRoomEvent");
    const en = intl.actions.GetRoomEvent!;
    expect(s.summary).toBe(oneLine(en.name));
    expect(s.description).toBe(plainText(en.document));
    for (const m of intl.objects[en.input]!.members) expect(s.request.fields[m.name].description, m.name).toBe(plainText(m.document));
    expect(languageNotes(s)).toEqual([]);
    // Every description the spec carries is English.
    const texts = [s.summary, s.description, ...Object.values<{ description: string }>(s.request.fields).map((f) => f.description)];
    expect(texts.filter((t) => languageOf(t) === "zh")).toEqual([]);
  });

  it("keeps the Chinese text of an action the intl edition lacks, marked with its language", () => {
    const action = Object.keys(api.actions)
      .sort()
      .find((a) => !intl.actions[a])!;
    const s = specOf(action);
    expect(s.description).toBe(plainText(api.actions[action]!.document));
    expect(languageOf(s.description)).toBe("zh");
    expect(languageNotes(s).map((n) => n.text)).toEqual([
      expect.stringMatching(/^Chinese \(zh\): the summary and the description, from metadata-cn; the metadata-intl edition has no /),
    ]);
  });

  it("marks a field whose description only the Chinese edition has", () => {
    // A field of an object both editions have, missing from the intl one.
    const [object, field] = Object.entries(api.objects)
      .filter(([name]) => intl.objects[name])
      .flatMap(([name, o]) =>
        o.members.filter((m) => !intl.objects[name]!.members.some((x) => x.name === m.name) && m.document).map((m) => [name, m.name] as const),
      )[0]!;
    const action = Object.keys(api.actions)
      .sort()
      .find((a) => api.actions[a]!.input === object || api.actions[a]!.output === object)!;
    const s = specOf(action);
    const f = (api.actions[action]!.input === object ? s.request : s.response).fields[field];
    expect(languageOf(f.description)).toBe("zh");
    expect(languageNotes(f)).toEqual([{ topic: "Language", text: expect.stringMatching(/^Chinese \(zh\): the description, from metadata-cn/) }]);
  });

  it("describes enum values in English where the intl text lists them, in Chinese (marked) where only the CN text does", () => {
    const f = specOf("CreateRoom").request.fields.DisableRecord;
    expect(f.enum.map((e: { value: number }) => e.value)).toEqual([0, 1, 2, 3]);
    expect(f.enum.slice(0, 2).map((e: { description: string }) => languageOf(e.description))).toEqual(["en", "en"]);
    expect(f.enum.slice(2).map((e: { description: string }) => languageOf(e.description))).toEqual(["zh", "zh"]);
    expect(languageNotes(f).map((n) => n.text)).toEqual([expect.stringContaining("the descriptions of enum values 2, 3")]);
  });

  it("without --also writes the Chinese text and no language marks (there is nothing to prefer)", () => {
    const s = parse(actionToSpec(api, "GetRoomEvent", { sourceId: "metadata-cn" }).yaml) as Spec;
    expect(s.description).toBe(plainText(api.actions.GetRoomEvent!.document));
    expect(languageNotes(s)).toEqual([]);
  });
});
