// The generated Chat package's mock with a client on it: no retries or rate limits, responses checked strictly.
import { ChatClient } from "../../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../../generated/chat/src/mock.js";
import { createMock } from "../../../templates/runtime/src/mock/server.js";
import { CHAT } from "./requests.js";

export function chatOnMock(seed: number) {
  const mock = createMock([chatDefinition], { seed, rateLimit: false });
  const chat = new ChatClient({
    fetch: mock.fetch,
    retry: false,
    rateLimit: false,
    env: {},
    validateResponses: "strict",
    credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key },
  });
  return { mock, chat };
}
