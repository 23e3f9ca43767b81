// The emitters loaded one by one (an edit re-emits a few units) are exactly index.ts's EMITTERS.
import { describe, expect, it } from "vitest";
import { EMITTER_LOADERS } from "../../generator/emit/emitter-loaders.js";
import { EMITTERS } from "../../generator/emit/index.js";

describe("EMITTER_LOADERS", () => {
  it("loads each emitter of EMITTERS under its name, and no other", async () => {
    expect(Object.keys(EMITTER_LOADERS).sort()).toEqual(EMITTERS.map((e) => e.name).sort());
    for (const e of EMITTERS) expect(await EMITTER_LOADERS[e.name]!()).toBe(e);
  });
});
