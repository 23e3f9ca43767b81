// `@rtc-apigen/runtime/tc3-client` under the `node` condition (the runtime package's exports):
// tc3-client.ts's exports, its client signing with node:crypto only (protocols/tc3/client-node.ts).
export { type Tc3ClientOptions } from "./tc3-client.js";
export { tc3ProtocolFactory } from "./protocols/tc3/client-node.js";
