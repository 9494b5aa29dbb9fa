import 'reflect-metadata';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { loadConfigOrExit, PROBLEM_TYPE_BASE, ShutdownState } from '@switchboard/platform';
import { createApi } from './create-api';
import { trackConnectionsForDrain } from './drain';
import { AgentsGateway } from './realtime/agents.gateway';
import { CONTEXTS } from '../../contexts';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, CONTEXTS);
  const app = await createApi(config);
  await app.listen(config.PORT, config.HOST);
  const server = app.getHttpServer() as Server;
  // Requests Node refuses before the application sees them (headers too large, broken framing)
  // are answered in the API's error format too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (error.code === 'ECONNRESET' && !socket.bytesWritten)) return void socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}${tooLarge ? 'headers-too-large' : 'bad-request'}`,
      title: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
      status: tooLarge ? 431 : 400,
      detail: tooLarge ? 'The request line or headers are too large (a very long URL or header).' : 'The request could not be parsed as HTTP.',
    });
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  const drain = trackConnectionsForDrain(server);
  const shutdown = async () => {
    setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref();
    drain.begin();
    app.get(ShutdownState).begin();
    // Console websockets would keep the server open forever: hand them off first (clients reconnect elsewhere).
    await app.get(AgentsGateway).disconnectAll().catch(() => undefined);
    await drain.close(config.SHUTDOWN_DRAIN_MS);
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
