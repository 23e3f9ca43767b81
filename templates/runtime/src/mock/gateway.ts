// The protocol seam of the mock, the counterpart of the client's (client/protocol.ts): what a wire
// protocol (protocols/<name>/gateway.ts) gives the mock core. It routes and authenticates a
// request as the real service's gateway does, and writes the answer in the protocol's envelope
// with a request id of the protocol's form. The core finds a gateway by `metadata.protocol.name`.
import type { MockServiceMetadata } from "./definition.js";
import type { MockHttpRequest, MockOutcome } from "./envelope.js";
import type { MockOperation } from "./operation.js";
import type { MockRateLimiter } from "./rate-limit.js";

/** What a gateway made of a request: the outcome, and the service and operation it reached (for the call log). */
export interface MockRouted {
  outcome: MockOutcome;
  service?: string | undefined;
  operation?: MockOperation | undefined;
}

/** A service as a gateway receives it: its operations by client method. */
export interface MockGatewayService {
  id: string;
  metadata: MockServiceMetadata;
  operations: ReadonlyMap<string, MockOperation>;
}

/** What a gateway gets from its mock. */
export interface MockGatewayContext<Credential = unknown> {
  /** The credentials this protocol accepts (the mock's option, else the gateway's defaults). */
  credentials: readonly Credential[];
  nowMs: () => number;
  limiter: MockRateLimiter | undefined;
}

/** One mock's gateway of a protocol: the services of that protocol the mock serves. */
export interface MockGatewayInstance {
  /** Serves a service's operations; throws a TypeError when they collide with ones it serves already. */
  add(service: MockGatewayService): void;
  /** Whether a request path is one of this gateway's (how a mock serving several protocols routes). */
  owns(url: string): boolean;
  /** Authenticates and routes a request, checks what the gateway checks (region, rate), and lets the operation answer. */
  route(request: MockHttpRequest): MockRouted;
}

/** A command-line option of `rtc-apigen mock` that sets a protocol's credentials. */
export interface MockCredentialFlag {
  /** The option's name, without `--` (`secret-id`). */
  readonly name: string;
  /** Its value in the help (`ID`, `KEY`). */
  readonly value: string;
  readonly help: string;
  /** The environment variable it overrides, shown as its default. */
  readonly env?: string;
}

/** A protocol's credentials on the mock's command line. */
export interface MockCredentialCli<Credential = unknown> {
  readonly flags: readonly MockCredentialFlag[];
  /**
   * The credentials the given options (by name; those not given are absent) make over `base` (the
   * environment's, else the defaults); undefined when none is given. Throws a TypeError on an unusable combination.
   */
  fromFlags(values: Readonly<Record<string, string | undefined>>, base: readonly Credential[]): readonly Credential[] | undefined;
  /** The identities it accepts, for the start-up banner: never a key. */
  describe(credentials: readonly Credential[]): string;
}

/** A wire protocol as the mock serves it. */
export interface MockGateway<Credential = unknown, Key extends string = string> {
  /** The name services of this protocol give in `metadata.protocol.name`. */
  readonly name: string;
  /** Requests no gateway owns come here when the mock serves several protocols (the TC3 gateway serves `POST /`). */
  readonly catchAll?: boolean;
  /** Its key in a mock's `credentials` option, its default credentials and how the environment sets them. */
  readonly credentials: {
    readonly key: Key;
    readonly defaults: readonly Credential[];
    /** Credentials from the clients' environment variables, undefined when none is set; throws on an unusable value. */
    fromEnv(env: Readonly<Record<string, string | undefined>>): readonly Credential[] | undefined;
    /** How `rtc-apigen mock` sets them: the protocol's own command-line options (absent: it has none). */
    readonly cli?: MockCredentialCli<Credential>;
  };
  /** Its codes for: the mock itself failed (never a bare 500), a request that is not HTTP, a body that is not JSON (when the operation names none). */
  readonly codes: { readonly internal: string | number; readonly malformed: string | number; readonly body: string | number };
  /** A documented code as this protocol puts it on the wire (Chat REST: a number). */
  wireCode(code: string | number): string | number;
  /** The envelope around an outcome (a payload already in wire form); `beside`: the payload's fields beside the envelope's own, not under its payload key. */
  envelope(outcome: MockOutcome, requestId: string, beside: boolean): unknown;
  /** The `n`-th request id from four well-mixed 32-bit words, each as 8 hex digits. */
  requestId(words: readonly [string, string, string, string], n: number): string;
  /** This protocol's gateway for one mock. */
  open(context: MockGatewayContext<Credential>): MockGatewayInstance;
}
