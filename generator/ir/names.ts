// Naming conventions shared by the IR builder and the emitters.

export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

export function requestShapeName(operation: string): string {
  return `${operation}Request`;
}

export function responseShapeName(operation: string): string {
  return `${operation}Response`;
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** `14d` → 1209600 seconds. */
export function durationSeconds(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Object.prototype's keys: a plain object keyed by such a name seems to have it even when it does not. */
export const OBJECT_PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Members of every generated client class besides the operation methods (generator/emit/client-emitter.ts). */
export const CLIENT_CLASS_MEMBERS: readonly string[] = ["constructor"];

/** Names client.ts and operations.ts import or declare beside the client class and its options type
 * (generator/emit/client-emitter.ts), and beside the protocol's factory (its plugin's `client.factory`). */
export const CLIENT_MODULE_NAMES: readonly string[] = [
  "ApiError",
  "ProtocolClient",
  "CallOptions",
  "OperationMetadata",
  "OperationValidators",
  "ProtocolClientOptions",
  "Operation",
  "Registry",
  "O",
  "M",
  "T",
  "V",
];

/** Names a package's index.ts exports beside its shapes, client and validators (generator/emit/package-emitter.ts). */
export const PACKAGE_EXPORTS: readonly string[] = ["ApiError", "ValidationError", "CallOptions", "ClientErrorCode", "Issue", "ValidationResult"];

/**
 * Words JavaScript module code (strict mode) reserves: no function can be declared with such a name,
 * and operations.ts declares and exports one per client method (`export function default` is a
 * syntax error; `default` would also be the module's default export).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await arguments eval"
  ).split(" "),
);

/** An export named `then` makes a module namespace a thenable: `await import()` of the package would call it and never settle. */
export const THENABLE_EXPORT = "then";

/** The client's page and item iterators of a paginated operation. */
export function iteratorMethods(method: string): { pages: string; items: string } {
  return { pages: `${method}Pages`, items: `${method}Items` };
}

/** The options type exported beside a client class: `LcicClient` → `LcicClientOptions`. */
export function clientOptionsName(clientName: string): string {
  return `${clientName.replace(/Client$/, "")}ClientOptions`;
}

/** The core client class exported beside a client class (no operation methods; one function per operation): `LcicClient` → `LcicCore`. */
export function coreClientName(clientName: string): string {
  return `${clientName.replace(/Client$/, "")}Core`;
}
