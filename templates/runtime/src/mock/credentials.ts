// The credentials a mock accepts, per protocol under its gateway's key. Defaults are the public
// example keys of the reference (PROTOCOLS.md C.1 for TC3, C.3 for UserSig), so a client configured
// from the documentation works; the environment variables are the ones the clients read.
import { BUILTIN_GATEWAYS, type BuiltinGateway } from "../protocols/gateways.js";
import type { MockGateway } from "./gateway.js";

type CredentialOf<G> = G extends MockGateway<infer C, string> ? C : never;

/** Accepted credentials by gateway key (each built-in gateway's, and those of protocols added to the mock). */
export type MockCredentials = { readonly [G in BuiltinGateway as G["credentials"]["key"]]: readonly CredentialOf<G>[] } & {
  readonly [key: string]: readonly unknown[] | undefined;
};

function byKey(entry: (g: BuiltinGateway) => readonly unknown[] | undefined): MockCredentials {
  const found: Record<string, readonly unknown[]> = {};
  for (const g of BUILTIN_GATEWAYS) {
    const list = entry(g);
    if (list) found[g.credentials.key] = list;
  }
  return found as MockCredentials;
}

export const MOCK_DEFAULT_CREDENTIALS: MockCredentials = byKey((g) => g.credentials.defaults);

/**
 * Credentials from the clients' environment variables (TENCENTCLOUD_SECRET_ID/_SECRET_KEY/
 * _SESSION_TOKEN; TENCENT_CHAT_SDKAPPID/_IDENTIFIER/_SECRET_KEY), each protocol falling back to
 * the defaults when its variables are absent. Throws on a set but unusable value.
 */
export function mockCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): MockCredentials {
  return byKey((g) => g.credentials.fromEnv(env) ?? g.credentials.defaults);
}

/** The credentials a gateway accepts: the option's under its key, else its defaults. */
export function credentialsFor<C>(gateway: MockGateway<C>, given: Partial<MockCredentials> | undefined): readonly C[] {
  return (given?.[gateway.credentials.key] as readonly C[] | undefined) ?? gateway.credentials.defaults;
}
