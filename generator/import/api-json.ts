// The official API metadata format (tencentcloud-cli api.json, examples.json; PROTOCOLS.md §A.1),
// read as plain data, and the object graph questions the importer asks of it.
import { readFile } from "node:fs/promises";

export interface ApiMember {
  name: string;
  /** Container kind: int, string, bool, float, list, object. */
  type: string;
  /** Scalar (uint64, int64, string, date, float, bool) or the referenced object's name. */
  member: string;
  document?: string;
  example?: string;
  required?: boolean;
  output_required?: boolean;
  value_allowed_null?: boolean;
  disabled?: boolean;
}

export interface ApiObject {
  document?: string;
  members: ApiMember[];
  /** "object" for request and response envelopes. */
  type?: string;
  /** "in" | "out" | "both" for data structures. */
  usage?: string;
}

export interface ApiAction {
  document?: string;
  input: string;
  name?: string;
  output: string;
  status?: string;
}

export interface ApiJson {
  actions: Record<string, ApiAction>;
  metadata: { apiVersion: string; serviceShortName: string; serviceNameCN?: string; api_brief?: string };
  objects: Record<string, ApiObject>;
  version?: string;
}

export interface ApiExample {
  title?: string;
  document?: string;
  /** Raw HTTP request text with a common-parameters placeholder. */
  input?: string;
  /** The `{"Response": …}` body as text. */
  output?: string;
}

export interface ExamplesJson {
  actions: Record<string, ApiExample[]>;
}

export async function readJson<T>(file: string, what: string, valid: (v: unknown) => boolean): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot read ${what}: ${(e as Error).message}`, { cause: e });
  }
  if (!valid(value)) throw new Error(`${file}: not ${what}`);
  return value as T;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readApiJson(file: string): Promise<ApiJson> {
  return readJson<ApiJson>(
    file,
    "an api.json (actions, metadata, objects)",
    (v) =>
      isRecord(v) &&
      isRecord(v.actions) &&
      isRecord(v.objects) &&
      isRecord(v.metadata) &&
      typeof v.metadata.serviceShortName === "string" &&
      typeof v.metadata.apiVersion === "string",
  );
}

export function readExamplesJson(file: string): Promise<ExamplesJson> {
  return readJson<ExamplesJson>(file, "an examples.json (actions)", (v) => isRecord(v) && isRecord(v.actions));
}

/** The object a list/object member refers to, if any (lists of scalars refer to none). */
export function referencedObject(api: ApiJson, m: ApiMember): string | undefined {
  return (m.type === "list" || m.type === "object") && Object.hasOwn(api.objects, m.member) ? m.member : undefined;
}

/** Data objects reachable from the action's request and response (not the two envelopes), sorted. */
export function reachableObjects(api: ApiJson, action: string): string[] {
  const a = api.actions[action];
  if (!a) return [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    for (const m of api.objects[name]?.members ?? []) {
      const ref = referencedObject(api, m);
      if (ref && !seen.has(ref) && ref !== a.input && ref !== a.output) {
        seen.add(ref);
        visit(ref);
      }
    }
  };
  visit(a.input);
  visit(a.output);
  return [...seen].sort();
}

export type Direction = "in" | "out" | "both";

/**
 * Whether each object travels in requests, responses or both, from the actions that reach it (the
 * metadata's own `usage` label is only a fallback: the flags that matter depend on real use).
 */
export function objectDirections(api: ApiJson): Map<string, Direction> {
  const dirs = new Map<string, Direction>();
  const mark = (name: string, dir: "in" | "out") => {
    const now = dirs.get(name);
    if (now === dir || now === "both") return false;
    dirs.set(name, now ? "both" : dir);
    return true;
  };
  const walk = (name: string, dir: "in" | "out") => {
    for (const m of api.objects[name]?.members ?? []) {
      const ref = referencedObject(api, m);
      if (ref && mark(ref, dir)) walk(ref, dir);
    }
  };
  for (const a of Object.values(api.actions)) {
    if (mark(a.input, "in")) walk(a.input, "in");
    if (mark(a.output, "out")) walk(a.output, "out");
  }
  for (const [name, o] of Object.entries(api.objects)) if (!dirs.has(name)) dirs.set(name, o.usage === "in" || o.usage === "out" ? o.usage : "both");
  return dirs;
}
