// `import`: actions of an official api.json → spec skeletons in a service folder, for a maintainer
// to complete by hand. The conversions themselves are pure (specs.ts); this file reads and writes.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { readActionFacts } from "./action-facts.js";
import { readApiJson, readExamplesJson, reachableObjects, type ApiJson } from "./api-json.js";
import { actionToSpec, serviceToSpec, sharedObjects, type ServiceInfo } from "./specs.js";

export {
  actionToSpec,
  serviceToSpec,
  sharedObjects,
  type ActionSpecOptions,
  type ServiceInfo,
  type ServiceSpecOptions,
  type SpecFile,
} from "./specs.js";

export interface ImportOptions {
  /** The api.json to import from. */
  apiJson: string;
  /** Actions to import (default: all, sorted). */
  actions?: readonly string[];
  /** The service folder, `<specs>/<service>`. */
  serviceDir: string;
  /** Service facts for service.yaml; the id defaults to the folder name. */
  service?: Partial<ServiceInfo>;
  /** Another edition of the same API version (the intl-en copy): its English text is preferred, its nullability merged in. */
  also?: string;
  /** examples.json; default: `<name>.examples.json` beside the api.json when it exists; false: none. */
  examplesJson?: string | false;
  /** Error codes and rate-limit sentences per action: the reference's action-errors.json, or `{"<Action>": [{"code", "description"}]}`. */
  errorCodes?: string;
  /** Source ids in service.yaml (default: `metadata-intl` for an `.intl.` file, else `metadata-cn`). */
  sourceId?: string;
  alsoSourceId?: string;
  /** How service.yaml `sources` names the files (default: their paths relative to the working folder). */
  sourceFile?: (file: string) => string;
  /** Replace existing files (default: leave them and report them as skipped). */
  overwrite?: boolean;
}

export interface ImportResult {
  /** Files written, as paths under serviceDir. */
  written: string[];
  skipped: Array<{ action: string; file: string; reason: string }>;
  /** Things the maintainer must do by hand (e.g. types that belong in an existing service.yaml). */
  warnings: string[];
  /** The actions imported or skipped, sorted. */
  actions: string[];
}

const defaultSourceId = (file: string) => (/\.intl\./.test(path.basename(file)) ? "metadata-intl" : "metadata-cn");
const relative = (file: string) => path.relative(process.cwd(), file).split(path.sep).join("/");

/** The type names a spec file defines (service.yaml or an operation's local `types`). */
async function definedTypes(file: string): Promise<string[]> {
  try {
    const value = parse(await readFile(file, "utf8")) as { types?: Record<string, unknown> } | null;
    return Object.keys(value?.types ?? {});
  } catch {
    return [];
  }
}

function closest(name: string, names: readonly string[]): string {
  const lower = name.toLowerCase();
  const hit = names.find((n) => n.toLowerCase() === lower) ?? names.find((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase()));
  return hit ? `; did you mean "${hit}"?` : "";
}

export function selectActions(api: ApiJson, requested: readonly string[] | undefined, file: string): string[] {
  const all = Object.keys(api.actions).sort();
  if (!requested?.length) return all;
  for (const a of requested) if (!Object.hasOwn(api.actions, a)) throw new Error(`${file} has no action "${a}"${closest(a, all)}`);
  return [...new Set(requested)].sort();
}

export async function importActions(options: ImportOptions): Promise<ImportResult> {
  const api = await readApiJson(options.apiJson);
  const secondary = options.also ? await readApiJson(options.also) : undefined;
  const examplesPath = options.examplesJson ?? options.apiJson.replace(/\.api\.json$/, ".examples.json");
  const examples = examplesPath && examplesPath !== options.apiJson && existsSync(examplesPath) ? await readExamplesJson(examplesPath) : undefined;
  const facts = options.errorCodes
    ? await readActionFacts(options.errorCodes, { shortName: api.metadata.serviceShortName, version: api.metadata.apiVersion })
    : undefined;
  const actions = selectActions(api, options.actions, options.apiJson);
  const nameOf = options.sourceFile ?? relative;
  const edition = {
    sourceId: options.sourceId ?? defaultSourceId(options.apiJson),
    fromLabel: path.basename(options.apiJson),
    ...(secondary ? { secondary, secondaryId: options.alsoSourceId ?? defaultSourceId(options.also!) } : {}),
  };
  if (secondary && edition.secondaryId === edition.sourceId) edition.secondaryId = `${edition.sourceId}-also`;

  const result: ImportResult = { written: [], skipped: [], warnings: [], actions };
  await mkdir(options.serviceDir, { recursive: true });
  const existing = new Set((await readdir(options.serviceDir)).filter((f) => f.endsWith(".yaml")));
  const canWrite = (file: string) => options.overwrite === true || !existing.has(file);

  const toWrite = actions.filter((a) => canWrite(`${a}.yaml`));
  for (const a of actions.filter((x) => !toWrite.includes(x)))
    result.skipped.push({ action: a, file: `${a}.yaml`, reason: "exists (overwrite to replace it)" });

  // Types other files already define are referenced, never repeated (duplicate-type).
  const keptFiles = [...existing].filter((f) => f !== "service.yaml" && !toWrite.some((a) => `${a}.yaml` === f)).sort();
  const elsewhere = new Set<string>();
  for (const f of keptFiles) for (const t of await definedTypes(path.join(options.serviceDir, f))) elsewhere.add(t);

  const shared = sharedObjects(api, toWrite).filter((t) => !elsewhere.has(t));
  // Shared types with no service.yaml to hold them go to the first action that reaches them.
  const owner = new Map<string, string>();
  if (canWrite("service.yaml")) {
    const service: ServiceInfo = { id: path.basename(path.resolve(options.serviceDir)), ...options.service };
    const spec = serviceToSpec(api, {
      ...edition,
      service,
      sharedTypes: shared,
      sourceFile: nameOf(options.apiJson),
      ...(options.also ? { secondaryFile: nameOf(options.also) } : {}),
      ...(examples && examplesPath ? { examplesFile: nameOf(examplesPath), examples } : {}),
      ...(options.errorCodes ? { factsFile: nameOf(options.errorCodes) } : {}),
    });
    await writeFile(path.join(options.serviceDir, spec.file), spec.yaml);
    result.written.push(path.join(options.serviceDir, spec.file));
    for (const t of shared) elsewhere.add(t);
  } else {
    result.skipped.push({ action: "", file: "service.yaml", reason: "exists (overwrite to replace it)" });
    for (const t of await definedTypes(path.join(options.serviceDir, "service.yaml"))) elsewhere.add(t);
    for (const t of shared.filter((x) => !elsewhere.has(x))) {
      const first = toWrite.find((a) => reachableObjects(api, a).includes(t))!;
      owner.set(t, first);
      result.warnings.push(`${t} is used by several imported actions; it is defined in ${first}.yaml, but belongs in service.yaml types`);
    }
  }

  for (const action of toWrite) {
    const others = new Set([...elsewhere, ...[...owner].filter(([, a]) => a !== action).map(([t]) => t)]);
    const spec = actionToSpec(api, action, { ...edition, ...(examples ? { examples } : {}), ...(facts ? { facts } : {}), definedElsewhere: others });
    await writeFile(path.join(options.serviceDir, spec.file), spec.yaml);
    result.written.push(path.join(options.serviceDir, spec.file));
  }
  return result;
}
