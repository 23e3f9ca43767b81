// Issue 14 item 5: a placeholder such as `1400xxxxxx_…` is no example (it fails once a pattern is
// added): it stays in the description, never in `example`.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { isPlaceholder } from "../../generator/import/fields.js";
import { actionToSpec } from "../../generator/import/import-api-json.js";
import { metadata } from "./support.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely

describe("placeholder examples", () => {
  it("recognises stand-ins, not values", () => {
    for (const p of ["1400xxxxxx_218695_1590065777", "https://**.png", "kAOgA9AEA...", "f8AAAMABwAJAAsxxxx", "https://xxxx/image.jpg"])
      expect(isPlaceholder(p), p).toBe(true);
    for (const v of ["1400188366_218695_1590065777", "user_2045351", "https://a.b/test.mp4", "ap-guangzhou"]) expect(isPlaceholder(v), v).toBe(false);
  });

  it("leaves every placeholder example of both services out of `example` and keeps it in the description", async () => {
    let checked = 0;
    for (const file of ["lcic-2022-08-17", "trtc-2019-07-22"] as const) {
      const { api, intl } = await metadata(file);
      for (const [action, a] of Object.entries(api.actions))
        for (const m of api.objects[a.input]!.members) {
          if (m.type !== "string" || !m.example || !isPlaceholder(m.example)) continue;
          const f = (parse(actionToSpec(api, action, { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl" }).yaml) as Spec)
            .request.fields[m.name];
          expect(f.example, `${action}.${m.name}`).toBeUndefined();
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("DescribeUserEvent CommId: the description keeps 1400xxxxxx, the field has no example", async () => {
    const { api, intl } = await metadata("trtc-2019-07-22");
    const f = (parse(actionToSpec(api, "DescribeUserEvent", { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl" }).yaml) as Spec)
      .request.fields.CommId;
    expect(f.example).toBeUndefined();
    expect(f.description).toContain("1400xxxxxx");
  });
});
