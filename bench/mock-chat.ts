// The Chat REST side of the mock bench: signed requests built from the generated Chat OpenAPI
// document (its example bodies, read-only `get*` operations so the answers do not change during the
// run), each with the App administrator's UserSig from tls-sig-api-v2 in the query, as the
// generated client sends them; and Prism serving the same document, as a peer.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

/** The mock's default Chat credential (the reference's public example key, PROTOCOLS.md C.3). */
export const CHAT_CREDENTIAL = { sdkAppId: 1400000000, identifier: "admin", key: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e" };

export interface ChatRequest {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  body: string;
}

type Api = new (sdkAppId: number, key: string) => { genUserSig(identifier: string, expire: number): string };
const require = createRequire(import.meta.url);

interface OpenApi {
  paths: Record<
    string,
    { post?: { operationId?: string; requestBody?: { content?: Record<string, { examples?: Record<string, { $ref?: string; value?: unknown }> }> } } }
  >;
  components?: { examples?: Record<string, { value?: unknown }> };
}

/** One request per example of every `get*` operation, `copies` times each with a fresh `random`. */
export function chatRequests(openapiFile: string, copies = 4): ChatRequest[] {
  const doc = JSON.parse(readFileSync(openapiFile, "utf8")) as OpenApi;
  const Api = (require("tls-sig-api-v2") as { Api: Api }).Api;
  const userSig = new Api(CHAT_CREDENTIAL.sdkAppId, CHAT_CREDENTIAL.key).genUserSig(CHAT_CREDENTIAL.identifier, 86400);
  const list: ChatRequest[] = [];
  let random = 1;
  for (const [route, item] of Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b))) {
    const op = item.post;
    if (!op?.operationId?.startsWith("get")) continue;
    for (const example of Object.values(op.requestBody?.content?.["application/json"]?.examples ?? {})) {
      const value = example.$ref ? doc.components?.examples?.[example.$ref.split("/").pop()!]?.value : example.value;
      if (value === undefined) continue;
      for (let i = 0; i < copies; i++) {
        const query = new URLSearchParams({
          sdkappid: String(CHAT_CREDENTIAL.sdkAppId),
          identifier: CHAT_CREDENTIAL.identifier,
          usersig: userSig,
          random: String(random++),
          contenttype: "json",
        });
        list.push({ method: "POST", path: `${route}?${query}`, headers: { "content-type": "application/json" }, body: JSON.stringify(value) });
      }
    }
  }
  if (!list.length) throw new Error(`no get* operation with an example in ${openapiFile}`);
  return list;
}

/** A Chat answer that is not an error envelope. */
export const chatOk = (status: number, body: string) => status === 200 && /"ActionStatus"\s*:\s*"OK"/.test(body);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Prism (`prism mock`) serving `openapiFile` in a process of its own; resolves once it accepts requests. */
export async function startPrism(openapiFile: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const bin = path.join(path.dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist", "index.js");
  const child = spawn(process.execPath, [bin, "mock", "-h", "127.0.0.1", "-p", String(port), openapiFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}:\n${stderr.slice(-2000)}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return { child, port };
    } catch {
      if (Date.now() > deadline) throw new Error(`prism did not listen within 60 s:\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
