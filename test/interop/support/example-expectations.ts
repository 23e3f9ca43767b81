// What the specs predict for calling an operation with one of its examples: the clock at which the
// example's request is inside the operation's look-back windows, the code the service answers for
// an example that contradicts its own page, and how an answer compares with the example's response.
import { ValueChecker } from "../../../generator/ir/check-value.js";
import type { Example, Field, JsonValue, Operation, Service, TypeRef } from "../../../generator/ir/types.js";
import { protocolCodeOf, timeValue, type Issue } from "../../../templates/runtime/src/validation/validation.js";

const MS_PER_UNIT: Record<string, number> = { seconds: 1000, milliseconds: 1 };

function requestObject(ex: Example): Record<string, JsonValue> | undefined {
  const r = ex.request;
  return r !== null && typeof r === "object" && !Array.isArray(r) ? r : undefined;
}

/** A request field's time in milliseconds since the epoch, when it holds one. */
function timeMs(field: Field | undefined, value: JsonValue | undefined): number | undefined {
  const t = timeValue(value);
  return t === undefined ? undefined : t * (MS_PER_UNIT[field?.unit ?? "seconds"] ?? 1000);
}

/**
 * The clock (ms) at which the example's request is inside every look-back window of the operation:
 * the latest time the request names, or the end of the narrowest window when that is later.
 * Undefined when no look-back window applies (the real clock does).
 */
export function exampleClock(op: Operation, ex: Example): number | undefined {
  const request = requestObject(ex);
  if (!request) return undefined;
  const fieldOf = (name: string) => op.request.fields.find((f) => f.name === name);
  const bounds: number[] = [];
  const named: number[] = [];
  for (const w of op.timeWindows) {
    if (w.kind !== "lookback") continue;
    const t = timeMs(fieldOf(w.field), request[w.field]);
    if (t === undefined) continue;
    named.push(t);
    bounds.push(t + w.withinSeconds * 1000);
  }
  if (bounds.length === 0) return undefined;
  for (const f of op.request.fields) {
    const t = f.constraints.format === "unix-time" ? timeMs(f, request[f.name]) : undefined;
    if (t !== undefined) named.push(t);
  }
  return Math.min(Math.max(...named), ...bounds);
}

/** The code the spec says the service answers for the example's request: its first problem, through the operation's validation-error map. */
export function predictedRequestError(service: Service, op: Operation, ex: Example): string | number | undefined {
  const issues = new ValueChecker(service.shapes, { rejectUnknown: true }).checkShape(op.request, ex.request, "");
  const first = issues[0];
  return first === undefined ? undefined : protocolCodeOf(first as unknown as Issue, op.validationErrors);
}

/**
 * The code of an example published as a TC3 error answer (`{"Response": {"Error": {"Code": …}}}`)
 * rather than a result (the IR's `error`): what the service answered to that request, so what the
 * SDK must throw.
 */
export function publishedErrorCode(ex: Example): string | undefined {
  const code = ex.error?.code;
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
}

/** The paths of the example's request or response that its `contradicts` names, without the side. */
export function contradictedPaths(ex: Example, side: "request" | "response"): string[] {
  return (ex.contradicts?.paths ?? []).filter((p) => p === side || p.startsWith(`${side}.`)).map((p) => p.slice(side.length + 1));
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "bigint" ? "number" : typeof v;
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/**
 * Where the answer departs from the example's response: a field of the example that a required
 * field of the spec makes certain is missing, or a value of another JSON type (null aside where
 * the spec allows it). Paths in `skip` (the example's own contradictions) are not compared.
 */
export function typeMismatches(
  service: Service,
  fields: readonly Field[],
  example: JsonValue | undefined,
  answer: unknown,
  skip: ReadonlySet<string>,
): string[] {
  const shapes = new Map(service.shapes.map((s) => [s.name, s]));
  const out: string[] = [];

  const compareObject = (fields: readonly Field[] | undefined, ex: Record<string, JsonValue>, an: Record<string, unknown>, path: string) => {
    for (const [key, value] of Object.entries(ex)) {
      const p = join(path, key);
      const field = fields?.find((f) => f.name === key);
      if (!Object.hasOwn(an, key)) {
        if (field?.required && !skip.has(p)) out.push(`${p}: missing from the answer`);
        continue;
      }
      compare(field?.type, field?.nullable ?? true, value, an[key], p);
    }
  };

  const compare = (type: TypeRef | undefined, nullable: boolean, ex: JsonValue, an: unknown, path: string): void => {
    if (skip.has(path) || type === undefined || type.kind === "union" || (type.kind === "scalar" && type.name === "any")) return;
    const [te, ta] = [jsonType(ex), jsonType(an)];
    if (te === "null" || ta === "null") {
      if (te !== ta && !nullable) out.push(`${path}: ${ta} in the answer, ${te} in the example`);
      return;
    }
    if (te !== ta) {
      out.push(`${path}: ${ta} in the answer, ${te} in the example`);
      return;
    }
    if (type.kind === "array" && Array.isArray(ex) && Array.isArray(an)) {
      for (let i = 0; i < Math.min(ex.length, an.length); i++) compare(type.items, false, ex[i]!, an[i], join(path, i));
    } else if (type.kind === "shape" && te === "object") {
      compareObject(shapes.get(type.name)?.fields, ex as Record<string, JsonValue>, an as Record<string, unknown>, path);
    }
  };

  if (jsonType(example) !== "object" || jsonType(answer) !== "object")
    out.push(`the answer is ${jsonType(answer)}, the example ${jsonType(example)}`);
  else compareObject(fields, example as Record<string, JsonValue>, answer as Record<string, unknown>, "");
  return out;
}
