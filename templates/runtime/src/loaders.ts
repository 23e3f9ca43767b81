// The client's call path and the transports, loaded on demand: what Node's build of the core imports
// (relatively, `./loaders.js`). The bundlers' build of the core (`core-bundled.js`, by export
// conditions) imports loaders-bundled.ts instead (generator/build/build-packages.ts): a dynamic import
// anywhere in a bundled file makes esbuild wrap what it reaches.
export { startCall } from "./client/call-loader.js";
export { lazyTransport } from "./client/transport-loader.js";
