import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppLogger, loadConfigOrExit, WorkerHttpServer, WorkerRunner } from '@switchboard/platform';
import type { Tracing } from '@switchboard/platform/tracing';
import { WorkerModule } from './worker.module';
import { CONTEXTS } from '../../contexts';

/** The worker process, loaded by main.ts once tracing (if any) is in place. */
export async function run(env: Record<string, string | undefined>, tracing: Tracing | null): Promise<void> {
  const config = loadConfigOrExit(env, CONTEXTS);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(AppLogger));
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref();
      // Sends the spans still buffered while Nest's shutdown hooks close the queues.
      void tracing?.shutdown();
    });
  }
  await app.get(WorkerRunner).start(config.WORKER_QUEUES);
  // Listening last: a worker whose health answers is consuming its queues.
  await app.get(WorkerHttpServer).listen(config.WORKER_PORT, config.HOST);
}
