// Which proxy a URL goes through: the environment variables' precedence, NO_PROXY's matching rules
// (curl's reading) and proxy URLs, as the README documents them.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { bypassesProxy, parseNoProxy } from "../../templates/runtime/src/client/proxy-env.js";
import { parseProxyUrl, proxyRouter, resolveProxySettings, type ProxyServer } from "../../templates/runtime/src/client/proxy.js";

const server = (route: unknown): ProxyServer => {
  expect(route).not.toBeInstanceOf(ApiError);
  expect(route).toBeDefined();
  return route as ProxyServer;
};

describe("NO_PROXY matching", () => {
  const cases: [list: string, host: string, port: number, direct: boolean][] = [
    ["example.com", "example.com", 443, true],
    ["example.com", "api.example.com", 443, true],
    ["example.com", "notexample.com", 443, false],
    ["example.com", "example.com.evil.net", 443, false],
    [".example.com", "example.com", 443, true],
    [".example.com", "a.b.example.com", 443, true],
    ["*.example.com", "api.example.com", 443, true],
    ["EXAMPLE.COM", "Api.Example.Com", 443, true],
    ["example.com.", "example.com", 443, true],
    ["example.com", "example.com.", 443, true],
    ["example.com:8443", "example.com", 8443, true],
    ["example.com:8443", "example.com", 443, false],
    ["*", "anything.at.all", 80, true],
    ["a.com b.com,c.com", "b.com", 443, true],
    ["127.0.0.1", "127.0.0.1", 80, true],
    ["127.0.0.1", "127.0.0.2", 80, false],
    ["127.0.0.0/8", "127.9.9.9", 80, true],
    ["10.0.0.0/8", "127.0.0.1", 80, false],
    ["127.0.0.1:8080", "127.0.0.1", 8080, true],
    ["127.0.0.1:8080", "127.0.0.1", 80, false],
    ["::1", "::1", 443, true],
    ["[::1]:8443", "::1", 8443, true],
    ["[::1]:8443", "::1", 443, false],
    ["fd00::/8", "fd12::5", 443, true],
    ["fd00::/8", "fe80::1", 443, false],
    // A name entry never matches an IP-literal URL by suffix, and an IP entry never matches a name.
    ["0.1", "127.0.0.1", 80, false],
    ["127.0.0.1", "localhost", 80, false],
    // Unusable entries are ignored, the others still count.
    ["10.0.0.0/99, bad/entry, ok.com", "ok.com", 443, true],
    ["", "example.com", 443, false],
  ];
  it.each(cases)("NO_PROXY=%j: %s port %i direct=%s", (list, host, port, direct) => {
    expect(bypassesProxy(parseNoProxy(list), host, port)).toBe(direct);
  });
});

describe("the environment", () => {
  it("reads nothing when no proxy is set (the fast path has no router)", () => {
    expect(resolveProxySettings(undefined, {})).toBeUndefined();
    expect(resolveProxySettings(undefined, { NO_PROXY: "*" })).toBeUndefined();
    expect(resolveProxySettings(undefined, { HTTPS_PROXY: "" })).toBeUndefined();
    expect(resolveProxySettings(false, { HTTPS_PROXY: "http://p:1" })).toBeUndefined();
  });

  it("takes the lower-case variable first, and each scheme its own (no fallback)", () => {
    const settings = resolveProxySettings(undefined, {
      https_proxy: "http://lower:1",
      HTTPS_PROXY: "http://upper:2",
      HTTP_PROXY: "http://plain:3",
    })!;
    expect(server(settings.https).label).toBe("lower:1");
    expect(server(settings.http).label).toBe("plain:3");
    const onlyHttp = resolveProxySettings(undefined, { HTTP_PROXY: "http://plain:3" })!;
    expect(onlyHttp.https).toBeUndefined();
  });

  it("ignores HTTP_PROXY under CGI (httpoxy), not http_proxy", () => {
    expect(resolveProxySettings(undefined, { REQUEST_METHOD: "GET", HTTP_PROXY: "http://evil:1" })).toBeUndefined();
    const lower = resolveProxySettings(undefined, { REQUEST_METHOD: "GET", http_proxy: "http://ok:1" })!;
    expect(server(lower.http).label).toBe("ok:1");
  });

  it("the option replaces the environment, NO_PROXY included; { url, noProxy } brings its own list", () => {
    const env = { HTTPS_PROXY: "http://env:1", NO_PROXY: "*" };
    const option = resolveProxySettings("http://opt:2", env)!;
    expect(server(option.https).label).toBe("opt:2");
    expect(server(option.http).label).toBe("opt:2");
    expect(proxyRouter(option)(true, "example.com", undefined)).toBe(option.https);
    const listed = resolveProxySettings({ url: "http://opt:2", noProxy: "example.com" }, env)!;
    const route = proxyRouter(listed);
    expect(route(true, "api.example.com", undefined)).toBeUndefined();
    expect(route(true, "other.com", undefined)).toBe(listed.https);
  });

  it("routes by the URL's port, or the scheme's default", () => {
    const settings = resolveProxySettings(undefined, { HTTPS_PROXY: "http://p:1", HTTP_PROXY: "http://p:1", NO_PROXY: "a.com:443,b.com:80" })!;
    const route = proxyRouter(settings);
    expect(route(true, "a.com", undefined)).toBeUndefined();
    expect(route(true, "a.com", 8443)).toBe(settings.https);
    expect(route(false, "b.com", undefined)).toBeUndefined();
    expect(route(true, "b.com", undefined)).toBe(settings.https);
  });
});

describe("proxy URLs", () => {
  it("default ports, a bare host:port, IPv6, and Basic credentials from the userinfo", () => {
    expect(server(parseProxyUrl("http://p.example", "x")).port).toBe(80);
    expect(server(parseProxyUrl("https://p.example", "x"))).toMatchObject({ port: 443, secure: true });
    expect(server(parseProxyUrl("p.example:3128", "x"))).toMatchObject({ hostname: "p.example", port: 3128, secure: false });
    expect(server(parseProxyUrl("http://[::1]:3128", "x"))).toMatchObject({ hostname: "::1", label: "[::1]:3128" });
    const auth = server(parseProxyUrl("http://us%40er:p%3Ass@p:1", "x"));
    expect(auth.authorization).toBe(`Basic ${Buffer.from("us@er:p:ss").toString("base64")}`);
    expect(auth.label).toBe("p:1");
    expect(server(parseProxyUrl("http://p:1", "x")).authorization).toBeUndefined();
  });

  it("an unusable URL is ClientError.Configuration naming the setting, never the value", () => {
    for (const text of ["socks5://u:secret-pw@p:1", "http://u:secret-pw@[bad", "http://"]) {
      const error = parseProxyUrl(text, "HTTPS_PROXY");
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("ClientError.Configuration");
      expect((error as ApiError).message).toContain("HTTPS_PROXY");
      expect((error as ApiError).message).not.toContain("secret-pw");
    }
  });
});
