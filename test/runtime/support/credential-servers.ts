// Local stand-ins, on 127.0.0.1, for the services credential providers call, behaving as their
// documentation says: the CVM instance metadata service (cam/security-credentials/ names the bound
// role, cam/security-credentials/<role> answers its temporary credentials with ExpiredTime) and STS
// AssumeRoleWithWebIdentity (a JSON POST with Authorization: SKIP, answered in the TC3 envelope).
// Each issues a new numbered credential per request, so a test can tell which one signed a call.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Issued {
  secretId: string;
  secretKey: string;
  token: string;
  /** Unix seconds. */
  expiredTime: number;
}

export interface CredentialServer {
  origin: string;
  /** Every credential handed out, in order. */
  issued: Issued[];
  /** Every request, in order: method, path, headers, body. */
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** While set, credential requests fail this way. */
  fail: "http500" | "code" | "reset" | undefined;
  /** When set, credential answers wait for this promise (to hold many callers at once). */
  gate: Promise<void> | undefined;
  close(): Promise<void>;
}

interface Common {
  /** The server's clock, in ms (the client's fake clock). */
  now: () => number;
  /** Lifetime of each issued credential. */
  ttlSeconds: number;
  /** Prefix of issued ids and keys. */
  prefix: string;
}

async function listen(
  handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => Promise<void> | void,
): Promise<{ origin: string; close(): Promise<void>; requests: CredentialServer["requests"] }> {
  const sockets = new Set<Socket>();
  const requests: CredentialServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      void Promise.resolve(handle(req, body, res)).catch(() => res.destroy());
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The `n`th credential (from 1) a server with this prefix issues, so a mock can be told to accept it beforehand. */
export function credentialNumber(prefix: string, n: number): { secretId: string; secretKey: string; token: string } {
  const id = String(n).padStart(4, "0");
  return { secretId: `AKID${prefix}${id}`, secretKey: `${prefix}-secret-KEY-${id}-0123456789`, token: `${prefix}-session-TOKEN-${id}-abcdef` };
}

function issue(common: Common, issued: Issued[]): Issued {
  const credential = { ...credentialNumber(common.prefix, issued.length + 1), expiredTime: Math.floor(common.now() / 1000) + common.ttlSeconds };
  issued.push(credential);
  return credential;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/**
 * The CVM metadata service at `<origin>/latest/meta-data/`: with `roleName`, the role is bound;
 * without, the role listing answers 404 as on an instance with no role.
 */
export async function startCvmMetadata(options: Common & { roleName: string | undefined }): Promise<CredentialServer> {
  const issued: Issued[] = [];
  const state: Pick<CredentialServer, "fail" | "gate"> = { fail: undefined, gate: undefined };
  const base = "/latest/meta-data/cam/security-credentials/";
  const server = await listen(async (req, _body, res) => {
    if (req.method !== "GET") return json(res, 405, {});
    if (req.url === base) {
      if (!options.roleName) return json(res, 404, {});
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end(options.roleName);
    }
    if (!options.roleName || req.url !== base + options.roleName) return json(res, 404, {});
    if (state.gate) await state.gate;
    if (state.fail === "reset") return void res.destroy();
    if (state.fail === "http500") return json(res, 500, { Code: "InternalError" });
    if (state.fail === "code") return json(res, 200, { Code: "Failure" });
    const c = issue(options, issued);
    json(res, 200, {
      TmpSecretId: c.secretId,
      TmpSecretKey: c.secretKey,
      ExpiredTime: c.expiredTime,
      Expiration: new Date(c.expiredTime * 1000).toISOString(),
      Token: c.token,
      Code: "Success",
    });
  });
  return Object.assign(state, { origin: server.origin, issued, requests: server.requests, close: server.close });
}

/**
 * STS AssumeRoleWithWebIdentity at `<origin>/`: checks the action, version, region, `Authorization:
 * SKIP` and the body's RoleArn, ProviderId and WebIdentityToken, and answers the TC3 envelope
 * (`InvalidParameter.WebIdentityTokenError` for a wrong token, echoing it as a careless server might).
 */
export async function startSts(options: Common & { roleArn: string; providerId: string; token: string; region: string }): Promise<CredentialServer> {
  const issued: Issued[] = [];
  const state: Pick<CredentialServer, "fail" | "gate"> = { fail: undefined, gate: undefined };
  let n = 0;
  const server = await listen(async (req, body, res) => {
    const requestId = `sts-req-${++n}`;
    const error = (code: string, message: string) => json(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
    if (req.method !== "POST" || req.url !== "/") return error("InvalidAction", "post to /");
    const h = req.headers;
    if (h["x-tc-action"] !== "AssumeRoleWithWebIdentity") return error("InvalidAction", `unknown action ${String(h["x-tc-action"])}`);
    if (h["x-tc-version"] !== "2018-08-13") return error("InvalidParameter", "bad version");
    if (h["x-tc-region"] !== options.region) return error("InvalidParameter", "bad region");
    if (h["authorization"] !== "SKIP") return error("AuthFailure", "AssumeRoleWithWebIdentity is not signed");
    if (!/^\d+$/.test(String(h["x-tc-timestamp"]))) return error("MissingParameter", "no timestamp");
    const request = JSON.parse(body) as Record<string, unknown>;
    if (request["RoleArn"] !== options.roleArn || request["ProviderId"] !== options.providerId || typeof request["RoleSessionName"] !== "string")
      return error("InvalidParameter", "bad role");
    if (request["WebIdentityToken"] !== options.token)
      return error("InvalidParameter.WebIdentityTokenError", `the token ${String(request["WebIdentityToken"])} is not valid`);
    if (state.gate) await state.gate;
    if (state.fail === "reset") return void res.destroy();
    if (state.fail === "http500") return json(res, 500, {});
    if (state.fail === "code") return error("InternalError", "STS is failing");
    const c = issue(options, issued);
    json(res, 200, {
      Response: {
        Credentials: { Token: c.token, TmpSecretId: c.secretId, TmpSecretKey: c.secretKey },
        ExpiredTime: c.expiredTime,
        Expiration: new Date(c.expiredTime * 1000).toISOString(),
        RequestId: requestId,
      },
    });
  });
  return Object.assign(state, { origin: server.origin, issued, requests: server.requests, close: server.close });
}
