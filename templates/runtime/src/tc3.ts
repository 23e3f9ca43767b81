// `@rtc-apigen/runtime/tc3`: TencentCloud API 3.0, the client half (signed requests, the
// `Response` envelope) and TC3-HMAC-SHA256 signing and verification.
export {
  resolveTc3Credentials,
  TC3,
  TC3_ENV,
  tc3ClientProtocol,
  tc3Protocol,
  tc3ProtocolFactory,
  type Tc3ClientOptions,
  type Tc3Credentials,
  type Tc3Language,
} from "./protocols/tc3/client.js";
export * from "./protocols/tc3/signing.js";
// Credential providers: environment, profile file, CVM role, TKE OIDC role, and chains of them.
export {
  chain,
  CVM_METADATA_ENDPOINT,
  defaultChain,
  fromCvmRole,
  fromEnv,
  fromOidcRole,
  fromProfile,
  STS_ENDPOINT,
  TC3_PROFILE,
  TKE_OIDC_ENV,
  type DefaultChainOptions,
  type FromCvmRoleOptions,
  type FromEnvOptions,
  type FromOidcRoleOptions,
  type FromProfileOptions,
  type Tc3CredentialProvider,
  type Tc3ProvidedCredentials,
} from "./protocols/tc3/credentials.js";
