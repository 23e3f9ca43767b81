// The public surface of @rtc-apigen/runtime. Generated service packages import from here only.
export * from "./validation.js";
