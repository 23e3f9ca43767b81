import { printStructure, StructureKind, CodeBlockWriter } from "ts-morph";
const body = (w: CodeBlockWriter) => { w.writeLine("return out;"); };
const variants: Record<string, any[]> = {
  bare: Array.from({ length: 5000 }, (_, i) => ({ kind: StructureKind.Function, name: `f${i}`, statements: body })),
  params4: Array.from({ length: 5000 }, (_, i) => ({ kind: StructureKind.Function, name: `f${i}`, parameters: [{ name: "v", type: "unknown" }, { name: "p", type: "string" }, { name: "out", type: "Issues" }, { name: "u", type: "boolean" }], returnType: "Issues", statements: body })),
  docs: Array.from({ length: 5000 }, (_, i) => ({ kind: StructureKind.Function, name: `f${i}`, docs: [{ description: "hello there" }], statements: body })),
  writerStmt: Array.from({ length: 5000 }, (_, i) => (w: CodeBlockWriter) => { w.write(`function f${i}(v: unknown, p: string, out: Issues, u: boolean): Issues `).block(() => body(w)); }),
};
for (let r = 0; r < 4; r++) for (const [k, stmts] of Object.entries(variants)) {
  const c0 = process.cpuUsage();
  printStructure({ kind: StructureKind.SourceFile, statements: stmts }, { indentNumberOfSpaces: 2 });
  const c = process.cpuUsage(c0); if (r === 3) console.log(k, ((c.user + c.system) / 1000).toFixed(0));
}
