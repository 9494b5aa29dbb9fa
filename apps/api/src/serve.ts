import 'reflect-metadata';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { loadConfigOrExit, PROBLEM_TYPE_BASE, ShutdownState } from '@switchboard/platform';
import type { Tracing } from '@switchboard/platform/tracing';
import { createApi } from './create-api';
import { trackConnectionsForDrain } from './drain';
import { AgentsGateway } from './realtime/agents.gateway';
import { CONTEXTS } from '../../contexts';

/** The api process, loaded by main.ts once tracing (if any) is in place. */
export async function serve(env: Record<string, string | undefined>, tracing: Tracing | null): Promise<void> {
  const config = loadConfigOrExit(env, CONTEXTS);
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
    await tracing?.shutdown();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown());
}
