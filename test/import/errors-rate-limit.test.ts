// Issue 14 item 3: each action's error codes (English descriptions, a reasoned `retryable`) and its
// rate limit from the reference's action-errors.json and the texts of both editions; where the
// editions disagree the note quotes both and states the choice. `rateLimit` takes `notes`.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { readActionFacts } from "../../generator/import/action-facts.js";
import { ERRORS_FILE, METADATA_DIR } from "../../generator/import/build-corpus.js";
import { actionToSpec, importActions } from "../../generator/import/import-api-json.js";
import { chooseRateLimit } from "../../generator/import/rate-limit.js";
import { retryableByDefault } from "../../generator/import/retryable.js";
import { build } from "../../generator/pipeline.js";
import { metadata, removeTemps, settleTree, tempSpecs } from "./support.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read freely

const ERRORS = path.join(METADATA_DIR, ERRORS_FILE);
const raw = JSON.parse(await readFile(ERRORS, "utf8")) as {
  services: Record<
    string,
    {
      actions: Record<string, { errors: string[]; errorsOnlyInZh: string[]; rateLimitText?: { en?: string[]; zh?: string[] } }>;
      errorCodes: Record<string, { en?: string; zh?: string }>;
    }
  >;
};

afterAll(removeTemps);

async function imported(file: "lcic-2022-08-17" | "trtc-2019-07-22", action: string): Promise<Spec> {
  const { api, intl } = await metadata(file);
  const facts = await readActionFacts(ERRORS, { shortName: api.metadata.serviceShortName, version: api.metadata.apiVersion });
  return parse(actionToSpec(api, action, { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl", facts }).yaml) as Spec;
}

describe("errors from the errors file", () => {
  it("lists every code the SDKs document for the action, English where the file has it, with the importer's retryable", async () => {
    const s = await imported("lcic-2022-08-17", "CreateRoom");
    const entry = raw.services.lcic!.actions.CreateRoom!;
    const codes = [...new Set([...entry.errors, ...entry.errorsOnlyInZh])].sort((a, b) => a.localeCompare(b));
    expect(s.errors.map((e: { code: string }) => e.code)).toEqual(codes);
    for (const e of s.errors as Array<{ code: string; description: string; retryable: boolean; source: string }>) {
      const d = raw.services.lcic!.errorCodes[e.code];
      expect(e.description, e.code).toBe(d?.en ?? d?.zh ?? e.code);
      expect(e.retryable, e.code).toBe(retryableByDefault(e.code, d?.en ?? d?.zh));
      expect(e.source).toBe("sdk-errors CreateRoom");
    }
    expect(s.notes.find((n: { topic: string }) => n.topic === "Imported").text).toContain("`retryable` by the importer's rule");
  });

  it("decides retryable in one rule: transient failures yes, wrong requests and missing resources no", () => {
    expect(retryableByDefault("InternalError")).toBe(true);
    expect(retryableByDefault("InternalError.DBError", "An error occurred while querying the database.")).toBe(true);
    expect(retryableByDefault("InternalError.HttpParseFailed", "HTTP request parsing failed.")).toBe(false);
    expect(retryableByDefault("RequestLimitExceeded.UinLimitExceeded")).toBe(true);
    expect(retryableByDefault("ResourceUnavailable")).toBe(true);
    expect(retryableByDefault("ResourceUnavailable.RoomStatistics", "Getting room data. Please wait.")).toBe(true);
    expect(retryableByDefault("FailedOperation.RequestTimedOut", "Request timed out.")).toBe(true);
    expect(retryableByDefault("ResourceNotFound.Room", "The room does not exist.")).toBe(false);
    expect(retryableByDefault("InvalidParameter.SdkAppId")).toBe(false);
    expect(retryableByDefault("LimitExceeded", "The quota limit is reached.")).toBe(false);
  });
});

describe("rate limits", () => {
  it("takes the lower rate when the editions disagree, quoting both (BatchRegister: 20/s English, 10/s Chinese)", async () => {
    const s = await imported("lcic-2022-08-17", "BatchRegister");
    const { en, zh } = raw.services.lcic!.actions.BatchRegister!.rateLimitText!;
    expect(s.rateLimit).toMatchObject({ requests: 10, per: "second", source: "sdk-errors BatchRegister" });
    expect(s.rateLimit.notes).toEqual([{ topic: "Rate limit (imported)", text: expect.stringContaining("The editions disagree") }]);
    for (const sentence of [...en!, ...zh!]) expect(s.rateLimit.notes[0].text).toContain(sentence.trim());
  });

  it("gives every action whose sentences state a rate a rateLimit", async () => {
    for (const [service, file] of [
      ["lcic", "lcic-2022-08-17"],
      ["trtc", "trtc-2019-07-22"],
    ] as const) {
      const { api } = await metadata(file);
      for (const [action, entry] of Object.entries(raw.services[service]!.actions)) {
        if (!api.actions[action] || !entry.rateLimitText || !Object.keys(entry.rateLimitText).length) continue;
        const expected = chooseRateLimit(entry.rateLimitText)!;
        expect((await imported(file, action)).rateLimit, action).toMatchObject({ requests: expected.requests, per: expected.per });
      }
    }
  });

  it("reads the forms the editions use", () => {
    expect(chooseRateLimit({ en: ["- The rate limit of this API is five calls per second."] })).toMatchObject({ requests: 5, per: "second" });
    expect(chooseRateLimit({ zh: ["- 默认接口请求频率限制：1次/15秒。"] })).toMatchObject({ requests: 4, per: "minute" });
    expect(chooseRateLimit({ zh: ["默认频控阈值为20 QPS（每秒请求次数）"] })).toMatchObject({ requests: 20, per: "second" });
    expect(
      chooseRateLimit({ en: ["A maximum of 20 requests can be initiated per second for this API."], zh: ["默认请求频率限制：20次/秒"] })!.notes[0]!
        .text,
    ).not.toContain("disagree");
  });

  it("carries rateLimit.notes through the format, the IR and the docs page", async () => {
    const specs = await tempSpecs();
    await importActions({
      apiJson: path.join(METADATA_DIR, "lcic-2022-08-17.api.json"),
      also: path.join(METADATA_DIR, "lcic-2022-08-17.intl.api.json"),
      errorCodes: ERRORS,
      serviceDir: path.join(specs, "lcic"),
      actions: ["BatchRegister"],
    });
    await settleTree(specs);
    const result = await build(specs, path.dirname(specs));
    expect(result.diagnostics).toEqual([]);
    const op = result.ir!.services[0]!.operations[0]!;
    expect(op.rateLimit?.notes.map((n) => n.topic)).toEqual(["Rate limit (imported)"]);
    const page = result.files!.find((f) => f.path === "lcic/docs/BatchRegister.md")!.content;
    expect(page).toMatch(/rateLimit: Rate limit \(imported\)/);
  });
});

describe("the errors file", () => {
  it("is refused for a service it does not describe", async () => {
    await expect(readActionFacts(ERRORS, { shortName: "live", version: "2018-08-01" })).rejects.toThrow(
      /has no service "live" \(it has lcic, trtc\)/,
    );
    await expect(readActionFacts(ERRORS, { shortName: "lcic", version: "2020-01-01" })).rejects.toThrow(/describes lcic 2022-08-17, not 2020-01-01/);
    const dir = await tempSpecs();
    await mkdir(path.join(dir, "x"));
    const plain = path.join(dir, "x", "errors.json");
    await writeFile(plain, JSON.stringify({ GetRoomEvent: [{ code: "ResourceNotFound.Room", description: "The room does not exist." }] }));
    expect((await readActionFacts(plain, { shortName: "lcic", version: "2022-08-17" })).GetRoomEvent!.errors).toEqual([
      { code: "ResourceNotFound.Room", description: "The room does not exist.", language: "en" },
    ]);
  });
});
