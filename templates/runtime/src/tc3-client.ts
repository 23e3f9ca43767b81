// `@rtc-apigen/runtime/tc3-client`: what a generated package of the protocol imports of it, and no
// more: the client protocol's factory and its options. `@rtc-apigen/runtime/tc3` holds it too, with
// the signing, verification and credential providers an app may import; a cold import of a service
// package parses none of those (issue 15). Under the `node` condition the package resolves this entry
// to tc3-client-node.ts: the same exports, its client signing with node:crypto only.
export { tc3ProtocolFactory, type Tc3ClientOptions } from "./protocols/tc3/client.js";
