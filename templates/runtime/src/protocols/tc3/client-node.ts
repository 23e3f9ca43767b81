// The TC3 client protocol of the runtime's Node build (`@rtc-apigen/runtime/tc3-node`, which
// `@rtc-apigen/runtime/tc3` resolves to under the `node` condition): it signs with node:crypto only,
// so a Node app's bundle holds none of the Web Crypto signing a worker needs. Node, Bun and Deno all
// have node:crypto; elsewhere the default build (client.ts) signs with Web Crypto.
import type { ClientProtocol, Protocol, ProtocolFactory } from "../../client/protocol.js";
import { TC3, tc3ProtocolFactoryWith, tc3ProtocolSignedWith, type Tc3ClientOptions, type Tc3ProtocolConfig } from "./client.js";
import { signTc3Authorization } from "./signing.js";

export function tc3Protocol(config: Tc3ProtocolConfig): Protocol {
  return tc3ProtocolSignedWith(signTc3Authorization, config);
}

export const tc3ProtocolFactory: ProtocolFactory<Tc3ClientOptions> = /* @__PURE__ */ tc3ProtocolFactoryWith(signTc3Authorization);

export const tc3ClientProtocol: ClientProtocol<typeof TC3, Tc3ClientOptions> = { name: TC3, factory: tc3ProtocolFactory };
