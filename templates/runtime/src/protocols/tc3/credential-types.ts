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
