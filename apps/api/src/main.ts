import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfigOrExit } from '@switchboard/platform';
import { createApi } from './create-api';
import { AgentsGateway } from './realtime/agents.gateway';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const app = await createApi(config);
  await app.listen(config.PORT, config.HOST);
  const server = app.getHttpServer() as Server;

  // Drain first, then close: stop accepting, let requests in flight finish with their database
  // and Redis still open, and only then tear the application down.
  const shutdown = async () => {
    setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref();
    // Console websockets would keep the server open forever: hand them off first (clients reconnect elsewhere).
    await app.get(AgentsGateway).disconnectAll().catch(() => undefined);
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await drained;
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
