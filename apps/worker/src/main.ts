import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppLogger, loadConfigOrExit, WorkerHttpServer, WorkerRunner } from '@switchboard/platform';
import { WorkerModule } from './worker.module';
import { CONTEXTS } from '../../contexts';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, CONTEXTS);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(AppLogger));
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref());
  }
  await app.get(WorkerRunner).start(config.WORKER_QUEUES);
  // Listening last: a worker whose health answers is consuming its queues.
  await app.get(WorkerHttpServer).listen(config.WORKER_PORT, config.HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
