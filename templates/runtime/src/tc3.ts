// `@rtc-apigen/runtime/tc3`: TencentCloud API 3.0, the client half (signed requests, the `Response`
// envelope) and TC3-HMAC-SHA256 signing and verification. Its client signs with node:crypto, or with
// Web Crypto where there is none (a worker). Under the `node` condition the package resolves this
// entry to tc3-node.ts: the same exports (test/client/node-build.test.ts), its client signing with
// node:crypto only.
export { tc3ClientProtocol, tc3Protocol, tc3ProtocolFactory } from "./protocols/tc3/client.js";
export {
  resolveTc3Credentials,
  TC3,
  TC3_ENV,
  type Tc3ClientOptions,
  type Tc3Credentials,
  type Tc3Language,
  type Tc3ProtocolConfig,
} from "./protocols/tc3/client.js";
// Named, not `export *`: the build imports what one entry shares with another by name.
export {
  deriveTc3Keys,
  HmacSha256Key,
  parseTc3Authorization,
  signTc3,
  signTc3Async,
  signTc3Authorization,
  TC3_ALGORITHM,
  TC3_DEFAULT_CONTENT_TYPE,
  TC3_MAX_SKEW_SECONDS,
  tc3Date,
  Tc3KeyCache,
  tc3SignedHost,
  tc3SignsSynchronously,
  verifyTc3,
  type Tc3Authorization,
  type Tc3Credential,
  type Tc3FailureCode,
  type Tc3Keys,
  type Tc3SignInput,
  type Tc3Signature,
  type Tc3VerifyOptions,
  type Tc3VerifyRequest,
  type Tc3VerifyResult,
} from "./protocols/tc3/signing.js";
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
  tc3Provider,
  type DefaultChainOptions,
  type FromCvmRoleOptions,
  type FromEnvOptions,
  type FromOidcRoleOptions,
  type FromProfileOptions,
  type Tc3CredentialProvider,
  type Tc3ProvidedCredentials,
} from "./protocols/tc3/credentials.js";
