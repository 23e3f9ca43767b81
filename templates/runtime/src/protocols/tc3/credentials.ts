// TencentCloud credential providers, as the official SDKs find credentials: the environment, the
// profile file, the CVM instance role (metadata service) and the TKE OIDC role (web identity token
// + STS AssumeRoleWithWebIdentity), and a chain of them in that order. A client calls its provider
// through a RefreshingCredentials (client/credential-cache.ts): before expiry, one call at a time.
// The file system and the environment are read only where the runtime has them (no `process` in
// an edge worker); node modules are loaded on first use, never on import.

import { ApiError } from "../../client/errors.js";
import { nodeBuiltin, processEnv } from "../../shared/platform.js";
import type { FetchLike, Transport, TransportResponse } from "../../client/transport.js";
import { lazyTransport } from "../../client/transport-loader.js";
import { TC3_ENV } from "./credential-types.js";
import { namedTc3Provider, type Tc3CredentialProvider, type Tc3ProvidedCredentials } from "./provided.js";

export { tc3Provider, type Tc3CredentialProvider, type Tc3ProvidedCredentials } from "./provided.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The profile file's places and the variable naming its section (the official SDKs' names). */
export const TC3_PROFILE = {
  homeFile: [".tencentcloud", "credentials"],
  systemFile: "/etc/tencentcloud/credentials",
  profileEnv: "TENCENTCLOUD_PROFILE",
  defaultProfile: "default",
} as const;

/** The CVM instance metadata service (the role's name, then its credentials, under `cam/security-credentials/`). */
export const CVM_METADATA_ENDPOINT = "http://metadata.tencentyun.com/latest/meta-data/";

/** STS, where a TKE pod trades its web identity token for credentials. */
export const STS_ENDPOINT = "https://sts.tencentcloudapi.com/";
export const STS_VERSION = "2018-08-13";

/** The variables TKE sets in a pod whose service account is bound to a CAM role. */
export const TKE_OIDC_ENV = {
  region: "TKE_REGION",
  providerId: "TKE_PROVIDER_ID",
  tokenFile: "TKE_WEB_IDENTITY_TOKEN_FILE",
  roleArn: "TKE_ROLE_ARN",
} as const;

function nodeModule<T>(id: string, what: string): T {
  const found = nodeBuiltin<T>(id);
  if (!found) throw new Error(`${what} is not available in this runtime`);
  return found;
}

const nodeFs = () => nodeModule<typeof import("node:fs/promises")>("node:fs/promises", "the file system");

const errno = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

// ---------------------------------------------------------------------------------------------
// Environment

export interface FromEnvOptions {
  /** Default `process.env` (nothing where there is no `process`). */
  env?: Env | undefined;
}

/** TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN, read on each call. */
export function fromEnv(options: FromEnvOptions = {}): Tc3CredentialProvider {
  return namedTc3Provider("fromEnv", async () => {
    const env = options.env ?? processEnv();
    const secretId = env[TC3_ENV.secretId];
    const secretKey = env[TC3_ENV.secretKey];
    if (!secretId || !secretKey) throw new Error(`${TC3_ENV.secretId} and ${TC3_ENV.secretKey} are not both set`);
    const token = env[TC3_ENV.token];
    return token ? { secretId, secretKey, token } : { secretId, secretKey };
  });
}

// ---------------------------------------------------------------------------------------------
// Profile file

export interface FromProfileOptions {
  /** Where HOME, USERPROFILE and TENCENTCLOUD_PROFILE are read (default `process.env`). */
  env?: Env | undefined;
  /** The file to read instead of `~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials`. */
  file?: string | undefined;
  /** The section to read (default TENCENTCLOUD_PROFILE, else `default`). */
  profile?: string | undefined;
}

/**
 * The INI profile file of the official SDKs and tccli: `~/.tencentcloud/credentials`, else
 * `/etc/tencentcloud/credentials`; section `[default]` (or TENCENTCLOUD_PROFILE) with `secret_id`,
 * `secret_key` and optionally `token`. Read on each call.
 */
export function fromProfile(options: FromProfileOptions = {}): Tc3CredentialProvider {
  return namedTc3Provider("fromProfile", async () => {
    const env = options.env ?? processEnv();
    const section = options.profile ?? (env[TC3_PROFILE.profileEnv] || TC3_PROFILE.defaultProfile);
    const fs = nodeFs();
    const candidates =
      options.file !== undefined ? [options.file] : [homeFile(env), TC3_PROFILE.systemFile].filter((f): f is string => f !== undefined);
    for (const file of candidates) {
      let text: string;
      try {
        text = await fs.readFile(file, "utf8");
      } catch (error) {
        const code = errno(error);
        if (code === "ENOENT" || code === "ENOTDIR") continue;
        throw new Error(`${file} cannot be read (${code ?? "error"})`);
      }
      const values = parseIni(text).get(section);
      if (!values) throw new Error(`${file} has no [${section}] section`);
      const secretId = values.get("secret_id");
      const secretKey = values.get("secret_key");
      if (!secretId || !secretKey) throw new Error(`[${section}] in ${file} needs secret_id and secret_key`);
      const token = values.get("token");
      return token ? { secretId, secretKey, token } : { secretId, secretKey };
    }
    throw new Error(`no profile file (looked for ${candidates.join(", ")})`);
  });
}

function homeFile(env: Env): string | undefined {
  let home = env["HOME"] || env["USERPROFILE"];
  if (!home) {
    try {
      home = nodeModule<typeof import("node:os")>("node:os", "the home directory").homedir();
    } catch {
      return undefined;
    }
  }
  const separator = home.includes("\\") && !home.includes("/") ? "\\" : "/";
  return [home.replace(/[\\/]+$/, ""), ...TC3_PROFILE.homeFile].join(separator);
}

/** Sections of an INI text: `[name]`, `key = value` (surrounding quotes dropped), `;` and `#` comments. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1] ?? "";
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || !current) continue;
    const value = line.slice(eq + 1).trim();
    current.set(line.slice(0, eq).trim(), /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value);
  }
  return sections;
}

// ---------------------------------------------------------------------------------------------
// HTTP for the metadata service and STS: the client's own transport (no redirects, bounded bodies).

interface HttpOptions {
  /** Send through this transport (default the client's default transport). */
  transport?: Transport | undefined;
  /** Send through this fetch instead; `transport` wins. */
  fetch?: FetchLike | undefined;
  /** Per request (default 1,000 ms for the metadata service, 5,000 ms for STS). */
  timeoutMs?: number | undefined;
}

const MAX_PROVIDER_RESPONSE_BYTES = 64 * 1024;

function transportOf(options: HttpOptions): Transport {
  const { fetch } = options;
  return options.transport ?? lazyTransport((t) => (fetch ? t.createFetchTransport(fetch) : t.defaultTransport()));
}

/** The transport's failure without its details (a body may hold credentials), else the response. */
async function send(transport: Transport, request: Parameters<Transport>[0], what: string): Promise<TransportResponse> {
  try {
    return await transport(request);
  } catch (error) {
    const code = error instanceof ApiError ? error.code : "ClientError.Network";
    throw new Error(`${what} could not be reached (${String(code)})`, { cause: error instanceof ApiError ? error : undefined });
  }
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `ExpiredTime` (Unix seconds), else `Expiration` (ISO 8601), as milliseconds; undefined when neither is usable. */
function expiryOf(body: Record<string, unknown>): number | undefined {
  const seconds = Number(body["ExpiredTime"]);
  if (body["ExpiredTime"] !== undefined && body["ExpiredTime"] !== null && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const iso = body["Expiration"];
  const ms = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function temporaryCredentials(fields: Record<string, unknown>, body: Record<string, unknown>, what: string): Tc3ProvidedCredentials {
  const secretId = fields["TmpSecretId"];
  const secretKey = fields["TmpSecretKey"];
  const token = fields["Token"];
  if (typeof secretId !== "string" || !secretId || typeof secretKey !== "string" || !secretKey)
    throw new Error(`${what} answered without TmpSecretId and TmpSecretKey`);
  const expiresAt = expiryOf(body);
  if (expiresAt === undefined) throw new Error(`${what} answered without ExpiredTime or Expiration`);
  return typeof token === "string" && token ? { secretId, secretKey, token, expiresAt } : { secretId, secretKey, expiresAt };
}

// ---------------------------------------------------------------------------------------------
// CVM role

export interface FromCvmRoleOptions extends HttpOptions {
  /** The metadata service's `latest/meta-data/` URL (default `http://metadata.tencentyun.com/latest/meta-data/`). */
  endpoint?: string | undefined;
  /** The role bound to the instance; default: asked of the metadata service once, then kept. */
  roleName?: string | undefined;
}

/**
 * The credentials of the CAM role bound to this CVM instance, from the instance metadata service:
 * `GET cam/security-credentials/` names the role, `GET cam/security-credentials/<role>` answers
 * `{TmpSecretId, TmpSecretKey, Token, ExpiredTime, Expiration, Code: "Success"}`.
 */
export function fromCvmRole(options: FromCvmRoleOptions = {}): Tc3CredentialProvider {
  const base = `${withSlash(options.endpoint ?? CVM_METADATA_ENDPOINT)}cam/security-credentials/`;
  const timeoutMs = options.timeoutMs ?? 1_000;
  let roleName = options.roleName;
  const get = (url: string, what: string) =>
    send(transportOf(options), { url, method: "GET", headers: {}, body: "", timeoutMs, maxResponseBytes: MAX_PROVIDER_RESPONSE_BYTES }, what);
  return namedTc3Provider("fromCvmRole", async () => {
    if (!roleName) {
      const listed = await get(base, "the instance metadata service");
      if (listed.status !== 200)
        throw new Error(`the instance metadata service answered HTTP ${listed.status} for the role name (is a CAM role bound to the instance?)`);
      const name = listed.body.split(/\r?\n/)[0]?.trim();
      if (!name || name.includes("/")) throw new Error("the instance metadata service named no usable role");
      roleName = name;
    }
    const what = `the instance metadata service (role ${roleName})`;
    const answer = await get(base + encodeURIComponent(roleName), what);
    if (answer.status !== 200) {
      // The role may have been unbound or replaced: ask for its name again next time.
      if (!options.roleName) roleName = undefined;
      throw new Error(`${what} answered HTTP ${answer.status}`);
    }
    const body = parseJsonObject(answer.body);
    if (!body) throw new Error(`${what} answered with a body that is not a JSON object`);
    if (body["Code"] !== "Success") throw new Error(`${what} answered Code ${JSON.stringify(String(body["Code"] ?? "")).slice(0, 80)}`);
    return temporaryCredentials(body, body, what);
  });
}

// ---------------------------------------------------------------------------------------------
// OIDC role (TKE)

export interface FromOidcRoleOptions extends HttpOptions {
  /** Where the TKE_* variables are read (default `process.env`). */
  env?: Env | undefined;
  /** STS's URL (default `https://sts.tencentcloudapi.com/`). */
  endpoint?: string | undefined;
  /** Default TKE_REGION. */
  region?: string | undefined;
  /** Default TKE_PROVIDER_ID. */
  providerId?: string | undefined;
  /** The file holding the web identity token, read on each call (default TKE_WEB_IDENTITY_TOKEN_FILE). */
  tokenFile?: string | undefined;
  /** Default TKE_ROLE_ARN. */
  roleArn?: string | undefined;
  /** Default `rtc-apigen-<milliseconds>`. */
  roleSessionName?: string | undefined;
  /** The lifetime STS is asked for (default STS's own, 7,200 s). */
  durationSeconds?: number | undefined;
  /** For the X-TC-Timestamp header and the session name (default Date.now). */
  now?: (() => number) | undefined;
}

/**
 * A TKE pod's CAM role over OIDC: reads the web identity token file and calls STS
 * `AssumeRoleWithWebIdentity` (unsigned: `Authorization: SKIP`) with the role's ARN and the
 * OIDC provider's id; STS answers `{Response: {Credentials: {TmpSecretId, TmpSecretKey, Token},
 * ExpiredTime, Expiration, RequestId}}`.
 */
export function fromOidcRole(options: FromOidcRoleOptions = {}): Tc3CredentialProvider {
  const endpoint = withSlash(options.endpoint ?? STS_ENDPOINT);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  return namedTc3Provider("fromOidcRole", async () => {
    const env = options.env ?? processEnv();
    const setting = (given: string | undefined, name: string): string => {
      const value = given ?? env[name];
      if (!value) throw new Error(`${name} is not set`);
      return value;
    };
    const region = setting(options.region, TKE_OIDC_ENV.region);
    const providerId = setting(options.providerId, TKE_OIDC_ENV.providerId);
    const tokenFile = setting(options.tokenFile, TKE_OIDC_ENV.tokenFile);
    const roleArn = setting(options.roleArn, TKE_OIDC_ENV.roleArn);
    let webIdentityToken: string;
    try {
      webIdentityToken = (await nodeFs().readFile(tokenFile, "utf8")).trim();
    } catch (error) {
      throw new Error(`the web identity token file ${tokenFile} cannot be read (${errno(error) ?? (error as Error).message})`);
    }
    if (!webIdentityToken) throw new Error(`the web identity token file ${tokenFile} is empty`);
    const nowMs = now();
    const request: Record<string, unknown> = {
      RoleArn: roleArn,
      RoleSessionName: options.roleSessionName ?? `rtc-apigen-${nowMs}`,
      WebIdentityToken: webIdentityToken,
      ProviderId: providerId,
    };
    if (options.durationSeconds !== undefined) request["DurationSeconds"] = options.durationSeconds;
    const url = new URL(endpoint);
    const answer = await send(
      transportOf(options),
      {
        url: url.href,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-tc-action": "AssumeRoleWithWebIdentity",
          "x-tc-version": STS_VERSION,
          "x-tc-region": region,
          "x-tc-timestamp": String(Math.floor(nowMs / 1000)),
          authorization: "SKIP",
        },
        body: JSON.stringify(request),
        timeoutMs,
        maxResponseBytes: MAX_PROVIDER_RESPONSE_BYTES,
      },
      "STS",
    );
    const inner = parseJsonObject(answer.body)?.["Response"];
    const response = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
    if (!response) throw new Error(`STS answered HTTP ${answer.status} without a Response object`);
    const requestId = typeof response["RequestId"] === "string" ? ` (RequestId ${response["RequestId"].slice(0, 64)})` : "";
    const error = response["Error"] as Record<string, unknown> | undefined;
    if (error !== undefined && error !== null) {
      // The code only: a message could quote the token.
      throw new Error(`STS AssumeRoleWithWebIdentity failed with ${String(error["Code"] ?? "no code").slice(0, 80)}${requestId}`);
    }
    const credentials = response["Credentials"];
    if (credentials === null || typeof credentials !== "object") throw new Error(`STS answered without Credentials${requestId}`);
    return temporaryCredentials(credentials as Record<string, unknown>, response, "STS");
  });
}

// ---------------------------------------------------------------------------------------------
// Chains

/**
 * The first provider that gives credentials, tried in order on each call; when none does, the
 * error lists why, provider by provider.
 */
export function chain(...providers: ReadonlyArray<() => Promise<Tc3ProvidedCredentials>>): Tc3CredentialProvider {
  const names = providers.map((p) => (p as { providerName?: string }).providerName || p.name || "provider");
  return namedTc3Provider(`chain(${names.join(", ")})`, async () => {
    const reasons: string[] = [];
    for (const [i, provider] of providers.entries()) {
      try {
        const found = await provider();
        if (found && typeof found.secretId === "string" && found.secretId && typeof found.secretKey === "string" && found.secretKey) return found;
        reasons.push(`${names[i]}: no secretId and secretKey`);
      } catch (error) {
        reasons.push(`${names[i]}: ${error instanceof ApiError ? error.detail : error instanceof Error ? error.message : "failed"}`);
      }
    }
    throw new Error(`no provider gave credentials (${reasons.join("; ")})`);
  });
}

export interface DefaultChainOptions {
  /** Where every provider reads its variables (default `process.env`). */
  env?: Env | undefined;
  profile?: Omit<FromProfileOptions, "env"> | undefined;
  cvmRole?: FromCvmRoleOptions | undefined;
  oidcRole?: Omit<FromOidcRoleOptions, "env"> | undefined;
}

/** The official SDKs' order: environment, profile file, CVM role, TKE OIDC role. */
export function defaultChain(options: DefaultChainOptions = {}): Tc3CredentialProvider {
  const { env } = options;
  return chain(fromEnv({ env }), fromProfile({ ...options.profile, env }), fromCvmRole(options.cvmRole), fromOidcRole({ ...options.oidcRole, env }));
}
