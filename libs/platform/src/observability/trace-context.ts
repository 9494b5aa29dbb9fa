import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** W3C trace context (`traceparent`, `tracestate`) as it travels with an event: in the outbox row and the job. */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('switchboard');

/** The active trace's context to store with an event, or null outside a trace (and always when tracing is off). */
export function currentTraceCarrier(from: Context = context.active()): TraceCarrier | null {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier.traceparent ? carrier : null;
}

/** The carrier that makes `span` the parent of whatever continues from it. */
export function carrierOf(span: Span): TraceCarrier | null {
  return currentTraceCarrier(trace.setSpan(ROOT_CONTEXT, span));
}

/** Marks a span failed with the error's message. */
export function failSpan(span: Span, error: unknown): Span {
  span.recordException(error instanceof Error ? error : String(error));
  return span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The context a stored carrier continues; a missing or malformed one starts afresh. */
export function contextFrom(carrier: unknown): Context {
  if (!carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier as TraceCarrier);
}

/**
 * Runs `work` in a new active span under `parent`, ending it when the work settles and recording a
 * failure. With tracing off the API's no-op tracer makes this a plain call.
 */
export function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Runs `work` with `span` active (on an empty context), so what it calls — Redis, pg, HTTP — is traced as the span's children. */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(ROOT_CONTEXT, span), work);
}

/** A span started now and ended by the caller (spans around a batch, one per item). */
export function startSpan(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }): Span {
  return tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active());
}

/** Trace and span ids of the active span for a log line (OpenTelemetry's log field names), or nothing outside a trace. */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { SpanKind, type Span };
