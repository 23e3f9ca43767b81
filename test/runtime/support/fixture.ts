// Hand-written metadata and validators in the shape the generator emits, so the client core is
// tested without depending on generated/. One TC3 service and one Chat REST service.
import type { ServiceMetadata, ServiceValidators } from "../../../templates/runtime/src/client/metadata.js";
import type { Issue, ValidationResult } from "../../../templates/runtime/src/validation/validation.js";

export const SECRET_ID = "AKIDtestSecretId0001";
export const SECRET_KEY = "tc3-SECRET-key-0123456789abcdef";
export const SESSION_TOKEN = "session-TOKEN-value-9876543210";
export const CHAT_SDKAPPID = 1400000000;
export const CHAT_IDENTIFIER = "administrator";
export const CHAT_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

export const tc3Metadata = {
  id: "demo",
  title: "Demo TC3 service",
  protocol: { name: "tc3", service: "demo", version: "2020-01-01" },
  endpoints: [
    { id: "default", host: "demo.tencentcloudapi.com", default: true },
    { id: "intl", host: "demo.intl.tencentcloudapi.com", default: false },
  ],
  regions: { required: false, values: [] },
  commonErrors: {
    InternalError: { retryable: true },
    RequestLimitExceeded: { retryable: true },
    "AuthFailure.SignatureFailure": { retryable: false },
    InvalidParameter: { retryable: false },
    FailedOperation: { retryable: false },
  },
  operations: {
    listThings: {
      name: "ListThings",
      action: "ListThings",
      regions: { required: false, values: [] },
      rateLimit: { requests: 20, per: "second" },
      pagination: { style: "page-number", page: "Page", firstPage: 1, size: "Limit", maxSize: 3, defaultSize: null, items: "Things", total: "Total" },
      timeWindows: [],
      errors: {
        "ResourceNotFound.Thing": { retryable: false },
        "FailedOperation.NotReady": { retryable: true },
      },
      responseRepresentation: { Things: { BigId: "bigint" } },
    },
    describeRegional: {
      name: "DescribeRegional",
      action: "DescribeRegional",
      regions: { required: true, values: ["ap-beijing", "ap-singapore"] },
      rateLimit: null,
      pagination: null,
      timeWindows: [],
      errors: {},
      responseRepresentation: null,
    },
  },
} as const satisfies ServiceMetadata;

export const chatMetadata = {
  id: "demochat",
  title: "Demo Chat REST service",
  protocol: { name: "chat-rest", version: "v4" },
  endpoints: [
    { id: "china", host: "console.tim.qq.com", backup: "adminapi.my-imcloud.com", default: true },
    { id: "singapore", host: "adminapisgp.im.qcloud.com", default: false },
  ],
  regions: { required: false, values: [] },
  commonErrors: {
    "60007": { retryable: true },
    "70001": { retryable: false },
    "70009": { retryable: false },
  },
  operations: {
    getRoom: {
      name: "GetRoom",
      command: "room_engine_http_srv/get_room_info",
      regions: { required: false, values: [] },
      rateLimit: { requests: 200, per: "second" },
      pagination: null,
      timeWindows: [],
      errors: { "100001": { retryable: true }, "100004": { retryable: false } },
      responseRepresentation: { RoomInfo: { Owner_Account: "string" } },
    },
  },
} as const satisfies ServiceMetadata;

// Validators: small hand-written ones with the generated signature.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const issue = (path: string, code: Issue["code"], expected: string, received: string): Issue => ({
  path,
  code,
  expected,
  received,
  message: `${path}: must be ${expected}, got ${received}`,
});
const result = (value: unknown, issues: Issue[]): ValidationResult<unknown> => (issues.length ? { ok: false, issues } : { ok: true, value });

function unknownFields(value: Record<string, unknown>, known: string[], strict: boolean | undefined): Issue[] {
  if (!strict) return [];
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => ({
      path: k,
      code: "unknown" as const,
      expected: "no such field",
      received: "a value",
      message: `${k}: is not a field of this type`,
    }));
}

export const tc3Validators: ServiceValidators = {
  listThings: {
    request(value) {
      if (!isObject(value)) return result(value, [issue("", "type", "an object", typeof value)]);
      const issues: Issue[] = [];
      if (typeof value["Owner"] !== "string") issues.push(issue("Owner", "required", "a string", String(value["Owner"])));
      const limit = value["Limit"];
      if (limit !== undefined && (typeof limit !== "number" || limit > 3)) issues.push(issue("Limit", "maximum", "≤ 3", String(limit)));
      return result(value, issues);
    },
    response(value, options) {
      if (!isObject(value)) return result(value, [issue("", "type", "an object", typeof value)]);
      const issues: Issue[] = [];
      if (typeof value["Total"] !== "number") issues.push(issue("Total", "type", "an integer", typeof value["Total"]));
      issues.push(...unknownFields(value, ["Total", "Things", "RequestId"], options.strict));
      return result(value, issues);
    },
  },
  describeRegional: {
    request: (value) => result(value, []),
    response: (value) => result(value, []),
  },
};

export const chatValidators: ServiceValidators = {
  getRoom: {
    request(value) {
      if (!isObject(value) || typeof value["RoomId"] !== "string") return result(value, [issue("RoomId", "required", "a string", "nothing")]);
      return result(value, []);
    },
    response(value, options) {
      if (!isObject(value) || !isObject(value["RoomInfo"])) return result(value, [issue("RoomInfo", "required", "an object", "nothing")]);
      return result(value, unknownFields(value, ["RoomInfo"], options.strict));
    },
  },
};

/** A TC3 success body. */
export const tc3Ok = (payload: Record<string, unknown>, requestId = "req-ok") => ({
  Response: { ...payload, RequestId: requestId },
});
/** A TC3 error body. */
export const tc3Error = (code: string, message = "failed", requestId = "req-err") => ({
  Response: { Error: { Code: code, Message: message }, RequestId: requestId },
});
/** A Chat success body. */
export const chatOk = (response: Record<string, unknown>, requestId = "Id-ok") => ({
  ActionStatus: "OK",
  ErrorCode: 0,
  ErrorInfo: "",
  RequestId: requestId,
  Response: response,
});
/** A Chat error body. */
export const chatFail = (code: number, info = "failed", requestId = "Id-fail") => ({
  ActionStatus: "FAIL",
  ErrorCode: code,
  ErrorInfo: info,
  RequestId: requestId,
});
