// The importer agrees with the hand-written specs on what the metadata decides: field names, wire
// types, required and nullable (with the intl-en edition's nullability merged in, as the specs do).
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { actionToSpec, serviceToSpec, sharedObjects } from "../../generator/import/import-api-json.js";
import { build } from "../../generator/pipeline.js";
import { realIr } from "../helpers.js";
import { metadata, removeTemps, settled, signature, tempSpecs } from "./support.js";

const CASES = [
  { service: "lcic", file: "lcic-2022-08-17", actions: ["GetRoomEvent", "DescribeRoomStatistics"] },
  { service: "trtc", file: "trtc-2019-07-22", actions: ["DescribeUserEvent"] },
] as const;

async function importedIr(withIntl = true) {
  const specs = await tempSpecs();
  for (const c of CASES) {
    const { api, intl, examples } = await metadata(c.file);
    const edition = withIntl ? { sourceId: "metadata-cn", secondary: intl, secondaryId: "metadata-intl" } : { sourceId: "metadata-cn" };
    const shared = sharedObjects(api, c.actions);
    const dir = path.join(specs, c.service);
    await mkdir(dir);
    const service = serviceToSpec(api, { ...edition, service: { id: c.service }, sharedTypes: shared });
    await writeFile(path.join(dir, service.file), settled(service.yaml));
    for (const action of c.actions) {
      const spec = actionToSpec(api, action, { ...edition, examples, definedElsewhere: new Set(shared) });
      expect(spec.file).toBe(`${action}.yaml`);
      await writeFile(path.join(dir, spec.file), settled(spec.yaml));
    }
  }
  const result = await build(specs, path.dirname(specs));
  expect(result.diagnostics).toEqual([]);
  return result.ir!;
}

afterAll(removeTemps);

describe("actionToSpec against the hand-written specs", () => {
  it("gives the same fields, wire types, js choices, required and nullable flags", async () => {
    const [imported, real] = await Promise.all([importedIr(), realIr()]);
    for (const c of CASES)
      for (const action of c.actions) {
        const find = (ir: typeof real) => {
          const service = ir.services.find((s) => s.id === c.service)!;
          return { service, op: service.operations.find((o) => o.wire?.key === action)! };
        };
        const a = find(imported);
        const b = find(real);
        expect(signature(a.service, a.op), action).toEqual(signature(b.service, b.op));
        expect(a.op.name).toBe(b.op.name);
      }
  });

  it("without the intl-en edition differs only in the nullability the CN edition dropped (PROTOCOLS.md §A.6, §A.7)", async () => {
    const [imported, real] = await Promise.all([importedIr(false), realIr()]);
    const lines = (ir: typeof real) =>
      CASES.flatMap((c) => {
        const service = ir.services.find((s) => s.id === c.service)!;
        return c.actions.flatMap((a) =>
          signature(
            service,
            service.operations.find((o) => o.wire?.key === a)!,
          ),
        );
      });
    const cn = new Set(lines(imported));
    const differing = [...new Set(lines(real).filter((l) => !cn.has(l)))].map((l) => l.replace(/:.*/, "")).sort();
    expect(differing).toEqual([
      "EventDataInfo.Device",
      "EventDataInfo.Duration",
      "EventDataInfo.RecordSize",
      "EventDataInfo.RecordUrl",
      "EventDataInfo.RoomId",
      "EventDataInfo.UserId",
      "EventInfo.EventData",
      "MemberRecord.CurrentState",
      "MemberRecord.Stage",
      "response.Events",
      "response.RealEndTime",
      "response.RealStartTime",
    ]);
    for (const l of lines(real)) if (differing.includes(l.replace(/:.*/, ""))) expect(l).toMatch(/nullable=true$/);
  });
});
