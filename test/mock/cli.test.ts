// `npm run mock`: the CLI finds every generated package's mock, prints its URL, answers signed
// requests with the credentials from flags or the clients' environment variables, loads fixtures,
// and stops on SIGTERM/SIGINT. The process is real; the server is on 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { EXIT, main } from "../../generator/cli/mock-server.js";
import { BUILTIN_GATEWAYS } from "../../templates/runtime/src/mock/server.js";
import { chatCode, chatPath, tc3Code, tc3Headers } from "./support/requests.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "generator/cli/mock-server.ts");
const dir = mkdtempSync(path.join(tmpdir(), "mock-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink() {
  let text = "";
  return {
    write: (t: string) => (text += t),
    get text() {
      return text;
    },
  };
}

/** Starts the CLI; resolves with the URL it prints once the banner is complete. */
function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      // The banner ends with the stop hint.
      if (url && out.includes("Ctrl+C")) resolve({ child, url, output: () => out });
    });
    child.on("exit", (code) => reject(new Error(`the CLI exited with ${code} before listening:\n${out}${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

describe("mock server CLI", () => {
  it("starts, prints its URL, answers with the environment's credentials and fixtures, and stops on SIGTERM", async () => {
    const fixtures = path.join(dir, "fixtures.json");
    writeFileSync(fixtures, JSON.stringify({ lcic: { errors: [{ method: "describeRoomStatistics", code: "InternalError" }] } }));
    const env = {
      TENCENTCLOUD_SECRET_ID: "AKIDfromTheEnvironment",
      TENCENTCLOUD_SECRET_KEY: "secret-key-from-env",
      TENCENT_CHAT_SDKAPPID: "1400000123",
      TENCENT_CHAT_IDENTIFIER: "boss",
      TENCENT_CHAT_SECRET_KEY: "chat-key-from-env",
    };
    const { child, url, output } = await start(["--port", "0", "--seed", "5", "--fixtures", fixtures], env);
    try {
      expect(output()).toContain("lcic");
      expect(output()).toContain("AKIDfromTheEnvironment");
      expect(output()).not.toContain("secret-key-from-env");
      expect(output()).not.toContain("chat-key-from-env");

      const tc3 = async (action: string, body: unknown, secretKey: string) => {
        const headers = tc3Headers(
          { action, body, service: "lcic", host: new URL(url).host, secretId: "AKIDfromTheEnvironment", secretKey },
          Date.now(),
        );
        const { host: _host, ...sent } = headers;
        const response = await fetch(`${url}/`, { method: "POST", headers: sent, body: JSON.stringify(body) });
        return tc3Code(await response.text());
      };
      const events = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" };
      expect(await tc3("GetRoomEvent", events, "secret-key-from-env")).toBeNull();
      expect(await tc3("GetRoomEvent", events, "another-key")).toBe("AuthFailure.SignatureFailure");
      expect(await tc3("DescribeRoomStatistics", { RoomId: 1, Page: 1, Limit: 1 }, "secret-key-from-env")).toBe("InternalError");

      const { genUserSig } = await import("../../templates/runtime/src/protocols/chat-rest/signing.js");
      const usersig = genUserSig({ sdkAppId: 1400000123, key: "chat-key-from-env", identifier: "boss", expireSeconds: 600 });
      const chatUrl = `${url}${chatPath({ command: "room_engine_http_srv/get_room_info", body: {}, sdkappid: "1400000123", identifier: "boss", usersig }, Date.now())}`;
      const chat = await fetch(chatUrl, { method: "POST", body: '{"RoomId":"room-test"}' });
      expect(chatCode(await chat.text())).toBe(0);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited(child)).toBe(0);
    expect(output()).toContain("Mock server stopped.");
  });

  it("takes each protocol's credentials from its own options (declared by its gateway), over the environment's", async () => {
    const stop = new AbortController();
    const out = sink();
    const err = sink();
    const env = { TENCENTCLOUD_SECRET_ID: "AKIDfromTheEnvironment", TENCENTCLOUD_SECRET_KEY: "secret-key-from-env" };
    const flags = ["--secret-id", "AKIDfromTheFlags", "--secret-key", "secret-key-from-flags"];
    flags.push("--sdkappid", "1400000456", "--identifier", "chief", "--chat-key", "chat-key-from-flags");
    const running = main(["--port", "0", ...flags], { out, err, env, signal: stop.signal });
    try {
      await vi.waitFor(() => expect(out.text + err.text).toContain("Ctrl+C"), { timeout: 30_000 });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text)![1]!;
      // Each protocol's banner names the identities its options set, never a key.
      expect(out.text).toContain("TC3 SecretId AKIDfromTheFlags");
      expect(out.text).toContain("Chat SDKAppID 1400000456 (administrator chief)");
      for (const secret of ["secret-key-from-flags", "chat-key-from-flags", "AKIDfromTheEnvironment"]) expect(out.text).not.toContain(secret);

      const events = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" };
      const tc3 = async (secretId: string, secretKey: string) => {
        const call = { action: "GetRoomEvent", body: events, service: "lcic", host: new URL(url).host, secretId, secretKey };
        const { host: _host, ...sent } = tc3Headers(call, Date.now());
        return tc3Code(await (await fetch(`${url}/`, { method: "POST", headers: sent, body: JSON.stringify(events) })).text());
      };
      expect(await tc3("AKIDfromTheFlags", "secret-key-from-flags")).toBeNull();
      expect(await tc3("AKIDfromTheEnvironment", "secret-key-from-env")).toBe("AuthFailure.SecretIdNotFound");

      const { genUserSig } = await import("../../templates/runtime/src/protocols/chat-rest/signing.js");
      const usersig = genUserSig({ sdkAppId: 1400000456, key: "chat-key-from-flags", identifier: "chief", expireSeconds: 600 });
      const chat = { command: "room_engine_http_srv/get_room_info", body: {}, sdkappid: "1400000456", identifier: "chief", usersig };
      const chatUrl = `${url}${chatPath(chat, Date.now())}`;
      expect(chatCode(await (await fetch(chatUrl, { method: "POST", body: '{"RoomId":"room-test"}' })).text())).toBe(0);
    } finally {
      stop.abort();
    }
    expect(await running).toBe(EXIT.ok);
  });

  it("lists every built-in protocol's credential options in its help", async () => {
    const out = sink();
    expect(await main(["--help"], { out, err: sink(), env: {}, signal: new AbortController().signal })).toBe(EXIT.ok);
    const flags = BUILTIN_GATEWAYS.flatMap((g) => g.credentials.cli?.flags ?? []);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(out.text).toMatch(new RegExp(`--${f.name} ${f.value} +${f.help}.*\\$${f.env}`));
  });

  it("stops on SIGINT too", async () => {
    const { child } = await start(["--port", "0"], {});
    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
  });

  it("prints help, refuses bad flags (64) and unusable fixtures (1)", async () => {
    const never = new AbortController().signal;
    const run = async (argv: string[], env: Record<string, string> = {}) => {
      const out = sink();
      const err = sink();
      const code = await main(argv, { out, err, env, signal: never });
      return { code, out: out.text, err: err.text };
    };
    const help = await run(["--help"]);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain("--fixtures FILE");
    expect((await run(["--port", "99999"])).code).toBe(EXIT.usage);
    expect((await run(["--bogus"])).code).toBe(EXIT.usage);
    expect((await run(["--secret-id", "AKIDonly"])).code).toBe(EXIT.usage);
    expect((await run([], { TENCENT_CHAT_SDKAPPID: "x" })).code).toBe(EXIT.usage);
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, '{"lcic": {"resources": {"room": [{"key": true}]}}}');
    const bad = await run(["--fixtures", broken, "--port", "0"]);
    expect(bad.code).toBe(EXIT.failed);
    expect(bad.err).toContain("lcic.resources.room[0].key");
    const empty = await run(["--generated", dir, "--port", "0"]);
    expect(empty.code).toBe(EXIT.failed);
    expect(empty.err).toContain("npm run generate");
  });
});
