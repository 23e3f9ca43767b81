// What Node resolves the runtime's `#loaders` to (package.json `imports`): the client's call path and
// the transports, loaded on demand. The build makes the runtime's imports of these modules imports of
// `#loaders`, which a bundler resolves to loaders-bundled.ts instead (generator/build/build-packages.ts):
// a file of their own, as a dynamic import anywhere in a bundled file makes esbuild wrap what it reaches.
export { startCall } from "./client/call-loader.js";
export { lazyTransport } from "./client/transport-loader.js";
