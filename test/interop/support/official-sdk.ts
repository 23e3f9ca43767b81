// The official Node SDK (tencentcloud-sdk-nodejs) as a user would build it, connected to a mock
// server on loopback. Which client to load comes from a service's protocol binding, never a name.
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import type { MockTc3Credential } from "../../../templates/runtime/src/mock/server.js";

const require = createRequire(import.meta.url);

/** What the SDK throws for an error answer (TencentCloudSDKHttpException). */
export interface SdkError {
  code?: string;
  requestId?: string;
  message: string;
}

type SdkCall = (request: unknown) => Promise<Record<string, unknown>>;
export type SdkClient = Record<string, SdkCall | undefined> & { request(action: string, request: unknown): Promise<Record<string, unknown>> };
export type SdkClientClass = new (config: unknown) => SdkClient;

/** Whether the SDK's client has a method for the action (it lacks the actions that only the intl edition documents). */
export function hasMethod(Client: SdkClientClass, action: string): boolean {
  return typeof (Client.prototype as Record<string, unknown>)[action] === "function";
}

/** The call an SDK user makes: the action's method, or the client's generic `request(action, …)` when the SDK has no such method. */
export function sdkCall(client: SdkClient, action: string): SdkCall {
  const method = client[action];
  return method ? (request) => method.call(client, request) : (request) => client.request(action, request);
}

/** The SDK's client class for a TC3 product and API version (`lcic`, `2022-08-17` → lcic.v20220817.Client). */
export function officialClientClass(binding: { service: string; version: string }): SdkClientClass {
  const version = `v${binding.version.replaceAll("-", "")}`;
  // The product's own module: loading the SDK's index would load every product it has.
  let product: Record<string, { Client?: SdkClientClass } | undefined> | undefined;
  try {
    product = (require(`tencentcloud-sdk-nodejs/tencentcloud/services/${binding.service}/index.js`) as Record<string, typeof product>)[
      binding.service
    ];
  } catch {
    product = undefined;
  }
  const Client = product?.[version]?.Client;
  if (!Client) throw new Error(`tencentcloud-sdk-nodejs has no client for ${binding.service} ${version}`);
  return Client;
}

/**
 * An SDK client for the mock listening on 127.0.0.1:port. The SDK takes the credential scope's
 * service from the first label of its endpoint (an endpoint of `127.0.0.1:port` would sign for
 * "127"), so the client keeps its own endpoint and the agent connects every request to the mock.
 */
export function officialClient(
  Client: SdkClientClass,
  port: number,
  credential: MockTc3Credential,
  region: string | undefined,
): { client: SdkClient; close(): void } {
  const agent = new http.Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(port, "127.0.0.1");
  const client = new Client({
    credential: { secretId: credential.secretId, secretKey: credential.secretKey, ...(credential.token ? { token: credential.token } : {}) },
    region,
    profile: { httpProfile: { protocol: "http://", agent } },
  });
  return { client, close: () => agent.destroy() };
}

/** The SDK call's error, or a failure when it succeeded. */
export async function sdkFailure(promise: Promise<unknown>): Promise<SdkError> {
  return promise.then(
    (answer) => {
      throw new Error(`expected the SDK call to fail, it answered ${JSON.stringify(answer)}`);
    },
    (e: SdkError) => e,
  );
}
