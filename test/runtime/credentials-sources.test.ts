// The credential providers of the default chain, each against what it reads: the environment, a
// profile file under a temporary HOME, a local CVM instance metadata service and a local STS (both
// on 127.0.0.1, behaving as documented: expiry, refresh, failure), and the chain's order. A
// client on fromCvmRole refreshes before the role's credentials expire. Errors name the provider
// and hold no secret (not the keys, the session token nor the web identity token).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import {
  chain,
  defaultChain,
  fromCvmRole,
  fromEnv,
  fromOidcRole,
  fromProfile,
  parseIni,
} from "../../templates/runtime/src/protocols/tc3/credentials.js";
import { verifyTc3, type Tc3VerifyRequest } from "../../templates/runtime/src/protocols/tc3/signing.js";
import { credentialNumber, startCvmMetadata, startSts, type CredentialServer } from "./support/credential-servers.js";
import { InstantClock, settle } from "./support/fake-clock.js";
import { tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

const START = 1_700_000_000_000;
const ROLE = "CVM_QcsRole";
const WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-IDENTITY-token.signature";

let home: string;
let servers: CredentialServer[] = [];
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "rtc-apigen-credentials-"));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function cvm(clock: InstantClock, options: { roleName?: string | undefined; ttlSeconds?: number } = {}) {
  const server = await startCvmMetadata({
    now: () => clock.now(),
    ttlSeconds: options.ttlSeconds ?? 3600,
    prefix: "cvm",
    roleName: "roleName" in options ? options.roleName : ROLE,
  });
  servers.push(server);
  return server;
}

async function sts(clock: InstantClock) {
  const server = await startSts({
    now: () => clock.now(),
    ttlSeconds: 7200,
    prefix: "sts",
    roleArn: "qcs::cam::uin/100000000001:roleName/tke-pod",
    providerId: "tke-oidc-provider",
    token: WEB_TOKEN,
    region: "ap-guangzhou",
  });
  servers.push(server);
  return server;
}

function writeFile(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

const rendered = (error: unknown): string => [String(error), inspect(error, { depth: Infinity, showHidden: true })].join("\n");

describe("fromEnv", () => {
  it("reads TENCENTCLOUD_SECRET_ID, _SECRET_KEY and _SESSION_TOKEN on each call", async () => {
    const env: Record<string, string | undefined> = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-KEY" };
    const provider = fromEnv({ env });
    expect(await provider()).toEqual({ secretId: "AKIDenv", secretKey: "env-KEY" });
    env["TENCENTCLOUD_SESSION_TOKEN"] = "env-TOKEN";
    expect(await provider()).toEqual({ secretId: "AKIDenv", secretKey: "env-KEY", token: "env-TOKEN" });
    const missing = await rejection(fromEnv({ env: { TENCENTCLOUD_SECRET_ID: "AKIDenv" } })());
    expect(missing.message).toContain("TENCENTCLOUD_SECRET_KEY");
  });
});

describe("fromProfile", () => {
  it("reads [default] of ~/.tencentcloud/credentials, or the section TENCENTCLOUD_PROFILE names", async () => {
    const user = join(home, "profile-user");
    writeFile(
      join(user, ".tencentcloud", "credentials"),
      [
        "; written by tccli",
        "[default]",
        "secret_id = AKIDprofile",
        "secret_key = profile-KEY",
        "",
        "[ci]",
        'secret_id = "AKIDci"',
        "secret_key = ci-KEY",
        "token = ci-TOKEN",
      ].join("\n"),
    );
    expect(await fromProfile({ env: { HOME: user } })()).toEqual({ secretId: "AKIDprofile", secretKey: "profile-KEY" });
    expect(await fromProfile({ env: { HOME: user, TENCENTCLOUD_PROFILE: "ci" } })()).toEqual({
      secretId: "AKIDci",
      secretKey: "ci-KEY",
      token: "ci-TOKEN",
    });
    const noSection = await rejection(fromProfile({ env: { HOME: user, TENCENTCLOUD_PROFILE: "prod" } })());
    expect(noSection.message).toContain("[prod]");
  });

  it("a section without secret_key, or no file at all, is an error that names the file but not the values", async () => {
    const user = join(home, "profile-partial");
    const file = writeFile(join(user, ".tencentcloud", "credentials"), "[default]\nsecret_id = AKIDpartial\ntoken = partial-TOKEN\n");
    const partial = await rejection(fromProfile({ env: { HOME: user } })());
    expect(partial.message).toContain(file);
    expect(partial.message).toContain("secret_key");
    expect(partial.message).not.toContain("partial-TOKEN");
    const none = await rejection(fromProfile({ file: join(home, "nowhere", "credentials") })());
    expect(none.message).toMatch(/no profile file/);
  });

  it("parses INI as the official SDK's `ini` package does for these files", () => {
    const parsed = parseIni("[default]\r\nsecret_id=a\n# comment\n  secret_key =  'b c'  \n[ other ]\nx = y = z\n");
    expect(Object.fromEntries(parsed.get("default")!)).toEqual({ secret_id: "a", secret_key: "b c" });
    expect(parsed.get("other")?.get("x")).toBe("y = z");
  });
});

describe("fromCvmRole, against a local instance metadata service", () => {
  it("asks for the bound role's name once, then its credentials, with ExpiredTime as expiresAt", async () => {
    const clock = new InstantClock(START);
    const server = await cvm(clock);
    const provider = fromCvmRole({ endpoint: `${server.origin}/latest/meta-data/` });
    const first = await provider();
    expect(first).toEqual({ ...credentialNumber("cvm", 1), expiresAt: (START / 1000 + 3600) * 1000 });
    const second = await provider();
    expect(second.secretId).toBe(credentialNumber("cvm", 2).secretId);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /latest/meta-data/cam/security-credentials/",
      `GET /latest/meta-data/cam/security-credentials/${ROLE}`,
      `GET /latest/meta-data/cam/security-credentials/${ROLE}`,
    ]);
  });

  it("fails, naming the cause and no secret, with no role bound, a failed Code, HTTP 500 or a reset connection", async () => {
    const clock = new InstantClock(START);
    const unbound = await cvm(clock, { roleName: undefined });
    expect((await rejection(fromCvmRole({ endpoint: `${unbound.origin}/latest/meta-data` })())).message).toMatch(/HTTP 404.*CAM role bound/);

    const server = await cvm(clock);
    const provider = fromCvmRole({ endpoint: `${server.origin}/latest/meta-data/`, timeoutMs: 5_000 });
    await provider();
    server.fail = "code";
    expect((await rejection(provider())).message).toContain('Code "Failure"');
    server.fail = "http500";
    expect((await rejection(provider())).message).toContain("HTTP 500");
    server.fail = "reset";
    const reset = await rejection(provider());
    expect(reset.message).toContain("could not be reached (ClientError.Network)");
    for (const error of [reset]) expect(rendered(error)).not.toContain(credentialNumber("cvm", 1).secretKey);
  });

  it("a client on fromCvmRole refreshes before the role's credentials expire, and fails as ClientError.Credentials naming it", async () => {
    const clock = new InstantClock(START);
    const metadata = await cvm(clock, { ttlSeconds: 30 * 60 });
    const api: Loopback = await startLoopback();
    api.fallback({ kind: "json", body: tc3Ok({}) });
    try {
      const client = new ServiceClient(tc3Metadata, tc3Validators, {
        endpoint: api.origin,
        region: "ap-beijing",
        credentials: fromCvmRole({ endpoint: `${metadata.origin}/latest/meta-data/` }),
        clock,
        retry: false,
        env: {},
      });
      const signedBy = () => {
        const r = api.requests.at(-1)!;
        const verified = verifyTc3(
          { method: r.method, headers: r.headers, body: r.body } as Tc3VerifyRequest,
          (id) => metadata.issued.find((c) => c.secretId === id),
          {
            nowSeconds: Math.floor(clock.now() / 1000),
          },
        );
        if (!verified.ok) throw new Error(verified.message);
        expect(r.headers["x-tc-token"]).toBe(metadata.issued.find((c) => c.secretId === verified.secretId)?.token);
        return verified.secretId;
      };
      await client.call("describeRegional", {});
      expect(signedBy()).toBe(credentialNumber("cvm", 1).secretId);
      clock.tick(20 * 60_000);
      await client.call("describeRegional", {});
      expect(metadata.issued).toHaveLength(1);
      clock.tick(6 * 60_000);
      await client.call("describeRegional", {});
      await settle();
      expect(metadata.issued).toHaveLength(2);
      await client.call("describeRegional", {});
      expect(signedBy()).toBe(credentialNumber("cvm", 2).secretId);

      metadata.fail = "http500";
      clock.tick(31 * 60_000);
      const error = await rejection(client.call("describeRegional", {}));
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("ClientError.Credentials");
      expect(error.message).toContain("fromCvmRole");
      expect(error.message).toContain("HTTP 500");
      const text = rendered(error);
      for (const c of metadata.issued) for (const secret of [c.secretKey, c.token]) expect(text).not.toContain(secret);
    } finally {
      await api.close();
    }
  });
});

describe("fromOidcRole, against a local STS", () => {
  const tokenFile = () => writeFile(join(home, "oidc", "token"), `${WEB_TOKEN}\n`);
  const tkeEnv = (server: CredentialServer) => ({
    TKE_REGION: "ap-guangzhou",
    TKE_PROVIDER_ID: "tke-oidc-provider",
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile(),
    TKE_ROLE_ARN: "qcs::cam::uin/100000000001:roleName/tke-pod",
    server: server.origin,
  });

  it("trades the web identity token for credentials with an unsigned AssumeRoleWithWebIdentity", async () => {
    const clock = new InstantClock(START);
    const server = await sts(clock);
    const env = tkeEnv(server);
    const provider = fromOidcRole({ env, endpoint: server.origin, now: () => clock.now() });
    expect(await provider()).toEqual({ ...credentialNumber("sts", 1), expiresAt: START + 7200 * 1000 });
    const [request] = server.requests;
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "x-tc-action": "AssumeRoleWithWebIdentity",
      "x-tc-version": "2018-08-13",
      "x-tc-region": "ap-guangzhou",
      "x-tc-timestamp": String(START / 1000),
      authorization: "SKIP",
    });
    expect(JSON.parse(request!.body)).toEqual({
      RoleArn: env.TKE_ROLE_ARN,
      RoleSessionName: `rtc-apigen-${START}`,
      WebIdentityToken: WEB_TOKEN,
      ProviderId: "tke-oidc-provider",
    });
  });

  it("STS's error is reported by code and request id, never with the token it echoes; a missing variable is named", async () => {
    const clock = new InstantClock(START);
    const server = await sts(clock);
    const wrong = writeFile(join(home, "oidc", "wrong-token"), "wrong-WEB-identity-TOKEN");
    const error = await rejection(fromOidcRole({ env: { ...tkeEnv(server), TKE_WEB_IDENTITY_TOKEN_FILE: wrong }, endpoint: server.origin })());
    expect(error.message).toContain("InvalidParameter.WebIdentityTokenError");
    expect(error.message).toContain("sts-req-1");
    expect(rendered(error)).not.toContain("wrong-WEB-identity-TOKEN");
    const { TKE_ROLE_ARN: _, ...noArn } = tkeEnv(server);
    expect((await rejection(fromOidcRole({ env: noArn, endpoint: server.origin })())).message).toContain("TKE_ROLE_ARN");
    server.fail = "code";
    expect((await rejection(fromOidcRole({ env: tkeEnv(server), endpoint: server.origin })())).message).toContain("InternalError");
  });
});

describe("chain and defaultChain", () => {
  it("takes the first provider that gives credentials, in the official order: env, profile, CVM role, OIDC role", async () => {
    const clock = new InstantClock(START);
    const metadata = await cvm(clock);
    const stsServer = await sts(clock);
    const user = join(home, "chain-user");
    const options = (env: Record<string, string | undefined>) => ({
      env: { HOME: user, ...env },
      cvmRole: { endpoint: `${metadata.origin}/latest/meta-data/` },
      oidcRole: { endpoint: stsServer.origin },
    });
    const oidcEnv = {
      TKE_REGION: "ap-guangzhou",
      TKE_PROVIDER_ID: "tke-oidc-provider",
      TKE_WEB_IDENTITY_TOKEN_FILE: writeFile(join(home, "chain-token"), WEB_TOKEN),
      TKE_ROLE_ARN: "qcs::cam::uin/100000000001:roleName/tke-pod",
    };
    const envKeys = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-KEY" };
    expect((await defaultChain(options({ ...envKeys, ...oidcEnv }))()).secretId).toBe("AKIDenv");
    writeFile(join(user, ".tencentcloud", "credentials"), "[default]\nsecret_id = AKIDprofile\nsecret_key = profile-KEY\n");
    expect((await defaultChain(options(oidcEnv))()).secretId).toBe("AKIDprofile");
    rmSync(join(user, ".tencentcloud"), { recursive: true });
    expect((await defaultChain(options(oidcEnv))()).secretId).toBe(credentialNumber("cvm", 1).secretId);
    metadata.fail = "http500";
    expect((await defaultChain(options(oidcEnv))()).secretId).toBe(credentialNumber("sts", 1).secretId);
    expect(metadata.issued).toHaveLength(1);
  });

  it("when none gives credentials, the client's error names the chain and why each provider failed", async () => {
    const clock = new InstantClock(START);
    const metadata = await cvm(clock, { roleName: undefined });
    const provider = defaultChain({
      env: { HOME: join(home, "empty") },
      cvmRole: { endpoint: `${metadata.origin}/latest/meta-data/` },
      oidcRole: { endpoint: "http://127.0.0.1:9/" },
    });
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: "http://127.0.0.1:9",
      region: "ap-beijing",
      credentials: provider,
      clock,
      retry: false,
      env: {},
    });
    const error = await rejection(client.call("describeRegional", {}));
    expect((error as ApiError).code).toBe("ClientError.Credentials");
    expect(error.message).toContain("chain(fromEnv, fromProfile, fromCvmRole, fromOidcRole)");
    for (const why of [
      "fromEnv: TENCENTCLOUD_SECRET_ID",
      "fromProfile: no profile file",
      "fromCvmRole: the instance metadata service answered HTTP 404",
      "fromOidcRole: TKE_REGION is not set",
    ])
      expect(error.message).toContain(why);
  });

  it("chain skips a provider that gives no secretKey", async () => {
    const empty = async () => ({ secretId: "AKIDempty", secretKey: "" });
    const found = await chain(empty, fromEnv({ env: { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "k" } }))();
    expect(found.secretId).toBe("AKIDenv");
  });
});
