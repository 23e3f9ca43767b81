// The shape of TC3 credentials and where the environment holds them: shared by the client and the providers.

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials (sent as X-TC-Token). */
  token?: string | undefined;
}

/** The environment variables read when no credentials are passed (the official SDKs' names). */
export const TC3_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: "TENCENTCLOUD_SESSION_TOKEN",
} as const;

/**
 * Where a provider made by `tc3Provider()` (provided.ts) keeps the maker of its per-client cache: the
 * cache comes with the provider, so an app with fixed credentials does not bundle it.
 */
export const TC3_PROVIDER_CACHE = Symbol.for("@rtc-apigen/runtime:tc3-provider-cache");
