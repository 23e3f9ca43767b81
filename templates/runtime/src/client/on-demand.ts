// A module loaded on first use: the runtime's call path (call-loader.ts) and a generated package's
// validators (its validators-lazy.ts, Node's build) load this way, so a cold import does not parse them.
import { ApiError } from "./errors.js";

/** A module `load()` imports once; `loaded` holds it from then on, so a caller can go on synchronously. */
export interface OnDemand<T> {
  readonly loaded: T | undefined;
  load(): Promise<T>;
}

/**
 * `importer` (the caller's own `import()`, so that bundlers see the specifier) run on the first
 * `load()`. A failed load is not kept: the next one tries again (a file missing or unreadable for a
 * moment: a deploy in progress, EMFILE under load); it rejects with ClientError.Configuration, cause attached.
 */
export function onDemand<T>(importer: () => Promise<T>, what: string): OnDemand<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    get loaded() {
      return loaded;
    },
    load: () =>
      (loading ??= importer().then(
        (m) => (loaded = m),
        (cause: unknown) => {
          loading = undefined;
          throw new ApiError({ code: "ClientError.Configuration", message: `${what} could not be loaded; is the package installed whole?`, cause });
        },
      )),
  };
}
