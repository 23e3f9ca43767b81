// What the generator knows about each wire protocol's envelope (not about any API).
import type { JsonValue, ProtocolBinding } from "./types.js";

/** One problem with the form of an error envelope, at a path under `response`. */
export interface EnvelopeIssue {
  path: string;
  message: string;
}

/** An error answer read from an example's body: its code and message as written, and what is wrong with its form. */
export interface ErrorEnvelope {
  code?: JsonValue;
  message?: JsonValue;
  issues: EnvelopeIssue[];
}

export interface ProtocolEnvelope {
  /** Key of the object in a response body that the operation's response fields describe. */
  payloadKey: string;
  /**
   * The payload may be left out: a Chat command that returns nothing answers an OK envelope
   * without `Response`, which stands for an empty payload.
   */
  payloadOptional: boolean;
  /** The body read as the protocol's error answer, or undefined when it is not one (it carries no error marker). */
  errorOf(body: JsonValue): ErrorEnvelope | undefined;
  /** The envelope's own top-level keys: an operation whose payload sits beside them (`payload: envelope`) owns the rest. */
  statusKeys: readonly string[];
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`: an error is a `Response` holding `Error`. */
function tc3Error(body: JsonValue): ErrorEnvelope | undefined {
  const inner = isObject(body) ? body["Response"] : undefined;
  if (!isObject(inner) || !("Error" in inner)) return undefined;
  const issues: EnvelopeIssue[] = [];
  const error = inner["Error"];
  if (!isObject(error)) return { issues: [{ path: "response.Error", message: "response.Error: must be an object with Code and Message" }] };
  const code = error["Code"];
  const message = error["Message"];
  if (typeof code !== "string") issues.push({ path: "response.Error.Code", message: "response.Error.Code: must be a string" });
  if (typeof message !== "string") issues.push({ path: "response.Error.Message", message: "response.Error.Message: must be a string" });
  if (typeof inner["RequestId"] !== "string") issues.push({ path: "response.RequestId", message: "response.RequestId: an error answer has a string RequestId" });
  for (const k of Object.keys(error)) if (k !== "Code" && k !== "Message") issues.push({ path: `response.Error.${k}`, message: `response.Error.${k}: not a field of an error answer` });
  for (const k of Object.keys(inner)) if (k !== "Error" && k !== "RequestId") issues.push({ path: `response.${k}`, message: `response.${k}: an error answer holds only Error and RequestId` });
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}), issues };
}

/** `{"ActionStatus": "FAIL", "ErrorCode": n, "ErrorInfo": "…"}`: an error is `FAIL`, or a non-zero `ErrorCode`. */
function chatError(body: JsonValue): ErrorEnvelope | undefined {
  if (!isObject(body)) return undefined;
  const status = body["ActionStatus"];
  const code = body["ErrorCode"];
  if (status !== "FAIL" && (code === undefined || code === 0)) return undefined;
  const issues: EnvelopeIssue[] = [];
  if (status !== "FAIL") issues.push({ path: "response.ActionStatus", message: `response.ActionStatus: an error answer says "FAIL"` });
  if (typeof code !== "number" || !Number.isInteger(code) || code === 0) issues.push({ path: "response.ErrorCode", message: "response.ErrorCode: an error answer has a non-zero integer code" });
  const message = body["ErrorInfo"];
  if (message !== undefined && typeof message !== "string") issues.push({ path: "response.ErrorInfo", message: "response.ErrorInfo: must be a string" });
  if ("Response" in body) issues.push({ path: "response.Response", message: "response.Response: an error answer has no payload" });
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}), issues };
}

export const ENVELOPES: Record<ProtocolBinding["name"], ProtocolEnvelope> = {
  tc3: { payloadKey: "Response", payloadOptional: false, errorOf: tc3Error, statusKeys: [] },
  "chat-rest": { payloadKey: "Response", payloadOptional: true, errorOf: chatError, statusKeys: ["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"] },
};

/** Whether a success without a payload is a valid answer: the protocol allows it and nothing in the response is required. */
export function payloadOptional(service: { protocol: { name: string } }, op: { response: { fields: Array<{ required: boolean }> } }): boolean {
  return (ENVELOPES as Record<string, { payloadOptional: boolean }>)[service.protocol.name]?.payloadOptional === true && !op.response.fields.some((f) => f.required);
}
