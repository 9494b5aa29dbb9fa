import { startTracing, tracingConfigFrom } from '@switchboard/platform/tracing';

// First, before anything else is loaded: the instrumentations patch http, pg and ioredis as they
// are loaded. With OTEL_TRACES_EXPORTER=none (the default) nothing is started.
startTracing(tracingConfigFrom(process.env), 'switchboard-worker')
  .then(async (tracing) => {
    const { run } = await import('./run');
    await run(process.env, tracing);
  })
  .catch((error: unknown) => {
    process.stderr.write(`worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
