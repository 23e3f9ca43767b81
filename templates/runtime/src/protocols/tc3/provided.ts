// A TC3 credentials provider as a client uses it: the async function, and the per-client cache
// (client/credential-cache.ts) a client calls it through: before expiry, one call at a time. The
// cache is reached from the provider, not from the client, so an app with fixed credentials does
// not bundle it (about 2 KB of a one-operation bundle). The runtime's providers (fromEnv,
// defaultChain...) are made here; a function of the app's own is passed as `tc3Provider(fn)`.

import { expiryMs, nameProvider, providerError, providerName, RefreshingCredentials, type ExpiresAt } from "../../client/credential-cache.js";
import { TC3_PROVIDER_CACHE, type Tc3Credentials } from "./credential-types.js";

/** What a provider gives: credentials and, for temporary ones, when they expire. */
export interface Tc3ProvidedCredentials extends Tc3Credentials {
  /** Milliseconds since the epoch, or a Date; absent: the credentials do not expire. */
  expiresAt?: ExpiresAt | undefined;
}

/** The per-client cache of a provider: `now` is the client's clock, `marginMs` its refresh margin. */
export type Tc3ProviderCache = (now: () => number, marginMs: number | undefined) => RefreshingCredentials<Tc3Credentials>;

/** An async source of credentials, made by `tc3Provider()`; a client calls it before they expire, never twice at once. */
export type Tc3CredentialProvider = (() => Promise<Tc3ProvidedCredentials>) & { readonly [TC3_PROVIDER_CACHE]: Tc3ProviderCache };

/**
 * `provide` as a client's `credentials`: called before the credentials it gave expire, never twice at
 * once; what it gives is checked (and never shown in an error). `name` (default: the function's)
 * names it in errors.
 */
export function tc3Provider(provide: () => Promise<Tc3ProvidedCredentials>, name: string = providerName(provide)): Tc3CredentialProvider {
  return namedTc3Provider(name, () => provide());
}

/** `provide` (a function of the caller's own making, not yet shared) as a provider named `name`. */
export function namedTc3Provider(name: string, provide: () => Promise<Tc3ProvidedCredentials>): Tc3CredentialProvider {
  const named = nameProvider(name, provide);
  const cache: Tc3ProviderCache = (now, marginMs) => providedTc3Credentials(named, now, marginMs);
  return Object.assign(named, { [TC3_PROVIDER_CACHE]: cache });
}

function providedTc3Credentials(
  provider: () => Promise<unknown>,
  now: () => number,
  marginMs: number | undefined,
): RefreshingCredentials<Tc3Credentials> {
  const name = providerName(provider);
  return new RefreshingCredentials<Tc3Credentials>(
    name,
    async () => {
      const given: unknown = await provider();
      const field = (key: string) => (given !== null && typeof given === "object" ? (given as Record<string, unknown>)[key] : undefined);
      const secretId = field("secretId");
      const secretKey = field("secretKey");
      const token = field("token");
      const secrets = [secretKey, token].filter((s): s is string => typeof s === "string" && s !== "");
      if (typeof secretId !== "string" || !secretId || typeof secretKey !== "string" || !secretKey)
        throw providerError(name, "it gave no secretId and secretKey (non-empty strings)", secrets);
      if (token !== undefined && token !== null && typeof token !== "string") throw providerError(name, "its token is not a string", secrets);
      const expiresAt = expiryMs(field("expiresAt"));
      const value: Tc3Credentials = typeof token === "string" && token ? { secretId, secretKey, token } : { secretId, secretKey };
      return { value, expiresAt, secrets };
    },
    now,
    marginMs,
  );
}
