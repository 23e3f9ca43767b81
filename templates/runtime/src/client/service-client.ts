// A client over whichever protocol its metadata names, looked up in a list of protocols (by default
// the built-in ones). Generated packages do not use it: each passes its own protocol's factory to
// ProtocolClient, so that it loads only that protocol's code.
import { BUILTIN_CLIENT_PROTOCOLS, type BuiltinClientProtocol } from "../protocols/clients.js";
import { ProtocolClient } from "./client-core.js";
import { configurationError } from "./errors.js";
import type { OperationName, ServiceMetadata, ServiceValidators } from "./metadata.js";
import type { CallOptions, CommonClientOptions } from "./options.js";
import { paginate, paginateItems } from "./pagination.js";
import type { ClientProtocol, ProtocolFactory } from "./protocol.js";

type OptionsOf<P> = P extends ClientProtocol<string, infer O> ? O : never;

/** The options of any built-in protocol. */
export type ClientOptions = OptionsOf<BuiltinClientProtocol>;

/** The options type for a service's protocol (the common options for a protocol not built in). */
export type ClientOptionsFor<M extends ServiceMetadata> = [
  OptionsOf<Extract<BuiltinClientProtocol, { readonly name: M["protocol"]["name"] }>>,
] extends [never]
  ? CommonClientOptions & { credentials?: unknown }
  : OptionsOf<Extract<BuiltinClientProtocol, { readonly name: M["protocol"]["name"] }>>;

/** A protocol of any options type, as a list of protocols holds it. */
export type AnyClientProtocol = { readonly name: string; readonly factory: ProtocolFactory<never> };

/** The factory of the protocol named `name`; for an unknown name, one whose every call fails with ClientError.Configuration. */
export function findProtocolFactory(name: string, protocols: readonly AnyClientProtocol[]): ProtocolFactory {
  const found = protocols.find((p) => p.name === name);
  if (found) return found.factory as unknown as ProtocolFactory;
  const known = protocols.map((p) => p.name).join(", ");
  return () => ({
    secrets: [],
    payloadKey: "",
    prepare() {
      throw configurationError(`no protocol module serves "${name}" (known: ${known})`);
    },
    interpret() {
      return { kind: "client", code: "ClientError.InvalidResponse", message: `no protocol module serves "${name}"`, requestId: undefined };
    },
  });
}

/** A {@link ProtocolClient} over the protocol its metadata names, from `protocols` (default: the built-in ones). */
export class ServiceClient<M extends ServiceMetadata = ServiceMetadata> extends ProtocolClient<M> {
  constructor(
    metadata: M,
    validators: ServiceValidators,
    options: ClientOptionsFor<M> = {} as ClientOptionsFor<M>,
    protocols: readonly AnyClientProtocol[] = BUILTIN_CLIENT_PROTOCOLS,
  ) {
    super(metadata, validators, options as CommonClientOptions, findProtocolFactory(metadata.protocol.name, protocols));
  }

  /** The pages of a paginated operation (see {@link paginate}). */
  pages<T = unknown>(method: OperationName<M>, request: unknown, options?: CallOptions): AsyncGenerator<T, void, undefined> {
    return paginate<T, M>(this, method, request, options);
  }

  /** Every item of every page (see {@link paginateItems}). */
  items<T = unknown>(method: OperationName<M>, request: unknown, options?: CallOptions): AsyncGenerator<T, void, undefined> {
    return paginateItems<T, M>(this, method, request, options);
  }
}
