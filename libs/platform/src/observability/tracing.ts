import type { Span } from '@opentelemetry/api';
import { tracingConfigSchema, type TracingConfig } from '../config/tracing.config';

/** Requests that are not worth a trace: probes and scrapes, many a minute and always the same. */
const QUIET_PATHS = /^\/(v1\/health|health|metrics)(\/|\?|$)/;

/**
 * Names a request's server span by its route template (`POST /v1/tickets/:id/messages`), as the
 * latency metric labels it. Called as the response closes, when express has matched the route.
 * (NestJS 12 loads express through `import`, which the express instrumentation's require hook
 * never sees; this gives the route without it. See ADR 0053.)
 */
function nameByRoute(span: Span, request: unknown): void {
  const req = request as { method?: string; baseUrl?: string; route?: { path?: unknown } };
  if (typeof req.route?.path !== 'string') return;
  const route = `${req.baseUrl ?? ''}${req.route.path}`;
  span.setAttribute('http.route', route);
  span.updateName(`${req.method ?? 'GET'} ${route}`);
}

export interface Tracing {
  /** Sends what is still buffered and stops; call on the way out. */
  shutdown(): Promise<void>;
}

/**
 * The tracing variables out of the environment, or null when tracing is off. Invalid values also
 * give null here: the full validation that follows reports them and stops the process.
 */
export function tracingConfigFrom(env: Record<string, string | undefined>): TracingConfig | null {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = tracingConfigSchema.safeParse(cleaned);
  return parsed.success && parsed.data.OTEL_TRACES_EXPORTER !== 'none' ? parsed.data : null;
}

/**
 * Starts the OpenTelemetry Node SDK when an exporter is configured, and does nothing otherwise
 * (with `none` no SDK is loaded, no context manager and no instrumentation is installed: the API's no-op
 * tracer answers every call). Entry points call this before they load anything else, because the
 * instrumentations patch http, pg and ioredis as they are loaded (ADR 0053).
 *
 * Database and Redis calls are traced only inside a trace (`requireParentSpan`): the relay's and
 * the queues' polling would otherwise make a root trace of every poll.
 */
export async function startTracing(config: TracingConfig | null, serviceName: string): Promise<Tracing | null> {
  if (!config) return null;
  // Loaded only when tracing is on: with `none` the SDK's code is not even read.
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { IORedisInstrumentation }, { PgInstrumentation }, { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-ioredis'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/sdk-trace'),
    ]);
  const sdk = new NodeSDK({
    serviceName,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_RATIO) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
    // Traces only: without this the SDK would also set up an OTLP log exporter from the environment's defaults.
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => QUIET_PATHS.test(req.url ?? ''), applyCustomAttributesOnSpan: nameByRoute }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown().catch(() => undefined) };
}
