// What a wire protocol plugin tells the generator. Everything the generator knows of one protocol
// lives in its plugin (tc3.ts, chat-rest.ts); the stages look the plugin up by the service's
// `protocol.name` and never compare names themselves.
import type { ErrorDef, JsonValue, Operation, ProtocolBinding, Regions, Service, SourceLoc } from "../ir/types.js";

/** One problem with the form of an error envelope, at a path under `response`. */
export interface EnvelopeIssue {
  path: string;
  message: string;
}

/** An error answer read from an example's body: its code and message as written, and what is wrong with its form. */
export interface ErrorEnvelope {
  code?: JsonValue;
  message?: JsonValue;
  issues: EnvelopeIssue[];
}

export interface ProtocolEnvelope {
  /** Key of the object in a response body that the operation's response fields describe. */
  payloadKey: string;
  /**
   * The payload may be left out: a command that returns nothing answers an OK envelope without
   * its payload key, which stands for an empty payload.
   */
  payloadOptional: boolean;
  /** The body read as the protocol's error answer, or undefined when it is not one (it carries no error marker). */
  errorOf(body: JsonValue): ErrorEnvelope | undefined;
  /** The envelope's own top-level keys: an operation whose payload sits beside them (`payload: envelope`) owns the rest. */
  statusKeys: readonly string[];
  /** Where an error answer holds its code, as an example-issue path (`response.Error.Code`). */
  errorCodePath: string;
}

export type Json = { [key: string]: JsonValue };

/** The OpenAPI emitter's pieces a plugin builds its part of the document from (passed in, so plugins do not import emitters). */
export interface OpenApiContext {
  ref(section: string, name: string): Json;
  /** Component name of an operation's success envelope, and of the service's error envelope. */
  envelopeName(op: Operation): string;
  errorEnvelopeName(service: Service): string;
  /** The schema of the protocol's error code (from specs/protocols/<name>.yaml `errorCode`). */
  codeSchema(service: Service): Json;
  /** A complete Operation Object for one operation, with the given parameters. */
  operationObject(service: Service, op: Operation, parameters: Json[]): Json;
  requestBody(service: Service, ops: Operation[]): Json;
  responses(service: Service, ops: Operation[]): Json;
  errorList(errors: ErrorDef[]): Json[];
  regionsExtension(regions: Regions): Json;
  regionParameter(regions: Regions): Json;
  commonErrors(service: Service): ErrorDef[];
  payloadOptional(service: Service, op: Operation): boolean;
}

export interface OpenApiFacet {
  /** The success envelope of each operation, then the service's error envelope, by component name. */
  envelopeSchemas(service: Service, ctx: OpenApiContext): Record<string, Json>;
  /** The description of the `200` response. */
  responseDescription: string;
  /** The security scheme's name and object. */
  securityScheme(service: Service): [string, Json];
  /** `paths`, reusable `pathItems` (when the protocol needs them) and the shared `parameters` components. */
  operations(service: Service, ctx: OpenApiContext): { paths: Json; pathItems?: Json; parameters: Record<string, Json> };
}

/** How phrases mark code and text (Markdown or plain). */
export interface PhraseStyle {
  code(value: string): string;
  text(value: string): string;
}

/** Runtime metadata of a generated package, as `rtc-apigen mock` prints it. */
export interface MockBannerMetadata {
  id: string;
  protocol: Record<string, unknown>;
  operations: Record<string, Record<string, unknown>>;
}

export interface ProtocolPlugin {
  /** The name services give in `protocol.name` and specs/protocols/<name>.yaml declares. */
  name: string;
  /** The operation spec key holding the wire key (`action`, `command`); the runtime metadata uses the same key. */
  wireField: string;
  /** service.yaml `protocol:` (schema-valid) as the IR binding, its keys in a fixed order. */
  binding(raw: Record<string, unknown>): ProtocolBinding;
  envelope: ProtocolEnvelope;
  /** Protocol-specific lint of one operation, reported under `unknown-reference`. */
  lint?(service: Service, op: Operation, report: (loc: SourceLoc, message: string) => void): void;
  /**
   * JSON Schema for the spec format, for a protocol the checked-in schemas do not list: the
   * properties of service.yaml `protocol:` beyond `name` and `version`, and of an operation
   * (its wire key). The built-in protocols are in specs/schema/ itself.
   */
  schema?: { binding?: Record<string, object>; requiredBinding?: string[]; operation?: Record<string, object> };
  openapi: OpenApiFacet;
  docs: {
    /** One line saying where the operation is on the wire, e.g. "Tencent Cloud API 3.0: action `X`, version …". */
    wirePhrase(service: Service, op: Operation, style: PhraseStyle): string;
  };
  client: {
    /** The runtime package's subpath the factory and options type come from; undefined: its root. */
    module?: string;
    /** The runtime's protocol factory the core client is made with. */
    factory: string;
    /** The runtime's client options type of this protocol. */
    optionsType: string;
    /** How requests are authenticated, after "Requests are validated before sending, ". */
    authPhrase: string;
    /** The usage snippet's credentials comment. */
    credentialsNote: string;
  };
  /**
   * What the runtime needs beyond templates/runtime/src: source files copied into the runtime
   * package (`path` under its src/; a file at the top is an entry, `@rtc-apigen/runtime/<name>`).
   */
  runtime?: { files: Array<{ path: string; source: string }> };
  /** For a protocol the runtime does not ship: the runtime entry and export of its mock gateway, which the generated mock definition carries. */
  mock?: { module: string; gateway: string };
  /** `rtc-apigen new`: the option naming the wire key, and what the scaffold holds. */
  scaffold: {
    option: { value: string; help: string; placeholder: string };
    /** The option must be given (else it defaults to the operation name). */
    required: boolean;
    /** Response fields every operation answers (YAML under `response.fields:`), or "". */
    responseFields: string;
  };
  /** `rtc-apigen mock`: lines naming where each operation is served. */
  mockBanner?(metadata: MockBannerMetadata, url: string): string[];
  /** `rtc-apigen import`: the binding of a service imported from a Tencent Cloud api.json. */
  apiJson?: { binding(scope: string, version: string): ProtocolBinding };
}
