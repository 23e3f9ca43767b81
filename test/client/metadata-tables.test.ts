// A service's `metadata` as its package builds it: each operation's errors keyed in the spec's order
// (what the metadata held as JSON before its codes were written as lists), and the validation codes
// the operations share not one object that a write through one operation changes for the others.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { serviceMetadata } from "../../generator/emit/metadata-emitter.js";
import { GENERATED, realIr } from "../helpers.js";

type Operation = { errors: Record<string, unknown>; validationErrors: { codes: Record<string, unknown> } };
type Metadata = { commonErrors: Record<string, unknown>; operations: Record<string, Operation> };

const ir = await realIr();
const services = await Promise.all(
  ir.services.map(async (service) => {
    const module = (await import(pathToFileURL(path.join(GENERATED, service.id, "src", "metadata.ts")).href)) as { metadata: Metadata };
    return [service.id, { spec: serviceMetadata(service), built: module.metadata }] as const;
  }),
);

describe.each(services)("%s metadata", (_id, { spec, built }) => {
  it("keys each operation's errors, and the common errors, in the spec's order", () => {
    expect(Object.keys(built.commonErrors)).toEqual(Object.keys(spec.commonErrors));
    for (const [method, op] of Object.entries(spec.operations))
      expect([method, Object.keys(built.operations[method]!.errors)]).toEqual([method, Object.keys(op.errors)]);
  });

  it("gives no two operations one mutable validation codes object", () => {
    const ops = Object.values(built.operations);
    for (const op of ops) {
      const codes = op.validationErrors.codes;
      if (Object.isFrozen(codes)) continue;
      const others = ops.filter((o) => o !== op && o.validationErrors.codes === codes);
      expect(others).toEqual([]);
    }
  });
});
