import { printStructure, StructureKind } from "ts-morph";
import { describe, expect, it } from "vitest";
import { ImportPlanner } from "../../generator/emit/imports.js";
import { VALIDATOR_SYMBOLS } from "../../generator/emit/runtime-symbols.js";
import { emitValidatorsSource } from "../../generator/emit/validators-emitter.js";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { loadSpecs } from "../../generator/load/load-specs.js";

const print = (planner: ImportPlanner) =>
  printStructure({ kind: StructureKind.SourceFile, statements: planner.structures() }, { indentNumberOfSpaces: 2 });

describe("import planner", () => {
  const catalogue = {
    Value: { from: "pkg" },
    Kind: { from: "pkg", type: true },
    other: { from: "pkg/sub" },
    Only: { from: "pkg/types", type: true },
  };

  it("imports only what was declared, packages before relative modules, names in order", () => {
    const planner = new ImportPlanner(catalogue);
    expect(planner.namespace("./types.js", "T", true)).toBe("T");
    expect(planner.use("Value")).toBe("Value");
    planner.use("Kind");
    planner.use("Only");
    planner.use("Value");
    expect(print(planner)).toBe(
      ['import { type Kind, Value } from "pkg";', 'import type { Only } from "pkg/types";', 'import type * as T from "./types.js";', ""].join("\n"),
    );
  });

  it("imports a name as a value once any use of it is a value", () => {
    const planner = new ImportPlanner();
    planner.named("m", "X", true);
    planner.named("m", "X", false);
    planner.namespace("./n.js", "N", true);
    planner.namespace("./n.js", "N", false);
    expect(print(planner)).toBe(['import { X } from "m";', 'import * as N from "./n.js";', ""].join("\n"));
  });

  it("imports a name under an alias, and refuses one local name for two exports", () => {
    const planner = new ImportPlanner();
    expect(planner.named("pkg/proto", "ProtoOptions", true, "ProtocolClientOptions")).toBe("ProtocolClientOptions");
    planner.named("pkg/proto", "protoFactory");
    expect(print(planner)).toBe('import { type ProtoOptions as ProtocolClientOptions, protoFactory } from "pkg/proto";\n');
    expect(() => planner.named("pkg/proto", "OtherOptions", true, "ProtocolClientOptions")).toThrow(/names ProtoOptions, not OtherOptions/);
  });

  it("refuses a name outside its catalogue and a second alias for a namespace", () => {
    const planner = new ImportPlanner(catalogue);
    expect(() => planner.use("Missing")).toThrow(/no module exports Missing/);
    planner.namespace("./types.js", "T");
    expect(() => planner.namespace("./types.js", "U")).toThrow(/imported as T/);
  });

  it("plans nothing when nothing was declared", () => {
    expect(new ImportPlanner(catalogue).structures()).toEqual([]);
  });
});

describe("validators imports", async () => {
  const ir = checkSpecs(await loadSpecs("specs")).ir!;

  // Derived from the specs: each service's file imports exactly the catalogued names its code uses.
  for (const service of ir.services) {
    it(`${service.id}: imports exactly the runtime names its code uses`, () => {
      const text = emitValidatorsSource(service);
      const importLines = text.split("\n").filter((l) => l.startsWith("import "));
      const code = text
        .split("\n")
        .filter((l) => !l.startsWith("import ") && !l.startsWith("//") && !l.trimStart().startsWith("/**"))
        .join("\n");
      const imported = new Set(
        importLines.flatMap(
          (l) =>
            /\{ (.*) \}/
              .exec(l)?.[1]
              ?.split(", ")
              .map((n) => n.replace(/^type /, "")) ?? [],
        ),
      );
      const used = Object.keys(VALIDATOR_SYMBOLS).filter((name) => new RegExp(`(?<![\\w$."])${name}(?![\\w$"])`).test(code));
      expect([...imported].sort()).toEqual(used.sort());
      expect(importLines).toContain('import type * as T from "./types.js";');
    });
  }
});
