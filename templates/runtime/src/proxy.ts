// `@rtc-apigen/runtime/proxy`: proxy support for the built-in Node transport, an opt-in
// (`proxy: httpProxy()`), so that an app that sends direct bundles none of it (see client/proxy.ts).
export { httpProxy, type HttpProxy, type ProxyEnv, type ProxyOption, type ProxySetting } from "./client/proxy.js";
