// `@rtc-apigen/runtime/tc3` under the `node` condition (the runtime package's exports): tc3.ts's
// exports, except that its client signs with node:crypto only (protocols/tc3/client-node.ts), so that
// a Node app's bundle holds no Web Crypto signing. These three named exports shadow tc3.ts's.
export * from "./tc3.js";
export { tc3ClientProtocol, tc3Protocol, tc3ProtocolFactory } from "./protocols/tc3/client-node.js";
