// How a mock serving several protocols tells a Chat REST path from others: versionOf scans the first
// path segment, and must say exactly what the pattern it replaced said.
import { describe, expect, it } from "vitest";
import { versionOf } from "../../templates/runtime/src/protocols/chat-rest/gateway.js";

const PATTERN = /^\/+([^/?]+)\//;
const byPattern = (url: string) => PATTERN.exec(url)?.[1] ?? "";

describe("versionOf", () => {
  const urls = [
    "/v4/svc/cmd?sdkappid=1",
    "//v4/svc",
    "///v4/",
    "/v4",
    "/v4?x=/y/",
    "v4/svc/cmd",
    "/",
    "//",
    "",
    "/?/v4/",
    "/v4/",
    "/a?b/c",
    "/ä/x",
    "/v4//x",
    "?/v4/",
  ];

  it.each(urls)("reads %j as the pattern did", (url) => {
    expect(versionOf(url)).toBe(byPattern(url));
  });

  it("agrees with the pattern on random paths of slashes, question marks and letters", () => {
    const alphabet = "//?v4a";
    let seed = 7;
    for (let n = 0; n < 5000; n++) {
      let url = "";
      const length = n % 9;
      for (let i = 0; i < length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        url += alphabet[seed % alphabet.length];
      }
      expect(versionOf(url), url).toBe(byPattern(url));
    }
  });
});
