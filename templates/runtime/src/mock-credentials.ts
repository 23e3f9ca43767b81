// The credentials a mock accepts. Defaults are the public example keys of the reference
// (PROTOCOLS.md C.1 for TC3, C.3 for UserSig), so a client configured from the documentation works;
// the environment variables are the ones the clients read.
import type { MockChatCredential } from "./mock-chat.js";
import { CHAT_ENV } from "./protocol-chat.js";
import { TC3_ENV } from "./protocol-tc3.js";

export interface MockTc3Credential {
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it as X-TC-Token (temporary credentials). */
  token?: string | undefined;
}

export interface MockCredentials {
  tc3: readonly MockTc3Credential[];
  chat: readonly MockChatCredential[];
}

export const MOCK_DEFAULT_CREDENTIALS: MockCredentials = {
  tc3: [{ secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" }],
  chat: [{ sdkAppId: 1400000000, identifier: "admin", key: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e" }],
};

/**
 * Credentials from the clients' environment variables (TENCENTCLOUD_SECRET_ID/_SECRET_KEY/
 * _SESSION_TOKEN; TENCENT_CHAT_SDKAPPID/_IDENTIFIER/_SECRET_KEY), each protocol falling back to
 * the defaults when its variables are absent. Throws on a set but unusable value.
 */
export function mockCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): MockCredentials {
  const secretId = env[TC3_ENV.secretId];
  const secretKey = env[TC3_ENV.secretKey];
  const token = env[TC3_ENV.token];
  let tc3 = MOCK_DEFAULT_CREDENTIALS.tc3;
  if (secretId || secretKey) {
    if (!secretId || !secretKey) throw new TypeError(`set both ${TC3_ENV.secretId} and ${TC3_ENV.secretKey}, or neither`);
    tc3 = [token ? { secretId, secretKey, token } : { secretId, secretKey }];
  }
  const sdkAppIdText = env[CHAT_ENV.sdkAppId];
  const identifier = env[CHAT_ENV.identifier];
  const key = env[CHAT_ENV.key];
  let chat = MOCK_DEFAULT_CREDENTIALS.chat;
  if (sdkAppIdText || identifier || key) {
    const sdkAppId = Number(sdkAppIdText);
    if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) throw new TypeError(`${CHAT_ENV.sdkAppId} must be a positive integer`);
    if (!identifier || !key) throw new TypeError(`set ${CHAT_ENV.sdkAppId}, ${CHAT_ENV.identifier} and ${CHAT_ENV.key} together`);
    chat = [{ sdkAppId, identifier, key }];
  }
  return { tc3, chat };
}
