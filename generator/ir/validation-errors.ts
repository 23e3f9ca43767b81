// Which error the service answers for each kind of invalid request, resolved per operation:
// field `errors:` first, then `<code>.<Field>` where the protocol uses that convention and the
// operation documents the code, then the service's `validationErrors:`, then the protocol's.
import type { Field, Operation, Service, SourceLoc, ValidationErrorKind, ValidationErrorMap, ValidationErrorSettings } from "./types.js";

const KINDS: readonly ValidationErrorKind[] = ["body", "missing", "type", "value", "unknown", "region"];
/** Kinds that fall back to another when nobody names them. */
const FALLBACK: Partial<Record<ValidationErrorKind, ValidationErrorKind>> = { body: "type", region: "value" };

export function resolveValidationErrors(
  service: Pick<Service, "validationErrors" | "protocolInfo">,
  op: Pick<Operation, "errors" | "request">,
): ValidationErrorMap {
  const layers: ValidationErrorSettings[] = [service.validationErrors, service.protocolInfo.validationErrors].filter(
    (l): l is ValidationErrorSettings => !!l,
  );
  const codes: ValidationErrorMap["codes"] = {};
  const at: ValidationErrorMap["at"] = {};
  const pick = (kind: ValidationErrorKind): { code: string | number; loc: SourceLoc } | undefined => {
    for (const l of layers) {
      const code = l[kind];
      if (code !== undefined) return { code, loc: l.at[kind] ?? l.loc };
    }
    return undefined;
  };
  for (const kind of KINDS) {
    const found = pick(kind) ?? (FALLBACK[kind] ? pick(FALLBACK[kind]) : undefined);
    if (found) {
      codes[kind] = found.code;
      at[kind] = found.loc;
    }
  }
  const fieldSpecific = layers.find((l) => l.fieldSpecific !== undefined)?.fieldSpecific === true;
  const documented = new Set(op.errors.map((e) => String(e.code)));
  const fields: ValidationErrorMap["fields"] = {};
  for (const f of op.request.fields) {
    const own = fieldCodes(f, codes, fieldSpecific, documented);
    if (Object.keys(own).length) fields[f.name] = own;
  }
  return { codes, fields, at };
}

function fieldCodes(f: Field, codes: ValidationErrorMap["codes"], fieldSpecific: boolean, documented: Set<string>) {
  const out: ValidationErrorMap["fields"][string] = {};
  for (const kind of ["missing", "type", "value"] as const) {
    const explicit = kind === "missing" ? f.errors?.missing : f.errors?.invalid;
    const base = codes[kind];
    const conventional = fieldSpecific && typeof base === "string" && documented.has(`${base}.${f.name}`) ? `${base}.${f.name}` : undefined;
    const code = explicit ?? conventional;
    if (code !== undefined && code !== base) out[kind] = code;
  }
  return out;
}
