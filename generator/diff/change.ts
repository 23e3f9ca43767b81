// What the breaking-change report lists. The severity rule, applied everywhere: a change is breaking
// when a consumer built against the base specs can fail against a service that behaves as the head
// specs say, that is when a request it sends could now be refused (requests must not narrow) or a
// response it receives could now be outside what it was told to expect (responses must not widen),
// or when the generated package drops or renames something it uses.

export type Severity = "breaking" | "safe";

/** Which way data flows for the consumer: it writes requests and reads responses. */
export type Direction = "request" | "response";

export type ChangeKind =
  | "service-removed"
  | "service-added"
  | "protocol-changed"
  | "package-renamed"
  | "client-renamed"
  | "endpoint-removed"
  | "endpoint-added"
  | "endpoint-changed"
  | "default-endpoint-changed"
  | "region-required"
  | "region-optional"
  | "regions-restricted"
  | "regions-unrestricted"
  | "region-removed"
  | "region-added"
  | "shape-removed"
  | "shape-added"
  | "operation-removed"
  | "operation-added"
  | "wire-name-changed"
  | "method-renamed"
  | "deprecated"
  | "rate-limit-added"
  | "rate-limit-removed"
  | "rate-limit-lowered"
  | "rate-limit-raised"
  | "error-removed"
  | "error-added"
  | "error-retryable-changed"
  | "pagination-removed"
  | "pagination-added"
  | "pagination-changed"
  | "time-window-added"
  | "time-window-removed"
  | "time-window-tightened"
  | "time-window-loosened"
  | "field-removed"
  | "field-added"
  | "field-required"
  | "field-optional"
  | "field-nullable"
  | "field-not-nullable"
  | "type-changed"
  | "type-widened"
  | "type-narrowed"
  | "js-representation-changed"
  | "unit-changed"
  | "default-changed"
  | "limit-tightened"
  | "limit-loosened"
  | "pattern-changed"
  | "format-changed"
  | "enum-added"
  | "enum-removed"
  | "enum-value-added"
  | "enum-value-removed";

export interface Change {
  severity: Severity;
  kind: ChangeKind;
  service: string;
  operation?: string;
  /** Where in the service or operation: `request.Limit`, `response.Events[].EventType`, `rateLimit`, `endpoints[intl]`. */
  path: string;
  message: string;
}

/** Fewer valid values: breaks writers (requests), not readers (responses). */
export function narrowing(dir: Direction): Severity {
  return dir === "request" ? "breaking" : "safe";
}

/** More valid values: breaks readers (responses: old validators and exhaustive code), not writers. */
export function widening(dir: Direction): Severity {
  return dir === "response" ? "breaking" : "safe";
}

export function compareChanges(a: Change, b: Change): number {
  const key = (c: Change) => [c.severity === "breaking" ? "0" : "1", c.service, c.operation ?? "", c.path, c.kind, c.message];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** Collects changes with the service and operation they belong to filled in. */
export class ChangeSink {
  constructor(
    readonly changes: Change[],
    readonly service: string,
    readonly operation?: string,
  ) {}
  forOperation(operation: string): ChangeSink {
    return new ChangeSink(this.changes, this.service, operation);
  }
  add(severity: Severity, kind: ChangeKind, path: string, message: string): void {
    this.changes.push({
      severity,
      kind,
      service: this.service,
      ...(this.operation !== undefined ? { operation: this.operation } : {}),
      path,
      message,
    });
  }
}
