// `@rtc-apigen/runtime/mock`: the mock server core, apart from the main entry so that a client's
// import never loads it.
export * from "./mock/definition.js";
export * from "./mock/sample.js";
export * from "./mock/server.js";
