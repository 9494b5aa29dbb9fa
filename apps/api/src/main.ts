import 'reflect-metadata';
import { loadConfigOrExit } from '@switchboard/platform';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const app = await createApi(config);
  app.enableShutdownHooks();
  // A stuck connection must not keep a stopping process alive forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref());
  }
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
