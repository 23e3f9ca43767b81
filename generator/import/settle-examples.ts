// The metadata's examples are real requests and answers: a constraint read from the text that one
// of them breaks is more likely a misreading (or an outdated text) than a wrong example. Such
// constraints are left out of the field, with a note naming the example, before any spec is written.
import { ValueChecker } from "../ir/check-value.js";
import { reachableObjects, type ExamplesJson } from "./api-json.js";
import type { ConstraintKey } from "./constraints.js";
import { exampleIssues, requestBody } from "./examples.js";
import { irShape, shapeModel, type Editions, type ShapeModel } from "./fields.js";
import { oneLine } from "./text.js";

const CONSTRAINT_CODES: ReadonlySet<string> = new Set<ConstraintKey>([
  "enum",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
]);

/** The shape and field an issue path (`response.Events[0].EventType`) ends at. */
function fieldAt(ed: Editions, root: ShapeModel, path: string): { shape: ShapeModel; field: string } | undefined {
  const names = [...path.matchAll(/\.([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  let shape = root;
  for (let i = 0; i < names.length; i++) {
    const field = shape.fields.find((f) => f.name === names[i]);
    if (!field) return undefined;
    if (i === names.length - 1) return { shape, field: field.name };
    const next = field.type.replace(/(\[\])+$/, "");
    if (!Object.hasOwn(ed.primary.objects, next)) return undefined;
    shape = shapeModel(ed, next);
  }
  return undefined;
}

/** Veto every text constraint an example breaks; repeat until the examples break none (or nothing changes). */
export function settleExamples(ed: Editions, examples: ExamplesJson): void {
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const [action, list] of Object.entries(examples.actions).sort(([a], [b]) => a.localeCompare(b))) {
      const a = ed.primary.actions[action];
      if (!a || !list.length) continue;
      const request = shapeModel(ed, a.input);
      const response = shapeModel(ed, a.output, true);
      const shapes = reachableObjects(ed.primary, action).map((n) => irShape(shapeModel(ed, n)));
      const checker = new ValueChecker(shapes, { rejectUnknown: true });
      for (const [i, x] of list.entries()) {
        const ex = { ...(x.input?.trim() ? { request: requestBody(x.input) } : {}), ...(x.output?.trim() ? { response: x.output } : {}) };
        for (const issue of exampleIssues(checker, irShape(request), irShape(response), ex)) {
          if (!CONSTRAINT_CODES.has(issue.code)) continue;
          const at = fieldAt(ed, issue.path.startsWith("request") ? request : response, issue.path);
          if (!at) continue;
          const model = at.shape.fields.find((f) => f.name === at.field)!;
          const key = issue.code as ConstraintKey;
          if (model[key] === undefined) continue;
          const id = `${at.shape.name}.${at.field}`;
          const vetoes = ed.vetoes.get(id) ?? new Map<ConstraintKey, string>();
          if (vetoes.has(key)) continue;
          vetoes.set(
            key,
            `the metadata's example "${oneLine(x.title) || `${action} example ${i + 1}`}" of ${action} has ${/, got (.*)$/.exec(issue.message)?.[1] ?? issue.message.replace(/^[^:]*: /, "")}`,
          );
          ed.vetoes.set(id, vetoes);
          changed = true;
        }
      }
    }
    if (!changed) return;
    ed.shapes.clear();
  }
}
