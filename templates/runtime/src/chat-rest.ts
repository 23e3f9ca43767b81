// `@rtc-apigen/runtime/chat-rest`: Chat (IM) REST, the client half (UserSig in the query, the
// ActionStatus envelope) and UserSig generation and verification.
export {
  CHAT_ENV,
  CHAT_REST,
  chatProtocol,
  chatProtocolFactory,
  chatRestClientProtocol,
  resolveChatCredentials,
  type ChatClientOptions,
  type ChatCredentials,
  type UserSigProvider,
} from "./protocols/chat-rest/client.js";
export * from "./protocols/chat-rest/signing.js";
