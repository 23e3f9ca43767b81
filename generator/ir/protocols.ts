// What the generator knows about each wire protocol's envelope (not about any API).
import type { ProtocolBinding } from "./types.js";

export interface ProtocolEnvelope {
  /** Key of the object in a response body that the operation's response fields describe. */
  payloadKey: string;
}

export const ENVELOPES: Record<ProtocolBinding["name"], ProtocolEnvelope> = {
  tc3: { payloadKey: "Response" },
  "chat-rest": { payloadKey: "Response" },
};
