import { ConfigError, loadConfig } from '../config/load-config';
import { startTracing, tracingConfigFrom } from './tracing';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('tracing configuration', () => {
  it('is off unless an exporter is asked for, and off starts nothing', async () => {
    expect(tracingConfigFrom({})).toBeNull();
    expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: '' })).toBeNull();
    expect(await startTracing(null, 'switchboard-api')).toBeNull();
  });

  it('reads the exporter, endpoint, ratio and batch delay', () => {
    expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER_RATIO: '0.25', OTEL_BSP_SCHEDULE_DELAY: '200' })).toEqual({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_TRACES_SAMPLER_RATIO: 0.25,
      OTEL_BSP_SCHEDULE_DELAY: 200,
    });
    expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_SAMPLER_RATIO: 1 });
  });

  it('leaves bad values to the full validation, which names them and refuses to boot', () => {
    const bad = { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_TRACES_SAMPLER_RATIO: '2' };
    expect(tracingConfigFrom(bad)).toBeNull();
    let error: unknown;
    try {
      loadConfig({ ...base, ...bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/OTEL_TRACES_EXPORTER/);
    expect(problems).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(problems).toMatch(/OTEL_TRACES_SAMPLER_RATIO/);
    expect(loadConfig(base)).toMatchObject({ OTEL_TRACES_EXPORTER: 'none' });
  });
});
