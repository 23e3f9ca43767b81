// OpenTelemetry tracing for the generated clients, as middleware: one CLIENT span per attempt
// (retries are spans of their own), named by the operation, with the W3C trace context sent along.
// Needs only @opentelemetry/api; the clients themselves depend on no tracing library.
import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { ApiError, type Middleware } from "@rtc-apigen/runtime";

export function otelMiddleware(tracer: Tracer = trace.getTracer("rtc-apigen")): Middleware {
  return async function otel(context, next) {
    const span = tracer.startSpan(context.operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        "rpc.service": context.service,
        "rpc.method": context.action,
        "cloud.region": context.region ?? "",
        "server.address": context.host, // never context.request.url: a Chat URL holds the UserSig
        "rtc.attempt": context.attempt,
      },
    });
    // traceparent (with a propagator registered): an extra header, not signed, so the signature holds.
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(otelContext.active(), span), headers);
    try {
      const response = await next({ headers });
      span.setAttribute("http.response.status_code", response.status);
      if (response.requestId) span.setAttribute("rtc.request_id", response.requestId);
      if (response.error) fail(span, response.error);
      return response;
    } catch (error) {
      fail(span, error); // no answer: network, timeout, abort...
      throw error;
    } finally {
      span.end();
    }
  };
}

function fail(span: Span, error: unknown): void {
  const code = error instanceof ApiError ? String(error.code) : "unknown";
  span.setAttribute("rtc.error_code", code);
  if (error instanceof ApiError && error.requestId) span.setAttribute("rtc.request_id", error.requestId);
  // ApiError messages hold no secret (the client redacts them).
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : code });
}
