// The JSON Schema artifacts agree with the spec: Ajv accepts exactly the examples the spec accepts.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { exampleIssues } from "../../generator/ir/example-issues.js";
import { stringifyJson } from "../../generator/ir/json-text.js";
import { buildRealSpecs, realIr } from "../helpers.js";

const ir = await realIr();
const { files = [] } = await buildRealSpecs();

function compilerFor(serviceId: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of files.filter((x) => x.path.startsWith(`${serviceId}/schemas/`))) ajv.addSchema(JSON.parse(f.content) as object);
  return ajv;
}

const cases = ir.services.flatMap((s) =>
  s.operations.flatMap((op) => op.examples.map((ex) => [`${s.id} ${op.name}: ${ex.title}`, s, op, ex] as const)),
);

describe("JSON Schemas", () => {
  it("compile, one per shape, request and response", () => {
    for (const s of ir.services) {
      const ajv = compilerFor(s.id);
      for (const op of s.operations) {
        expect(ajv.getSchema(`${op.name}Request.json`), op.name).toBeTypeOf("function");
        expect(ajv.getSchema(`${op.name}Response.json`), op.name).toBeTypeOf("function");
      }
      for (const shape of s.shapes) expect(ajv.getSchema(`${shape.name}.json`), shape.name).toBeTypeOf("function");
    }
  });

  it.each(cases)("agree with the spec on %s", (_name, service, op, ex) => {
    const ajv = compilerFor(service.id);
    const issues = exampleIssues(service, op, ex);
    const fails = (part: "request" | "response") => issues.some((i) => i.path === part || i.path.startsWith(`${part}.`));
    if (ex.request !== undefined) {
      const ok = ajv.getSchema(`${op.name}Request.json`)!(JSON.parse(ex.requestText!));
      expect(ok, `request: ${JSON.stringify(ajv.errors)}`).toBe(!fails("request"));
    }
    if (ex.responsePayload !== undefined) {
      // The payload as the IR reads it from the body (inside `Response`, beside the envelope's own keys, or none).
      const payload = JSON.parse(stringifyJson(ex.responsePayload)) as unknown;
      // The schemas tolerate unknown response fields; the spec's example check does not.
      const onlyUnknown = issues.filter((i) => i.path.startsWith("response")).every((i) => i.code === "unknown");
      const ok = ajv.getSchema(`${op.name}Response.json`)!(payload);
      expect(ok, `response: ${JSON.stringify(ajv.errors)}`).toBe(!fails("response") || onlyUnknown);
    }
  });

  it("refuse unknown request fields and tolerate unknown response fields", () => {
    const lcic = compilerFor("lcic");
    expect(lcic.getSchema("DescribeRoomStatisticsRequest.json")!({ RoomId: 1, Page: 1, Limit: 10, Extra: 1 })).toBe(false);
    expect(lcic.getSchema("DescribeRoomStatisticsRequest.json")!({ RoomId: 1, Page: 1, Limit: 1001 })).toBe(false);
    expect(lcic.getSchema("EventInfo.json")!({ Timestamp: 1, EventType: "RoomStart", EventData: { RoomId: 1 }, NewField: true })).toBe(true);
  });
});
