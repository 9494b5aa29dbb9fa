import { z } from 'zod';

/**
 * The tracing variables, apart from the rest of the platform's: the entry points read them before
 * anything else is loaded (instrumentation has to be in place before http, pg and ioredis are), so this file imports nothing but zod. `configSchema` includes the same shape, so a bad
 * value is reported with every other problem at boot.
 */
export const tracingConfigSchema = z.object({
  /** `none`: the SDK is not started at all (no cost); `otlp`: spans go to an OTLP/HTTP collector. */
  OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp']).default('none'),
  /** The collector's base URL; spans are posted to `<endpoint>/v1/traces` (OTLP/HTTP, JSON). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url('expected a URL such as http://otel-collector:4318')
    .refine((v) => /^https?:\/\//.test(v), 'expected an http:// or https:// URL')
    .default('http://127.0.0.1:4318'),
  /** Share of new traces kept (a trace continued from an incoming `traceparent` follows its caller's choice). */
  OTEL_TRACES_SAMPLER_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** How long finished spans wait before they are sent in one batch. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(60_000).default(5_000),
});

export type TracingConfig = z.output<typeof tracingConfigSchema>;
