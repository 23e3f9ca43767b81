// What the generator knows about each wire protocol's envelope (not about any API).
import type { ProtocolBinding } from "./types.js";

export interface ProtocolEnvelope {
  /** Key of the object in a response body that the operation's response fields describe. */
  payloadKey: string;
  /**
   * The payload may be left out: a Chat command that returns nothing answers an OK envelope
   * without `Response`, which stands for an empty payload.
   */
  payloadOptional: boolean;
}

export const ENVELOPES: Record<ProtocolBinding["name"], ProtocolEnvelope> = {
  tc3: { payloadKey: "Response", payloadOptional: false },
  "chat-rest": { payloadKey: "Response", payloadOptional: true },
};
