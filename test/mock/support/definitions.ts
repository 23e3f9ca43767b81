// Hand-written MockServiceDefinitions in the shape the generator emits, so the mock core is tested
// without depending on generated/: one TC3 service modelled on LCIC (plus a region-bound and a
// 64-bit operation) and one Chat REST service modelled on the room engine.
import type { MockServiceDefinition, Rng } from "../../../templates/runtime/src/mock/definition.js";
import type { Issue, ValidationErrorMap, ValidationResult } from "../../../templates/runtime/src/validation/validation.js";

const tc3Codes = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, { retryable: c.startsWith("Request") || c === "InternalError" }]));

export const TC3_COMMON = tc3Codes(
  "AuthFailure.InvalidAuthorization",
  "AuthFailure.SecretIdNotFound",
  "AuthFailure.SignatureExpire",
  "AuthFailure.SignatureFailure",
  "AuthFailure.TokenFailure",
  "FailedOperation",
  "InternalError",
  "InvalidAction",
  "InvalidParameter",
  "InvalidParameterValue",
  "MissingParameter",
  "NoSuchProduct",
  "NoSuchVersion",
  "RequestLimitExceeded",
  "RequestSizeLimitExceeded",
  "UnknownParameter",
  "UnsupportedProtocol",
  "UnsupportedRegion",
);

const TC3_VALIDATION: ValidationErrorMap = {
  codes: {
    body: "InvalidParameter",
    missing: "MissingParameter",
    type: "InvalidParameter",
    value: "InvalidParameterValue",
    unknown: "UnknownParameter",
    region: "UnsupportedRegion",
  },
  fields: { SdkAppId: { value: "InvalidParameter.SdkAppId" } },
};

// ---------------------------------------------------------------------------------------------
// Validators: enough of the generated ones' behaviour (every issue with its path and code).

type FieldCheck = (value: unknown, path: string, out: Issue[]) => void;

const issue = (out: Issue[], path: string, code: Issue["code"], expected: string, received: unknown) =>
  out.push({ path, code, expected, received: String(received), message: `${path || "value"}: must be ${expected}, got ${String(received)}` });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function integer(min: number, max = Number.MAX_SAFE_INTEGER): FieldCheck {
  return (v, path, out) => {
    if (typeof v !== "number" || !Number.isInteger(v)) return issue(out, path, "type", "an integer", v);
    if (v < min) issue(out, path, "minimum", `≥ ${min}`, v);
    else if (v > max) issue(out, path, "maximum", `≤ ${max}`, v);
  };
}

const string: FieldCheck = (v, path, out) => {
  if (typeof v !== "string") issue(out, path, "type", "a string", v);
};

const decimal: FieldCheck = (v, path, out) => {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]*)$/.test(v)) issue(out, path, "type", "a uint64 as decimal text", v);
};

function objectOf(fields: Record<string, { check: FieldCheck; required: boolean }>, strict: boolean) {
  return (value: unknown): ValidationResult<unknown> => {
    const out: Issue[] = [];
    if (!isObject(value)) {
      issue(out, "", "type", "an object", typeof value);
      return { ok: false, issues: out };
    }
    for (const [name, f] of Object.entries(fields)) {
      const v = value[name];
      if (v === undefined) {
        if (f.required) out.push({ path: name, code: "required", expected: "present", received: "nothing", message: `${name}: is required` });
      } else if (v === null) {
        out.push({ path: name, code: "null", expected: "not null", received: "null", message: `${name}: must not be null` });
      } else {
        f.check(v, name, out);
      }
    }
    if (strict)
      for (const k of Object.keys(value))
        if (!(k in fields))
          out.push({ path: k, code: "unknown", expected: "no such field", received: "a value", message: `${k}: is not a field of this type` });
    return out.length ? { ok: false, issues: out } : { ok: true, value };
  };
}

const req = (check: FieldCheck) => ({ check, required: true });
const opt = (check: FieldCheck) => ({ check, required: false });
const list: FieldCheck = (v, path, out) => {
  if (!Array.isArray(v)) issue(out, path, "type", "an array", v);
};

const regionCheck = (values: readonly string[]) => (value: unknown, options?: { region?: string | undefined }) => {
  const result = objectOf({}, true)(value);
  if (!result.ok || options === undefined || !("region" in options)) return result;
  if (options.region === undefined || !values.includes(options.region)) {
    return {
      ok: false as const,
      issues: [
        { path: "Region", code: "region" as const, expected: values.join(", "), received: String(options.region), message: "Region: unsupported" },
      ],
    };
  }
  return result;
};

// ---------------------------------------------------------------------------------------------
// The TC3 service.

const EVENT_TYPES = ["RoomStart", "RoomEnd", "MemberJoin", "MemberQuit"] as const;

function eventItem(rng: Rng): Record<string, unknown> {
  return {
    Timestamp: rng.int(1672531200, 1767225600),
    EventType: rng.pick(EVENT_TYPES),
    EventData: { RoomId: rng.int(1, 1e6), UserId: rng.string(4, 12) },
  };
}

function memberItem(rng: Rng): Record<string, unknown> {
  return { UserId: rng.string(4, 12), UserName: rng.string(2, 8), PresentTime: rng.int(0, 7200) };
}

export const eduDefinition: MockServiceDefinition = {
  metadata: {
    id: "edu",
    title: "Edu (LCIC-like) API 2022-08-17",
    protocol: { name: "tc3", service: "edu", version: "2022-08-17" },
    endpoints: [
      { id: "default", host: "edu.tencentcloudapi.com", default: true },
      { id: "intl", host: "edu.intl.tencentcloudapi.com", default: false },
    ],
    regions: { required: false, values: [] },
    commonErrors: TC3_COMMON,
    resources: { room: { description: "A class", key: "integer" } },
    operations: {
      getRoomEvent: {
        name: "GetRoomEvent",
        action: "GetRoomEvent",
        regions: { required: false, values: [] },
        rateLimit: { requests: 20, per: "second" },
        timeWindows: [],
        pagination: {
          style: "page-number",
          page: "Page",
          firstPage: 1,
          size: "Limit",
          maxSize: 200,
          defaultSize: null,
          items: "Events",
          total: "Total",
        },
        errors: tc3Codes("FailedOperation", "InternalError", "InvalidParameter.SdkAppId", "ResourceNotFound.Room"),
        validationErrors: TC3_VALIDATION,
        requestRepresentation: null,
        responseRepresentation: null,
        mock: {
          resource: "room",
          key: "RoomId",
          notFound: "ResourceNotFound.Room",
          requires: [{ state: "ended", withinSeconds: 3600, error: null }],
          filters: [{ field: "Keyword", matches: "EventType", paging: "ignored", total: "unfiltered" }],
        },
      },
      describeRoomStatistics: {
        name: "DescribeRoomStatistics",
        action: "DescribeRoomStatistics",
        regions: { required: false, values: [] },
        rateLimit: { requests: 20, per: "second" },
        timeWindows: [],
        pagination: {
          style: "page-number",
          page: "Page",
          firstPage: 1,
          size: "Limit",
          maxSize: 1000,
          defaultSize: null,
          items: "MemberRecords",
          total: "Total",
        },
        errors: tc3Codes("FailedOperation.RoomNotEnd", "InternalError", "ResourceNotFound.Room"),
        validationErrors: TC3_VALIDATION,
        requestRepresentation: null,
        responseRepresentation: null,
        mock: {
          resource: "room",
          key: "RoomId",
          notFound: "ResourceNotFound.Room",
          requires: [{ state: "ended", withinSeconds: null, error: "FailedOperation.RoomNotEnd" }],
        },
      },
      describeRegional: {
        name: "DescribeRegional",
        action: "DescribeRegional",
        regions: { required: true, values: ["ap-beijing", "ap-singapore"] },
        rateLimit: null,
        timeWindows: [],
        pagination: null,
        errors: {},
        validationErrors: TC3_VALIDATION,
        requestRepresentation: null,
        responseRepresentation: null,
        mock: null,
      },
      describeOwner: {
        name: "DescribeOwner",
        action: "DescribeOwner",
        regions: { required: false, values: [] },
        rateLimit: null,
        timeWindows: [],
        pagination: null,
        errors: {},
        validationErrors: TC3_VALIDATION,
        requestRepresentation: { OwnerId: "string" },
        responseRepresentation: { OwnerId: "string", Owners: { Id: "string" } },
        mock: null,
      },
    },
  },
  validators: {
    getRoomEvent: {
      request: objectOf(
        { RoomId: req(integer(0)), SdkAppId: req(integer(1)), Page: req(integer(1)), Limit: req(integer(1, 200)), Keyword: opt(string) },
        true,
      ),
      response: objectOf({ Total: req(integer(0)), Events: req(list), RequestId: req(string) }, false),
    },
    describeRoomStatistics: {
      request: objectOf({ RoomId: req(integer(0)), Page: req(integer(1)), Limit: req(integer(1, 1000)) }, true),
      response: objectOf({ Total: req(integer(0)), MemberRecords: req(list), PeakMemberNumber: req(integer(0)), RequestId: req(string) }, false),
    },
    describeRegional: {
      request: regionCheck(["ap-beijing", "ap-singapore"]),
      response: objectOf({ Zone: req(string), RequestId: req(string) }, false),
    },
    describeOwner: {
      request: objectOf({ OwnerId: req(decimal) }, true),
      response: objectOf({ OwnerId: req(decimal), Owners: req(list), RequestId: req(string) }, false),
    },
  },
  samplers: {
    getRoomEvent: {
      response: (rng) => ({ Total: rng.int(0, 9), Events: [eventItem(rng)], RequestId: rng.string(8, 8) }),
      item: eventItem,
    },
    describeRoomStatistics: {
      response: (rng) => ({ PeakMemberNumber: rng.int(0, 500), Total: rng.int(0, 9), MemberRecords: [], RequestId: rng.string(8, 8) }),
      item: memberItem,
    },
    describeRegional: { response: (rng) => ({ Zone: rng.pick(["a", "b", "c"]), RequestId: rng.string(8, 8) }) },
    describeOwner: {
      response: (rng) => ({
        OwnerId: rng.bigint(2n ** 60n, 2n ** 63n).toString(),
        Owners: [{ Id: rng.bigint(2n ** 60n, 2n ** 63n).toString() }],
        RequestId: rng.string(8, 8),
      }),
    },
  },
  examples: [
    {
      method: "getRoomEvent",
      title: "The events of a room",
      request: { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" },
      response: {
        Total: 1,
        Events: [{ Timestamp: 1, EventType: "MemberJoin", EventData: { RoomId: 1, UserId: "2d3FgsZRRB2EbRu5Cwe8Rd7R6Bc" } }],
        RequestId: "e574aae1-lp02-4225-a2f8-9032h7199f5f0",
      },
    },
    {
      method: "describeRoomStatistics",
      title: "The statistics of a room",
      request: { RoomId: 1, Page: 1, Limit: 1 },
      response: { PeakMemberNumber: 1, Total: 1, MemberRecords: [{ UserId: "90813", UserName: "Name", PresentTime: 1 }], RequestId: "xx" },
    },
    {
      method: "describeOwner",
      title: "An owner beyond 2^53",
      request: { OwnerId: "144115233775727695" },
      response: { OwnerId: "144115233775727695", Owners: [{ Id: "9223372036854775807" }], RequestId: "r" },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// The Chat REST service.

const CHAT_VALIDATION: ValidationErrorMap = {
  codes: { body: 60003, missing: 100002, type: 100002, value: 100002, unknown: 100002, region: 100002 },
  fields: {},
};

export const imDefinition: MockServiceDefinition = {
  metadata: {
    id: "im",
    title: "IM room engine",
    protocol: { name: "chat-rest", version: "v4" },
    endpoints: [
      { id: "china", host: "console.tim.qq.com", backup: "adminapi.my-imcloud.com", default: true },
      { id: "singapore", host: "adminapisgp.im.qcloud.com", default: false },
    ],
    regions: { required: false, values: [] },
    commonErrors: Object.fromEntries(
      [60002, 60003, 60007, 60008, 60009, 60010, 60012, 70001, 70003, 70009, 70013, 70014, 70020].map((c) => [
        String(c),
        { retryable: c === 60007 || c === 60008 },
      ]),
    ),
    resources: { room: { description: "A room", key: "string" } },
    operations: {
      getRoomInfo: {
        name: "GetRoomInfo",
        command: "room_engine_http_srv/get_room_info",
        regions: { required: false, values: [] },
        rateLimit: { requests: 200, per: "second" },
        timeWindows: [],
        pagination: null,
        errors: { "100001": { retryable: true }, "100002": { retryable: false }, "100004": { retryable: false } },
        validationErrors: CHAT_VALIDATION,
        requestRepresentation: null,
        responseRepresentation: { RoomInfo: { Owner_Account: "string" } },
        mock: { resource: "room", key: "RoomId", notFound: 100004, requires: [] },
      },
    },
  },
  validators: {
    getRoomInfo: {
      request: objectOf({ RoomId: req(string) }, true),
      response: (value) =>
        isObject(value) && isObject(value["RoomInfo"])
          ? { ok: true, value }
          : {
              ok: false,
              issues: [{ path: "RoomInfo", code: "required", expected: "present", received: "nothing", message: "RoomInfo: is required" }],
            },
    },
  },
  samplers: {
    getRoomInfo: {
      response: (rng) => ({
        RoomInfo: {
          RoomId: rng.string(4, 10),
          RoomName: rng.string(4, 10),
          Owner_Account: rng.bigint(2n ** 56n, 2n ** 60n).toString(),
          MaxMemberCount: rng.int(1, 300),
        },
      }),
    },
  },
  examples: [
    {
      method: "getRoomInfo",
      title: "Basic form",
      request: { RoomId: "room-test" },
      response: { RoomInfo: { RoomId: "room-test", RoomName: "room-name-test", Owner_Account: "144115233775727695", MaxMemberCount: 300 } },
    },
  ],
};
