// The public surface of @rtc-apigen/runtime. Generated service packages import from here only.
export * from "./json.js";
export * from "./mock-definition.js";
export * from "./tc3-signing.js";
export * from "./usersig.js";
export * from "./validation.js";
