import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { activeTraceFields, carrierOf, contextFrom, currentTraceCarrier, inSpan, SpanKind, startSpan } from './trace-context';

describe('trace context', () => {
  describe('with tracing off (no SDK registered)', () => {
    it('stores nothing with events, adds nothing to log lines, and runs the work as a plain call', async () => {
      expect(currentTraceCarrier()).toBeNull();
      expect(activeTraceFields()).toEqual({});
      expect(await inSpan('job', {}, async () => 42)).toBe(42);
      await expect(inSpan('job', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      // A job that carries a context from a process that traced still runs.
      expect(await inSpan('job', { parent: contextFrom({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }) }, async () => 'ran')).toBe('ran');
    });
  });

  describe('with the SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor({ exporter });
    const provider = new TracerProvider({ spanProcessors: [processor] });
    const finished = async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    };
    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      trace.disable();
      context.disable();
      propagation.disable();
    });
    beforeEach(() => exporter.reset());

    it('chains request → relay → job in one trace through stored carriers', async () => {
      let stored: Record<string, string> | null = null;
      let logged: ReturnType<typeof activeTraceFields> = {};
      await inSpan('POST /v1/tickets', { kind: SpanKind.SERVER }, async () => {
        stored = currentTraceCarrier(); // what the transaction writes into the outbox row
        logged = activeTraceFields();
      });
      expect(stored!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      // The relay, in another process, continues from the row and hands its own span to the job.
      const relay = startSpan('outbox relay tickets.ticket_created', { kind: SpanKind.PRODUCER, parent: contextFrom(stored) });
      const forJob = carrierOf(relay);
      relay.end();
      await inSpan('realtime realtime.push-missed', { kind: SpanKind.CONSUMER, parent: contextFrom(forJob) }, async () => undefined);

      const [request, relaySpan, job] = await finished();
      expect([request!.name, relaySpan!.name, job!.name]).toEqual(['POST /v1/tickets', 'outbox relay tickets.ticket_created', 'realtime realtime.push-missed']);
      const traceId = request!.spanContext().traceId;
      expect(new Set([relaySpan, job].map((s) => s!.spanContext().traceId))).toEqual(new Set([traceId]));
      expect(relaySpan!.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
      expect(job!.parentSpanContext?.spanId).toBe(relaySpan!.spanContext().spanId);
      expect(logged).toEqual({ trace_id: traceId, span_id: request!.spanContext().spanId });
    });

    it('starts a fresh trace from a missing or malformed carrier, and marks a failed span', async () => {
      for (const carrier of [undefined, null, 'text', { traceparent: 'not-a-traceparent' }]) {
        await inSpan('job', { parent: contextFrom(carrier) }, async () => undefined);
      }
      expect((await finished()).every((s) => s.parentSpanContext === undefined)).toBe(true);
      exporter.reset();
      await expect(inSpan('job', {}, () => Promise.reject(new Error('provider down')))).rejects.toThrow('provider down');
      expect((await finished())[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider down' });
    });
  });
});
