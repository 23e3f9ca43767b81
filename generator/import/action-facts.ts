// What the metadata itself lacks per action: the error codes and rate-limit sentences, from an
// errors file (`--errors`). Two forms: the reference's action-errors.json (per service: per action
// the codes the official Go SDKs document and the rate-limit sentences of both editions, and every
// code's English and Chinese description), and a plain `{"<Action>": [{"code", "description"}]}`.
import { readJson } from "./api-json.js";
import { languageOf, plainText, type Language } from "./text.js";

export interface ActionError {
  code: string;
  description?: string;
  /** The language of `description`. */
  language?: Language;
  /** Documented only by the Chinese edition of the SDK. */
  onlyZh?: boolean;
}

export interface ActionFacts {
  errors: ActionError[];
  /** Sentences that state a rate limit, per language. */
  rateLimitText: Partial<Record<Language, string[]>>;
}

export type FactsByAction = Record<string, ActionFacts>;

interface ActionErrorsFile {
  services: Record<
    string,
    {
      version?: string;
      actions: Record<string, { errors?: string[]; errorsOnlyInZh?: string[]; rateLimitText?: Partial<Record<Language, string[]>> }>;
      errorCodes?: Record<string, Partial<Record<Language, string>>>;
    }
  >;
}

type PlainErrors = Record<string, Array<{ code: string; description?: string }>>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const isActionErrorsFile = (v: unknown): v is ActionErrorsFile =>
  isRecord(v) && isRecord(v.services) && Object.values(v.services).every((s) => isRecord(s) && isRecord(s.actions));

const isPlainErrors = (v: unknown): v is PlainErrors =>
  isRecord(v) && Object.values(v).every((list) => Array.isArray(list) && list.every((e) => isRecord(e) && typeof e.code === "string"));

/** The facts of one service's actions from either form of errors file. */
export function factsFor(file: string, value: unknown, service: { shortName: string; version: string }): FactsByAction {
  if (isActionErrorsFile(value)) {
    const s = value.services[service.shortName];
    if (!s) throw new Error(`${file} has no service "${service.shortName}" (it has ${Object.keys(value.services).sort().join(", ") || "none"})`);
    if (s.version && s.version !== service.version) throw new Error(`${file} describes ${service.shortName} ${s.version}, not ${service.version}`);
    const describe = (code: string): Pick<ActionError, "description" | "language"> => {
      const d = s.errorCodes?.[code];
      return d?.en ? { description: d.en, language: "en" } : d?.zh ? { description: d.zh, language: "zh" } : {};
    };
    return Object.fromEntries(
      Object.entries(s.actions).map(([action, a]) => [
        action,
        {
          errors: [
            ...(a.errors ?? []).map((code) => ({ code, ...describe(code) })),
            ...(a.errorsOnlyInZh ?? []).map((code) => ({ code, ...describe(code), onlyZh: true })),
          ],
          rateLimitText: a.rateLimitText ?? {},
        },
      ]),
    );
  }
  return Object.fromEntries(
    Object.entries(value as PlainErrors).map(([action, list]) => [
      action,
      {
        errors: list.map((e) => ({
          code: e.code,
          ...(e.description ? { description: e.description, language: languageOf(plainText(e.description)) } : {}),
        })),
        rateLimitText: {},
      },
    ]),
  );
}

export async function readActionFacts(file: string, service: { shortName: string; version: string }): Promise<FactsByAction> {
  const value = await readJson<unknown>(
    file,
    'an errors file (action-errors.json, or {"<Action>": [{"code", "description"}]})',
    (v) => isActionErrorsFile(v) || isPlainErrors(v),
  );
  return factsFor(file, value, service);
}
